#!/usr/bin/python3
"""Run one command under GNU time and sample the memory of its process tree.

Usage: measure.py OUT_JSON -- CMD [ARGS...]

The authoritative numbers come from `/usr/bin/time -f '%e %U %S %M'`:
  wall seconds, user and system CPU seconds (the command plus every descendant
  that was waited for), and peak RSS in KiB. For a multi-process tool `%M` is
  the peak of the *largest single process* (getrusage(RUSAGE_CHILDREN)
  semantics), not the sum over the processes.

To cover that caveat this script also samples, every SAMPLE_INTERVAL seconds,
the sum of PSS (proportional set size, from /proc/PID/smaps_rollup; falls back
to RSS) over all live descendants of the time process, and records the peak
of that sum. Sampling can miss short spikes.

Writes a JSON object to OUT_JSON and exits with the command's exit status.
"""

import json
import os
import subprocess
import sys
import time

SAMPLE_INTERVAL = 0.2


def _children(pid):
    kids = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            try:
                with open(f"/proc/{pid}/task/{tid}/children") as f:
                    kids.extend(int(x) for x in f.read().split())
            except OSError:
                pass
    except OSError:
        pass
    return kids


def _descendants(pid):
    out, todo = [], _children(pid)
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(_children(p))
    return out


def _mem_kib(pid):
    """PSS in KiB (RSS if smaps_rollup is unavailable), 0 if the process is gone."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main(argv):
    if len(argv) < 4 or argv[2] != "--":
        print(__doc__, file=sys.stderr)
        return 2
    out_json, cmd = argv[1], argv[3:]
    time_file = out_json + ".time"
    t0 = time.monotonic()
    proc = subprocess.Popen(["/usr/bin/time", "-o", time_file,
                             "-f", "%e %U %S %M"] + cmd)
    peak_tree_kib = 0
    while proc.poll() is None:
        total = sum(_mem_kib(p) for p in _descendants(proc.pid))
        peak_tree_kib = max(peak_tree_kib, total)
        time.sleep(SAMPLE_INTERVAL)
    wall_mono = time.monotonic() - t0
    rc = proc.returncode

    wall = user = sys_ = float("nan")
    maxrss_kib = 0
    try:
        with open(time_file) as f:
            # GNU time prints "Command exited with non-zero status N" first
            # when the command fails; the format line is the last one.
            last = [l for l in f.read().splitlines() if l.strip()][-1]
        e, u, s, m = last.split()
        wall, user, sys_, maxrss_kib = float(e), float(u), float(s), int(m)
    except (OSError, IndexError, ValueError):
        pass
    result = {
        "exit": rc,
        "wall_s": wall,
        "wall_monotonic_s": round(wall_mono, 3),
        "user_s": user,
        "sys_s": sys_,
        "maxrss_kib": maxrss_kib,
        "tree_pss_peak_kib": peak_tree_kib,
    }
    with open(out_json, "w") as f:
        json.dump(result, f)
    try:
        os.unlink(time_file)
    except OSError:
        pass
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
