#!/bin/bash
# Parallel byte-range reader of an image's layer blobs built from plain curl: the "what can the
# registry deliver" reference of bench/oci.sh.
#
#   curl_blobs.sh REGISTRY_URL REPOSITORY MANIFEST_DIGEST DEST CONCURRENCY RANGE_MIB
#
# One GET of the manifest, then every layer blob is cut into RANGE_MIB byte ranges and all ranges
# go through one queue of CONCURRENCY curl processes (xargs -P). Each range lands in its own file
# DEST/<blob hex>.part-<16-digit start offset>; nothing is put together, verified or extracted.
set -euo pipefail
registry=$1 repo=$2 digest=$3 dest=$4 conc=$5 range_mib=$6
range=$((range_mib * 1024 * 1024))
mkdir -p "$dest"
manifest=$(curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "$registry/v2/$repo/manifests/$digest")
mapfile -t layers < <(/usr/bin/python3 -c '
import json, sys
for l in json.loads(sys.stdin.read())["layers"]:
    print(l["digest"], l["size"])' <<<"$manifest")
((${#layers[@]} > 0)) || { echo "curl_blobs: no layers in $digest" >&2; exit 1; }
jobs_file=$(mktemp)
trap 'rm -f "$jobs_file"' EXIT
for l in "${layers[@]}"; do
    read -r d size <<<"$l"
    start=0
    while ((start < size)); do
        end=$((start + range - 1))
        ((end >= size)) && end=$((size - 1))
        printf -- '-r %d-%d %s/v2/%s/blobs/%s -o %s/%s.part-%016d\n' \
            "$start" "$end" "$registry" "$repo" "$d" "$dest" "${d#sha256:}" "$start"
        start=$((end + 1))
    done
done >"$jobs_file"
xargs -P "$conc" -L 1 curl -sf <"$jobs_file"
