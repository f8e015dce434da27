#!/usr/bin/env bash
# The images' base, made here instead of pulled from a registry: a jlinked Java runtime with only
# the modules in jlink-modules.txt, and the few shared libraries it needs from the Debian packages
# pinned in debian-packages.lock. Writes OUT/runtime (the runtime, for /opt/java) and OUT/system
# (the library files at their image paths). Idempotent: a finished OUT is reused when its inputs
# have not changed.
#
#   base.sh OUT JDK_HOME            build (JDK_HOME: the JDK whose jlink makes the runtime)
#   base.sh --update-lock           rewrite debian-packages.lock with what Debian serves now
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
lock=$here/debian-packages.lock
cache=${STOWAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/stowage}/debs
packages() { grep -v '^#' "$lock" | awk 'NF==3'; }
# apt-get download, refreshing the package lists once when they are missing or stale (as root).
download() {
  (cd "$cache" && apt-get download -q "$@" >/dev/null 2>&1) && return 0
  if [[ $(id -u) == 0 && -z ${refreshed:-} ]]; then
    refreshed=1; apt-get update -qq >/dev/null 2>&1 || true
    (cd "$cache" && apt-get download -q "$@" >/dev/null 2>&1)
  else
    return 1
  fi
}

if [[ ${1:-} == --update-lock ]]; then
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  { grep '^#' "$lock"
    packages | while read -r name _ _; do
      (cd "$tmp" && apt-get download -q "$name" >/dev/null 2>&1)
      deb=$(ls "$tmp/${name}"_*.deb)
      ver=$(dpkg-deb -f "$deb" Version)
      echo "$name $ver $(sha256sum "$deb" | cut -d' ' -f1)"
      rm -f "$deb"
    done; } > "$lock.new"
  mv "$lock.new" "$lock"; cat "$lock"; exit 0
fi

out=${1:?usage: base.sh OUT JDK_HOME}; jdk=${2:?usage: base.sh OUT JDK_HOME}
[[ -x $jdk/bin/jlink ]] || { echo "base.sh: no jlink in $jdk (set -Dstowage.image.jdk to a JDK 17+ home)" >&2; exit 2; }
stamp=$( { cat "$lock" "$here/system-files.txt" "$here/jlink-modules.txt" "$0"; "$jdk/bin/java" -version 2>&1; } | sha256sum | cut -d' ' -f1)
if [[ -f $out/.stamp && $(cat "$out/.stamp") == "$stamp" ]]; then
  echo "base: up to date in $out"; exit 0
fi
rm -rf "$out"; mkdir -p "$out" "$cache"

# 1. The runtime. --generate-cds-archive is left out: the image build dumps one archive of the JDK's
# and Stowage's classes together (ImageBuild), so the JDK's default archive would only add 28 MB.
modules=$(grep -v '^#' "$here/jlink-modules.txt" | paste -sd, -)
"$jdk/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files \
  --compress=zip-6 --output "$out/runtime"
rm -f "$out"/runtime/lib/server/classes*.jsa

# 2. The libraries, from the pinned packages.
extract=$out/.debs; mkdir -p "$extract"
packages | while read -r name version sha; do
  deb="$cache/${name}_${version//:/%3a}_amd64.deb"
  if [[ ! -f $deb ]]; then
    download "$name=$version" || true
  fi
  if [[ ! -f $deb ]]; then
    echo "base: WARNING Debian no longer serves $name=$version; taking the current version, so this image" \
      "will not match the lock's digests (run base.sh --update-lock and commit it)" >&2
    download "$name" \
      || { echo "base.sh: cannot download $name from Debian (run apt-get update first)" >&2; exit 5; }
    deb=$(ls -t "$cache/${name}"_*.deb | head -1)
  elif [[ $(sha256sum "$deb" | cut -d' ' -f1) != "$sha" ]]; then
    echo "base.sh: $deb does not have the digest in debian-packages.lock" >&2; exit 6
  fi
  dpkg-deb -x "$deb" "$extract"
done
grep -v '^#' "$here/system-files.txt" | awk 'NF==2' | while read -r from to; do
  mkdir -p "$out/system/$(dirname "$to")"
  cp -L "$extract/$from" "$out/system/$to"
done
mkdir -p "$out/system/etc"
printf 'hosts: files dns\n' > "$out/system/etc/nsswitch.conf"
rm -rf "$extract"
echo "$stamp" > "$out/.stamp"
echo "base: runtime $(du -sh "$out/runtime" | cut -f1), libraries $(du -sh "$out/system" | cut -f1) in $out"
