#!/usr/bin/python3
"""Turn one s3-download.sh CSV (+ its meta JSON) into bench/RESULTS.md.

Usage: report.py RESULTS.csv RESULTS.meta.json OUT.md
"""

import csv
import json
import math
import os
import statistics
import sys

GIB = 1 << 30
MIB = 1 << 20

TARGETS = {  # the goals Stowage is held to; shown as they are
    "boto3": 0.45,     # stowage wall <= 0.45 x boto3-kserve wall
    "rclone": 0.75,    # stowage wall <= 0.75 x rclone-tuned wall
    "ceiling": 0.90,   # stowage throughput >= 0.9 x curl ceiling
    "rss_mib": 256,    # stowage peak RSS <= 256 MiB
}
TOOL_NAMES = {
    "stowage": "stowage",
    "rclone": "rclone tuned (16 transfers, 8 streams)",
    "aws": "aws cli v2 `s3 cp --recursive`",
    "boto3": "boto3 as KServe (Pool(4), default TransferConfig)",
    "curl": "curl range reader (ceiling)",
}
ORDER = ["stowage", "rclone", "aws", "boto3", "curl"]


def fnum(x, nd=2):
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    return f"{x:.{nd}f}"


def summarize(rows):
    ok = [r for r in rows if r["exit"] == "0"]
    if not ok:
        return None
    nbytes = int(ok[0]["bytes"])
    wall = statistics.median(float(r["wall_s"]) for r in ok)
    cpu = statistics.median(float(r["cpu_s"]) for r in ok)
    sync = statistics.median(float(r["sync_s"]) for r in ok)
    wall_sync = statistics.median(float(r["wall_s"]) + float(r["sync_s"]) for r in ok)
    srv = statistics.median(float(r["server_cpu_s"]) for r in ok)
    # CPU used by anything other than this tool and the server during the
    # run (other work on the machine, the harness's sampler): a noise gauge.
    other = [max(0.0, float(r["machine_cpu_s"]) - float(r["cpu_s"])
                 - float(r["server_cpu_s"])) for r in ok if "machine_cpu_s" in r]
    verify = [r["verify"] for r in rows if r["verify"] not in ("-", "")]
    return {
        "n_ok": len(ok), "n": len(rows), "bytes": nbytes, "wall": wall,
        "walls": [float(r["wall_s"]) for r in ok],
        "mbps": nbytes / wall / 1e6 if wall > 0 else float("nan"),
        "cpu_per_gib": cpu / (nbytes / GIB),
        "srv_per_gib": srv / (nbytes / GIB),
        "other_cpu": statistics.median(other) if other else float("nan"),
        "rss_mib": max(int(r["maxrss_kib"]) for r in ok) / 1024,
        "pss_mib": max(int(r["tree_pss_peak_kib"]) for r in ok) / 1024,
        "sync": sync,
        "wall_sync": wall_sync,
        "verify": verify[0] if verify else "—",
    }


def verdict(value, target, higher_is_better=False):
    if value is None or math.isnan(value):
        return "not run"
    good = value >= target if higher_is_better else value <= target
    return "**met**" if good else "**missed**"


def main(argv):
    csv_path, meta_path, out = argv[1:4]
    rows = list(csv.DictReader(open(csv_path)))
    meta = json.load(open(meta_path))
    L = []
    w = L.append

    w("# S3 download benchmark results")
    w("")
    w(f"- **Date:** {meta['date']}")
    w(f"- **Command:** `{meta['command']}`")
    w(f"- **Machine:** {meta['nproc']} cores ({meta['cpu']}), {meta['mem']} RAM, "
      f"kernel {meta['kernel']}, {meta['os']}")
    w(f"- **Other load:** load average at start {meta['loadavg_start']}, at end "
      f"{meta.get('loadavg_end', '?')}; other JVMs running at start: "
      f"{meta.get('other_java_at_start', '?')}")
    w("- **Versions:**")
    for k, v in meta["versions"].items():
        w(f"  - {k}: `{v}`")
    w(f"- **Stowage launcher:** `{meta['stowage_bin']}` — {meta['stowage_status']}")
    w(f"- **Page caches dropped between runs** (`sync; echo 3 > /proc/sys/vm/drop_caches`): "
      f"{meta['caches_dropped']}")
    w(f"- **Sinks:** {meta['sinks']} (tmpfs = `{meta['sink_paths']['tmpfs']}`, "
      f"disk = `{meta['sink_paths']['disk']}` on the real disk)")
    w(f"- **Runs per tool and sink:** {meta['runs']} (median reported; tool order rotated each round)")
    w("- **Data:** HF-LLM-shaped directory `s3://bench/models/llm`: 6 small JSON files "
      "(tokenizer.json ≈ 7 MB) + 4 × 512 MiB random safetensors shards, uploaded with "
      "aws cli multipart (8 MiB parts) to S3Proxy on 127.0.0.1 (filesystem backend on /dev/shm)")
    w("")
    w("Units: MB/s = 10^6 bytes/s. CPU = user + sys seconds of the tool and all of its "
      "waited-for children, per GiB downloaded. Peak RSS = GNU time `%M` (largest single "
      "process); tree PSS = sampled (5 Hz) peak of the summed PSS of the whole process tree. "
      "Server CPU = user + sys seconds S3Proxy spent during the run, per GiB. Other CPU = "
      "median CPU seconds the rest of the machine used during a run (machine busy time from "
      "/proc/stat minus tool and server; includes kernel writeback threads on the disk sink "
      "and the harness's 5 Hz sampler): a noise gauge, ideally near 0.")
    try:
        load1 = float(meta["loadavg_start"].split()[0])
    except (KeyError, ValueError, IndexError):
        load1 = 0.0
    if load1 > 1.0:
        w("")
        w(f"**Note:** the 1-min load average at start was {load1} (> 1): something was "
          "running just before (possibly an earlier benchmark, or other work on the "
          "machine). Check the other-CPU column; low values mean the runs themselves "
          "were undisturbed.")
    w("")

    stowage_missing = not meta["stowage_status"].startswith("present")
    main_rows = [r for r in rows if r["phase"] == "main"]
    sinks = [s for s in meta["sinks"].split(",") if any(r["sink"] == s for r in main_rows)]
    for sink in sinks:
        srows = [r for r in main_rows if r["sink"] == sink]
        w(f"## Sink: {sink}")
        w("")
        summ = {}
        for tool in ORDER:
            trows = [r for r in srows if r["tool"] == tool]
            if tool == "curl" and trows:
                # best configuration = lowest median wall
                by_cfg = {}
                for r in trows:
                    by_cfg.setdefault(r["config"], []).append(r)
                cfgs = {c: summarize(rs) for c, rs in by_cfg.items()}
                cfgs = {c: s for c, s in cfgs.items() if s}
                if cfgs:
                    # the configuration the later rounds repeated (most runs);
                    # with one round, the fastest of the sweep
                    best = min(cfgs, key=lambda c: (-cfgs[c]["n_ok"], cfgs[c]["wall"]))
                    vs = [r["verify"] for r in trows if r["verify"] not in ("-", "")]
                    summ["curl"] = dict(cfgs[best], config=best,
                                        verify=vs[0] if vs else "—")
                    summ["curl_sweep"] = cfgs
            elif trows:
                summ[tool] = summarize(trows)
        ceiling = summ.get("curl")
        w("| tool | ok runs | median wall s | MB/s | × curl ceiling | CPU s/GiB | server CPU s/GiB "
          "| peak RSS MiB | tree PSS MiB |"
          + (" median sync s after exit | median wall+sync s |" if sink == "disk" else "")
          + " other CPU s | verified |")
        w("|---|---|---|---|---|---|---|---|---|" + ("---|---|" if sink == "disk" else "") + "---|---|")
        for tool in ORDER:
            name = TOOL_NAMES[tool]
            s = summ.get(tool)
            if tool == "curl" and s:
                c, r = s["config"].split("x")
                name += f", best: {c} parallel × {r} MiB ranges"
            if s is None:
                if tool == "stowage" and stowage_missing:
                    w(f"| {name} | not run: {meta['stowage_status']} |" + " |" * (11 if sink == "disk" else 9))
                continue
            rel = s["mbps"] / ceiling["mbps"] if ceiling else float("nan")
            w(f"| {name} | {s['n_ok']}/{s['n']} | {fnum(s['wall'])} | {fnum(s['mbps'], 0)} | "
              f"{fnum(rel)} | {fnum(s['cpu_per_gib'])} | {fnum(s['srv_per_gib'])} | "
              f"{fnum(s['rss_mib'], 0)} | "
              f"{fnum(s['pss_mib'], 0)} |"
              + (f" {fnum(s['sync'])} | {fnum(s['wall_sync'])} |" if sink == "disk" else "")
              + f" {fnum(s['other_cpu'])} | {s['verify']} |")
        w("")
        if "curl_sweep" in summ:
            w("curl ceiling sweep (first round; later rounds repeat the best configuration):")
            w("")
            w("| parallel × range | runs | median wall s | MB/s | CPU s/GiB |")
            w("|---|---|---|---|---|")
            for cfg in sorted(summ["curl_sweep"], key=lambda c: tuple(int(x) for x in c.split("x"))):
                s = summ["curl_sweep"][cfg]
                c, r = cfg.split("x")
                w(f"| {c} × {r} MiB | {s['n_ok']} | {fnum(s['wall'])} | {fnum(s['mbps'], 0)} | "
                  f"{fnum(s['cpu_per_gib'])} |")
            w("")
        st = summ.get("stowage")

        def ratio(tool):
            if not st or tool not in summ:
                return float("nan")
            return st["wall"] / summ[tool]["wall"]

        cr = st["mbps"] / ceiling["mbps"] if st and ceiling else float("nan")
        rss = st["rss_mib"] if st else float("nan")
        w("Stowage against the targets:")
        w("")
        w("| ratio | value | target | result |")
        w("|---|---|---|---|")
        w(f"| stowage time / boto3-kserve time | {fnum(ratio('boto3'))} | ≤ {TARGETS['boto3']} | "
          f"{verdict(ratio('boto3'), TARGETS['boto3'])} |")
        w(f"| stowage time / rclone-tuned time | {fnum(ratio('rclone'))} | ≤ {TARGETS['rclone']} | "
          f"{verdict(ratio('rclone'), TARGETS['rclone'])} |")
        w(f"| stowage time / aws-cli time | {fnum(ratio('aws'))} | (none) | "
          f"{'not run' if math.isnan(ratio('aws')) else '—'} |")
        if sink == "disk":
            def ratio_ws(tool):
                if not st or tool not in summ:
                    return float("nan")
                return st["wall_sync"] / summ[tool]["wall_sync"]
            for tool, label in (("boto3", "boto3-kserve"), ("rclone", "rclone-tuned")):
                w(f"| same, wall + sync: stowage / {label} | {fnum(ratio_ws(tool))} | "
                  f"≤ {TARGETS[tool]} | {verdict(ratio_ws(tool), TARGETS[tool])} |")
        w(f"| stowage MB/s / curl ceiling MB/s | {fnum(cr)} | ≥ {TARGETS['ceiling']} | "
          f"{verdict(cr, TARGETS['ceiling'], True)} |")
        w(f"| stowage peak RSS MiB | {fnum(rss, 0)} | ≤ {TARGETS['rss_mib']} | "
          f"{verdict(rss, TARGETS['rss_mib'])} |")
        w("")
        w("All runs (wall seconds): " + "; ".join(
            f"{t}{' [' + summ[t]['config'] + ']' if t == 'curl' else ''}: "
            + ", ".join(fnum(x) for x in summ[t]["walls"])
            for t in ORDER if t in summ))
        w("")

    big = [r for r in rows if r["phase"] == "big8g"]
    w("## Single 8 GiB object (memory test)")
    w("")
    if not meta.get("with_8g"):
        w("Not run (pass `--with-8g`).")
    else:
        w("`s3://bench/big/model-8g.safetensors`, one run per tool, disk sink. The server "
          "store for this object is on the real disk (`/var/tmp`), because S3Proxy's "
          "filesystem backend holds parts + assembled object (2 × 8 GiB) while completing "
          "the multipart upload, which does not fit in tmpfs next to the rest; so the "
          "throughput here is not comparable with the tables above — the point is memory.")
        w("")
        w("| tool | wall s | MB/s | CPU s/GiB | peak RSS MiB | tree PSS MiB | verified | RSS target |")
        w("|---|---|---|---|---|---|---|---|")
        for tool in ORDER:
            s = summarize([r for r in big if r["tool"] == tool])
            if s is None:
                if tool == "stowage" and stowage_missing:
                    w(f"| {TOOL_NAMES[tool]} | not run: {meta['stowage_status']} | | | | | | |")
                elif any(r["tool"] == tool for r in big):
                    w(f"| {TOOL_NAMES[tool]} | failed | | | | | | |")
                continue
            tgt = (f"≤ {TARGETS['rss_mib']}: {verdict(s['rss_mib'], TARGETS['rss_mib'])}"
                   if tool == "stowage" else "")
            w(f"| {TOOL_NAMES[tool]} | {fnum(s['wall'])} | {fnum(s['mbps'], 0)} | "
              f"{fnum(s['cpu_per_gib'])} | {fnum(s['rss_mib'], 0)} | {fnum(s['pss_mib'], 0)} | "
              f"{s['verify']} | {tgt} |")
    w("")
    w("## Notes")
    w("")
    w("- Server and client share the same 2 cores: a client that burns CPU slows the server "
      "down, so CPU s/GiB matters as much as wall time.")
    w("- curl ceiling: each byte range is a separate curl process writing its own part file "
      "(`FILE.part-<offset>`) in the sink; the parts are not stitched together, so the "
      "ceiling does slightly less work than a real downloader. Verification concatenates the "
      "parts in offset order.")
    w("- Peak RSS is GNU time's `%M`: for multi-process tools (boto3-kserve's Pool, the "
      "curl reader) it is the largest *single* process, not the sum; the tree PSS column "
      "is the sampled sum over the process tree.")
    w("- Wall time ends when the tool exits. On the disk sink the data may still be in the "
      "page cache as dirty pages; the `sync` that follows is timed separately "
      "(median sync s) and not included in wall or MB/s. A tool that fsyncs its files "
      "pays for the flush inside its wall time (sync ≈ 0 afterwards), so on the disk sink "
      "the wall + sync ratios are the like-for-like comparison.")
    w("- Verification (once per tool and sink, first successful run): file list, sizes and "
      "sha256 of every file against the source manifest.")
    w(f"- Raw numbers: `bench/results/{os.path.basename(csv_path)}`.")
    w("")
    w("## Other benchmarks")
    w("")
    w("Each has its own script and results file, peers measured in the same run:")
    w("")
    for script, results, what in [
        ("https-download.sh", "RESULTS-https.md", "one 2 GiB file over HTTPS, against curl and wget"),
        ("s3-push.sh", "RESULTS-push.md", "`stowage push` against the aws cli and rclone"),
        ("oci.sh", "RESULTS-oci.md", "modelcar pack + push and pull + extract, against umoci and skopeo"),
        ("render.sh", "RESULTS-render.md", "`stowage render` on 1,000 InferenceServices"),
        ("controller.sh", "RESULTS-controller.md", "`stowage controller` on 1,000 InferenceServices, fabric8 mock API server"),
    ]:
        w(f"- `bench/{script}`: {what}: [{results}]({results})")
    w("")
    with open(out, "w") as f:
        f.write("\n".join(L))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
