#!/usr/bin/python3
"""Write a benchmark run's metadata: the machine's facts plus what the script passes.

Usage: meta.py OUT_JSON [KEY=VALUE ...] [version:NAME=SHELL_COMMAND ...]

Every benchmark records the same machine facts (date, cores, CPU, memory, kernel, OS, load
average at the end); KEY=VALUE adds a field (a value that parses as JSON is stored as such, other
values as strings), version:NAME=COMMAND records the first line COMMAND prints under "versions".
"""

import json
import platform
import subprocess
import sys


def sh(cmd):
    try:
        out = subprocess.run(cmd, shell=True, capture_output=True, text=True, timeout=30).stdout
        return out.strip().splitlines()[0]
    except Exception as e:  # a missing tool is a fact worth recording, not a failed benchmark
        return f"unknown ({e})"


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    meta = {
        "date": sh("date -u '+%Y-%m-%d %H:%M:%S UTC'"),
        "nproc": sh("nproc"),
        "cpu": sh("grep -m1 'model name' /proc/cpuinfo | cut -d: -f2-").strip(),
        "mem": sh("free -g | awk '/^Mem:/{print $2\" GiB\"}'"),
        "kernel": platform.release(),
        "os": sh(". /etc/os-release && echo $PRETTY_NAME"),
        "loadavg_end": sh("cut -d' ' -f1-3 /proc/loadavg"),
        "versions": {},
    }
    for arg in argv[2:]:
        key, _, value = arg.partition("=")
        if key.startswith("version:"):
            meta["versions"][key[len("version:"):]] = sh(value)
            continue
        try:
            meta[key] = json.loads(value)
        except ValueError:
            meta[key] = value
    with open(argv[1], "w") as f:
        json.dump(meta, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
