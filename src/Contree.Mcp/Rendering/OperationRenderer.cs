using Contree.Core.Models;
using Contree.Mcp.Results;

namespace Contree.Mcp.Rendering;

/// <summary>Turns a backend <see cref="OperationResponse"/> into the flat tool shape; credentials never leave here.</summary>
internal static class OperationRenderer
{
    /// <summary>The flat result; each output stream carries at most <paramref name="outputBudget"/> bytes of text (<see cref="OutputText"/>).</summary>
    public static OperationView Render(OperationResponse operation, int outputBudget = OutputText.MaxInlineBytes)
    {
        var error = string.IsNullOrEmpty(operation.Error) ? null : operation.Error;
        var view = new OperationView
        {
            OperationId = operation.Uuid,
            Kind = operation.Kind.ToWire(),
            Status = operation.Status.ToWire(),
            DurationS = operation.Status.IsTerminal() ? operation.Duration : null,
            ResultImage = operation.Result?.Image,
            Error = error,
        };

        if (operation.Metadata is ImportImageMetadata import)
        {
            return view with { RegistryUrl = import.Registry.Url, ResultTag = operation.Result?.Tag };
        }

        if (operation.Metadata is InstanceMetadata { Result: null } cancelled && operation.Status == OperationStatus.Cancelled)
        {
            return view with { EndedBy = RunEnd.Cancelled, Hint = RunEndHint.For(RunEnd.Cancelled, cancelled.Timeout) };
        }

        if (operation.Metadata is InstanceMetadata { Result: { } result } instance)
        {
            var resultImage = operation.Result?.Image;
            var endedBy = RunEnd.Of(result.State, operation.Status);
            var (stdout, stdoutOmitted) = OutputText.Render(result.Stdout, operation.Uuid, OutputStream.Stdout, outputBudget);
            var (stderr, stderrOmitted) = OutputText.Render(result.Stderr, operation.Uuid, OutputStream.Stderr, outputBudget);
            return view with
            {
                ExitCode = result.State.ExitCode,
                TimedOut = result.State.TimedOut,
                EndedBy = endedBy,
                Hint = RunEndHint.For(endedBy, instance.Timeout) ?? RunEndHint.ForNetwork(instance, result),
                Network = instance.Networking is { } networking ? (networking.Enabled ? "internet" : "none") : null,
                AllowedHosts = instance.Networking?.AllowedHosts,
                Stdout = stdout,
                Stderr = stderr,
                StdoutTruncated = result.Stdout.Truncated,
                StderrTruncated = result.Stderr.Truncated,
                StdoutBytes = result.Stdout.Size,
                StderrBytes = result.Stderr.Size,
                StdoutOmittedBytes = stdoutOmitted > 0 ? stdoutOmitted : null,
                StderrOmittedBytes = stderrOmitted > 0 ? stderrOmitted : null,
                StdoutResource = stdoutOmitted > 0 ? OutputText.ResourceUri(operation.Uuid, OutputStream.Stdout) : null,
                StderrResource = stderrOmitted > 0 ? OutputText.ResourceUri(operation.Uuid, OutputStream.Stderr) : null,
                FilesystemChanged = resultImage is not null && !string.Equals(resultImage, instance.Image, StringComparison.OrdinalIgnoreCase),
                FilesystemChanges = result.FilesystemChanges,
                FilesystemChangesTotal = result.FilesystemChangesTotal,
                FilesystemChangesTruncated = result.FilesystemChangesTotal is { } total && result.FilesystemChanges is { } listed && total > listed.Count ? true : null,
                Resources = new ResourceUsage(
                    result.Resources.UserCpuTime, result.Resources.SystemCpuTime, result.Resources.MaxRss, result.Resources.ElapsedTime),
            };
        }

        return view;
    }

    /// <summary>The response without registry credentials, safe to cache and to show.</summary>
    public static OperationResponse Sanitize(OperationResponse operation) =>
        operation.Metadata is ImportImageMetadata import && !import.Registry.Credentials.IsAnonymous
            ? operation with { Metadata = import with { Registry = import.Registry with { Credentials = new ImageCredentials() } } }
            : operation;

    public static OperationSummaryView Render(OperationSummary summary) =>
        new(summary.Uuid, summary.Kind.ToWire(), summary.Status.ToWire(), string.IsNullOrEmpty(summary.Error) ? null : summary.Error, summary.CreatedAt);
}
