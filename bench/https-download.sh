#!/bin/bash
# HTTPS single-file download benchmark: Stowage vs curl and wget, same nginx server on loopback.
#
#   bench/https-download.sh [--runs N] [--size-mib N] [--sink tmpfs|disk] [--cap RATE] [--out FILE]
#
# A 2 GiB random file is served by nginx over TLS (self-signed certificate, trusted by every
# client through its CA option) three times: on one port with byte ranges (the normal case), on
# another with `max_ranges 0` (a server without ranges), and on a third with ranges and a
# per-connection rate cap (`limit_rate`, default 100m = 100 MiB/s), as CDNs and object stores
# limit each connection. On loopback nothing else limits one stream but the CPU, so the capped
# server is where parallel ranges show what they do on a real network. Each round runs every
# tool once per server,
# caches dropped and the machine idle before each run. Median of N runs; Stowage's ratios to curl
# and wget are computed within the same run. Installs nginx-light, curl, wget and time if missing.
set -euo pipefail

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
LIB=$BENCH_DIR/lib
RUNS=5
SIZE_MIB=2048
SINK=tmpfs
OUT=$BENCH_DIR/RESULTS-https.md
CAP=100m
DATA_DIR=${STOWAGE_BENCH_DATA:-/var/tmp/stowage-bench-data}
STOWAGE=${STOWAGE_BIN:-$BENCH_DIR/../stowage-cli/target/stowage/bin/stowage}

while (($#)); do
    case $1 in
        --runs) RUNS=$2; shift 2 ;;
        --size-mib) SIZE_MIB=$2; shift 2 ;;
        --sink) SINK=$2; shift 2 ;;
        --cap) CAP=$2; shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        -h|--help) sed -n '2,14p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

need=()
command -v nginx >/dev/null || [[ -x /usr/sbin/nginx ]] || need+=(nginx-light)
command -v curl >/dev/null || need+=(curl)
command -v wget >/dev/null || need+=(wget)
[[ -x /usr/bin/time ]] || need+=(time)
command -v openssl >/dev/null || need+=(openssl)
if ((${#need[@]})); then
    log "installing ${need[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[[ -x $STOWAGE ]] || die "Stowage launcher $STOWAGE not found: build it (./mvnw -q package -DskipTests) or set STOWAGE_BIN"

case $SINK in
    tmpfs) SINK_ROOT=/dev/shm/stowage-https.$$ ;;
    disk) SINK_ROOT=/var/tmp/stowage-https.$$ ;;
    *) die "unknown sink $SINK" ;;
esac
SCRATCH=/var/tmp/stowage-https-scratch.$$
mkdir -p "$SCRATCH" "$SINK_ROOT" "$DATA_DIR"
NGINX_PID=
cleanup() {
    [[ -n $NGINX_PID ]] && kill "$NGINX_PID" 2>/dev/null || true
    rm -rf "$SCRATCH" "$SINK_ROOT"
}
trap cleanup EXIT

FILE=single-${SIZE_MIB}m.bin
if [[ ! -f $DATA_DIR/$FILE || ! -f $DATA_DIR/$FILE.sha256 ]]; then
    log "generating $FILE (${SIZE_MIB} MiB random)"
    head -c $((SIZE_MIB * 1024 * 1024)) /dev/urandom >"$DATA_DIR/$FILE.tmp"
    sha256sum "$DATA_DIR/$FILE.tmp" | cut -d' ' -f1 >"$DATA_DIR/$FILE.sha256"
    mv "$DATA_DIR/$FILE.tmp" "$DATA_DIR/$FILE"
fi
SHA=$(cat "$DATA_DIR/$FILE.sha256")

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
PORT=$(free_port)
PORT_NORANGE=$(free_port)
PORT_CAPPED=$(free_port)
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$SCRATCH/key.pem" -out "$SCRATCH/cert.pem" 2>/dev/null
mkdir -p "$SCRATCH/nginx/logs"
cat >"$SCRATCH/nginx.conf" <<EOF
worker_processes auto;
pid $SCRATCH/nginx.pid;
error_log $SCRATCH/nginx/logs/error.log warn;
daemon off;
events { worker_connections 256; }
http {
    access_log off;
    sendfile on;
    keepalive_requests 100000;
    ssl_certificate $SCRATCH/cert.pem;
    ssl_certificate_key $SCRATCH/key.pem;
    ssl_protocols TLSv1.2 TLSv1.3;
    default_type application/octet-stream;
    server { listen 127.0.0.1:$PORT ssl; root $DATA_DIR; }
    server { listen 127.0.0.1:$PORT_NORANGE ssl; root $DATA_DIR; max_ranges 0; }
    server { listen 127.0.0.1:$PORT_CAPPED ssl; root $DATA_DIR; limit_rate $CAP; }
}
EOF
"$NGINX" -p "$SCRATCH/nginx" -c "$SCRATCH/nginx.conf" &
NGINX_PID=$!
for _ in $(seq 1 50); do
    curl -sf --cacert "$SCRATCH/cert.pem" -o /dev/null -r 0-0 "https://127.0.0.1:$PORT/$FILE" && break
    sleep 0.1
done
curl -sf --cacert "$SCRATCH/cert.pem" -o /dev/null -r 0-0 "https://127.0.0.1:$PORT/$FILE" || die "nginx did not start"
log "nginx $("$NGINX" -v 2>&1 | cut -d/ -f2) on 127.0.0.1:$PORT (ranges), :$PORT_NORANGE (no ranges) and :$PORT_CAPPED (ranges, $CAP/s per connection), file $FILE"

CLK_TCK=$(getconf CLK_TCK)
machine_ticks() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
wait_quiet() {
    local waited=0 a b
    while ((waited < 60)); do
        a=$(machine_ticks); sleep 1; b=$(machine_ticks)
        (((b - a) * 100 < 15 * CLK_TCK)) && break
        waited=$((waited + 1))
    done
}
drop_caches() { sync; echo 3 >/proc/sys/vm/drop_caches 2>/dev/null || true; }

CSV=$SCRATCH/runs.csv
echo "server,tool,round,exit,wall_s,user_s,sys_s,maxrss_kib,verified" >"$CSV"
one_run() {   # server tool round
    local server=$1 tool=$2 round=$3 port dest rc=0 verified=-
    case $server in
        ranges) port=$PORT ;;
        noranges) port=$PORT_NORANGE ;;
        capped) port=$PORT_CAPPED ;;
    esac
    local url="https://127.0.0.1:$port/$FILE"
    dest=$SINK_ROOT/dest
    rm -rf "$dest"; mkdir -p "$dest"
    drop_caches; wait_quiet
    local -a cmd
    case $tool in
        stowage) cmd=(env -i PATH=/usr/bin:/bin HOME="$SCRATCH" REQUESTS_CA_BUNDLE="$SCRATCH/cert.pem"
                      "$STOWAGE" initialize "$url" "$dest") ;;
        curl) cmd=(env -i PATH=/usr/bin:/bin /usr/bin/curl -sS --fail --cacert "$SCRATCH/cert.pem"
                   -o "$dest/$FILE" "$url") ;;
        wget) cmd=(env -i PATH=/usr/bin:/bin /usr/bin/wget -q --ca-certificate="$SCRATCH/cert.pem"
                   -O "$dest/$FILE" "$url") ;;
    esac
    /usr/bin/python3 "$LIB/measure.py" "$SCRATCH/m.json" -- "${cmd[@]}" >"$SCRATCH/out.txt" 2>&1 || rc=$?
    if ((rc == 0)) && [[ $round == 1 ]]; then
        verified=$([[ $(sha256sum "$dest/$FILE" | cut -d' ' -f1) == "$SHA" ]] && echo OK || echo FAIL)
    fi
    ((rc == 0)) || log "  $server $tool round $round FAILED: $(tail -c 400 "$SCRATCH/out.txt" | tr '\n' ' ')"
    # Stowage logs retries and stalls as warnings: show them, they explain a slow run.
    [[ $tool == stowage ]] && grep -E ' (WARNING|ERROR) ' "$SCRATCH/out.txt" | head -5 | sed 's/^/    /' >&2 || true
    /usr/bin/python3 - "$SCRATCH/m.json" "$server" "$tool" "$round" "$rc" "$verified" >>"$CSV" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
print(",".join([sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5], str(m["wall_s"]), str(m["user_s"]), str(m["sys_s"]), str(m["maxrss_kib"]), sys.argv[6]]))
PY
    log "  $server $tool round $round: $(tail -n1 "$CSV" | cut -d, -f4-8)"
}

TOOLS=(stowage curl wget)
for round in $(seq 1 "$RUNS"); do
    log "round $round/$RUNS"
    for server in ranges noranges capped; do
        for i in 0 1 2; do
            one_run "$server" "${TOOLS[$(((i + round) % 3))]}" "$round"
        done
    done
done

mkdir -p "$BENCH_DIR/results"
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
cp "$CSV" "$BENCH_DIR/results/https-download-$STAMP.csv"
/usr/bin/python3 - "$CSV" "$OUT" "$SIZE_MIB" "$SINK" "$RUNS" "$STAMP" "$("$NGINX" -v 2>&1 | cut -d/ -f2)" \
    "$(curl --version | head -1 | cut -d' ' -f1-2)" "$(wget --version | head -1 | cut -d' ' -f1-3)" \
    "$("$STOWAGE" --version 2>/dev/null)" "$*" "$CAP" <<'PY'
import csv, statistics, sys, platform, os
path, out, size_mib, sink, runs, stamp, nginx, curl, wget, stowage, args, cap = sys.argv[1:13]
rows = list(csv.DictReader(open(path)))
gib = int(size_mib) / 1024
def med(server, tool, key):
    vals = [float(r[key]) for r in rows if r["server"] == server and r["tool"] == tool and r["exit"] == "0"]
    return statistics.median(vals) if vals else None
lines = ["# HTTPS single-file download benchmark", "",
         f"- **Date:** {stamp}",
         f"- **Command:** `bench/https-download.sh {args}`".replace(" `", " `").rstrip(),
         f"- **Machine:** {os.cpu_count()} cores, kernel {platform.release()}",
         f"- **Server:** nginx {nginx} with TLS on 127.0.0.1 (self-signed certificate; every client trusts it through its CA option), `sendfile on`, one port with byte ranges, one with `max_ranges 0`, one with byte ranges and `limit_rate {cap}` (bytes per second per connection)",
         f"- **Clients:** {stowage} (defaults), {curl} (one stream), {wget} (one stream)",
         f"- **File:** {size_mib} MiB of random bytes; sink: {sink}; page cache dropped and machine idle before each run; median of {runs} runs, tools rotated per round",
         ""]
for server, title in (("ranges", "Server with byte ranges"), ("noranges", "Server without ranges (`max_ranges 0`)"),
                      ("capped", f"Server with byte ranges and a per-connection cap (`limit_rate {cap}`)")):
    lines += [f"## {title}", "", "| tool | median wall s | MB/s | CPU s/GiB | peak RSS MiB | verified |", "|---|---|---|---|---|---|"]
    for tool in ("stowage", "curl", "wget"):
        w = med(server, tool, "wall_s")
        if w is None:
            lines.append(f"| {tool} | failed | | | | |"); continue
        cpu = (med(server, tool, "user_s") + med(server, tool, "sys_s")) / gib
        rss = med(server, tool, "maxrss_kib") / 1024
        ver = next((r["verified"] for r in rows if r["server"] == server and r["tool"] == tool and r["verified"] != "-"), "-")
        lines.append(f"| {tool} | {w:.2f} | {int(size_mib) * 1048576 / w / 1e6:.0f} | {cpu:.2f} | {rss:.0f} | {ver} |")
    s, c, g = (med(server, t, "wall_s") for t in ("stowage", "curl", "wget"))
    if s and c and g:
        target = " (target ≤ 0.6)" if server != "noranges" else ""
        lines += ["", f"Stowage time ÷ curl time: **{s / c:.2f}**{target}; ÷ wget time: **{s / g:.2f}**.", ""]
runs_txt = "; ".join(f"{r['server']}/{r['tool']}: {r['wall_s']}" for r in rows)
lines += ["All runs (wall s): " + runs_txt, "", f"Raw numbers: `bench/results/https-download-{stamp}.csv`."]
open(out, "w").write("\n".join(lines) + "\n")
PY
log "results: $OUT"
