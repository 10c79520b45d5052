namespace Contree.Bench;

/// <summary>
/// Scenario 2: <c>contree_run</c> with disposable=false writing one small file, on the small image and on the large
/// one (several hundred MB in four layers). A commit renames the run's upper directory, so it must not depend on the
/// size of the image below. Each iteration runs, on each image, the same command disposable and then committed;
/// the commit cost is the paired difference, which removes what differs between the images for any run (the
/// overlay of four lower layers instead of one).
/// </summary>
internal static class CommitScenario
{
    private const string Command = "echo bench > /root/bench-file";

    public static async Task RunAsync(BenchContext context)
    {
        var ct = context.CancellationToken;
        var server = context.Server;

        async Task Run(string image, bool commit)
        {
            var result = await BenchContext.RunAsync(server, image, Command, disposable: !commit, ct);
            var child = result.TryGetProperty("result_image", out var r) ? r.GetString() : null;
            if (commit && (string.IsNullOrEmpty(child) || child == image))
            {
                throw new BenchException($"non-disposable run on {image} returned no new image: {result}");
            }
        }

        var images = new[] { context.SmallImage, context.LargeImage };
        foreach (var image in images)
        {
            await Run(image, commit: false);
            await Run(image, commit: true);
        }

        var disposable = new[] { new List<double>(), new List<double>() };
        var committed = new[] { new List<double>(), new List<double>() };
        var cost = new[] { new List<double>(), new List<double>() };
        for (var i = 0; i < context.Options.CommitIterations; i++)
        {
            for (var k = 0; k < images.Length; k++)
            {
                var plain = await Timing.TimeAsync(() => Run(images[k], commit: false));
                var commit = await Timing.TimeAsync(() => Run(images[k], commit: true));
                disposable[k].Add(plain);
                committed[k].Add(commit);
                cost[k].Add(commit - plain);
            }
        }

        var largeMiB = context.Images.Large.UncompressedBytes >> 20;
        var smallCommit = Distribution.Of(committed[0]);
        var largeCommit = Distribution.Of(committed[1]);
        var smallCost = Distribution.Of(cost[0]);
        var largeCost = Distribution.Of(cost[1]);
        context.Report.Add(new BenchRow("2", "run + commit one file, small image", "ms", smallCommit,
            "same run, disposable", Distribution.Of(disposable[0])));
        context.Report.Add(new BenchRow("2", $"run + commit one file, large image ({largeMiB} MiB)", "ms", largeCommit,
            "same run, disposable", Distribution.Of(disposable[1])));
        var ratio = largeCommit.Median / smallCommit.Median;
        context.Report.Add(new BenchRow("2", "run + commit, large vs small image", "ms", largeCommit,
            "run + commit, small image", smallCommit, Target: "<= 1.2x small", Met: ratio <= 1.2,
            Note: "end to end; a commit whose cost grew with the image would show here (the large run also stacks 4 lower layers instead of 1)"));
        context.Report.Add(new BenchRow("2", "commit cost, small image (paired difference)", "ms", smallCost,
            Note: "commit run minus disposable run of the same iteration; a median near 0 means the commit is within the run-to-run noise"));
        context.Report.Add(new BenchRow("2", "commit cost, large image (paired difference)", "ms", largeCost));
    }
}
