using Contree.Core.Errors;
using Contree.Engine.Layers;

namespace Contree.Engine.Registry;

/// <summary>Files of an OCI image layout directory (image-spec image-layout.md).</summary>
internal sealed class DirectoryImageFiles : ILocalImageFiles
{
    private readonly string _root;

    public DirectoryImageFiles(string root) => _root = root;

    public Stream? Open(string relativePath)
    {
        // Names come from the layout's own JSON: keep them inside the directory.
        var relative = LayerExtractor.NormalizeName(relativePath, "path");
        var path = Path.Join(_root, relative);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new ContreeException(ContreeErrorKind.Unauthorized, $"cannot read '{path}': {ErrorCause.Describe(ex)}", 403, ex);
        }
    }

    public void Dispose()
    {
    }
}
