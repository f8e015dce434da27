# Shell functions the benchmark scripts share. Source it after setting LOG (the log file) and
# QUIET_WAIT (seconds to wait for an idle machine before a run).

CLK_TCK=$(getconf CLK_TCK)

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" | tee -a "$LOG" >&2; }
die() { log "ERROR: $*"; exit 1; }

free_port() {
    /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# busy ticks of the whole machine (user nice system irq softirq steal)
machine_cpu_ticks() { awk '/^cpu /{print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }

# Wait (at most QUIET_WAIT s) until the rest of the machine is idle: less than 15% of one core busy
# over a 1 s sample. The machine is shared (builds, other benchmarks); a run started under load
# measures the load.
wait_quiet() {
    local waited=0 a b
    while ((waited < QUIET_WAIT)); do
        a=$(machine_cpu_ticks); sleep 1; b=$(machine_cpu_ticks)
        (((b - a) * 100 < 15 * CLK_TCK)) && break
        waited=$((waited + 1))
    done
    if ((waited >= QUIET_WAIT && QUIET_WAIT > 0)); then
        log "  machine still busy after ${QUIET_WAIT}s, running anyway"
    elif ((waited > 0)); then
        log "  waited ${waited}s for the machine to go idle"
    fi
}
