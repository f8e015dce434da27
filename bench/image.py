#!/usr/bin/python3
"""Container images: their sizes, and how fast the initializer image starts and finishes under runc.

Usage: bench/image.py [--runs N] [--model-mib M] [--out FILE]

Needs the images built (`./mvnw -B package -DskipTests -pl stowage-image -am`), runc, skopeo,
umoci, and root. For each of N rounds (the order rotated) it runs `initialize` of one model from
S3Proxy on loopback into a tmpfs directory, as:
  image        the stowage-initializer image under runc (read-only root, non-root, no capabilities)
  image-nocds  the same with -Xshare:off (what the class-data archive saves)
  host-17      the distribution's launcher on the host with the Debian JDK 17
  host-25      the distribution's launcher on the host with Temurin 25 (the images' JDK)
and records the time from starting the process (`runc run` or the launcher) to the first byte of
the first request reaching the S3 port (a relay in this script, in front of S3Proxy, timestamps
it) and to exit. Everything is on loopback, and the store and the sink are both on tmpfs
(/dev/shm), so the times are the process's own, not the disk's.
"""

import argparse
import gzip
import hashlib
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tarfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMAGES = os.path.join(ROOT, "stowage-image", "target", "image")
LAUNCHER = os.path.join(ROOT, "stowage-cli", "target", "stowage", "bin", "stowage")
S3PROXY_VERSION = "4.1.0"
S3PROXY_JAR = os.path.expanduser(
    f"~/.m2/repository/org/gaul/s3proxy/{S3PROXY_VERSION}/s3proxy-{S3PROXY_VERSION}-jar-with-dependencies.jar")
JDK17 = "/usr/lib/jvm/java-17-openjdk-amd64"
JDK25 = "/usr/lib/jvm/temurin-25-jdk-amd64"
KEY, SECRET = "bench-access", "bench-secret-key"
SCRATCH = "/dev/shm/stowage-bench-image"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class FirstByteRelay:
    """A loopback TCP relay that remembers when the first byte of a new exchange arrived."""

    def __init__(self, target_port):
        self.target = target_port
        self.port = free_port()
        self.first = None
        self.server = socket.socket()
        self.server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.server.bind(("127.0.0.1", self.port))
        self.server.listen(128)
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self):
        self.first = None

    def _accept(self):
        while True:
            client, _ = self.server.accept()
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client):
        upstream = socket.create_connection(("127.0.0.1", self.target))
        threading.Thread(target=self._pipe, args=(upstream, client, False), daemon=True).start()
        self._pipe(client, upstream, True)

    def _pipe(self, src, dst, request):
        try:
            while True:
                data = src.recv(1 << 20)
                if not data:
                    break
                if request and self.first is None:
                    self.first = time.monotonic()
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def start_s3proxy():
    port = free_port()
    store = os.path.join(SCRATCH, "store")
    # S3Proxy's filesystem backend: a directory under the base directory is a bucket.
    os.makedirs(os.path.join(store, "models"), exist_ok=True)
    conf = os.path.join(SCRATCH, "s3proxy.properties")
    with open(conf, "w") as f:
        f.write(f"""s3proxy.endpoint=http://127.0.0.1:{port}
s3proxy.authorization=aws-v2-or-v4
s3proxy.identity={KEY}
s3proxy.credential={SECRET}
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem
jclouds.filesystem.basedir={store}
""")
    proc = subprocess.Popen(["java", "-jar", S3PROXY_JAR, "--properties", conf],
                            stdout=open(os.path.join(SCRATCH, "s3proxy.log"), "w"), stderr=subprocess.STDOUT)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return proc, port
        except OSError:
            time.sleep(0.2)
    raise SystemExit("S3Proxy did not start; see " + SCRATCH + "/s3proxy.log")


def s3_env(port):
    return {"AWS_ACCESS_KEY_ID": KEY, "AWS_SECRET_ACCESS_KEY": SECRET,
            "AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_DEFAULT_REGION": "us-east-1",
            "STOWAGE_TERMINATION_LOG": "/dev/null"}


def seed(port, mib):
    src = os.path.join(SCRATCH, "model")
    os.makedirs(src, exist_ok=True)
    with open(os.path.join(src, "config.json"), "w") as f:
        json.dump({"model_type": "bench", "size_mib": mib}, f)
    half = mib // 2
    for i in range(2):
        with open(os.path.join(src, f"model-0000{i + 1}-of-00002.safetensors"), "wb") as f:
            block = hashlib.sha256(str(i).encode()).digest() * (1 << 15)  # 1 MiB, not compressible
            for _ in range(half):
                f.write(block)
    env = dict(os.environ, **s3_env(port))
    run([LAUNCHER, "push", "--endpoint", f"http://127.0.0.1:{port}", src, "s3://models/bench"], env=env)


def unpack(name):
    layout = os.path.join(SCRATCH, "layout-" + name)
    bundle = os.path.join(SCRATCH, "bundle-" + name)
    shutil.rmtree(layout, ignore_errors=True)
    shutil.rmtree(bundle, ignore_errors=True)
    run(["skopeo", "copy", "-q", f"oci-archive:{IMAGES}/{name}.oci.tar", f"oci:{layout}:bench"])
    run(["umoci", "unpack", "--image", f"{layout}:bench", bundle])
    with open(os.path.join(bundle, "config.json")) as f:
        return bundle, json.load(f)


def runc_config(base, args, env, dest, share):
    c = json.loads(json.dumps(base))
    p = c["process"]
    argv = list(p["args"])
    if not share:
        argv = ["-Xshare:off" if a == "-Xshare:auto" else a for a in argv]
    p["args"] = argv + args
    p["env"] = p["env"] + [f"{k}={v}" for k, v in env.items()]
    p["terminal"] = False
    p["noNewPrivileges"] = True
    p["user"] = {"uid": 65532, "gid": 65532}
    p["capabilities"] = {k: [] for k in ("bounding", "effective", "inheritable", "permitted", "ambient")}
    c["root"]["readonly"] = True
    c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "network"]
    c["mounts"].append({"destination": "/mnt/models", "type": "bind", "source": dest, "options": ["rbind", "rw"]})
    return c


def timed(cmd, relay, env=None):
    relay.reset()
    t0 = time.monotonic()
    r = subprocess.run(cmd, env=env, capture_output=True, text=True)
    t1 = time.monotonic()
    if r.returncode != 0:
        raise SystemExit(f"{cmd[:3]} failed ({r.returncode}): {r.stderr[-2000:]}")
    first = None if relay.first is None else relay.first - t0
    return first, t1 - t0


def layer_sizes(name):
    with tarfile.open(os.path.join(IMAGES, name + ".oci.tar")) as t:
        index = json.load(t.extractfile("index.json"))
        digest = index["manifests"][0]["digest"].split(":")[1]
        manifest = json.load(t.extractfile(f"blobs/sha256/{digest}"))
        layers = []
        for layer in manifest["layers"]:
            d = layer["digest"]
            blob = t.extractfile("blobs/sha256/" + d.split(":")[1])
            with gzip.GzipFile(fileobj=blob) as g:
                size = 0
                while True:
                    chunk = g.read(1 << 20)
                    if not chunk:
                        break
                    size += len(chunk)
            layers.append((d, layer["size"], size))
        return manifest["config"]["digest"], layers


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--model-mib", type=int, default=256)
    ap.add_argument("--out", default=os.path.join(ROOT, "bench", "RESULTS-image.md"))
    a = ap.parse_args()
    for need in ("runc", "skopeo", "umoci"):
        if shutil.which(need) is None:
            raise SystemExit(f"image.py: {need} is missing (apt-get install {need})")
    if os.geteuid() != 0:
        raise SystemExit("image.py: runc needs root here")
    for name in ("stowage-initializer", "stowage"):
        if not os.path.exists(os.path.join(IMAGES, name + ".oci.tar")):
            raise SystemExit("image.py: build the images first: ./mvnw -B package -DskipTests -pl stowage-image -am")
    shutil.rmtree(SCRATCH, ignore_errors=True)
    os.makedirs(SCRATCH)
    proxy, s3port = start_s3proxy()
    try:
        relay = FirstByteRelay(s3port)
        seed(s3port, a.model_mib)
        bundle, base = unpack("stowage-initializer")
        env = s3_env(relay.port)
        variants = ["image", "image-nocds", "host-17", "host-25"]
        results = {v: [] for v in variants}
        for r in range(a.runs):
            order = variants[r % len(variants):] + variants[:r % len(variants)]
            for v in order:
                dest = os.path.join(SCRATCH, "dest")
                shutil.rmtree(dest, ignore_errors=True)
                os.makedirs(dest)
                os.chmod(dest, 0o777)
                args = ["s3://models/bench", "/mnt/models" if v.startswith("image") else dest]
                if v.startswith("image"):
                    with open(os.path.join(bundle, "config.json"), "w") as f:
                        json.dump(runc_config(base, args, env, dest, v == "image"), f)
                    cid = f"bench-{os.getpid()}-{r}-{v}"
                    results[v].append(timed(["runc", "run", "--bundle", bundle, cid], relay))
                    subprocess.run(["runc", "delete", "--force", cid], capture_output=True)
                else:
                    jdk = JDK17 if v == "host-17" else JDK25
                    henv = dict(PATH=os.environ["PATH"], JAVA_HOME=jdk, **env)
                    results[v].append(timed([LAUNCHER, "initialize"] + args, relay, henv))
                got = sum(os.path.getsize(os.path.join(dest, n)) for n in os.listdir(dest)
                          if not n.startswith(".stowage"))
                if got < a.model_mib << 20:
                    raise SystemExit(f"{v}: only {got} bytes landed")
        write_report(a, results, variants)
    finally:
        proxy.terminate()
        shutil.rmtree(SCRATCH, ignore_errors=True)


def write_report(a, results, variants):
    lines = ["# Container images", "",
             f"Command: `bench/image.py --runs {a.runs} --model-mib {a.model_mib}`  ",
             f"Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {os.cpu_count()} cores; "
             f"S3Proxy {S3PROXY_VERSION} on loopback; store and sink on tmpfs (/dev/shm). "
             f"Medians of {a.runs} runs, order rotated.", "", "## Sizes", "",
             "| image | layers | compressed (MB) | uncompressed (MB) | config digest |", "|---|---|---|---|---|"]
    shared = None
    for name in ("stowage-initializer", "stowage"):
        config, layers = layer_sizes(name)
        digests = {d for d, _, _ in layers}
        shared = digests if shared is None else shared & digests
        lines.append(f"| `{name}` | {len(layers)} | {sum(c for _, c, _ in layers) / 1e6:.1f} | "
                     f"{sum(u for _, _, u in layers) / 1e6:.1f} | `{config[:19]}…` |")
    lines += ["", f"The two images share {len(shared)} layers (same digests).", "",
              "## Start-up and download", "",
              f"`initialize s3://models/bench DEST`, {a.model_mib} MiB (config.json and two shards).", "",
              "| variant | to first S3 request (s) | to exit (s) | runs |", "|---|---|---|---|"]
    for v in variants:
        firsts = [f for f, _ in results[v] if f is not None]
        exits = [e for _, e in results[v]]
        lines.append(f"| {v} | {statistics.median(firsts):.3f} | {statistics.median(exits):.3f} | "
                     + ", ".join(f"{f:.2f}/{e:.2f}" for f, e in results[v]) + " |")
    med = {v: statistics.median([f for f, _ in results[v] if f is not None]) for v in variants}
    lines += ["", f"Image start to first request: {med['image']:.3f} s (target ≤ 0.5 s); "
              f"{med['image'] / med['host-17']:.2f} × the host distribution on JDK 17, "
              f"{med['image'] / med['host-25']:.2f} × on Temurin 25; the class-data archive saves "
              f"{med['image-nocds'] - med['image']:.3f} s.", ""]
    with open(a.out, "w") as f:
        f.write("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    sys.exit(main())
