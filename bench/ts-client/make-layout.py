#!/usr/bin/env python3
"""Writes a one-layer OCI image layout (host busybox and a few applet links) to the directory given, tag "1"."""
import hashlib
import io
import json
import os
import sys
import tarfile

root = sys.argv[1]
os.makedirs(f"{root}/blobs/sha256", exist_ok=True)
buf = io.BytesIO()
with tarfile.open(fileobj=buf, mode="w") as tar:
    for d in ["bin", "tmp", "root", "etc"]:
        info = tarfile.TarInfo(d)
        info.type, info.mode = tarfile.DIRTYPE, 0o755
        tar.addfile(info)
    tar.add("/bin/busybox", arcname="bin/busybox")
    for applet in ["sh", "head", "tr", "seq", "echo", "cat", "sleep"]:
        info = tarfile.TarInfo("bin/" + applet)
        info.type, info.linkname = tarfile.SYMTYPE, "busybox"
        tar.addfile(info)


def blob(data):
    digest = hashlib.sha256(data).hexdigest()
    with open(f"{root}/blobs/sha256/{digest}", "wb") as f:
        f.write(data)
    return "sha256:" + digest, len(data)


layer, layer_size = blob(buf.getvalue())
config, config_size = blob(json.dumps({"architecture": "amd64", "os": "linux", "config": {"Env": ["PATH=/bin"]},
                                       "rootfs": {"type": "layers", "diff_ids": [layer]}}).encode())
manifest, manifest_size = blob(json.dumps({
    "schemaVersion": 2, "mediaType": "application/vnd.oci.image.manifest.v1+json",
    "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": config, "size": config_size},
    "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": layer, "size": layer_size}]}).encode())
with open(f"{root}/index.json", "w") as f:
    json.dump({"schemaVersion": 2, "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": manifest,
               "size": manifest_size, "annotations": {"org.opencontainers.image.ref.name": "1"}}]}, f)
with open(f"{root}/oci-layout", "w") as f:
    f.write('{"imageLayoutVersion":"1.0.0"}')
