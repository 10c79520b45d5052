namespace Contree.Engine.Storage;

/// <summary>
/// The on-disk layout under the data directory (docs/engine.md). Everything lives on one filesystem so that
/// blobs, layers and run uppers are committed by rename.
/// </summary>
internal sealed class EnginePaths
{
    public EnginePaths(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        Root = Path.GetFullPath(dataDirectory);
        Database = Path.Combine(Root, "engine.db");
        Blobs = Path.Combine(Root, "blobs", "sha256");
        Ingest = Path.Combine(Root, "ingest");
        Layers = Path.Combine(Root, "layers");
        Staging = Path.Combine(Root, "staging");
        Runs = Path.Combine(Root, "runs");
        Outputs = Path.Combine(Root, "outputs");
    }

    public string Root { get; }

    public string Database { get; }

    /// <summary><c>blobs/sha256</c>: one file per blob named by its hex digest.</summary>
    public string Blobs { get; }

    /// <summary>Blobs being written; renamed into <see cref="Blobs"/> once verified.</summary>
    public string Ingest { get; }

    /// <summary><c>layers/&lt;id&gt;/fs</c>: committed layers.</summary>
    public string Layers { get; }

    /// <summary>Layers being built; renamed into <see cref="Layers"/> on commit.</summary>
    public string Staging { get; }

    /// <summary><c>runs/&lt;operation id&gt;</c>: upper, work and merged directories of running sandboxes.</summary>
    public string Runs { get; }

    /// <summary>
    /// <c>outputs/&lt;operation id&gt;.stdout|.stderr</c>: the whole kept output of runs whose output outgrew the inline
    /// view; deleted after the output retention (docs/engine.md, "Output").
    /// </summary>
    public string Outputs { get; }

    /// <summary>The file holding the whole kept output of one stream of an instance operation.</summary>
    public string OutputFile(string operationId, Core.Models.OutputStream stream) =>
        Path.Combine(Outputs, operationId + "." + Core.Models.OperationEnums.ToWire(stream));

    /// <summary>Creates the directories (0700: the store holds uploaded files and image contents).</summary>
    public void EnsureCreated()
    {
        foreach (var dir in (string[])[Root, Blobs, Ingest, Layers, Staging, Runs, Outputs])
        {
            Directory.CreateDirectory(dir);
        }

        File.SetUnixFileMode(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>A fresh unique name for a temporary entry in <see cref="Ingest"/> or <see cref="Staging"/>.</summary>
    public static string NewTempName() => Guid.NewGuid().ToString("N");
}
