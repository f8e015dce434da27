#!/usr/bin/python3
"""Download an S3 prefix the way KServe's storage initializer does (boto3 path).

This re-implements, from a description of its behaviour, the download path of
KServe's ``Storage._download_s3``:

* list the objects with ``bucket.objects.filter(Prefix=prefix)``;
* skip keys that end in ``/`` (directory placeholders);
* map each key to ``<dest>/<key with the prefix removed>`` (or to the key's
  base name when the URI names exactly one object);
* download with ``multiprocessing.Pool(min(4, number_of_objects))``, where every
  worker process builds its own boto3 ``Session`` and S3 resource
  (``endpoint_url`` from ``AWS_ENDPOINT_URL``, default botocore ``Config``) and
  calls ``bucket.download_file(key, target)`` with the *default*
  ``TransferConfig`` (8 MiB threshold/chunks, 10 threads per file).

Archive unpacking (.tar.gz/.zip) that KServe also does is not relevant for a
model directory and is left out.

Usage: kserve_boto3_download.py s3://bucket/prefix DEST_DIR
Credentials/region come from the usual AWS_* environment variables.
"""

import multiprocessing
import os
import sys
from urllib.parse import urlparse

import boto3

# Per-process state, filled by the pool initializer in each worker.
_bucket = None


def _make_bucket(bucket_name):
    """A fresh boto3 Session + S3 resource, configured like KServe's default."""
    session = boto3.session.Session()
    s3 = session.resource("s3", endpoint_url=os.environ.get("AWS_ENDPOINT_URL"))
    return s3.Bucket(bucket_name)


def _init_worker(bucket_name):
    global _bucket
    _bucket = _make_bucket(bucket_name)


def _download_one(key, target):
    os.makedirs(os.path.dirname(target), exist_ok=True)
    # Default TransferConfig: boto3.s3.transfer.TransferConfig() is what
    # download_file uses when Config= is not given.
    _bucket.download_file(key, target)
    return target


def download_s3(uri, dest):
    parsed = urlparse(uri, scheme="s3")
    bucket_name = parsed.netloc
    prefix = parsed.path.lstrip("/")

    bucket = _make_bucket(bucket_name)
    keys = [obj.key for obj in bucket.objects.filter(Prefix=prefix)
            if not obj.key.endswith("/")]
    if not keys:
        raise RuntimeError(f"Failed to fetch model. No model found in {uri}.")

    exact = len(keys) == 1 and keys[0] == prefix
    jobs = []
    for key in keys:
        if exact:
            rel = key.rsplit("/", 1)[-1]
        else:
            rel = key.replace(prefix, "", 1).lstrip("/")
        jobs.append((key, os.path.join(dest, rel)))

    with multiprocessing.Pool(min(4, len(jobs)), initializer=_init_worker,
                              initargs=(bucket_name,)) as pool:
        pool.starmap(_download_one, jobs)
        # Explicit close/join so the workers are reaped (and their rusage is
        # accounted to this process) before the pool is torn down.
        pool.close()
        pool.join()
    return len(jobs)


def main(argv):
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    n = download_s3(argv[1], argv[2])
    print(f"downloaded {n} objects to {argv[2]}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
