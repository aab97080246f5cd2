#!/usr/bin/env bash
# The maintainer's path, without the engine: in a temporary clone of this checkout (its uncommitted
# changes included), scaffold three accelerators of different shapes with the Nx generator, check
# that each device-query stub fails until it is written, write the device queries, render, then
# `accelbase validate`, `render --check` and the unit tier (`npm test`). It must end green: a
# maintainer's first pull request must not go red because of tests pinned to the shipped catalog.
#
# The shapes:
#   1. scenario-debian: packages from Debian, every default taken from the catalog;
#   2. scenario-vendor: a vendor apt repository with a pinned key (tools/ci/fixtures/
#      vendor-archive-key.asc, on 127.0.0.1: nothing is fetched), amd64 only;
#   3. scenario-device: a device profile (usb), arm64 only, plus a second variant built on the
#      first image (`nx g variant`, a catalog image as base).
#
# Needs: a checkout after `npm ci` (its node_modules entries are symlinked, not installed again,
# except the workspace package, which is the clone's own; the clone builds its own
# tools/accelbase/dist, so it runs the checkout's code, never a stale build), git, gpg. No network,
# no engine, no root. ACCELBASE_KEEP_SCENARIO=1 keeps the clone; it is kept anyway when a
# step fails.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
export NX_DAEMON=false NX_NO_CLOUD=true
started=$SECONDS
tmp="$(mktemp -d "${TMPDIR:-/tmp}/accelbase-maintainer-scenario-XXXXXX")"
ws="$tmp/ws"
step() { printf '\n--> %s\n' "$*"; }
finish() {
  local rc=$?
  if [ "$rc" -eq 0 ] && [ "${ACCELBASE_KEEP_SCENARIO:-0}" != 1 ]; then
    rm -rf "$tmp"
  else
    echo "maintainer scenario: the clone is kept at $ws" >&2
  fi
  echo "maintainer scenario: $([ "$rc" -eq 0 ] && echo passed || echo FAILED) in $((SECONDS - started)) s"
}
trap finish EXIT

[ -e "$root/node_modules/.bin/nx" ] || { echo "maintainer scenario: no node_modules: run npm ci first" >&2; exit 1; }

step "a clone of $root, with its uncommitted changes"
git clone -q "$root" "$ws"
git -C "$root" diff HEAD --quiet || git -C "$root" diff HEAD --binary | git -C "$ws" apply
git -C "$root" ls-files -z --others --exclude-standard | (cd "$root" && xargs -0r cp --parents -t "$ws")
# node_modules: every package is the checkout's, by symlink; the workspace package `accelbase`
# (and its bin) is the clone's, so `npx accelbase` and `nx g` run the clone's build.
mkdir -p "$ws/node_modules/.bin"
for entry in "$root"/node_modules/* "$root"/node_modules/.package-lock.json; do
  [ "$(basename "$entry")" = accelbase ] || ln -s "$entry" "$ws/node_modules/"
done
cp -P "$root"/node_modules/.bin/* "$ws/node_modules/.bin/"
ln -s ../tools/accelbase "$ws/node_modules/accelbase"
printf 'node_modules\ntools/accelbase/dist\n.nx\n.accelbase\n' >>"$ws/.git/info/exclude"
cd "$ws"
g() { git -c user.name=scenario -c user.email=scenario@example.org "$@"; }
g add -A && { g diff --cached --quiet || g commit -qm 'the checkout as it is'; }

step "npm run build (the clone's own dist, which the generators and the CLI below run)"
npm run build >/dev/null

step "a vendor apt source with a pinned key, added under sources:"
fingerprint="$(GNUPGHOME="$tmp" gpg --show-keys --with-colons "$root/tools/ci/fixtures/vendor-archive-key.asc" 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }')"
[ -n "$fingerprint" ] || { echo "maintainer scenario: no fingerprint in the fixture key" >&2; exit 1; }
cat >"$tmp/source.yaml" <<EOF
  scenario-vendor-repo:
    type: apt
    url: http://127.0.0.1:8080/apt
    suite: stable
    components: [main]
    key:
      url: http://127.0.0.1:8080/apt/vendor-archive-key.asc
      fingerprint: $fingerprint
    architectures: [amd64]
EOF
grep -q '^sources:$' catalog.yaml || { echo "maintainer scenario: catalog.yaml has no 'sources:' line" >&2; exit 1; }
sed -i "/^sources:\$/r $tmp/source.yaml" catalog.yaml

step "scaffold: nx g accelerator (three shapes) and nx g variant"
nx() { npx nx "$@" --no-interactive; }
nx g accelerator scenario-debian --packages=mesa-opencl-icd,clinfo
nx g accelerator scenario-vendor --source=scenario-vendor-repo --packages=vendor-runtime,vendor-tools \
  --platforms=linux/amd64
nx g accelerator scenario-device --packages=usbutils --deviceProfile=usb --platforms=linux/arm64
nx g variant scenario-device tools --base=scenario-device-default --packages=python3-usb --deviceProfile=usb
images=(scenario-debian-default scenario-vendor-default scenario-device-default scenario-device-tools)
dist="$(sed -n 's/^defaultDistribution: *\([a-z]*\).*/\1/p' catalog.yaml)"
sed -n '/^  scenario-debian:/,/smoke:/p' catalog.yaml | grep -qx "        base: minideb:$dist" ||
  { echo "maintainer scenario: scenario-debian is not on minideb:$dist, the catalog's defaultDistribution" >&2; exit 1; }
if nx g accelerator scenario-empty >"$tmp/empty.log" 2>&1 || ! grep -q 'would install no packages' "$tmp/empty.log"; then
  cat "$tmp/empty.log" >&2
  echo "maintainer scenario: an accelerator with no packages was not refused" >&2
  exit 1
fi

step "every device-query stub fails, naming the file to edit"
for image in "${images[@]}"; do
  query="generators/device-queries/$image.sh"
  if out="$(sh "$query" 2>&1)"; then
    echo "maintainer scenario: the stub $query passed" >&2
    exit 1
  fi
  case "$out" in
  "edit $query"*) echo "$image: stub fails as it should" ;;
  *) echo "maintainer scenario: the stub $query says: $out" >&2 && exit 1 ;;
  esac
done

step "write the device queries, render"
for image in "${images[@]}"; do
  cat >"generators/device-queries/$image.sh" <<EOF
#!/bin/sh
# Device query for $image: the runtime's version, then its devices, or "no device".
set -u
command -v lsusb >/dev/null 2>&1 && lsusb --version | head -n 1
devices=\$(ls /dev/bus/usb 2>/dev/null)
if [ -z "\$devices" ]; then
  echo "no device: nothing under /dev/bus/usb"
  exit 0
fi
echo "\$devices" | sed 's/^/device: /'
EOF
done
npx accelbase render

step "accelbase validate && render --check"
npx accelbase validate
npx accelbase render --check
g add -A && g commit -qm 'three new accelerators, as a maintainer adds them'

step "npm test (the unit tier) in the clone"
npm test -- --reporter=dot
