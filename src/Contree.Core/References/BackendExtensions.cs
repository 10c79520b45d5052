using Contree.Core.Models;

namespace Contree.Core.References;

/// <summary>Helpers every front end needs on top of <see cref="IContreeBackend"/>.</summary>
public static class BackendExtensions
{
    /// <summary>
    /// Resolves a UUID or <c>tag:&lt;tag&gt;</c> reference to an image UUID. A UUID is returned as is,
    /// without asking the backend; a tag is looked up (E5) and a missing tag is a NotFound error.
    /// </summary>
    public static async Task<string> ResolveImageAsync(this IContreeBackend backend, string reference, CancellationToken cancellationToken = default)
    {
        var parsed = ImageReference.Parse(reference);
        if (!parsed.IsTag)
        {
            return parsed.Uuid!.Value.ToString("D");
        }

        Image image = await backend.GetImageByTagAsync(parsed.Tag!, cancellationToken);
        return image.Uuid;
    }
}
