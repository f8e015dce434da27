#!/usr/bin/python3
"""Turn one s3-push.sh CSV (+ its meta JSON) into bench/RESULTS-push.md.

Usage: push_report.py RESULTS.csv RESULTS.meta.json OUT.md
"""

import csv
import json
import math
import statistics
import sys

MIB = 1 << 20
TARGETS = {"aws": 0.5, "rclone": 0.9, "rss_mib": 256}  # stowage wall <= x * peer wall
NAMES = {
    "stowage": "stowage push",
    "aws": "aws cli `s3 cp --recursive` (defaults: 8 MiB parts, 10 requests)",
    "rclone": "rclone copy, tuned",
}


def fmt(x, nd=2):
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{nd}f}"


def main(csv_path, meta_path, out_path):
    rows = list(csv.DictReader(open(csv_path)))
    meta = json.load(open(meta_path))
    by_tool = {}
    for r in rows:
        by_tool.setdefault(r["tool"], []).append(r)
    stats = {}
    for tool, rs in by_tool.items():
        ok = [r for r in rs if r["exit"] == "0" and r["verify"].startswith("OK")]
        if not ok:
            stats[tool] = None
            continue
        walls = [float(r["wall_s"]) for r in ok]
        nbytes = int(ok[0]["bytes"])
        wall = statistics.median(walls)
        stats[tool] = {
            "n": len(ok), "of": len(rs), "wall": wall, "min": min(walls), "max": max(walls),
            "mbps": nbytes / wall / 1e6, "bytes": nbytes,
            "cpu": statistics.median(float(r["cpu_s"]) for r in ok),
            "srv": statistics.median(float(r["server_cpu_s"]) for r in ok),
            "rss": max(int(r["maxrss_kib"]) for r in ok) / 1024,
            "machine": statistics.median(float(r["machine_cpu_s"]) for r in ok),
            "pss": max(int(r["tree_pss_peak_kib"]) for r in ok) / 1024,
        }
    out = []
    w = out.append
    w("# S3 push benchmark")
    w("")
    w(f"Produced by `{meta['command']}` (run `{meta['run_id']}`, {meta['date']}).")
    w("")
    w(f"Machine: {meta['nproc']} cores ({meta['cpu']}), {meta['mem']}, kernel {meta['kernel']}; "
      f"load average {meta['loadavg_start']} at start, {meta['loadavg_end']} at the end; "
      f"{meta['other_java_at_start']} other JVMs running at start.")
    w("")
    w("Data: the ~2 GiB model directory of `bench/s3-download.sh` (safetensors shards and small "
      "files), copied to tmpfs; S3Proxy's filesystem store on tmpfs; every push goes to a new, "
      "empty bucket on 127.0.0.1, and what landed is checked in the store (sha256 on each "
      "tool's first run, sizes after). Tools run in a rotated order each round.")
    w("")
    w(f"rclone flags: `{meta['rclone_flags']}`. Stowage: {meta['stowage_status']}.")
    w("")
    w("| tool | runs ok | median wall s | min–max s | MB/s | CPU s | server CPU s | peak RSS MiB | peak tree PSS MiB |")
    w("|---|---|---|---|---|---|---|---|---|")
    for tool in ["stowage", "aws", "rclone"]:
        s = stats.get(tool)
        if tool not in by_tool:
            continue
        if s is None:
            w(f"| {NAMES[tool]} | 0/{len(by_tool[tool])} | — | — | — | — | — | — | — |")
            continue
        w(f"| {NAMES[tool]} | {s['n']}/{s['of']} | {fmt(s['wall'])} | {fmt(s['min'])}–{fmt(s['max'])} "
          f"| {fmt(s['mbps'], 0)} | {fmt(s['cpu'], 1)} | {fmt(s['srv'], 1)} | {fmt(s['rss'], 0)} | {fmt(s['pss'], 0)} |")
    w("")
    st = stats.get("stowage")
    if st:
        w("| goal | target | measured | met |")
        w("|---|---|---|---|")
        for peer in ["aws", "rclone"]:
            p = stats.get(peer)
            if p:
                ratio = st["wall"] / p["wall"]
                w(f"| stowage wall ÷ {peer} wall (medians) | ≤ {TARGETS[peer]} | {ratio:.2f} "
                  f"| {'yes' if ratio <= TARGETS[peer] else 'no'} |")
        w(f"| stowage peak RSS | ≤ {TARGETS['rss_mib']} MiB | {st['rss']:.0f} MiB "
          f"| {'yes' if st['rss'] <= TARGETS['rss_mib'] else 'no'} |")
        w("")
    if st:
        busy = st["machine"] / (2 * st["wall"]) if meta["nproc"] == "2" else float("nan")
        w(f"Where the time goes: in Stowage's median run S3Proxy used {st['srv']:.1f} CPU s and "
          f"Stowage {st['cpu']:.1f}; the whole machine was {st['machine']:.1f} CPU s busy over "
          f"{st['wall']:.2f} s of wall time ({busy * 100:.0f} % of its {meta['nproc']} cores). The "
          "run is CPU-bound, and the server's share (MD5 of every body to check Content-MD5 and "
          "make the ETag, file writes) does not shrink with a faster client. Most of Stowage's "
          "own CPU is the MD5 of every byte for the signed Content-MD5 (the aws cli pays the same "
          "check); a client that sent no checksum would be faster and verify nothing.")
        w("")
    w("Versions: " + "; ".join(f"{k} `{v}`" for k, v in meta["versions"].items()) + ".")
    w("")
    w(f"Raw rows: `bench/results/{csv_path.rsplit('/', 1)[-1]}`.")
    open(out_path, "w").write("\n".join(out) + "\n")


if __name__ == "__main__":
    main(*sys.argv[1:4])
