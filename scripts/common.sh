# Shared by run.sh and test.sh: install missing OS packages (Debian, as root) and check the .NET SDK.
# Everything prints to stderr so that stdout stays reserved for the MCP protocol in stdio mode.

log() { printf '[setup] %s\n' "$*" >&2; }

# apt_ensure PKG... : installs the Debian packages that are not installed yet.
apt_ensure() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    # As root apt runs directly; otherwise through sudo, for apt only (the rest stays the user's).
    local as=()
    if [ "$(id -u)" -ne 0 ]; then
        if ! command -v sudo >/dev/null 2>&1; then
            log "missing Debian packages: ${missing[*]} (run as root, or install them: apt-get install ${missing[*]})"
            return 1
        fi
        as=(sudo DEBIAN_FRONTEND=noninteractive)
    fi
    log "installing ${missing[*]}"
    if [ -z "${CONTREE_APT_UPDATED:-}" ]; then
        DEBIAN_FRONTEND=noninteractive "${as[@]}" apt-get update -qq >&2
        export CONTREE_APT_UPDATED=1
    fi
    DEBIAN_FRONTEND=noninteractive "${as[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# dotnet_ensure: the .NET 10 SDK is needed to build. Debian's own archive does not carry it; Microsoft's apt
# repository does (package dotnet-sdk-10.0), so try that when it is configured.
dotnet_ensure() {
    if command -v dotnet >/dev/null 2>&1 && dotnet --list-sdks 2>/dev/null | grep -q '^10\.'; then
        return 0
    fi
    if apt-cache policy dotnet-sdk-10.0 2>/dev/null | grep -q 'Candidate: [0-9]'; then
        apt_ensure dotnet-sdk-10.0
        return 0
    fi
    log "the .NET 10 SDK is required: install dotnet-sdk-10.0 (https://learn.microsoft.com/dotnet/core/install/linux-debian)"
    return 1
}

# Packages the local engine needs at run time: bubblewrap runs the sandboxes, util-linux provides setpriv and unshare,
# libseccomp2 compiles the sandbox's seccomp filter, slirp4netns and libnftables1 give runs their network
# (docs/network.md), iproute2 runs slirp4netns in another network namespace when one is configured.
ENGINE_PACKAGES=(bubblewrap util-linux libseccomp2 ca-certificates slirp4netns libnftables1 iproute2)

# The non-root account tests act as (a normal user installing and running the tool package; tests/Common/HostRequirements.cs).
TEST_USER=contree-test

# test_user_ensure: creates $TEST_USER (no password, no sudo) when running as root and it does not exist yet.
test_user_ensure() {
    [ "$(id -u)" -eq 0 ] || return 0
    id "$TEST_USER" >/dev/null 2>&1 && return 0
    log "creating the test account $TEST_USER"
    useradd --create-home --shell /bin/sh "$TEST_USER"
}

