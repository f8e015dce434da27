#!/bin/bash
# S3 upload benchmark: `stowage push` vs. the aws cli and rclone, same data, same run.
#
#   bench/s3-push.sh [--runs N] [--tools stowage,aws,rclone] [--rclone-flags "FLAGS"]
#                    [--quiet-wait SECONDS] [--data-dir DIR] [--out FILE]
#
# The ~2 GiB model directory of bench/s3-download.sh is copied to tmpfs and pushed to an
# S3Proxy on 127.0.0.1 whose store is on tmpfs too, so neither the source disk nor the
# server's disk is what is measured. Every push goes to a fresh, empty bucket.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIB=$BENCH_DIR/lib
ORIG_CMD="bench/s3-push.sh${*:+ $*}"

RUNS=5
TOOLS=stowage,aws,rclone
# rclone tuned for a few large files: 4 files at once, 8 parts each in flight, 64 MiB parts
# (its defaults are 4 transfers x 4 parts of 5 MiB). Checksums stay on: rclone hashes each
# file (MD5) before it uploads, as Stowage does; both send verified content.
RCLONE_FLAGS="--transfers 4 --s3-upload-concurrency 8 --s3-chunk-size 64M"
QUIET_WAIT=120
DATA_DIR=${STOWAGE_BENCH_DATA:-/var/tmp/stowage-bench-data}
OUT=$BENCH_DIR/RESULTS-push.md
STOWAGE=${STOWAGE_BIN:-$BENCH_DIR/../stowage-cli/target/stowage/bin/stowage}

usage() { sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while (($#)); do
    case $1 in
        --runs) RUNS=$2; shift 2 ;;
        --tools) TOOLS=$2; shift 2 ;;
        --rclone-flags) RCLONE_FLAGS=$2; shift 2 ;;
        --quiet-wait) QUIET_WAIT=$2; shift 2 ;;
        --data-dir) DATA_DIR=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        -h|--help) usage 0 ;;
        *) echo "unknown option: $1" >&2; usage 2 ;;
    esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "--runs wants a positive integer" >&2; exit 2; }
IFS=, read -r -a TOOL_LIST <<<"$TOOLS"
for t in "${TOOL_LIST[@]}"; do
    [[ $t =~ ^(stowage|aws|rclone)$ ]] || { echo "unknown tool: $t" >&2; exit 2; }
done

PREFIX=models/llm
ACCESS_KEY=AKIDBENCH
SECRET_KEY=SECRETBENCH
REGION=us-east-1
S3PROXY_VERSION=4.1.0
S3PROXY_JAR=$HOME/.m2/repository/org/gaul/s3proxy/$S3PROXY_VERSION/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar

RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS_DIR=$BENCH_DIR/results
CSV=$RESULTS_DIR/s3-push-$RUN_ID.csv
META=$RESULTS_DIR/s3-push-$RUN_ID.meta.json
LOG=$RESULTS_DIR/s3-push-$RUN_ID.log

TMPFS_ROOT=/dev/shm/stowage-push-bench.$$
SCRATCH=/var/tmp/stowage-push-bench.$$
STORE=$TMPFS_ROOT/s3-store
SRC=$TMPFS_ROOT/src
SERVER_PID=

# log, die, free_port, machine_cpu_ticks, wait_quiet, CLK_TCK
# shellcheck source=lib/common.sh
source "$LIB/common.sh"

cleanup() {
    local rc=$?
    [[ -n $SERVER_PID ]] && { kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true; }
    rm -rf "$TMPFS_ROOT" "$SCRATCH"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_deps() {
    local need=()
    [[ -x /usr/bin/rclone ]] || need+=(rclone)
    [[ -x /usr/bin/aws ]] || need+=(awscli)
    [[ -x /usr/bin/python3 ]] || need+=(python3)
    [[ -x /usr/bin/time ]] || need+=(time)
    [[ -x /usr/bin/curl ]] || need+=(curl)
    command -v java >/dev/null || need+=(openjdk-17-jre-headless)
    if ((${#need[@]})); then
        log "installing missing packages: ${need[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
    fi
    if [[ ! -f $S3PROXY_JAR ]]; then
        log "fetching S3Proxy $S3PROXY_VERSION from Maven Central"
        mvn -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get \
            -Dartifact=org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies
    fi
    [[ -f $S3PROXY_JAR ]] || die "S3Proxy jar not found at $S3PROXY_JAR"
}

# Every tool runs under `env -i` with exactly this environment: the machine's AWS_CA_BUNDLE,
# SSL_CERT_FILE and REQUESTS_CA_BUNDLE are not inherited (rclone refuses to start with a bundle
# it cannot load), no pyenv shims on PATH, an empty HOME (no ~/.aws, no rclone.conf).
tool_env() {   # $1 = endpoint
    printf '%s\n' PATH=/usr/bin:/bin HOME="$SCRATCH/home" LANG=C.UTF-8 \
        AWS_ACCESS_KEY_ID=$ACCESS_KEY AWS_SECRET_ACCESS_KEY=$SECRET_KEY \
        AWS_DEFAULT_REGION=$REGION AWS_ENDPOINT_URL="$1" \
        RCLONE_CONFIG=/dev/null RCLONE_S3_PROVIDER=Other RCLONE_S3_ENDPOINT="$1" \
        RCLONE_S3_ACCESS_KEY_ID=$ACCESS_KEY RCLONE_S3_SECRET_ACCESS_KEY=$SECRET_KEY \
        RCLONE_S3_REGION=$REGION RCLONE_S3_FORCE_PATH_STYLE=true RCLONE_S3_ENV_AUTH=false
    [[ -n ${JAVA_HOME:-} ]] && printf '%s\n' "JAVA_HOME=$JAVA_HOME"
    return 0
}
run_env() {   # run_env CMD... (in the tools' environment)
    local -a vars
    mapfile -t vars < <(tool_env "$ENDPOINT")
    env -i "${vars[@]}" "$@"
}

start_s3proxy() {
    local port conf i
    port=$(free_port)
    conf=$SCRATCH/s3proxy.properties
    mkdir -p "$STORE"
    cat >"$conf" <<EOF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$ACCESS_KEY
s3proxy.credential=$SECRET_KEY
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem
jclouds.filesystem.basedir=$STORE
EOF
    # shellcheck disable=SC2086
    java ${S3PROXY_JAVA_OPTS:-} -jar "$S3PROXY_JAR" --properties "$conf" >"$SCRATCH/s3proxy.log" 2>&1 &
    SERVER_PID=$!
    for ((i = 0; i < 120; i++)); do
        if [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true) != 000 ]]; then
            ENDPOINT=http://127.0.0.1:$port
            log "S3Proxy $S3PROXY_VERSION up on $ENDPOINT (pid $SERVER_PID, store $STORE on tmpfs)"
            return 0
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || die "S3Proxy exited, see $SCRATCH/s3proxy.log"
        sleep 0.5
    done
    die "S3Proxy did not answer on port $port"
}

server_cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }

tool_cmd() {   # tool_cmd TOOL BUCKET -> the command, one word a line
    local tool=$1 bucket=$2
    case $tool in
        stowage) printf '%s\n' "$STOWAGE_RUN" push --progress none "$SRC" "s3://$bucket/$PREFIX" ;;
        aws) printf '%s\n' /usr/bin/aws --endpoint-url "$ENDPOINT" s3 cp --recursive \
                --only-show-errors "$SRC" "s3://$bucket/$PREFIX" ;;
        rclone)
            # shellcheck disable=SC2086
            printf '%s\n' /usr/bin/rclone copy "$SRC" ":s3:$bucket/$PREFIX" $RCLONE_FLAGS ;;
    esac
}

CSV_HEADER=run_id,tool,round,exit,wall_s,user_s,sys_s,cpu_s,maxrss_kib,tree_pss_peak_kib,server_cpu_s,machine_cpu_s,bytes,verify
declare -A VERIFIED=()

one_run() {   # one_run TOOL ROUND
    local tool=$1 round=$2 bucket json rc=0 verify=- srv0 all0 srv_s all_s
    bucket=push-$tool-$round
    run_env /usr/bin/aws --endpoint-url "$ENDPOINT" s3api create-bucket --bucket "$bucket" \
        >/dev/null || die "cannot create bucket $bucket"
    wait_quiet
    json=$SCRATCH/measure.json
    rm -f "$json"
    local -a cmd vars
    mapfile -t cmd < <(tool_cmd "$tool" "$bucket")
    mapfile -t vars < <(tool_env "$ENDPOINT")
    srv0=$(server_cpu_ticks) all0=$(machine_cpu_ticks)
    /usr/bin/python3 "$LIB/measure.py" "$json" -- env -i "${vars[@]}" "${cmd[@]}" \
        >"$SCRATCH/tool.out" 2>&1 || rc=$?
    srv_s=$(awk -v a="$srv0" -v b="$(server_cpu_ticks)" -v hz="$CLK_TCK" 'BEGIN{printf "%.2f", (b-a)/hz}')
    all_s=$(awk -v a="$all0" -v b="$(machine_cpu_ticks)" -v hz="$CLK_TCK" 'BEGIN{printf "%.2f", (b-a)/hz}')
    # S3Proxy's filesystem backend keeps each object as a file under STORE/BUCKET/KEY: what
    # landed is checked there (sha256 on each tool's first run, sizes after).
    local landed=$STORE/$bucket/$PREFIX bytes
    bytes=$(find "$landed" -type f -printf '%s\n' 2>/dev/null | awk '{n += $1} END {printf "%.0f", n + 0}')
    if ((rc != 0)); then
        log "  $tool round $round FAILED (exit $rc): $(tail -c 600 "$SCRATCH/tool.out" | tr '\n' ' ')"
        verify=fail
    else
        local vflags=()
        [[ -z ${VERIFIED[$tool]:-} ]] && vflags=(--sha)
        if verify=$(/usr/bin/python3 "$LIB/dataset.py" verify "$DATA_DIR/llm.manifest.json" "$landed" "${vflags[@]}"); then
            VERIFIED[$tool]=1
        fi
        [[ ${#vflags[@]} -gt 0 || $verify != OK* ]] && log "  verify $tool: $verify"
        verify=${verify%%:*}
    fi
    rm -rf "${STORE:?}/$bucket"
    /usr/bin/python3 - "$json" "$RUN_ID" "$tool" "$round" "$rc" "$srv_s" "$all_s" "$bytes" "$verify" >>"$CSV" <<'EOF'
import json, sys
j, run_id, tool, rnd, rc, srv_s, all_s, nbytes, verify = sys.argv[1:]
try:
    m = json.load(open(j))
except (OSError, ValueError):
    m = {}
u, s = m.get("user_s", float("nan")), m.get("sys_s", float("nan"))
print(",".join(str(x) for x in [run_id, tool, rnd, rc, m.get("wall_s", "nan"), u, s,
      round(u + s, 2), m.get("maxrss_kib", 0), m.get("tree_pss_peak_kib", 0), srv_s, all_s,
      nbytes, verify.replace(",", ";")]))
EOF
    log "  $tool round $round: $(tail -n1 "$CSV" | cut -d, -f4-12)"
}

# ------------------------------------------------------------------ main ---
mkdir -p "$RESULTS_DIR" "$TMPFS_ROOT" "$SCRATCH/home" "$DATA_DIR"
: >"$LOG"
ensure_deps
log "run $RUN_ID: $ORIG_CMD"
log "runs=$RUNS tools=$TOOLS rclone flags: $RCLONE_FLAGS"

STOWAGE_STATUS=present
if [[ " ${TOOL_LIST[*]} " == *" stowage "* && ! -x $STOWAGE ]]; then
    die "stowage launcher $STOWAGE not found (build it: ./mvnw -B -q package -DskipTests, or set STOWAGE_BIN)"
fi
# Run Stowage from a copy of its distribution taken now (a rebuild of the tree during the run
# cannot mix two versions), with its class-data archive retrained for the copy's paths.
STOWAGE_RUN=$STOWAGE
if [[ -x $STOWAGE && $(basename "$(dirname "$STOWAGE")") == bin ]]; then
    cp -a "$(dirname "$(dirname "$STOWAGE")")" "$SCRATCH/stowage-dist"
    STOWAGE_RUN=$SCRATCH/stowage-dist/bin/$(basename "$STOWAGE")
    STOWAGE_STATUS="run from a copy of $(dirname "$(dirname "$STOWAGE")") taken at start"
    if [[ -f $SCRATCH/stowage-dist/lib/stowage.jsa ]]; then
        rm -f "$SCRATCH/stowage-dist/lib/stowage.jsa"
        env -i PATH=/usr/bin:/bin HOME="$SCRATCH" "$STOWAGE_RUN" quickstart --shards 1 --shard-size-mib 1 \
            --workdir "$SCRATCH/cds-training" --cds-archive "$SCRATCH/stowage-dist/lib/stowage.jsa" \
            >"$SCRATCH/cds-training.log" 2>&1 || log "  class-data archive training failed; running without"
    fi
fi

if [[ ! -f $DATA_DIR/llm.manifest.json ]]; then
    log "generating ~2 GiB model directory in $DATA_DIR/llm (cached for later runs)"
    rm -rf "$DATA_DIR/llm"
    /usr/bin/python3 "$LIB/dataset.py" gen-llm "$DATA_DIR/llm"
    /usr/bin/python3 "$LIB/dataset.py" manifest "$DATA_DIR/llm" "$DATA_DIR/llm.manifest.json.tmp"
    mv "$DATA_DIR/llm.manifest.json.tmp" "$DATA_DIR/llm.manifest.json"
fi
cp -a "$DATA_DIR/llm" "$SRC"
log "source: $SRC on tmpfs ($(du -sh "$SRC" | cut -f1), $(find "$SRC" -type f | wc -l) files)"
LOADAVG_START=$(cut -d' ' -f1-3 /proc/loadavg)
OTHER_JAVA=$(pgrep -c -x java || true)

start_s3proxy
echo "$CSV_HEADER" >"$CSV"
n=${#TOOL_LIST[@]}
for ((round = 1; round <= RUNS; round++)); do
    log "round $round/$RUNS"
    for ((k = 0; k < n; k++)); do
        one_run "${TOOL_LIST[$(((k + round - 1) % n))]}" "$round"
    done
done

/usr/bin/python3 "$LIB/meta.py" "$META" run_id="$RUN_ID" command="$ORIG_CMD" \
    loadavg_start="$LOADAVG_START" other_java_at_start="$OTHER_JAVA" \
    rclone_flags="$RCLONE_FLAGS" stowage_status="$STOWAGE_STATUS" \
    "version:stowage=$STOWAGE_RUN --version 2>/dev/null" \
    "version:rclone=/usr/bin/rclone version" \
    "version:aws=env -u AWS_CA_BUNDLE /usr/bin/aws --version" \
    "version:java=java -version 2>&1" \
    "version:s3proxy=echo '$S3PROXY_VERSION (filesystem backend on tmpfs)'"
/usr/bin/python3 "$LIB/push_report.py" "$CSV" "$META" "$OUT"
log "results: $OUT (raw: $CSV)"
