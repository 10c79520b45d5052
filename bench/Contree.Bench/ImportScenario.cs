using System.Globalization;

namespace Contree.Bench;

/// <summary>
/// Scenario 6: <c>contree_import_image</c> of the medium image (over 50 MB, four gzip layers) from a loopback
/// docker-registry, against <c>skopeo copy</c> of the same image to an OCI layout plus <c>umoci unpack</c>. Every
/// repetition imports into a fresh engine (new server, new data directory): the engine reuses layers it already
/// extracted, so a second import into the same one would measure nothing.
/// </summary>
internal static class ImportScenario
{
    public static async Task RunAsync(BenchContext context)
    {
        var ct = context.CancellationToken;
        var registryRoot = context.NewDirectory("registry");
        await using var registry = await LocalRegistry.StartAsync(registryRoot, ct);
        var reference = $"{registry.Host}/bench/medium:1";
        await HostProcess.RunAsync("skopeo", ["copy", "--insecure-policy", "--dest-tls-verify=false", $"oci:{context.Images.Medium.Directory}:medium", $"docker://{reference}"], ct);

        var imports = new List<double>();
        var floors = new List<double>();
        for (var rep = 0; rep < context.Options.FewRepetitions; rep++)
        {
            var root = context.NewDirectory("import");
            await using (var server = await McpServerSession.StartLocalAsync(context.Options.ServerDll, root, ct))
            {
                imports.Add(await Timing.TimeAsync(() => BenchContext.ImportAsync(server, $"docker://{reference}", null, ct)));
            }

            Directory.Delete(root, recursive: true);

            var floorRoot = context.NewDirectory("skopeo");
            var layout = Path.Combine(floorRoot, "layout");
            var bundle = Path.Combine(floorRoot, "bundle");
            floors.Add(await Timing.TimeAsync(async () =>
            {
                await HostProcess.RunAsync("skopeo", ["copy", "--insecure-policy", "--src-tls-verify=false", $"docker://{reference}", $"oci:{layout}:medium"], ct);
                await HostProcess.RunAsync("umoci", ["unpack", "--image", $"{layout}:medium", bundle], ct);
            }));
            Directory.Delete(floorRoot, recursive: true);
        }

        var value = Distribution.Of(imports);
        var baseline = Distribution.Of(floors);
        var mib = context.Images.Medium.BlobBytes / (1 << 20);
        context.Report.Add(new BenchRow("6", string.Create(CultureInfo.InvariantCulture, $"import_image from registry ({mib} MiB, {context.Images.Medium.LayerCount} layers)"), "ms", value,
            "skopeo copy + umoci unpack", baseline, Target: "<= 1.5x skopeo+unpack", Met: value.Median <= 1.5 * baseline.Median));
    }
}
