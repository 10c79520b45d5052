using Contree.Core;
using Contree.Core.Models;

namespace Contree.Tests.Common;

public abstract partial class ContreeBackendConformanceTests
{
    /// <summary>
    /// One backend per test class and one imported busybox image: the root filesystem from
    /// <see cref="BusyboxRootfs"/> as a single gzip layer in an OCI layout directory, imported with
    /// <c>oci:&lt;dir&gt;:1</c> (containers-transports(5)). Subclasses create and dispose the backend.
    /// </summary>
    public abstract class BackendFixture : IAsyncLifetime
    {
        private string? _scratch;
        private IContreeBackend? _backend;

        public IContreeBackend Backend => _backend ?? throw new InvalidOperationException("the backend is not created (sandboxes cannot run here)");

        /// <summary>UUID of the imported busybox image.</summary>
        public string BaseImage { get; private set; } = "";

        /// <summary>The tag the import gave the base image.</summary>
        public string BaseTag { get; } = $"conformance/busybox:{Guid.NewGuid():N}";

        /// <summary>The import operation (kept to test operation listing and filters).</summary>
        public OperationResponse ImportOperation { get; private set; } = null!;

        /// <summary>
        /// How many operations the backend runs at once, when the fixture configured it (the local engine); lets the
        /// suite fill the queue and check PENDING operations. Null: unknown, those tests skip.
        /// </summary>
        public virtual int? MaxConcurrentOperations => null;

        /// <summary>A private directory for the subclass (data directories and the like), removed on dispose.</summary>
        protected string Scratch => _scratch ?? throw new InvalidOperationException("the fixture is not initialized");

        /// <summary>Creates (and starts) the backend under test.</summary>
        protected abstract Task<IContreeBackend> CreateBackendAsync(CancellationToken cancellationToken);

        /// <summary>Stops the backend and whatever hosts it; also called when creating it failed half-way.</summary>
        protected abstract ValueTask DisposeBackendAsync();

        public async ValueTask InitializeAsync()
        {
            if (!HostRequirements.CanRunSandboxes)
            {
                // Every test of the class is skipped with SandboxSkipReason; nothing to prepare.
                return;
            }

            var cancellationToken = TestContext.Current.CancellationToken;
            _scratch = Directory.CreateTempSubdirectory("contree-conformance-").FullName;
            try
            {
                await PrepareAsync(cancellationToken);
            }
            catch
            {
                await DisposeAsync();
                throw;
            }
        }

        private async Task PrepareAsync(CancellationToken cancellationToken)
        {
            var layout = Path.Combine(Scratch, "layout");
            var rootfs = BusyboxRootfs.Create(Path.Combine(Scratch, "rootfs"));
            var image = OciImageBuilder.SimpleImage(OciImageBuilder.TarDirectory(rootfs), ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "CONFORMANCE=from-image"]);
            OciImageWriter.WriteLayout(layout, (image, "1"));

            _backend = await CreateBackendAsync(cancellationToken);
            var id = await _backend.ImportImageAsync(
                new ImportImageMetadata { Registry = new ImageRegistry { Url = $"oci:{layout}:1" }, Tag = BaseTag },
                cancellationToken);
            ImportOperation = await WaitTerminalAsync(_backend, id, cancellationToken);
            if (ImportOperation.Status != OperationStatus.Success || string.IsNullOrEmpty(ImportOperation.Result?.Image))
            {
                throw new InvalidOperationException($"importing the busybox base image failed: {ImportOperation.Status} {ImportOperation.Error}");
            }

            BaseImage = ImportOperation.Result.Image;
        }

        /// <summary>
        /// Removes the cgroup directories named <paramref name="name"/> (the engine's per-instance parent cgroup, which it
        /// keeps after stopping) from every mounted hierarchy, deepest first. Busy or missing ones are left alone.
        /// </summary>
        protected static void RemoveCgroupDirectories(string name)
        {
            const string root = "/sys/fs/cgroup";
            if (!Directory.Exists(root))
            {
                return;
            }

            var options = new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 5, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.ReparsePoint };
            var matches = Directory.EnumerateDirectories(root, name, options).ToList();
            foreach (var match in matches)
            {
                var tree = Directory.EnumerateDirectories(match, "*", options).Append(match).OrderByDescending(static d => d.Length);
                foreach (var directory in tree)
                {
                    try
                    {
                        // rmdir: cgroupfs removes an empty cgroup's control files with it.
                        Directory.Delete(directory);
                    }
                    catch (IOException)
                    {
                    }
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_scratch is not null)
            {
                var scratch = _scratch;
                _backend = null;
                try
                {
                    await DisposeBackendAsync();
                }
                finally
                {
                    _scratch = null;
                    Directory.Delete(scratch, recursive: true);
                }
            }

            GC.SuppressFinalize(this);
        }
    }
}
