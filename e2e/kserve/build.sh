#!/usr/bin/env bash
# Builds KServe's manager (github.com/kserve/kserve/cmd/manager: the InferenceService controller and
# the pod mutating webhook) from the Go module pinned in this folder's go.mod, into a cache outside
# the repository keyed by KServe's version, and prints that folder as its last line of standard
# output (progress goes to standard error), so a caller can do
#   STOWAGE_KSERVE_DIR=$(e2e/kserve/build.sh)
# The folder holds:
#   manager   the binary
#   config    a symbolic link to KServe's config/ tree (CRDs, the inferenceservice-config ConfigMap,
#             the webhook configurations) in the Go module cache: the same version as the binary,
#             never a copy in this repository
#   version   KServe's version (v0.20.0)
# ${STOWAGE_CACHE:-$HOME/.cache/stowage}/kserve/<version>/. Idempotent: a folder whose stamp
# matches this go.sum and these flags is reused as it is; anything else is rebuilt.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

# The toolchain on the machine builds it; never let `go` fetch another one.
export GOTOOLCHAIN=local
# A static binary, as KServe's own image builds it (CGO_ENABLED=0 in its Dockerfile).
export CGO_ENABLED=0
export GOFLAGS="-trimpath -buildvcs=false -mod=readonly"

kserve_version=$(go list -m -f '{{.Version}}' github.com/kserve/kserve)
# The module's source (with config/) is in the module cache once it is downloaded; -json names it.
go mod download github.com/kserve/kserve
module_dir=$(go list -m -f '{{.Dir}}' github.com/kserve/kserve)
[[ -d $module_dir/config/crd/full && -f $module_dir/config/webhook/manifests.yaml ]] \
  || { echo "build.sh: no config/ tree in $module_dir" >&2; exit 1; }

ldflags="-s -w"
cache=${STOWAGE_CACHE:-$HOME/.cache/stowage}/kserve
out=$cache/$kserve_version
stamp_text="kserve $kserve_version $(go version) $(sha256sum go.sum | cut -c1-64) $ldflags $module_dir"

complete() {
  [[ -f $out/.stamp && $(cat "$out/.stamp") == "$stamp_text" ]] || return 1
  [[ -x $out/manager && -d $out/config/crd/full && -f $out/version ]]
}

if complete; then
  echo "build.sh: KServe $kserve_version manager already built" >&2
else
  echo "build.sh: building KServe $kserve_version manager into $out" >&2
  mkdir -p "$cache"
  staging=$(mktemp -d "$cache/.build.XXXXXX")
  trap 'rm -rf "$staging"' EXIT
  # Two cores shared with other builds: lowest priority, at most two compilers at once.
  nice -n 19 go build -p 2 -ldflags "$ldflags" -o "$staging/manager" github.com/kserve/kserve/cmd/manager
  # Fail now, not in a test: the binary must run here and know its flags.
  "$staging/manager" --help 2>&1 | grep -q -- '-webhook-port' \
    || { echo "build.sh: $staging/manager --help does not list -webhook-port" >&2; exit 1; }
  ln -s "$module_dir/config" "$staging/config"
  echo "$kserve_version" >"$staging/version"
  echo "$stamp_text" >"$staging/.stamp"
  rm -rf "$out"
  mv "$staging" "$out"
  chmod 755 "$out"
  trap - EXIT
fi
echo "$out"
