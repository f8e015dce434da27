#!/bin/bash
# OCI benchmark: `stowage pack` + push and `stowage pull` + extract of a ~2 GiB model, against
# umoci + skopeo (the engine-free tools people use today) and a plain parallel curl range reader.
#
#   bench/oci.sh [--runs N] [--quiet-wait SECONDS] [--out FILE]
#
# See bench/README.md for what is measured and the caveats. Everything talks to Debian's
# docker-registry on 127.0.0.1, started (and stopped) by this script, its storage on /dev/shm.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIB=$BENCH_DIR/lib
ORIG_CMD="bench/oci.sh${*:+ $*}"

# ---------------------------------------------------------------- options ---
RUNS=3
QUIET_WAIT=60      # max seconds to wait for an idle machine before each run
OUT=$BENCH_DIR/RESULTS-oci.md
STOWAGE=${STOWAGE_BIN:-$BENCH_DIR/../stowage-cli/target/stowage/bin/stowage}

usage() { sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit "${1:-0}"; }
while (($#)); do
    case $1 in
        --runs) RUNS=$2; shift 2 ;;
        --quiet-wait) QUIET_WAIT=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        -h|--help) usage 0 ;;
        *) echo "unknown option: $1" >&2; usage 2 ;;
    esac
done
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "--runs wants a positive integer" >&2; exit 2; }

LARGE_FILE=$((16 << 20))             # Stowage's default --large-file-size; the peer uses it too
CURL_SWEEP=(4x16 4x64 8x16 8x64)     # concurrency x range MiB, swept in round 1
SKOPEO_CACHE=/var/lib/containers/cache/blob-info-cache-v1.boltdb

RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
RESULTS_DIR=$BENCH_DIR/results
CSV=$RESULTS_DIR/oci-$RUN_ID.csv
META=$RESULTS_DIR/oci-$RUN_ID.meta.json
LOG=$RESULTS_DIR/oci-$RUN_ID.log

# Everything of this invocation lives on tmpfs and is removed on exit: model, registry storage,
# destinations, logs of the tools.
ROOT=/dev/shm/stowage-bench-oci.$$
SCRATCH=$ROOT/scratch
REGISTRY_PID=

# log, die, free_port, machine_cpu_ticks, wait_quiet, CLK_TCK
# shellcheck source=lib/common.sh
source "$LIB/common.sh"

cleanup() {
    local rc=$?
    stop_registry
    rm -rf "$ROOT"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------- deps ---
ensure_deps() {
    local need=()
    command -v docker-registry >/dev/null || need+=(docker-registry)
    command -v skopeo >/dev/null || need+=(skopeo)
    command -v umoci >/dev/null || need+=(umoci)
    [[ -x /usr/bin/time ]] || need+=(time)
    [[ -x /usr/bin/curl ]] || need+=(curl)
    [[ -x /usr/bin/python3 ]] || need+=(python3)
    command -v java >/dev/null || need+=(openjdk-17-jre-headless)
    if ((${#need[@]})); then
        log "installing missing packages: ${need[*]}"
        DEBIAN_FRONTEND=noninteractive apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
    fi
}

# Every tool runs under `env -i` with exactly this environment.
tool_env() {
    printf '%s\n' PATH=/usr/bin:/bin HOME="$SCRATCH/home" LANG=C.UTF-8
    [[ -n ${JAVA_HOME:-} ]] && printf '%s\n' "JAVA_HOME=$JAVA_HOME"
    return 0
}

# --------------------------------------------------------------- registry ---
# start_registry: a new docker-registry with empty storage on tmpfs, on a free loopback port.
start_registry() {
    stop_registry
    local dir=$ROOT/registry port i
    rm -rf "$dir"
    mkdir -p "$dir/storage"
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    cat >"$dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: $dir/storage
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:$port
  secret: stowage-bench
EOF
    docker-registry serve "$dir/config.yml" >"$SCRATCH/registry.log" 2>&1 &
    REGISTRY_PID=$!
    for ((i = 0; i < 100; i++)); do
        if [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/v2/" || true) == 200 ]]; then
            REGISTRY=127.0.0.1:$port
            return 0
        fi
        kill -0 "$REGISTRY_PID" 2>/dev/null || die "docker-registry exited: $(tail -5 "$SCRATCH/registry.log")"
        sleep 0.1
    done
    die "docker-registry did not answer on port $port"
}
stop_registry() {
    if [[ -n $REGISTRY_PID ]]; then
        kill "$REGISTRY_PID" 2>/dev/null && wait "$REGISTRY_PID" 2>/dev/null || true
        REGISTRY_PID=
    fi
}

# ------------------------------------------------------------ measurement ---
registry_cpu_ticks() { awk '{print $14 + $15}' "/proc/$REGISTRY_PID/stat"; }

CSV_HEADER=run_id,phase,tool,config,round,exit,wall_s,user_s,sys_s,cpu_s,maxrss_kib,tree_pss_peak_kib,registry_cpu_s,machine_cpu_s,bytes,loadavg1,verify

# measured PHASE TOOL CONFIG ROUND BYTES -- CMD...: runs CMD under measure.py, appends a CSV row;
# the verification result is appended by the caller through $VERIFY.
measured() {
    local phase=$1 tool=$2 cfg=$3 round=$4 nbytes=$5
    shift 6
    local json=$SCRATCH/measure.json rc=0 reg0 all0 reg_s all_s load
    local -a vars
    mapfile -t vars < <(tool_env)
    rm -f "$json"
    sync
    { echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null || true
    wait_quiet
    load=$(cut -d' ' -f1 /proc/loadavg)
    reg0=$(registry_cpu_ticks) all0=$(machine_cpu_ticks)
    /usr/bin/python3 "$LIB/measure.py" "$json" -- env -i "${vars[@]}" "$@" \
        >"$SCRATCH/tool.out" 2>&1 || rc=$?
    reg_s=$(awk -v a="$reg0" -v b="$(registry_cpu_ticks)" -v hz="$CLK_TCK" 'BEGIN{printf "%.2f", (b-a)/hz}')
    all_s=$(awk -v a="$all0" -v b="$(machine_cpu_ticks)" -v hz="$CLK_TCK" 'BEGIN{printf "%.2f", (b-a)/hz}')
    LAST_RC=$rc
    if ((rc != 0)); then
        log "  $phase $tool${cfg:+ [$cfg]} round $round FAILED (exit $rc): $(tail -c 600 "$SCRATCH/tool.out" | tr '\n' ' ')"
    fi
    ROW=$(/usr/bin/python3 - "$json" "$RUN_ID" "$phase" "$tool" "$cfg" "$round" "$rc" "$reg_s" "$all_s" "$nbytes" "$load" <<'EOF'
import json, sys
j, run_id, phase, tool, cfg, rnd, rc, reg_s, all_s, nbytes, load = sys.argv[1:]
try:
    m = json.load(open(j))
except (OSError, ValueError):
    m = {}
u, s = m.get("user_s", float("nan")), m.get("sys_s", float("nan"))
print(",".join(str(x) for x in [run_id, phase, tool, cfg, rnd, rc, m.get("wall_s", "nan"), u, s,
      round(u + s, 2), m.get("maxrss_kib", 0), m.get("tree_pss_peak_kib", 0), reg_s, all_s,
      nbytes, load]))
EOF
)
}
record() {   # record VERIFY: appends the last measured row with its verification result
    echo "$ROW,${1//,/;}" >>"$CSV"
    log "  $(echo "$ROW" | cut -d, -f2-5): wall $(echo "$ROW" | cut -d, -f7) s, cpu $(echo "$ROW" | cut -d, -f10) s, rss $(($(echo "$ROW" | cut -d, -f11) / 1024)) MiB, registry cpu $(echo "$ROW" | cut -d, -f13) s, load $(echo "$ROW" | cut -d, -f16); ${1:--}"
}

declare -A VERIFIED=()
verify_once() {   # verify_once KEY CMD... -> VRESULT, the result word; checked once per KEY
    local key=$1 out
    shift
    VRESULT=-
    if [[ $LAST_RC != 0 ]]; then VRESULT=fail; return; fi
    [[ -n ${VERIFIED[$key]:-} ]] && return
    if out=$("$@"); then VERIFIED[$key]=1; fi
    log "  verify $key: $out"
    VRESULT=${out%%:*}
}

# ------------------------------------------------------------------- runs ---
pack_stowage() {   # pack_stowage ROUND
    start_registry
    local dest=oci://$REGISTRY/bench/stowage:r$1
    measured pack stowage "" "$1" "$MODEL_BYTES" -- \
        "$STOWAGE_RUN" pack "$MODEL" "$dest" --base none --insecure
    # The pushed image is checked once by pulling it back with the peer tools.
    verify_once pack/stowage verify_pushed "docker://$REGISTRY/bench/stowage:r$1"
    record "$VRESULT"
}
pack_peer() {   # pack_peer ROUND
    start_registry
    rm -rf "$ROOT/layout" "$ROOT/layout.small"
    rm -f "$SKOPEO_CACHE"   # skopeo's blob cache would skip uploads it remembers from other runs
    measured pack umoci+skopeo "" "$1" "$MODEL_BYTES" -- \
        /bin/bash "$LIB/umoci_skopeo_push.sh" "$MODEL" "$ROOT/layout" \
        "docker://$REGISTRY/bench/umoci:r$1" "$LARGE_FILE"
    rm -rf "$ROOT/layout" "$ROOT/layout.small"
    verify_once pack/umoci+skopeo verify_pushed "docker://$REGISTRY/bench/umoci:r$1"
    record "$VRESULT"
}
verify_pushed() {   # verify_pushed DOCKER_REF: skopeo + umoci unpack, then compare with the model
    local d=$ROOT/verify
    rm -rf "$d"
    rm -f "$SKOPEO_CACHE"
    /bin/bash "$LIB/skopeo_umoci_pull.sh" "$1" "$d" >/dev/null 2>&1 || { echo "FAIL: cannot pull $1 back"; return 1; }
    /usr/bin/python3 "$LIB/dataset.py" verify "$ROOT/model.manifest.json" "$d/bundle/rootfs/models" --sha
    local rc=$?
    rm -rf "$d"
    return $rc
}

pull_stowage() {   # pull_stowage ROUND
    local dest=$ROOT/dest
    rm -rf "$dest"
    measured pull stowage "" "$1" "$BLOB_BYTES" -- \
        "$STOWAGE_RUN" pull "oci://$REGISTRY/bench/model@$DIGEST" "$dest" --insecure
    verify_once pull/stowage /usr/bin/python3 "$LIB/dataset.py" verify \
        "$ROOT/model.manifest.json" "$dest" --sha --allow-extra '.stowage-*'
    record "$VRESULT"
    rm -rf "$dest"
}
pull_peer() {   # pull_peer ROUND
    local dest=$ROOT/dest
    rm -rf "$dest"
    mkdir -p "$dest"
    rm -f "$SKOPEO_CACHE"
    measured pull skopeo+umoci "" "$1" "$BLOB_BYTES" -- \
        /bin/bash "$LIB/skopeo_umoci_pull.sh" "docker://$REGISTRY/bench/model@$DIGEST" "$dest"
    verify_once pull/skopeo+umoci /usr/bin/python3 "$LIB/dataset.py" verify \
        "$ROOT/model.manifest.json" "$dest/bundle/rootfs/models" --sha
    record "$VRESULT"
    rm -rf "$dest"
}
pull_curl() {   # pull_curl ROUND CONFIG
    local dest=$ROOT/dest c r
    read -r c r <<<"${2/x/ }"
    rm -rf "$dest"
    measured pull curl "$2" "$1" "$BLOB_BYTES" -- \
        /bin/bash "$LIB/curl_blobs.sh" "http://$REGISTRY" bench/model "$DIGEST" "$dest" "$c" "$r"
    verify_once "pull/curl/$2" /usr/bin/python3 "$LIB/dataset.py" verify-blobs "$dest"
    record "$VRESULT"
    rm -rf "$dest"
}
curl_best() {   # lowest wall of round 1's sweep -> "CxR"
    awk -F, '$2=="pull" && $3=="curl" && $5==1 && $6==0 {
        if (best=="" || $7<bw) {best=$4; bw=$7} } END {print (best == "" ? "8x64" : best)}' "$CSV"
}

# ------------------------------------------------------------------ main ---
mkdir -p "$RESULTS_DIR" "$SCRATCH/home"
: >"$LOG"
ensure_deps
log "run $RUN_ID: $ORIG_CMD"
[[ -x $STOWAGE ]] || die "Stowage launcher $STOWAGE not found (./mvnw -B -q package -DskipTests, or set STOWAGE_BIN)"

# Run Stowage from a copy of its distribution taken now, so that a rebuild of the tree during the
# benchmark cannot mix two versions into one result; the class-data archive is retrained for the
# copy (it records the jars' absolute paths).
cp -a "$(dirname "$(dirname "$STOWAGE")")" "$SCRATCH/stowage-dist"
STOWAGE_RUN=$SCRATCH/stowage-dist/bin/$(basename "$STOWAGE")
if [[ -f $SCRATCH/stowage-dist/lib/stowage.jsa ]]; then
    rm -f "$SCRATCH/stowage-dist/lib/stowage.jsa"
    env -i PATH=/usr/bin:/bin HOME="$SCRATCH" "$STOWAGE_RUN" quickstart --shards 1 --shard-size-mib 1 \
        --workdir "$SCRATCH/cds-training" --cds-archive "$SCRATCH/stowage-dist/lib/stowage.jsa" \
        >"$SCRATCH/cds-training.log" 2>&1 || log "class-data archive training failed; running without"
    rm -rf "$SCRATCH/cds-training"
fi

LOADAVG_START=$(cut -d' ' -f1-3 /proc/loadavg)
MODEL=$ROOT/model
log "generating the model in $MODEL (random, incompressible)"
/usr/bin/python3 "$LIB/dataset.py" gen-llm "$MODEL"
/usr/bin/python3 "$LIB/dataset.py" manifest "$MODEL" "$ROOT/model.manifest.json"
MODEL_BYTES=$(find "$MODEL" -type f -printf '%s\n' | awk '{n += $1} END {printf "%.0f", n}')
log "model: $(ls "$MODEL" | wc -l) files, $MODEL_BYTES bytes"
echo "$CSV_HEADER" >"$CSV"

# Pack + push: a new, empty registry before every run, so that nothing is already there; tool
# order alternates between rounds.
for ((round = 1; round <= RUNS; round++)); do
    log "pack round $round/$RUNS"
    if ((round % 2)); then pack_stowage $round; pack_peer $round; else pack_peer $round; pack_stowage $round; fi
done

# Pull + extract: one registry holding the image Stowage packed (uncompressed layers, one per
# shard), pulled by digest by every tool.
start_registry
PINNED=$(env -i $(tool_env) "$STOWAGE_RUN" pack "$MODEL" "oci://$REGISTRY/bench/model:v1" \
    --base none --insecure 2>"$SCRATCH/pack-for-pull.log") || die "pack for the pull phase failed"
DIGEST=${PINNED##*@}
BLOB_BYTES=$(curl -sf -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    "http://$REGISTRY/v2/bench/model/manifests/$DIGEST" |
    /usr/bin/python3 -c 'import json,sys; print(sum(l["size"] for l in json.load(sys.stdin)["layers"]))')
log "pull image: $PINNED, layers $BLOB_BYTES bytes"
tools=(stowage skopeo+umoci curl)
for ((round = 1; round <= RUNS; round++)); do
    log "pull round $round/$RUNS"
    for ((k = 0; k < ${#tools[@]}; k++)); do
        case ${tools[$(((k + round - 1) % ${#tools[@]}))]} in
            stowage) pull_stowage $round ;;
            skopeo+umoci) pull_peer $round ;;
            curl)
                if ((round == 1)); then
                    for c in "${CURL_SWEEP[@]}"; do pull_curl $round "$c"; done
                else
                    pull_curl $round "$(curl_best)"
                fi ;;
        esac
    done
done
stop_registry

# ---------------------------------------------------------------- report ---
/usr/bin/python3 "$LIB/meta.py" "$META" run_id="$RUN_ID" command="$ORIG_CMD" \
    loadavg_start="$LOADAVG_START" runs="$RUNS" model_bytes="$MODEL_BYTES" \
    blob_bytes="$BLOB_BYTES" pull_image="$PINNED" \
    "version:stowage='$STOWAGE_RUN' --version" \
    "version:docker-registry=dpkg-query -W -f='\${Version}' docker-registry" \
    "version:skopeo=skopeo --version" "version:umoci=umoci --version" \
    "version:curl=curl --version" "version:java=java -version 2>&1"
/usr/bin/python3 "$LIB/report_oci.py" "$CSV" "$META" "$OUT"
log "results: $OUT (raw: $CSV)"
