#!/usr/bin/env bash
# Builds the real Kubernetes control plane (kube-apiserver, kube-controller-manager, kube-scheduler,
# kubelet, kube-proxy, kubectl) and etcd from the Go modules pinned in this folder's go.mod, into a
# cache outside the repository keyed by their versions, and prints that folder as its last line of
# standard output (progress goes to standard error), so a caller can do
#   STOWAGE_K8S_BIN=$(e2e/k8s/build.sh)
# The folder is laid out as fabric8's kube-api-test expects its binaries:
#   ${STOWAGE_CACHE:-$HOME/.cache/stowage}/k8s/k8s/<kubernetes version>-linux-amd64/{kube-apiserver,etcd,kubectl,...}
# (the kube-api-test directory is the folder two levels up). Idempotent: a folder whose stamp
# matches this go.sum and these flags is reused as it is; anything else is rebuilt.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

# The toolchain on the machine builds it; never let `go` fetch another one.
export GOTOOLCHAIN=local
# Static binaries, as Kubernetes' own release builds its server components.
export CGO_ENABLED=0
export GOFLAGS="-trimpath -buildvcs=false -mod=readonly"

module_version() { go list -m -f '{{.Version}}' "$1"; }
kube_version=$(module_version k8s.io/kubernetes)
etcd_version=$(module_version go.etcd.io/etcd/server/v3)
[[ $kube_version =~ ^v([0-9]+)\.([0-9]+)\.[0-9]+$ ]] || { echo "build.sh: unexpected k8s.io/kubernetes version $kube_version" >&2; exit 1; }
major=${BASH_REMATCH[1]} minor=${BASH_REMATCH[2]}

# The release's own timestamp from the module proxy, so a rebuild yields the same buildDate.
build_date=$(go mod download -json "k8s.io/kubernetes@$kube_version" | sed -n 's/.*"Time": *"\([^"]*\)".*/\1/p')
[[ -n $build_date ]] || build_date=1970-01-01T00:00:00Z

# What `kubectl version` and the API server's /version report (hack/lib/version.sh sets the same
# variables in both packages). No git commit: the source is the module archive, not a checkout.
kube_ldflags="-s -w"
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
  kube_ldflags+=" -X $pkg.gitVersion=$kube_version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
  kube_ldflags+=" -X $pkg.buildDate=$build_date -X $pkg.gitTreeState=archive"
done
# etcd's version is a constant of go.etcd.io/etcd/api/v3/version (3.x.y of that module); only
# its git SHA is a variable: say where the source came from instead of "Not provided".
etcd_ldflags="-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=module-$etcd_version"

arch=$(go env GOARCH)
cache=${STOWAGE_CACHE:-$HOME/.cache/stowage}/k8s
out=$cache/k8s/${kube_version#v}-linux-$arch
stamp_text="kubernetes $kube_version etcd $etcd_version $(go version) $(sha256sum go.sum | cut -c1-64) $kube_ldflags $etcd_ldflags"

kube_cmds=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
binaries=("${kube_cmds[@]}" etcd)
complete() {
  [[ -f $out/.stamp && $(cat "$out/.stamp") == "$stamp_text" ]] || return 1
  local b
  for b in "${binaries[@]}"; do [[ -x $out/$b ]] || return 1; done
}

if complete; then
  echo "build.sh: Kubernetes $kube_version and etcd $etcd_version already built" >&2
else
  echo "build.sh: building Kubernetes $kube_version and etcd $etcd_version into $out" >&2
  mkdir -p "$cache"
  staging=$(mktemp -d "$cache/.build.XXXXXX")
  trap 'rm -rf "$staging"' EXIT
  pkgs=()
  for c in "${kube_cmds[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$c"); done
  # Two cores shared with other builds: lowest priority, at most two compilers at once.
  nice -n 19 go build -p 2 -ldflags "$kube_ldflags" -o "$staging/" "${pkgs[@]}"
  nice -n 19 go build -p 2 -ldflags "$etcd_ldflags" -o "$staging/etcd" go.etcd.io/etcd/server/v3
  # Tell the truth or fail now, not in a test: each binary reports the pinned version.
  "$staging/kube-apiserver" --version | grep -qx "Kubernetes $kube_version" \
    || { echo "build.sh: kube-apiserver reports $("$staging/kube-apiserver" --version)" >&2; exit 1; }
  "$staging/etcd" --version | grep -q "etcd Version: ${etcd_version#v}" \
    || { echo "build.sh: etcd reports $("$staging/etcd" --version)" >&2; exit 1; }
  echo "$stamp_text" >"$staging/.stamp"
  rm -rf "$out"
  mkdir -p "$(dirname "$out")"
  mv "$staging" "$out"
  chmod 755 "$out"
  trap - EXIT
fi
echo "$out"
