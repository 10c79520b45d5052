using System.Collections.Frozen;
using System.Text.RegularExpressions;
using Contree.Core;
using Contree.Core.Errors;

namespace Contree.Mcp.Guides;

/// <summary>
/// The seven guide sections (docs/guides.md), stored as embedded markdown with placeholders: <c>{{tool:run}}</c> becomes the
/// tool name with the configured prefix, <c>{{cost:…}}</c> and <c>{{text:…}}</c> the wording true for the backend flavor.
/// </summary>
internal static partial class GuideCatalog
{
    /// <summary>Section names in the order the static resources are listed.</summary>
    public static IReadOnlyList<string> SectionNames { get; } = ["workflow", "reference", "quickstart", "state", "async", "tagging", "errors"];

    /// <summary>The section names sorted, as reported to agents.</summary>
    public static IReadOnlyList<string> SortedSectionNames { get; } = [.. SectionNames.Order(StringComparer.Ordinal)];

    private static readonly FrozenDictionary<string, string> Titles = new Dictionary<string, string>
    {
        ["workflow"] = "Workflow",
        ["reference"] = "Reference",
        ["quickstart"] = "Quickstart",
        ["state"] = "State",
        ["async"] = "Async",
        ["tagging"] = "Tagging",
        ["errors"] = "Errors",
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, (string Local, string Cloud)> FlavorTexts = new Dictionary<string, (string, string)>
    {
        ["cost:run"] = (
            "milliseconds: it is a bubblewrap sandbox on the machine running this server",
            "a few seconds: every run starts a fresh microVM"),
        ["cost:import"] = (
            "pulls the image's layers from the registry into the local store, which takes seconds to minutes depending on size and network",
            "pulls the image into the Contree service, which takes tens of seconds to many minutes"),
        ["cost:run_short"] = ("sandbox (milliseconds)", "microVM (seconds)"),
        ["cost:import_short"] = ("registry pull (seconds to minutes)", "registry pull (up to many minutes)"),
        ["text:engine"] = (
            "This server uses the embedded local engine: sandboxes are bubblewrap namespaces on this machine and images live in its local store.",
            "This server uses the Contree cloud service: every run is a fresh microVM."),
        ["text:branch_cost"] = (
            "images are stacks of overlay layers, so a new image stores only the files its command changed.",
            "images are copy-on-write snapshots, so a new image stores only what changed; each run still starts a microVM."),
        ["text:unchanged_result"] = (
            "when nothing changed it is the input image (`filesystem_changed: false`)",
            "when nothing changed it is the input image or null (`filesystem_changed: false`)"),
        ["text:network"] = (
            "A run's `network` is `internet` (public addresses and DNS: pip, apt, git, curl work; private networks, link-local addresses such as cloud metadata and this machine are refused with \"No route to host\") or `none` (loopback only). Omitted, a run gets the server's default: `internet`, unless this server was started with `--engine-network none`. `allowed_hosts` (e.g. `[\"pypi.org\", \"*.pythonhosted.org\"]`) limits a run to those hosts: other names do not resolve and connections to them are refused, and stderr names what was refused. The result's `hint` says when a failure looks like a missing or limited network.",
            "A run's `network` is `internet` (outbound access) or `none`. Omitted, the Contree service's default applies; pass `network=\"internet\"` for installs. `allowed_hosts` is not available on this backend."),
        ["text:parallel"] = (
            "Parallel runs share this machine's CPUs, so they speed up only up to the number of cores.",
            "Each run gets its own microVM."),
    }.ToFrozenDictionary();

    private static readonly FrozenDictionary<string, string> Templates = SectionNames.ToFrozenDictionary(s => s, LoadTemplate);

    /// <summary>The title used in resource listings, e.g. <c>Contree Guide: Workflow</c>.</summary>
    public static string ResourceTitle(string section) => "Contree Guide: " + Titles[section];

    /// <summary>True when <paramref name="section"/> names one of the seven sections.</summary>
    public static bool IsSection(string? section) => section is not null && Templates.ContainsKey(section);

    /// <summary>Renders one section for the backend flavor and tool prefix.</summary>
    /// <exception cref="ContreeException">InvalidArgument naming the unknown section and the available ones.</exception>
    public static string Render(string section, BackendFlavor flavor, string toolPrefix)
    {
        if (section is null || !Templates.TryGetValue(section, out var template))
        {
            throw ContreeException.InvalidArgument(
                $"Unknown guide section '{section}'. Available sections: {string.Join(", ", SortedSectionNames)}");
        }

        return Expand(template, flavor, toolPrefix);
    }

    /// <summary>Replaces the placeholders of <paramref name="template"/>; shared with the server instructions.</summary>
    internal static string Expand(string template, BackendFlavor flavor, string toolPrefix) =>
        Placeholder().Replace(template, match =>
        {
            var kind = match.Groups["kind"].Value;
            var name = match.Groups["name"].Value;
            if (kind == "tool")
            {
                return toolPrefix + name;
            }

            // An unknown placeholder is a bug in the embedded text, caught by the guide tests.
            var texts = FlavorTexts.TryGetValue(kind + ":" + name, out var found)
                ? found
                : throw ContreeException.Internal($"guide placeholder '{match.Value}' has no text");
            return flavor == BackendFlavor.Cloud ? texts.Cloud : texts.Local;
        });

    private static string LoadTemplate(string section)
    {
        var name = $"Contree.Mcp.Guides.{section}.md";
        using var stream = typeof(GuideCatalog).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded guide '{name}' is missing from Contree.Mcp");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"\{\{(?<kind>tool|cost|text):(?<name>[a-z_]+)\}\}")]
    private static partial Regex Placeholder();
}
