#!/bin/bash
# The peer of `stowage pull` in bench/oci.sh: copy the image to an OCI layout with skopeo, then
# unpack it with umoci; the model ends up in DEST/bundle/rootfs/models.
#
#   skopeo_umoci_pull.sh DOCKER_SRC DEST
set -euo pipefail
src=$1 dest=$2
mkdir -p "$dest"
skopeo copy -q --src-tls-verify=false "$src" "oci:$dest/layout:model"
umoci unpack --rootless --image "$dest/layout:model" "$dest/bundle" >/dev/null
