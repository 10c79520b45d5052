using System.Runtime.InteropServices;
using Contree.Core.Errors;

namespace Contree.Engine.Registry;

/// <summary>Chooses the manifest for this machine from an image index (image-spec image-index.md "platform").</summary>
internal sealed class PlatformSelector
{
    private PlatformSelector(string os, string architecture, string? variant)
    {
        Os = os;
        Architecture = architecture;
        Variant = variant;
    }

    public string Os { get; }

    public string Architecture { get; }

    public string? Variant { get; }

    /// <summary>The override (<c>os/arch[/variant]</c>) or linux with the host architecture in Go's GOARCH names.</summary>
    public static PlatformSelector Create(string? platform)
    {
        if (!string.IsNullOrWhiteSpace(platform))
        {
            var parts = platform.Split('/');
            if (parts.Length is < 2 or > 3 || parts.Any(p => p.Length == 0))
            {
                throw ContreeException.InvalidArgument($"platform must be os/arch[/variant], got: '{platform}'");
            }

            return new PlatformSelector(parts[0], parts[1], parts.Length == 3 ? parts[2] : null);
        }

        return RuntimeInformation.OSArchitecture switch
        {
            System.Runtime.InteropServices.Architecture.X64 => new PlatformSelector("linux", "amd64", null),
            System.Runtime.InteropServices.Architecture.Arm64 => new PlatformSelector("linux", "arm64", "v8"),
            System.Runtime.InteropServices.Architecture.X86 => new PlatformSelector("linux", "386", null),
            System.Runtime.InteropServices.Architecture.Arm => new PlatformSelector("linux", "arm", "v7"),
            System.Runtime.InteropServices.Architecture.S390x => new PlatformSelector("linux", "s390x", null),
            System.Runtime.InteropServices.Architecture.Ppc64le => new PlatformSelector("linux", "ppc64le", null),
            System.Runtime.InteropServices.Architecture.RiscV64 => new PlatformSelector("linux", "riscv64", null),
            var other => new PlatformSelector("linux", other.ToString().ToLowerInvariant(), null),
        };
    }

    public override string ToString() => Variant is null ? $"{Os}/{Architecture}" : $"{Os}/{Architecture}/{Variant}";

    /// <summary>
    /// The best entry: same os and architecture, preferring an exact variant, then one without a variant
    /// (arm64 images usually omit "v8"), then any. Entries without a platform (e.g. attestations) never match.
    /// Returns null when nothing fits.
    /// </summary>
    public OciDescriptor? Select(IEnumerable<OciDescriptor> manifests)
    {
        var candidates = manifests
            .Where(m => m.Platform is { } p
                && string.Equals(p.Os, Os, StringComparison.OrdinalIgnoreCase)
                && string.Equals(p.Architecture, Architecture, StringComparison.OrdinalIgnoreCase))
            .ToList();
        return candidates.FirstOrDefault(m => Variant is not null && string.Equals(m.Platform!.Variant, Variant, StringComparison.OrdinalIgnoreCase))
            ?? candidates.FirstOrDefault(m => string.IsNullOrEmpty(m.Platform!.Variant))
            ?? candidates.FirstOrDefault();
    }
}
