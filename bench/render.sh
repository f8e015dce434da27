#!/bin/bash
# Render benchmark: `stowage render` on 1,000 InferenceServices (a third each S3, PVC and OCI,
# on the aml-vllm-0.11.2-cpu runtime, the S3 ones with the example Secret and ServiceAccount).
#
#   bench/render.sh [--count N] [--runs N] [--out FILE]
#
# Each run is one `stowage render -f DIR` process, JVM start included, output to /dev/null.
# Target (issue 5): 1,000 InferenceServices in under 5 seconds on this machine.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
ORIG_CMD="bench/render.sh${*:+ $*}"
COUNT=1000
RUNS=5
OUT=$BENCH_DIR/RESULTS-render.md
STOWAGE=${STOWAGE_BIN:-$ROOT/stowage-cli/target/stowage/bin/stowage}

usage() { sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while (($#)); do
    case $1 in
        --count) COUNT=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        -h|--help) usage 0 ;;
        *) echo "unknown option: $1" >&2; usage 2 ;;
    esac
done
[[ $COUNT =~ ^[1-9][0-9]*$ && $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "--count and --runs want positive integers" >&2; exit 2; }
[[ -x $STOWAGE ]] || { echo "no launcher at $STOWAGE: run ./mvnw -B -q package -DskipTests first" >&2; exit 2; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/stowage-render-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
IN=$WORK/in
mkdir -p "$IN"
cp "$ROOT/examples/runtimes/aml-vllm-0.11.2-cpu.yaml" "$IN/runtime.yaml"
cp "$ROOT/examples/s3/credentials.yaml" "$IN/credentials.yaml"

# One file of COUNT documents, made from the three examples with numbered names.
for ((i = 0; i < COUNT; i++)); do
    case $((i % 3)) in
        0) src=s3/inferenceservice.yaml; name=s3-demo ;;
        1) src=pvc/inferenceservice.yaml; name=pvc-demo-1 ;;
        2) src=oci/inferenceservice.yaml; name=oci-demo ;;
    esac
    echo "---"
    sed -e "s/name: $name\$/name: $name-$i/" -e '/^#/d' "$ROOT/examples/$src"
done >"$IN/inferenceservices.yaml"

# A warm-up run checks the output once: every InferenceService gives a Deployment.
"$STOWAGE" render -f "$IN" >"$WORK/out.yaml"
deployments=$(grep -c '^kind: Deployment$' "$WORK/out.yaml")
[[ $deployments == "$COUNT" ]] || { echo "expected $COUNT Deployments, got $deployments" >&2; exit 1; }
objects=$(grep -c '^---$' "$WORK/out.yaml")
bytes=$(wc -c <"$WORK/out.yaml")

walls=()
for ((r = 1; r <= RUNS; r++)); do
    /usr/bin/time -f '%e %U %S %M' -o "$WORK/time" "$STOWAGE" render -f "$IN" >/dev/null
    read -r wall user sys rss <"$WORK/time"
    walls+=("$wall")
    echo "run $r: wall ${wall}s, user ${user}s, sys ${sys}s, max RSS $((rss / 1024)) MiB" >&2
    printf '| %d | %s | %s | %s | %d |\n' "$r" "$wall" "$user" "$sys" $((rss / 1024)) >>"$WORK/rows"
done
median=$(printf '%s\n' "${walls[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
verdict=$(awk -v m="$median" 'BEGIN {print (m < 5.0) ? "**met**" : "**missed**"}')

{
    echo "# Render benchmark results"
    echo
    echo "- **Date:** $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- **Command:** \`$ORIG_CMD\`"
    echo "- **Machine:** $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM"
    echo "- **Load average at start:** $(cut -d' ' -f1-3 /proc/loadavg) (the machine is shared; see the user and sys columns)"
    echo "- **Versions:** $("$STOWAGE" --version 2>/dev/null | head -1), $(java -version 2>&1 | head -1)"
    echo "- **Input:** $COUNT InferenceServices in one file (a third each S3, PVC and OCI, copies of \`examples/\` with numbered names), the runtime \`aml-vllm-0.11.2-cpu\`, the S3 Secret and ServiceAccount"
    echo "- **Output:** $objects objects ($deployments Deployments, their Services and HPAs), $bytes bytes of YAML, to /dev/null"
    echo "- **Measured:** one \`stowage render -f DIR\` process per run, JVM start included (GNU time)"
    echo
    echo "| run | wall s | user s | sys s | max RSS MiB |"
    echo "|---|---|---|---|---|"
    cat "$WORK/rows"
    echo
    echo "Median wall time: **${median} s** for $COUNT InferenceServices; target < 5 s: $verdict."
} >"$OUT"
echo "wrote $OUT (median ${median}s)" >&2
