#!/bin/bash
# The peer of `stowage pack` in bench/oci.sh: build a modelcar image without a container engine
# the way people do it today, with umoci, and push it with skopeo.
#
#   umoci_skopeo_push.sh MODEL_DIR LAYOUT_DIR DOCKER_DEST LARGE_FILE_BYTES
#
# Same layer layout as Stowage's default: every file of at least LARGE_FILE_BYTES gets a layer of
# its own (`umoci insert FILE /models/FILE`), the smaller files share one layer (`umoci insert DIR
# /models`). umoci 0.4 always gzips the layers it writes. Then `skopeo copy oci:LAYOUT:model
# DOCKER_DEST` (plain HTTP). The model directory is flat (the benchmark's data set is).
set -euo pipefail
model=$1 layout=$2 dest=$3 large=$4
small=$layout.small
umoci init --layout "$layout"
umoci new --image "$layout:model"
mkdir -p "$small"
for f in "$model"/*; do
    if (($(stat -c %s "$f") < large)); then cp -p "$f" "$small/"; fi
done
umoci insert --image "$layout:model" "$small" /models
for f in "$model"/*; do
    if (($(stat -c %s "$f") >= large)); then
        umoci insert --image "$layout:model" "$f" "/models/$(basename "$f")"
    fi
done
skopeo copy -q --dest-tls-verify=false "oci:$layout:model" "$dest"
