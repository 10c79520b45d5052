#!/bin/bash
# The floor of bench scenario 1: what one contree_run does with no service around it. Mount an overlay of the image's
# layer directories (topmost first, as the engine stacks them; userxattr like the engine) with a fresh upper/work,
# run the command in a bubblewrap sandbox with fresh namespaces, unmount, remove the run directory. The image's files
# belong to the engine's shifted id range, which this plain bwrap does not map, so the command starts in / (the image's
# /root is closed to an unmapped root); where it starts costs nothing measurable.
# Usage: floor.sh <run-dir> <lowerdir1:lowerdir2:...> <shell command>
set -euo pipefail
run=$1
lowers=$2
command=$3
mkdir -p "$run/upper" "$run/work" "$run/merged"
mount -t overlay overlay -o "lowerdir=$lowers,upperdir=$run/upper,workdir=$run/work,userxattr" "$run/merged"
# Lazy detach, as the engine does (MNT_DETACH): the sandbox's namespaces may still be going away when bwrap returns.
cleanup() { umount -l "$run/merged"; rm -rf "$run"; }
trap cleanup EXIT
bwrap --bind "$run/merged" / --proc /proc --dev /dev --unshare-all --die-with-parent --new-session --clearenv \
    --setenv PATH /usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --hostname linuxkit --chdir / \
    -- /bin/sh -c "$command"
