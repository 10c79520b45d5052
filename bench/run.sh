#!/bin/bash
# The one benchmark command (issue 4): builds bench/Contree.Bench and contree-mcp in Release, then drives the real
# server over stdio with the MCP C# SDK client and prints the table; results go to bench/results/<yyyy-MM-dd>.json
# (and .md). Needs root (overlay mounts, cgroups) like the local engine itself. Takes about 2 minutes on 2 cores.
#
#   bench/run.sh                 all scenarios
#   bench/run.sh --quick         fewer repetitions and smaller images (a smoke test of the harness)
#   bench/run.sh --only 1,7      some scenarios (numbers as in docs/performance.md)
#   bench/run.sh --keep          keep the work directory (images, data directories) for inspection
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "$(id -u)" -ne 0 ]; then
    echo "bench/run.sh: the local engine needs root (overlay mounts, cgroups); run it as root" >&2
    exit 2
fi

# tool:package pairs from Debian; installed only when missing.
missing=()
for pair in bwrap:bubblewrap skopeo:skopeo umoci:umoci docker-registry:docker-registry slirp4netns:slirp4netns dnsmasq:dnsmasq-base ip:iproute2; do
    command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
[ -x /bin/busybox ] || missing+=(busybox-static)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

dotnet build bench/Contree.Bench -c Release -nologo -v quiet
# Measure the server users run: ./run.sh publishes it (Release, ReadyToRun) and prints its version.
./run.sh --version >/dev/null
exec dotnet artifacts/bin/Contree.Bench/release/contree-bench.dll --server artifacts/publish/contree-mcp/contree-mcp.dll \
    --out bench/results "$@"
