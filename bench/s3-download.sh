#!/bin/bash
# S3 download benchmark: Stowage vs. the peer tools KServe users reach for.
#
#   bench/s3-download.sh [--runs N] [--sinks tmpfs,disk] [--with-8g]
#                        [--tools stowage,rclone,aws,boto3,curl]
#                        [--quiet-wait SECONDS] [--data-dir DIR] [--out FILE]
#
# See bench/README.md for what is measured and the caveats. Everything talks
# to an S3Proxy on 127.0.0.1 started (and stopped) by this script.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIB=$BENCH_DIR/lib
ORIG_CMD="bench/s3-download.sh${*:+ $*}"

# ---------------------------------------------------------------- options ---
RUNS=5
SINKS=tmpfs,disk
TOOLS=stowage,rclone,aws,boto3,curl
WITH_8G=0
QUIET_WAIT=120     # max seconds to wait for an idle machine before each run
DATA_DIR=${STOWAGE_BENCH_DATA:-/var/tmp/stowage-bench-data}
OUT=$BENCH_DIR/RESULTS.md
STOWAGE=${STOWAGE_BIN:-$BENCH_DIR/../stowage-cli/target/stowage/bin/stowage}

usage() { sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while (($#)); do
    case $1 in
        --runs) RUNS=$2; shift 2 ;;
        --sinks) SINKS=$2; shift 2 ;;
        --tools) TOOLS=$2; shift 2 ;;
        --with-8g) WITH_8G=1; shift ;;
        --quiet-wait) QUIET_WAIT=$2; shift 2 ;;
        --data-dir) DATA_DIR=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        -h|--help) usage 0 ;;
        *) echo "unknown option: $1" >&2; usage 2 ;;
    esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "--runs wants a positive integer" >&2; exit 2; }
IFS=, read -r -a SINK_LIST <<<"$SINKS"
IFS=, read -r -a TOOL_LIST <<<"$TOOLS"
for s in "${SINK_LIST[@]}"; do
    [[ $s == tmpfs || $s == disk ]] || { echo "unknown sink: $s" >&2; exit 2; }
done
for t in "${TOOL_LIST[@]}"; do
    [[ $t =~ ^(stowage|rclone|aws|boto3|curl)$ ]] || { echo "unknown tool: $t" >&2; exit 2; }
done

# Fixed benchmark parameters.
BUCKET=bench
PREFIX=models/llm
BIG_PREFIX=big
BIG_KEY=big/model-8g.safetensors
BIG_MIB=8192
ACCESS_KEY=AKIDBENCH
SECRET_KEY=SECRETBENCH
REGION=us-east-1
CURL_SWEEP=(4x16 4x64 8x16 8x64)      # concurrency x range MiB
S3PROXY_VERSION=4.1.0
S3PROXY_JAR=$HOME/.m2/repository/org/gaul/s3proxy/$S3PROXY_VERSION/s3proxy-$S3PROXY_VERSION-jar-with-dependencies.jar

RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS_DIR=$BENCH_DIR/results
CSV=$RESULTS_DIR/s3-download-$RUN_ID.csv
META=$RESULTS_DIR/s3-download-$RUN_ID.meta.json
LOG=$RESULTS_DIR/s3-download-$RUN_ID.log

# Scratch space of this invocation, removed on exit.
TMPFS_ROOT=/dev/shm/stowage-bench.$$
DISK_ROOT=/var/tmp/stowage-bench.$$
SCRATCH=$DISK_ROOT/scratch       # logs of tools, measure JSON, fake HOME
SERVER_PIDS=()

# log, die, free_port, machine_cpu_ticks, wait_quiet, CLK_TCK
# shellcheck source=lib/common.sh
source "$LIB/common.sh"

cleanup() {
    local rc=$?
    for pid in "${SERVER_PIDS[@]}"; do
        kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
    done
    rm -rf "$TMPFS_ROOT" "$DISK_ROOT"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ----------------------------------------------------------- dependencies ---
ensure_deps() {
    local need=()
    [[ -x /usr/bin/rclone ]] || need+=(rclone)
    [[ -x /usr/bin/aws ]] || need+=(awscli)
    [[ -x /usr/bin/python3 ]] && /usr/bin/python3 -c 'import boto3' 2>/dev/null || need+=(python3-boto3)
    [[ -x /usr/bin/hyperfine ]] || need+=(hyperfine)
    [[ -x /usr/bin/time ]] || need+=(time)
    [[ -x /usr/bin/curl ]] || need+=(curl)
    command -v java >/dev/null || need+=(openjdk-17-jre-headless)
    if ((${#need[@]})); then
        log "installing missing packages: ${need[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
    fi
    if [[ ! -f $S3PROXY_JAR ]]; then
        command -v mvn >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq maven
        log "fetching S3Proxy $S3PROXY_VERSION from Maven Central"
        mvn -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:get \
            -Dartifact=org.gaul:s3proxy:$S3PROXY_VERSION:jar:jar-with-dependencies
    fi
    [[ -f $S3PROXY_JAR ]] || die "S3Proxy jar not found at $S3PROXY_JAR"
}

# ------------------------------------------------------------ environment ---
# Every tool runs under `env -i` with exactly this environment: no inherited
# AWS_CA_BUNDLE / SSL_CERT_FILE / REQUESTS_CA_BUNDLE, no pyenv shims on PATH,
# an empty HOME (so no ~/.aws or rclone.conf is read).
base_env() {
    printf '%s\n' PATH=/usr/bin:/bin HOME="$SCRATCH/home" LANG=C.UTF-8
    [[ -n ${JAVA_HOME:-} ]] && printf '%s\n' "JAVA_HOME=$JAVA_HOME"
    return 0
}
aws_env() {   # $1 = endpoint
    base_env
    printf '%s\n' AWS_ACCESS_KEY_ID=$ACCESS_KEY AWS_SECRET_ACCESS_KEY=$SECRET_KEY \
        AWS_DEFAULT_REGION=$REGION AWS_ENDPOINT_URL="$1"
}
rclone_env() {   # $1 = endpoint
    base_env
    printf '%s\n' RCLONE_CONFIG=/dev/null RCLONE_S3_PROVIDER=Other \
        RCLONE_S3_ENDPOINT="$1" RCLONE_S3_ACCESS_KEY_ID=$ACCESS_KEY \
        RCLONE_S3_SECRET_ACCESS_KEY=$SECRET_KEY RCLONE_S3_REGION=$REGION \
        RCLONE_S3_FORCE_PATH_STYLE=true RCLONE_S3_ENV_AUTH=false
}
curl_env() {   # $1 = endpoint (unused)
    base_env
    printf '%s\n' S3_ACCESS_KEY=$ACCESS_KEY S3_SECRET_KEY=$SECRET_KEY
}
run_env() {   # run_env ENV_FUNC ENDPOINT -- CMD...
    local f=$1 ep=$2; shift 3
    local -a vars
    mapfile -t vars < <("$f" "$ep")
    env -i "${vars[@]}" "$@"
}

# ---------------------------------------------------------------- S3Proxy ---
# start_s3proxy BASEDIR -> sets ENDPOINT, appends to SERVER_PIDS
start_s3proxy() {
    local basedir=$1 port conf pid i
    port=$(free_port)
    conf=$SCRATCH/s3proxy-$port.properties
    mkdir -p "$basedir"
    cat >"$conf" <<EOF
s3proxy.endpoint=http://127.0.0.1:$port
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity=$ACCESS_KEY
s3proxy.credential=$SECRET_KEY
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem
jclouds.filesystem.basedir=$basedir
EOF
    # shellcheck disable=SC2086
    java ${S3PROXY_JAVA_OPTS:-} -jar "$S3PROXY_JAR" --properties "$conf" \
        >"$SCRATCH/s3proxy-$port.log" 2>&1 &
    pid=$!
    SERVER_PIDS+=("$pid")
    for ((i = 0; i < 120; i++)); do
        if [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/" || true) != 000 ]]; then
            ENDPOINT=http://127.0.0.1:$port
            SERVER_PID=$pid
            log "S3Proxy $S3PROXY_VERSION up on $ENDPOINT (pid $pid, storage $basedir)"
            return 0
        fi
        kill -0 "$pid" 2>/dev/null || die "S3Proxy exited, see $SCRATCH/s3proxy-$port.log"
        sleep 0.5
    done
    die "S3Proxy did not answer on port $port"
}
stop_s3proxy() {
    kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
}

# Upload like a real client: aws cli, multipart with 8 MiB parts.
upload() {   # upload ENDPOINT SRC S3URI
    local cfg=$SCRATCH/aws-upload.config
    printf '[default]\ns3 =\n  multipart_threshold = 8MB\n  multipart_chunksize = 8MB\n' >"$cfg"
    run_env aws_env "$1" -- /usr/bin/aws --endpoint-url "$1" s3api create-bucket \
        --bucket $BUCKET >/dev/null 2>&1 || true
    run_env aws_env "$1" -- env AWS_CONFIG_FILE="$cfg" /usr/bin/aws --endpoint-url "$1" \
        s3 cp --recursive --only-show-errors "$2" "$3"
}

# ------------------------------------------------------------------ data ---
prepare_llm() {
    local d=$DATA_DIR/llm
    if [[ ! -f $DATA_DIR/llm.manifest.json ]]; then
        log "generating ~2 GiB model directory in $d (cached for later runs)"
        rm -rf "$d"
        /usr/bin/python3 "$LIB/dataset.py" gen-llm "$d"
        /usr/bin/python3 "$LIB/dataset.py" manifest "$d" "$DATA_DIR/llm.manifest.json.tmp"
        mv "$DATA_DIR/llm.manifest.json.tmp" "$DATA_DIR/llm.manifest.json"
    fi
    log "data set: $d ($(du -sh "$d" | cut -f1), $(ls "$d" | wc -l) files)"
}

# The 8 GiB object lives in a disk-backed S3Proxy store that is kept between
# runs: S3Proxy's filesystem backend needs 2x the object size while it
# completes a multipart upload, and 16 GiB of tmpfs does not fit next to the
# rest on a 24 GiB machine.
prepare_big() {
    local store=$DATA_DIR/s3-big-store
    if [[ -f $DATA_DIR/big.manifest.json && -f $store/.complete ]]; then
        log "reusing uploaded 8 GiB object in $store"
        start_s3proxy "$store"
        return
    fi
    rm -rf "$store" "$DATA_DIR/big"
    mkdir -p "$DATA_DIR/big"
    log "generating 8 GiB random object"
    /usr/bin/python3 "$LIB/dataset.py" gen-big "$DATA_DIR/big/${BIG_KEY#big/}" $BIG_MIB
    /usr/bin/python3 "$LIB/dataset.py" manifest "$DATA_DIR/big" "$DATA_DIR/big.manifest.json"
    start_s3proxy "$store"
    log "uploading $BIG_KEY (multipart, 8 MiB parts)"
    upload "$ENDPOINT" "$DATA_DIR/big" "s3://$BUCKET/$BIG_PREFIX"
    touch "$store/.complete"
    rm -rf "$DATA_DIR/big"      # the manifest keeps size + sha256
}

# ------------------------------------------------------------ measurement ---
DROP_CACHES=unknown
drop_caches() {
    sync
    if [[ $DROP_CACHES != no ]] && { echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null; then
        DROP_CACHES=yes
    else
        DROP_CACHES=no
    fi
}

sink_root() { [[ $1 == tmpfs ]] && echo "$TMPFS_ROOT" || echo "$DISK_ROOT"; }

# tool_cmd TOOL ENDPOINT S3PREFIX DEST [CONFIG]
# -> first line: the function that prints the tool's environment; then the
#    command, one word a line.
tool_cmd() {
    local tool=$1 ep=$2 pfx=$3 dest=$4 cfg=${5:-} c r
    case $tool in
        stowage)
            printf '%s\n' aws_env "$STOWAGE_RUN" initialize "s3://$BUCKET/$pfx" "$dest" ;;
        rclone)
            printf '%s\n' rclone_env /usr/bin/rclone copy ":s3:$BUCKET/$pfx" "$dest" \
                --transfers 16 --multi-thread-streams 8 ;;
        aws)
            printf '%s\n' aws_env /usr/bin/aws s3 cp --recursive --only-show-errors \
                --endpoint-url "$ep" "s3://$BUCKET/$pfx" "$dest" ;;
        boto3)
            printf '%s\n' aws_env /usr/bin/python3 "$BENCH_DIR/kserve_boto3_download.py" \
                "s3://$BUCKET/$pfx" "$dest" ;;
        curl)
            read -r c r <<<"${cfg/x/ }"
            printf '%s\n' curl_env /bin/bash "$LIB/curl_ranges.sh" "$ep" $BUCKET "$pfx" "$dest" "$c" "$r" ;;
    esac
}

CSV_HEADER=run_id,phase,sink,tool,config,round,exit,wall_s,user_s,sys_s,cpu_s,maxrss_kib,tree_pss_peak_kib,server_cpu_s,machine_cpu_s,sync_s,bytes,caches_dropped,verify
server_cpu_ticks() { awk '{print $14 + $15}' "/proc/$SERVER_PID/stat"; }
declare -A VERIFIED=()

# one_run PHASE SINK TOOL CONFIG ROUND ENDPOINT S3PREFIX MANIFEST -> CSV row
one_run() {
    local phase=$1 sink=$2 tool=$3 cfg=$4 round=$5 ep=$6 pfx=$7 manifest=$8
    local dest root json rc=0 sync_s verify=- bytes label=$tool srv0 srv_s all0 all_s
    [[ -n $cfg ]] && label="$tool [$cfg]"
    root=$(sink_root "$sink")
    dest=$root/dest
    rm -rf "$dest"
    mkdir -p "$dest"
    drop_caches
    wait_quiet
    json=$SCRATCH/measure.json
    rm -f "$json"
    local -a cmd
    mapfile -t cmd < <(tool_cmd "$tool" "$ep" "$pfx" "$dest" "$cfg")
    # The measured command is `env -i VARS... TOOL`: /usr/bin/time wraps env,
    # which execs the tool, so the numbers are the tool's own.
    local -a vars
    mapfile -t vars < <("${cmd[0]}" "$ep")
    srv0=$(server_cpu_ticks) all0=$(machine_cpu_ticks)
    /usr/bin/python3 "$LIB/measure.py" "$json" -- env -i "${vars[@]}" "${cmd[@]:1}" \
        >"$SCRATCH/tool.out" 2>&1 || rc=$?
    srv_s=$(awk -v a="$srv0" -v b="$(server_cpu_ticks)" -v hz="$CLK_TCK" 'BEGIN{printf "%.2f", (b-a)/hz}')
    all_s=$(awk -v a="$all0" -v b="$(machine_cpu_ticks)" -v hz="$CLK_TCK" 'BEGIN{printf "%.2f", (b-a)/hz}')
    local t0 t1
    t0=$(date +%s.%N); sync; t1=$(date +%s.%N)
    sync_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')
    bytes=$(find "$dest" -type f -printf '%s\n' | awk '{n += $1} END {printf "%.0f", n + 0}')
    if ((rc != 0)); then
        log "  $phase/$sink $label round $round FAILED (exit $rc): $(tail -c 600 "$SCRATCH/tool.out" | tr '\n' ' ')"
        verify=fail
    elif [[ -z ${VERIFIED[$phase/$sink/$tool]:-} ]]; then
        local vflags=(--sha)
        [[ $tool == curl ]] && vflags+=(--parts)
        # Stowage's own bookkeeping files are named in the result, not errors.
        [[ $tool == stowage ]] && vflags+=(--allow-extra '.stowage-*')
        if verify=$(/usr/bin/python3 "$LIB/dataset.py" verify "$manifest" "$dest" "${vflags[@]}"); then
            VERIFIED[$phase/$sink/$tool]=1
        fi
        log "  verify $phase/$sink/$tool: $verify"
        verify=${verify%%:*}
    fi
    rm -rf "$dest"
    /usr/bin/python3 - "$json" "$RUN_ID" "$phase" "$sink" "$tool" "$cfg" "$round" "$rc" \
        "$srv_s" "$all_s" "$sync_s" "$bytes" "$DROP_CACHES" "$verify" >>"$CSV" <<'EOF'
import json, sys
j, run_id, phase, sink, tool, cfg, rnd, rc, srv_s, all_s, sync_s, nbytes, dropped, verify = sys.argv[1:]
try:
    m = json.load(open(j))
except (OSError, ValueError):
    m = {}
u, s = m.get("user_s", float("nan")), m.get("sys_s", float("nan"))
print(",".join(str(x) for x in [run_id, phase, sink, tool, cfg, rnd, rc,
      m.get("wall_s", "nan"), u, s, round(u + s, 2), m.get("maxrss_kib", 0),
      m.get("tree_pss_peak_kib", 0), srv_s, all_s, sync_s, nbytes, dropped, verify.replace(",", ";")]))
EOF
    log "  $phase/$sink $label round $round: $(tail -n1 "$CSV" | cut -d, -f7-16)"
    return 0
}

# best curl configuration of a sink's first-round sweep (lowest wall) -> "CxR"
curl_best() {
    awk -F, -v s="$1" '$2=="main" && $3==s && $4=="curl" && $6==1 && $7==0 {
        if (best=="" || $8<bw) {best=$5; bw=$8} }
        END {print (best == "" ? "8x64" : best)}' "$CSV"
}

# ------------------------------------------------------------------ main ---
mkdir -p "$RESULTS_DIR" "$TMPFS_ROOT" "$DISK_ROOT" "$SCRATCH/home" "$DATA_DIR"
: >"$LOG"
ensure_deps
log "run $RUN_ID: $ORIG_CMD"
log "runs=$RUNS sinks=$SINKS tools=$TOOLS with_8g=$WITH_8G data=$DATA_DIR"

STOWAGE_STATUS=present
if [[ " ${TOOL_LIST[*]} " != *" stowage "* ]]; then
    STOWAGE_STATUS="not selected (--tools)"
elif [[ ! -x $STOWAGE ]]; then
    STOWAGE_STATUS="missing ($STOWAGE)"
    log "SKIP stowage: launcher $STOWAGE not found (build it or set STOWAGE_BIN)"
    TOOL_LIST=("${TOOL_LIST[@]/stowage}")
    read -r -a TOOL_LIST <<<"${TOOL_LIST[*]}"
fi
((${#TOOL_LIST[@]})) || die "no tool left to run"

# Run Stowage from a copy of its distribution taken now, so that a rebuild of
# the tree during the benchmark cannot mix two versions into one result.
STOWAGE_RUN=$STOWAGE
if [[ $STOWAGE_STATUS == present && $(basename "$(dirname "$STOWAGE")") == bin ]]; then
    cp -a "$(dirname "$(dirname "$STOWAGE")")" "$SCRATCH/stowage-dist"
    STOWAGE_RUN=$SCRATCH/stowage-dist/bin/$(basename "$STOWAGE")
    STOWAGE_STATUS="present (run from a copy of $(dirname "$(dirname "$STOWAGE")") taken at start)"
    # The JVM class-data archive records the jars' absolute paths, so a copy must train its own,
    # as an image build would (quickstart --cds-archive, the same step the Maven build runs).
    if [[ -f $SCRATCH/stowage-dist/lib/stowage.jsa ]]; then
        rm -f "$SCRATCH/stowage-dist/lib/stowage.jsa"
        log "training the copy's class-data archive"
        env -i PATH=/usr/bin:/bin HOME="$SCRATCH" "$STOWAGE_RUN" quickstart --shards 1 --shard-size-mib 1 \
            --workdir "$SCRATCH/cds-training" --cds-archive "$SCRATCH/stowage-dist/lib/stowage.jsa" \
            >"$SCRATCH/cds-training.log" 2>&1 || log "  class-data archive training failed (see $SCRATCH/cds-training.log); running without"
        STOWAGE_STATUS="$STOWAGE_STATUS, class-data archive retrained for the copy"
    fi
fi

drop_caches
log "drop_caches permitted: $DROP_CACHES"
LOADAVG_START=$(cut -d' ' -f1-3 /proc/loadavg)
OTHER_JAVA=$(pgrep -c -x java || true)   # other JVMs (e.g. another S3Proxy) competing for the 2 cores

prepare_llm
start_s3proxy "$TMPFS_ROOT/s3-store"
log "uploading $PREFIX (aws cli, multipart 8 MiB parts)"
upload "$ENDPOINT" "$DATA_DIR/llm" "s3://$BUCKET/$PREFIX"
echo "$CSV_HEADER" >"$CSV"

# Main phase: rounds x sinks x tools, tool order rotated every round.
n=${#TOOL_LIST[@]}
for ((round = 1; round <= RUNS; round++)); do
    log "round $round/$RUNS"
    for sink in "${SINK_LIST[@]}"; do
        for ((k = 0; k < n; k++)); do
            tool=${TOOL_LIST[$(((k + round - 1) % n))]}
            if [[ $tool == curl ]]; then
                if ((round == 1)); then
                    for c in "${CURL_SWEEP[@]}"; do
                        one_run main "$sink" curl "$c" "$round" "$ENDPOINT" "$PREFIX" \
                            "$DATA_DIR/llm.manifest.json"
                    done
                else
                    one_run main "$sink" curl "$(curl_best "$sink")" "$round" "$ENDPOINT" \
                        "$PREFIX" "$DATA_DIR/llm.manifest.json"
                fi
            else
                one_run main "$sink" "$tool" "" "$round" "$ENDPOINT" "$PREFIX" \
                    "$DATA_DIR/llm.manifest.json"
            fi
        done
    done
done
stop_s3proxy
rm -rf "$TMPFS_ROOT/s3-store"

# Memory phase: one 8 GiB object, disk sink, one run per tool (not curl).
if ((WITH_8G)); then
    log "8 GiB single-object phase"
    prepare_big
    for tool in "${TOOL_LIST[@]}"; do
        [[ $tool == curl ]] && continue
        one_run big8g disk "$tool" "" 1 "$ENDPOINT" "$BIG_PREFIX" "$DATA_DIR/big.manifest.json"
    done
    stop_s3proxy
fi

# ---------------------------------------------------------------- report ---
with_8g=false
((WITH_8G)) && with_8g=true
/usr/bin/python3 "$LIB/meta.py" "$META" run_id="$RUN_ID" command="$ORIG_CMD" \
    loadavg_start="$LOADAVG_START" other_java_at_start="$OTHER_JAVA" \
    stowage_bin="$STOWAGE" stowage_status="$STOWAGE_STATUS" runs="$RUNS" sinks="$SINKS" \
    tools="$TOOLS" with_8g="$with_8g" caches_dropped="$DROP_CACHES" \
    'sink_paths={"tmpfs": "/dev/shm/stowage-bench.PID/dest", "disk": "/var/tmp/stowage-bench.PID/dest"}' \
    "curl_sweep=concurrency {4,8} x range {16,64} MiB" \
    "version:rclone=/usr/bin/rclone version" \
    "version:aws=env -u AWS_CA_BUNDLE /usr/bin/aws --version" \
    "version:boto3=/usr/bin/python3 -c 'import boto3, botocore, sys; print(\"boto3\", boto3.__version__, \"botocore\", botocore.__version__, \"python\", sys.version.split()[0])'" \
    "version:curl=/usr/bin/curl --version" "version:java=java -version 2>&1" \
    "version:s3proxy=echo '$S3PROXY_VERSION (filesystem backend)'"
if [[ $STOWAGE_STATUS == present* ]]; then
    if meta_ver=$(timeout 60 "$STOWAGE_RUN" --version 2>/dev/null) && [[ -n $meta_ver ]]; then
        /usr/bin/python3 -c 'import json,sys; m=json.load(open(sys.argv[1])); m["versions"]["stowage"]=sys.argv[2]; json.dump(m, open(sys.argv[1],"w"), indent=1)' "$META" "${meta_ver%%$'\n'*}"
    fi
fi
/usr/bin/python3 "$LIB/report.py" "$CSV" "$META" "$OUT"
log "results: $OUT (raw: $CSV)"
