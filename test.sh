#!/usr/bin/env bash
# Installs what the tests need (as root via apt when missing), checks formatting, builds, runs every test
# project and ends with one line: "N passed, N failed[, N skipped]" counted from the real TRX results.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"
# shellcheck source=scripts/common.sh
. "$here/scripts/common.sh"

# Runtime of the engine, plus the real components the tests use: Debian's OCI registry (docker-registry),
# htpasswd for its basic-auth configuration, busybox-static for test images, attr for xattr checks.
apt_ensure "${ENGINE_PACKAGES[@]}" docker-registry apache2-utils busybox-static attr gcc libc6-dev dnsmasq-base || exit 1
dotnet_ensure || exit 1
test_user_ensure || exit 1

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
configuration="${CONFIGURATION:-Release}"
results="$here/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

step() { printf '\n== %s\n' "$*"; }

step "restore"
dotnet restore Contree.slnx || { echo "0 passed, 1 failed"; exit 1; }

step "format check (whitespace; code style is enforced by the build)"
if ! dotnet format whitespace Contree.slnx --verify-no-changes -v quiet; then
    echo "formatting differs: run 'dotnet format Contree.slnx' and commit the result"
    echo "0 passed, 1 failed"
    exit 1
fi

step "build ($configuration)"
dotnet build Contree.slnx -c "$configuration" --no-restore -v quiet -nologo || { echo "0 passed, 1 failed"; exit 1; }

step "pack the tool package (docs/install.md; ToolPackageEndToEndTests installs it as $TEST_USER)"
rm -rf artifacts/packages
dotnet pack src/Contree.Server -c "$configuration" -o artifacts/packages --no-restore -v quiet -nologo || { echo "0 passed, 1 failed"; exit 1; }

step "test"
projects=(tests/Contree.Core.Tests tests/Contree.Client.Tests tests/Contree.Mcp.Tests tests/Contree.Engine.Tests tests/Contree.Server.Tests)
status=0
for project in "${projects[@]}"; do
    name="$(basename "$project")"
    step "$name"
    dotnet test --project "$project" -c "$configuration" --no-build \
        --report-trx --report-trx-filename "$name.trx" --results-directory "$results" || status=1
done

# Count from the TRX files; a project whose TRX is missing (crashed runner) counts as one failure.
passed=0 failed=0 skipped=0
for project in "${projects[@]}"; do
    trx="$results/$(basename "$project").trx"
    if [ ! -f "$trx" ]; then
        failed=$((failed + 1))
        continue
    fi
    counters="$(grep -o '<Counters [^>]*>' "$trx" | head -1)"
    get() { printf '%s' "$counters" | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*'; }
    total="$(get total)"; p="$(get passed)"; f="$(get failed)"
    passed=$((passed + ${p:-0}))
    failed=$((failed + ${f:-0}))
    skipped=$((skipped + ${total:-0} - ${p:-0} - ${f:-0}))
done
[ "$failed" -gt 0 ] && status=1

echo
if [ "$skipped" -gt 0 ]; then
    echo "$passed passed, $failed failed, $skipped skipped"
else
    echo "$passed passed, $failed failed"
fi
exit $status
