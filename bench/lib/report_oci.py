#!/usr/bin/python3
"""Turn one oci.sh CSV (+ its meta JSON) into bench/RESULTS-oci.md.

Usage: report_oci.py RESULTS.csv RESULTS.meta.json OUT.md

Ratios are computed per round (Stowage against the peer run in the same round, minutes apart on
the same machine) and reported as the median over the rounds with their spread (min-max); the
medians of the raw times are given too.
"""

import csv
import json
import math
import statistics
import sys

GIB = 1 << 30
TARGETS = {
    "pull_vs_peer": 0.25,   # stowage pull wall <= 0.25 x (skopeo copy + umoci unpack)
    "pull_vs_curl": 0.70,   # stowage pull MB/s >= 0.7 x curl range reader MB/s
    "pack_vs_peer": 0.50,   # stowage pack+push wall <= 0.5 x (umoci + skopeo copy)
    "rss_mib": 256,         # stowage peak RSS
}
NAMES = {
    ("pack", "stowage"): "stowage pack (uncompressed layers, --base none)",
    ("pack", "umoci+skopeo"): "umoci init/new/insert (gzip layers) + skopeo copy",
    ("pull", "stowage"): "stowage pull (verify + extract /models)",
    ("pull", "skopeo+umoci"): "skopeo copy to oci: layout + umoci unpack",
    ("pull", "curl"): "curl range reader (blobs only, no verify/extract)",
}


def f(x, nd=2):
    return "—" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{nd}f}"


def summarize(rows):
    ok = [r for r in rows if r["exit"] == "0"]
    if not ok:
        return None
    walls = [float(r["wall_s"]) for r in ok]
    nbytes = int(ok[0]["bytes"])
    wall = statistics.median(walls)
    other = [max(0.0, float(r["machine_cpu_s"]) - float(r["cpu_s"]) - float(r["registry_cpu_s"]))
             for r in ok]
    verify = [r["verify"] for r in rows if r["verify"] not in ("-", "")]
    return {
        "n_ok": len(ok), "n": len(rows), "wall": wall, "walls": walls,
        "mbps": nbytes / wall / 1e6,
        "cpu_gib": statistics.median(float(r["cpu_s"]) for r in ok) / (nbytes / GIB),
        "reg_gib": statistics.median(float(r["registry_cpu_s"]) for r in ok) / (nbytes / GIB),
        "rss": max(int(r["maxrss_kib"]) for r in ok) / 1024,
        "pss": max(int(r["tree_pss_peak_kib"]) for r in ok) / 1024,
        "other": statistics.median(other),
        "load": statistics.median(float(r["loadavg1"]) for r in ok),
        "verify": verify[0] if verify else "—",
    }


def per_round(rows, a, b, value):
    """value(row_a, row_b) for every round in which both ran successfully."""
    out = []
    for rnd in sorted({r["round"] for r in rows}, key=int):
        ra = [r for r in rows if r["round"] == rnd and r["tool"] == a and r["exit"] == "0"]
        rb = [r for r in rows if r["round"] == rnd and r["tool"] == b and r["exit"] == "0"]
        if ra and rb:
            out.append(value(ra[0], rb[-1]))
    return out


def verdict(v, target, higher=False):
    if v is None or math.isnan(v):
        return "not run"
    return "**met**" if (v >= target if higher else v <= target) else "**missed**"


def main(argv):
    csv_path, meta_path, out = argv[1:4]
    rows = list(csv.DictReader(open(csv_path)))
    meta = json.load(open(meta_path))
    L = []
    w = L.append
    w("# OCI benchmark results")
    w("")
    w(f"- **Date:** {meta['date']}")
    w(f"- **Command:** `{meta['command']}`")
    w(f"- **Machine:** {meta['nproc']} cores ({meta['cpu']}), {meta['mem']} RAM, kernel "
      f"{meta['kernel']}, {meta['os']}; load average at start {meta['loadavg_start']}, at end "
      f"{meta['loadavg_end']}. Whether anything else ran on the machine shows in the tables: the "
      "per-run 1-min load and the CPU the rest of the machine used during each run.")
    w("- **Versions:**")
    for k, v in meta["versions"].items():
        w(f"  - {k}: `{v}`")
    w(f"- **Data:** HF-LLM-shaped directory on /dev/shm: 6 small JSON files (tokenizer.json ≈ 7 MB) "
      f"+ 4 × 512 MiB random safetensors shards, {meta['model_bytes']} bytes. Registry: Debian's "
      "docker-registry on 127.0.0.1, storage on /dev/shm. Every destination on /dev/shm.")
    w(f"- **Runs:** {meta['runs']} rounds; medians reported, spread as min–max.")
    w("")
    w("Units: MB/s = 10^6 B/s of layer data (pull: the blobs' bytes, "
      f"{meta['blob_bytes']}; pack: the model's bytes). CPU = user + sys of the tool and all its "
      "children per GiB; registry CPU = what docker-registry spent during the run, per GiB; peak "
      "RSS = GNU time `%M` (largest single process); tree PSS = sampled peak of the whole process "
      "tree; other CPU = CPU seconds used by the rest of the machine during a run (noise gauge).")
    w("")

    for phase in ("pack", "pull"):
        prow = [r for r in rows if r["phase"] == phase]
        w(f"## {'Pack + push' if phase == 'pack' else 'Pull + extract'}")
        w("")
        w("| tool | ok runs | median wall s | min–max s | MB/s | CPU s/GiB | registry CPU s/GiB "
          "| peak RSS MiB | tree PSS MiB | median load | other CPU s | verified |")
        w("|---|---|---|---|---|---|---|---|---|---|---|---|")
        tools = ["stowage", "umoci+skopeo"] if phase == "pack" else ["stowage", "skopeo+umoci", "curl"]
        summ = {}
        for tool in tools:
            trows = [r for r in prow if r["tool"] == tool]
            label = NAMES[(phase, tool)]
            if tool == "curl":
                cfgs = {}
                for r in trows:
                    cfgs.setdefault(r["config"], []).append(r)
                sums = {c: summarize(rs) for c, rs in cfgs.items()}
                sums = {c: s for c, s in sums.items() if s}
                if not sums:
                    continue
                best = min(sums, key=lambda c: (-sums[c]["n_ok"], sums[c]["wall"]))
                summ["curl"] = sums[best]
                summ["curl_cfg"] = best
                summ["curl_sweep"] = sums
                c, rng = best.split("x")
                label += f", {c} parallel × {rng} MiB"
                trows = cfgs[best]
            s = summ.get(tool) or summarize(trows)
            summ[tool] = s
            if not s:
                w(f"| {label} | 0/{len(trows)} |" + " |" * 10)
                continue
            w(f"| {label} | {s['n_ok']}/{s['n']} | {f(s['wall'])} | {f(min(s['walls']))}–"
              f"{f(max(s['walls']))} | {f(s['mbps'], 0)} | {f(s['cpu_gib'])} | {f(s['reg_gib'])} | "
              f"{f(s['rss'], 0)} | {f(s['pss'], 0)} | {f(s['load'])} | {f(s['other'])} | "
              f"{s['verify']} |")
        w("")
        if "curl_sweep" in summ:
            w("curl sweep (round 1; later rounds repeat the fastest):")
            w("")
            w("| parallel × range | runs | median wall s | MB/s |")
            w("|---|---|---|---|")
            for c in sorted(summ["curl_sweep"], key=lambda x: tuple(int(y) for y in x.split("x"))):
                s = summ["curl_sweep"][c]
                a, b = c.split("x")
                w(f"| {a} × {b} MiB | {s['n_ok']} | {f(s['wall'])} | {f(s['mbps'], 0)} |")
            w("")
        st = summ.get("stowage")
        w("Stowage against the targets (ratio per round, same run; median and spread):")
        w("")
        w("| ratio | median | min–max | from medians | target | result |")
        w("|---|---|---|---|---|---|")

        def line(name, vals, from_medians, target, higher=False):
            med = statistics.median(vals) if vals else float("nan")
            spread = f"{f(min(vals))}–{f(max(vals))}" if vals else "—"
            sign = "≥" if higher else "≤"
            w(f"| {name} | {f(med)} | {spread} | {f(from_medians)} | {sign} {target} | "
              f"{verdict(med, target, higher)} |")

        wall = lambda r: float(r["wall_s"])
        if phase == "pack":
            peer = summ.get("umoci+skopeo")
            vals = per_round(prow, "stowage", "umoci+skopeo", lambda a, b: wall(a) / wall(b))
            line("stowage pack+push time / (umoci + skopeo copy) time", vals,
                 st["wall"] / peer["wall"] if st and peer else float("nan"), TARGETS["pack_vs_peer"])
        else:
            peer = summ.get("skopeo+umoci")
            vals = per_round(prow, "stowage", "skopeo+umoci", lambda a, b: wall(a) / wall(b))
            line("stowage pull time / (skopeo copy + umoci unpack) time", vals,
                 st["wall"] / peer["wall"] if st and peer else float("nan"), TARGETS["pull_vs_peer"])
            best = summ.get("curl_cfg")
            crow = [r for r in prow if r["tool"] != "curl" or r["config"] == best]
            vals = per_round(crow, "stowage", "curl", lambda a, b: wall(b) / wall(a))
            cu = summ.get("curl")
            line("stowage MB/s / curl range reader MB/s", vals,
                 st["mbps"] / cu["mbps"] if st and cu else float("nan"), TARGETS["pull_vs_curl"],
                 higher=True)
        rss = st["rss"] if st else float("nan")
        w(f"| stowage peak RSS MiB (max over runs) | {f(rss, 0)} | | | ≤ {TARGETS['rss_mib']} | "
          f"{verdict(rss, TARGETS['rss_mib'])} |")
        w("")
        runs = []
        for tool in tools:
            trows = [r for r in prow if r["tool"] == tool and r["exit"] == "0"
                     and (tool != "curl" or r["config"] == summ.get("curl_cfg"))]
            runs.append(f"{tool}: " + ", ".join(f"{float(r['wall_s']):.2f}" for r in trows))
        w("All runs (wall seconds, in round order): " + "; ".join(runs))
        w("")
    open(out, "w").write("\n".join(L) + "\n")


if __name__ == "__main__":
    main(sys.argv)
