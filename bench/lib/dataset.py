#!/usr/bin/python3
"""Benchmark data set: generate it, describe it, verify a download of it.

  dataset.py gen-llm DIR          HF-LLM-shaped directory (~2 GiB), random data
  dataset.py gen-big FILE SIZE_MIB one large random file
  dataset.py manifest SRC OUT.json  sizes + sha256 of every file under SRC
  dataset.py verify-blobs DEST     every '<sha256 hex>.part-<offset>' group in DEST, put
      together in offset order, hashes to its name (curl_blobs.sh's output)
  dataset.py verify MANIFEST DEST [--sha] [--parts] [--allow-extra GLOB]
      compare DEST against MANIFEST: same relative paths and sizes, and with
      --sha the same sha256. Files matching GLOB (a tool's own bookkeeping,
      e.g. '.stowage-*') are not errors but are named in the result. With --parts, DEST holds range part files named
      '<relpath>.part-<start offset, 16 digits>' (curl range reader), which
      are put back together in offset order for the comparison.

Random content comes from os.urandom (incompressible).
"""

import fnmatch
import hashlib
import json
import os
import random
import string
import sys

CHUNK = 8 << 20
MIB = 1 << 20

SHARDS = 4
SHARD_MIB = 512
TOKENIZER_BYTES = 7 * 10**6


def _write_random(path, size):
    with open(path + ".tmp", "wb") as f:
        left = size
        while left:
            n = min(CHUNK, left)
            f.write(os.urandom(n))
            left -= n
    os.replace(path + ".tmp", path)


def _write_json(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")


def gen_llm(d):
    os.makedirs(d, exist_ok=True)
    rnd = random.Random(42)
    _write_json(os.path.join(d, "config.json"), {
        "architectures": ["LlamaForCausalLM"], "model_type": "llama",
        "hidden_size": 2048, "intermediate_size": 5632, "num_attention_heads": 32,
        "num_hidden_layers": 22, "num_key_value_heads": 4, "vocab_size": 32000,
        "max_position_embeddings": 2048, "rms_norm_eps": 1e-05,
        "torch_dtype": "bfloat16", "transformers_version": "4.40.0"})
    _write_json(os.path.join(d, "generation_config.json"), {
        "bos_token_id": 1, "eos_token_id": 2, "max_length": 2048,
        "pad_token_id": 0, "transformers_version": "4.40.0"})
    _write_json(os.path.join(d, "tokenizer_config.json"), {
        "add_bos_token": True, "add_eos_token": False, "bos_token": "<s>",
        "eos_token": "</s>", "unk_token": "<unk>", "model_max_length": 2048,
        "tokenizer_class": "LlamaTokenizer"})
    _write_json(os.path.join(d, "special_tokens_map.json"), {
        "bos_token": "<s>", "eos_token": "</s>", "unk_token": "<unk>"})

    # tokenizer.json: a JSON vocabulary of random tokens, ~7 MB.
    alphabet = string.ascii_letters + string.digits
    vocab, size, i = {}, 0, 0
    while size < TOKENIZER_BYTES - 200:
        tok = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(8, 40)))
        vocab[tok] = i
        size += len(tok) + len(str(i)) + 6
        i += 1
    _write_json(os.path.join(d, "tokenizer.json"), {
        "version": "1.0", "model": {"type": "BPE", "vocab": vocab}})

    weight_map = {}
    for n in range(1, SHARDS + 1):
        shard = f"model-{n:05d}-of-{SHARDS:05d}.safetensors"
        for layer in range((n - 1) * 6, min(n * 6, 22)):
            for w in ("self_attn.q_proj", "self_attn.k_proj", "self_attn.v_proj",
                      "self_attn.o_proj", "mlp.gate_proj", "mlp.up_proj",
                      "mlp.down_proj"):
                weight_map[f"model.layers.{layer}.{w}.weight"] = shard
        path = os.path.join(d, shard)
        if not (os.path.exists(path) and os.path.getsize(path) == SHARD_MIB * MIB):
            _write_random(path, SHARD_MIB * MIB)
    _write_json(os.path.join(d, "model.safetensors.index.json"), {
        "metadata": {"total_size": SHARDS * SHARD_MIB * MIB},
        "weight_map": weight_map})


def _sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while True:
            b = f.read(CHUNK)
            if not b:
                return h.hexdigest()
            h.update(b)


def manifest(src, out):
    files = {}
    if os.path.isfile(src):
        files[os.path.basename(src)] = {"size": os.path.getsize(src),
                                        "sha256": _sha256_file(src)}
    else:
        for root, _, names in os.walk(src):
            for name in names:
                p = os.path.join(root, name)
                rel = os.path.relpath(p, src)
                files[rel] = {"size": os.path.getsize(p), "sha256": _sha256_file(p)}
    with open(out + ".tmp", "w") as f:
        json.dump({"files": dict(sorted(files.items()))}, f, indent=1)
    os.replace(out + ".tmp", out)


def _scan_dest(dest, parts):
    """{relpath: [ (offset, path), ... ]} of what landed in DEST."""
    found = {}
    for root, _, names in os.walk(dest):
        for name in names:
            p = os.path.join(root, name)
            rel = os.path.relpath(p, dest)
            off = 0
            if parts:
                base, sep, num = rel.rpartition(".part-")
                if not sep or not num.isdigit():
                    found.setdefault(rel, []).append((0, p))
                    continue
                rel, off = base, int(num)
            found.setdefault(rel, []).append((off, p))
    for v in found.values():
        v.sort()
    return found


def verify(manifest_path, dest, sha, parts, allow_extra=None):
    with open(manifest_path) as f:
        want = json.load(f)["files"]
    got = _scan_dest(dest, parts)
    errors = []
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    tolerated = [e for e in extra
                 if allow_extra and fnmatch.fnmatch(os.path.basename(e), allow_extra)]
    extra = [e for e in extra if e not in tolerated]
    if missing:
        errors.append(f"missing: {missing}")
    if extra:
        errors.append(f"unexpected: {extra}")
    total = 0
    for rel in sorted(set(want) & set(got)):
        pieces = got[rel]
        size = sum(os.path.getsize(p) for _, p in pieces)
        total += size
        if parts:
            # parts must tile the file exactly
            pos = 0
            for off, p in pieces:
                if off != pos:
                    errors.append(f"{rel}: gap/overlap at {pos} (next part at {off})")
                    break
                pos += os.path.getsize(p)
        if size != want[rel]["size"]:
            errors.append(f"{rel}: size {size} != {want[rel]['size']}")
            continue
        if sha:
            h = hashlib.sha256()
            for _, p in pieces:
                with open(p, "rb") as f:
                    while True:
                        b = f.read(CHUNK)
                        if not b:
                            break
                        h.update(b)
            if h.hexdigest() != want[rel]["sha256"]:
                errors.append(f"{rel}: sha256 mismatch")
    what = "sizes+sha256" if sha else "sizes"
    if tolerated:
        what += "; extra tool files " + " ".join(tolerated)
    if errors:
        print(f"FAIL ({what}): " + "; ".join(errors))
        return 1
    print(f"OK ({what}): {len(want)} files, {total} bytes")
    return 0


def verify_blobs(dest):
    got = _scan_dest(dest, True)
    errors, total = [], 0
    for name, pieces in sorted(got.items()):
        h, pos = hashlib.sha256(), 0
        for off, p in pieces:
            if off != pos:
                errors.append(f"{name}: gap/overlap at {pos}")
                break
            with open(p, "rb") as f:
                while True:
                    b = f.read(CHUNK)
                    if not b:
                        break
                    h.update(b)
                    pos += len(b)
        total += pos
        if h.hexdigest() != name:
            errors.append(f"{name}: sha256 {h.hexdigest()}")
    if errors or not got:
        print("FAIL (blob digests): " + ("; ".join(errors) or "no blobs"))
        return 1
    print(f"OK (blob digests): {len(got)} blobs, {total} bytes")
    return 0


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "gen-llm" and len(argv) == 3:
        gen_llm(argv[2])
    elif cmd == "gen-big" and len(argv) == 4:
        os.makedirs(os.path.dirname(os.path.abspath(argv[2])), exist_ok=True)
        _write_random(argv[2], int(argv[3]) * MIB)
    elif cmd == "manifest" and len(argv) == 4:
        manifest(argv[2], argv[3])
    elif cmd == "verify-blobs" and len(argv) == 3:
        return verify_blobs(argv[2])
    elif cmd == "verify" and len(argv) >= 4:
        opts = argv[4:]
        allow = opts[opts.index("--allow-extra") + 1] if "--allow-extra" in opts else None
        return verify(argv[2], argv[3], "--sha" in opts, "--parts" in opts, allow)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
