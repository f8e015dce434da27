#!/bin/bash
# Parallel byte-range reader built from plain curl: the "what can the server
# deliver" ceiling for the S3 download benchmark.
#
#   curl_ranges.sh ENDPOINT BUCKET PREFIX DEST CONCURRENCY RANGE_MIB
#
# Lists BUCKET/PREFIX/ with one ListObjectsV2 request (no pagination: the
# benchmark prefixes hold < 1000 keys), splits every object into RANGE_MIB
# byte ranges and fetches all ranges of all objects through one queue with
# CONCURRENCY curl processes (xargs -P). Each range is written to its own file
# DEST/<relpath>.part-<16-digit start offset>; parts are not stitched together.
# Credentials: S3_ACCESS_KEY / S3_SECRET_KEY in the environment.
set -euo pipefail

endpoint=$1 bucket=$2 prefix=${3%/} dest=$4 conc=$5 range_mib=$6
: "${S3_ACCESS_KEY:?}" "${S3_SECRET_KEY:?}"
range=$((range_mib * 1024 * 1024))
sig=(--aws-sigv4 aws:amz:us-east-1:s3 --user "$S3_ACCESS_KEY:$S3_SECRET_KEY"
     -H x-amz-content-sha256:UNSIGNED-PAYLOAD)

# curl 7.88 does not percent-encode '/' in the query when it builds the
# canonical request, S3Proxy does: encode it ourselves or the signature fails.
listing=$(curl -sf "${sig[@]}" \
    "$endpoint/$bucket/?list-type=2&max-keys=1000&prefix=${prefix//\//%2F}%2F")
if [[ $listing == *"<IsTruncated>true</IsTruncated>"* ]]; then
    echo "curl_ranges: listing truncated, not supported" >&2; exit 1
fi
mapfile -t keys < <(grep -oP '<Key>\K[^<]+' <<<"$listing")
mapfile -t sizes < <(grep -oP '<Size>\K[0-9]+' <<<"$listing")
(( ${#keys[@]} > 0 && ${#keys[@]} == ${#sizes[@]} )) || {
    echo "curl_ranges: bad listing for $prefix" >&2; exit 1; }

mkdir -p "$dest"
jobs_file=$(mktemp)
trap 'rm -f "$jobs_file"' EXIT
for i in "${!keys[@]}"; do
    key=${keys[$i]} size=${sizes[$i]}
    [[ $key == */ ]] && continue
    rel=${key#"$prefix"/}
    if (( size == 0 )); then     # nothing to range-read: create it empty
        mkdir -p "$(dirname "$dest/$rel")"
        : >"$(printf '%s/%s.part-%016d' "$dest" "$rel" 0)"
        continue
    fi
    start=0
    while :; do
        end=$((start + range - 1))
        (( end >= size )) && end=$((size - 1))
        # one curl argument list per line; paths/keys contain no spaces
        printf -- '-r %d-%d %s/%s/%s -o %s/%s.part-%016d\n' \
            "$start" "$end" "$endpoint" "$bucket" "$key" "$dest" "$rel" "$start"
        start=$((end + 1))
        (( start >= size )) && break
    done
done >"$jobs_file"

xargs -P "$conc" -L 1 curl -sf --create-dirs "${sig[@]}" <"$jobs_file"
