#!/usr/bin/env bash
# Installs what the server needs (bubblewrap, libseccomp, as root via apt), builds it once, and starts contree-mcp.
# With no token configured it runs on the embedded local engine. Arguments are passed to contree-mcp,
# e.g. `./run.sh --mode http`. Build output goes to stderr: stdout carries the MCP protocol in stdio mode.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/common.sh
. "$here/scripts/common.sh"

apt_ensure "${ENGINE_PACKAGES[@]}"
dotnet_ensure

publish="$here/artifacts/publish/contree-mcp"
binary="$publish/contree-mcp"
# Rebuild when the binary is missing or any source or build setting is newer than it.
if [ ! -x "$binary" ] || [ -n "$(find "$here/src" "$here/Directory.Build.props" "$here/Directory.Packages.props" \
        -newer "$binary" -print -quit 2>/dev/null)" ]; then
    log "building contree-mcp (Release, ReadyToRun) into $publish"
    # ReadyToRun precompiles the server and its packages: about 100 ms less from start to the first MCP answer.
    case "$(uname -m)" in aarch64) rid=linux-arm64 ;; *) rid=linux-x64 ;; esac
    dotnet publish "$here/src/Contree.Server/Contree.Server.csproj" -c Release -r "$rid" --self-contained false \
        -p:PublishReadyToRun=true -o "$publish" --nologo -v quiet >&2
    touch "$binary"
fi

exec "$publish/contree-mcp" "$@"
