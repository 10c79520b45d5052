namespace Contree.Client.Tests;

/// <summary>Wire samples shaped like the Contree API's answers.</summary>
internal static class Samples
{
    public const string InstanceOperation = """
        {
          "uuid": "6a1d2a4e-9a0c-4c51-8f5e-0d7b3b6f2c11", "status": "SUCCESS", "kind": "instance", "error": null,
          "metadata": {
            "command": "echo hello", "image": "0b7e9f4c-2d1a-4c55-9a57-3f7f3c2b9e10", "hostname": "linuxkit", "args": [],
            "shell": true, "env": {}, "cwd": "/root", "disposable": false,
            "stdin": {"value": "", "encoding": "ascii", "truncated": false},
            "timeout": 30, "truncate_output_at": 8000, "files": {},
            "result": {
              "resources": {"elapsed_time": 0.5},
              "state": {"exit_code": 0, "pid": 1, "signal": -1, "timed_out": false},
              "stdout": {"value": "hello\n", "encoding": "ascii", "truncated": false},
              "stderr": {"value": "", "encoding": "ascii", "truncated": false}
            }
          },
          "result": {"image": "9c4d6f1e-3b2a-4e5d-8f7a-1b2c3d4e5f60", "tag": null},
          "duration": 1.25
        }
        """;

    public const string ImportOperation = """
        {
          "uuid": "6a1d2a4e-9a0c-4c51-8f5e-0d7b3b6f2c11", "status": "SUCCESS", "kind": "IMAGE_IMPORT",
          "metadata": {"registry": {"url": "docker://test", "credentials": {"username": "", "password": ""}}, "tag": "test:v1", "timeout": 300},
          "result": {"image": "9c4d6f1e-3b2a-4e5d-8f7a-1b2c3d4e5f60", "tag": "test:v1"}
        }
        """;

    public const string Image = """{"uuid": "0b7e9f4c-2d1a-4c55-9a57-3f7f3c2b9e10", "tag": "python:3.11", "created_at": "2026-01-02T03:04:05Z"}""";

    public const string FileResponse = """{"uuid": "file-123", "sha256": "abc123"}""";

    public const string Sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
}
