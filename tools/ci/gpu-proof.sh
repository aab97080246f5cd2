#!/usr/bin/env bash
# gpu-proof.sh: prove the cuda-runtime image on a real NVIDIA GPU, with nothing but the images.
#
#   tools/ci/gpu-proof.sh pack IMAGE TEST_IMAGE ARCHIVE   (where the images are: the engine, a registry)
#   tools/ci/gpu-proof.sh run ARCHIVE [--runtime|--chroot] (on the GPU machine)
#
# `pack` saves the cuda-runtime image as pushed (IMAGE, e.g. a repository@sha256 digest) and its
# test image (TEST_IMAGE: `cuda-runtime-test`, the compute probe FROM that very image, as `accelbase
# smoke` loads it: accelbase-test/cuda-runtime:amd64) for linux/amd64 into one archive (`docker save`,
# gzipped: an OCI layout and manifest.json in a tar; the shared layers are stored once) and prints
# its size.
#
# `run` runs the device query (accelbase-device-query: libcudart finds the devices) and the compute
# probe (accelbase-compute-probe: a PTX vector add through the driver API, every element checked)
# against the host's NVIDIA driver:
#   --runtime  through the machine's container runtime (docker or podman, `--gpus all` when the host
#              has a driver: the NVIDIA container toolkit mounts it);
#   --chroot   without one: the layers are unpacked (whiteouts applied) and both run in a chroot, in
#              mount and PID namespaces of their own (and a user namespace when not root), with the
#              driver's libraries (libcuda, libnvidia-ptxjitcompiler, libnvidia-ml) and /dev/nvidia*
#              bound in, as the NVIDIA container toolkit does;
#   default:   the runtime when one answers and can give the container the GPU, else the chroot.
# It first checks that the test image's layers begin with the image's own: the probe runs on the
# image as pushed. Each step prints its output and outcome; the last line is the verdict:
#   result: passed (<GPU name>)   exit 0: the device listed and a kernel computed the right result
#   result: no-device             exit 77: no NVIDIA driver or GPU here (never a wrong result)
#   result: failed                exit 1: a crash, a wrong result, or a device listed but not computing
# Needs bash, tar, python3 (to read the archive's JSON) and, for --chroot, unshare and mount.
set -euo pipefail

die() {
  echo "gpu-proof: $*" >&2
  exit 2
}

# The first working container CLI: docker, then podman.
container_cli() {
  local cli
  for cli in docker podman; do
    if command -v "$cli" >/dev/null 2>&1 && "$cli" info >/dev/null 2>&1; then
      echo "$cli"
      return 0
    fi
  done
  return 1
}

pack() {
  [ $# -eq 3 ] || die "usage: gpu-proof.sh pack IMAGE TEST_IMAGE ARCHIVE"
  local image=$1 test_image=$2 archive=$3 cli
  cli=$(container_cli) || die "pack needs docker or podman"
  # An image that is not here is pulled (the image as pushed); the test image is local to smoke.
  "$cli" image inspect "$image" >/dev/null 2>&1 || "$cli" pull --quiet --platform linux/amd64 "$image" >/dev/null
  "$cli" image inspect "$test_image" >/dev/null 2>&1 || die "no test image $test_image (run accelbase smoke cuda-runtime first)"
  # A name in the archive (an image saved by digest has none; with the containerd store its ID is
  # no name `run` can use): the content stays the pushed image's.
  "$cli" tag "$image" gpu-proof/image:as-pushed
  # docker save writes the layers uncompressed: gzip brings the archive near the pushed size.
  "$cli" save gpu-proof/image:as-pushed "$test_image" | gzip -9 >"$archive"
  local bytes
  bytes=$(stat -c %s "$archive")
  echo "packed $image and $test_image into $archive: $bytes bytes ($((bytes / 1048576)) MiB, gzip)"
}

# The layers (blob paths inside the archive) of each image of an unpacked `docker save` archive, in
# order, one image per line: `<name> <layer> <layer> ...`; the image first, then its test image.
archive_layers() {
  python3 - "$1" <<'PY'
import json, sys, os
root = sys.argv[1]
manifest = json.load(open(os.path.join(root, "manifest.json")))
for entry in manifest:
    # An image saved by digest has no tag: its ID (the config's digest) names it.
    config = os.path.basename(entry["Config"]).removesuffix(".json")
    name = (entry.get("RepoTags") or ["sha256:" + config.removeprefix("sha256:")])[0]
    print(name, *entry["Layers"])
PY
}

# Unpack layers into a root filesystem, applying each layer's whiteouts (OCI image spec): `.wh.NAME`
# deletes NAME from the layers below, `.wh..wh..opq` empties its folder.
unpack() {
  local dir=$1 rootfs=$2
  shift 2
  mkdir -p "$rootfs"
  local layer entry
  for layer in "$@"; do
    while IFS= read -r entry; do
      local base parent
      base=$(basename "$entry")
      parent=$(dirname "$entry")
      if [ "$base" = ".wh..wh..opq" ]; then
        find "$rootfs/$parent" -mindepth 1 -maxdepth 1 -exec rm -rf {} +
      else
        rm -rf "${rootfs:?}/$parent/${base#.wh.}"
      fi
    done < <(tar -tf "$dir/$layer" | grep -E '(^|/)\.wh\.' || true)
    tar -xf "$dir/$layer" -C "$rootfs" --no-same-owner --exclude='*.wh.*' 2>/dev/null ||
      tar -xf "$dir/$layer" -C "$rootfs" --exclude='*.wh.*'
  done
}

# The host's NVIDIA driver libraries the CUDA driver API needs (the toolkit's "compute" capability).
driver_libraries() {
  ldconfig -p 2>/dev/null | awk '/lib(cuda|nvidia-ptxjitcompiler|nvidia-ml|nvidia-nvvm)\.so\.1 / && /x86-64/ {print $NF}' | sort -u
}

have_driver() {
  [ -e /dev/nvidiactl ] && [ -n "$(driver_libraries)" ]
}

# One step's outcome from its output and exit code: expect / no-device patterns, as accelbase smoke.
classify() {
  local output=$1 code=$2 expect=$3 nodevice=$4
  if grep -qE '^wrong result' <<<"$output"; then
    echo failed
  elif [ "$code" -eq 0 ] && grep -qE "$expect" <<<"$output"; then
    echo passed
  elif grep -qE 'Traceback|Segmentation fault|core dumped' <<<"$output"; then
    echo failed
  elif grep -qE "$nodevice" <<<"$output"; then
    echo no-device
  else
    echo failed
  fi
}

# The two steps, as `<name>|<command>|<expect>|<no-device>`.
STEPS=(
  "query|/usr/local/bin/accelbase-device-query|CUDA devices: [1-9]|no CUDA device"
  "compute|/usr/local/bin/accelbase-compute-probe|compute ok|no CUDA device"
)

# Run one step; prints its output and `<step>: <outcome>`, and records the outcome in OUTCOMES.
OUTCOMES=()
step() {
  local name=$1 expect=$2 nodevice=$3 output code outcome
  shift 3
  set +e
  output=$("$@" 2>&1)
  code=$?
  set -e
  printf '%s\n' "$output" | sed "s/^/  [$name] /"
  outcome=$(classify "$output" "$code" "$expect" "$nodevice")
  echo "$name: $outcome (exit code $code)"
  OUTCOMES+=("$outcome")
  if [ "$name" = compute ]; then
    DEVICE=$(sed -n 's/^device: //p' <<<"$output" | head -1)
  fi
}

run_runtime() {
  local cli=$1 archive=$2 image=$3 test_image=$4 gpus=()
  "$cli" load -q -i "$archive" >/dev/null
  if have_driver; then gpus=(--gpus all); fi
  echo "mode: container runtime ($cli${gpus:+ --gpus all})"
  local s name cmd expect nodevice ref
  for s in "${STEPS[@]}"; do
    IFS='|' read -r name cmd expect nodevice <<<"$s"
    # The query runs in the image as pushed, the probe in its test image.
    ref=$image
    [ "$name" = compute ] && ref=$test_image
    step "$name" "$expect" "$nodevice" "$cli" run --rm --network none --platform linux/amd64 "${gpus[@]}" \
      -e NVIDIA_VISIBLE_DEVICES=all -e NVIDIA_DRIVER_CAPABILITIES=compute,utility "$ref" "$cmd"
  done
}

# Inside the namespaces: a minimal /dev with the GPU's nodes, /proc, /sys, the driver bound in, then chroot.
chroot_inner() {
  local rootfs=$1 cmd=$2 libdir=usr/lib/x86_64-linux-gnu node lib
  mount -t proc proc "$rootfs/proc"
  mount --rbind /sys "$rootfs/sys"
  mount -t tmpfs -o mode=755 tmpfs "$rootfs/dev"
  for node in /dev/null /dev/zero /dev/random /dev/urandom /dev/nvidia*; do
    [ -e "$node" ] || continue
    touch "$rootfs$node"
    mount --bind "$node" "$rootfs$node"
  done
  mkdir -p "$rootfs/$libdir"
  for lib in $(driver_libraries); do
    touch "$rootfs/$libdir/$(basename "$lib")"
    mount --bind "$(readlink -f "$lib")" "$rootfs/$libdir/$(basename "$lib")"
  done
  exec chroot "$rootfs" /usr/bin/env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    NVIDIA_VISIBLE_DEVICES=all "$cmd"
}

run_chroot() {
  local dir=$1 layers=$2
  local rootfs=$dir/rootfs ns=(unshare --mount --pid --fork)
  [ "$(id -u)" -eq 0 ] || ns=(unshare --user --map-root-user --mount --pid --fork)
  echo "mode: chroot (${ns[*]}), driver: $(have_driver && driver_libraries | tr '\n' ' ' || echo none)"
  # shellcheck disable=SC2086 # the layer list is words
  "${ns[@]}" bash -c "$(declare -f unpack); unpack \"\$@\"" unpack "$dir" "$rootfs" $layers
  local s name cmd expect nodevice
  for s in "${STEPS[@]}"; do
    IFS='|' read -r name cmd expect nodevice <<<"$s"
    step "$name" "$expect" "$nodevice" "${ns[@]}" bash -c \
      "$(declare -f driver_libraries chroot_inner); chroot_inner \"\$@\"" chroot_inner "$rootfs" "$cmd"
  done
}

run() {
  [ $# -ge 1 ] || die "usage: gpu-proof.sh run ARCHIVE [--runtime|--chroot]"
  local archive=$1 mode=${2:-auto} dir cli=""
  [ -f "$archive" ] || die "no archive $archive"
  WORKDIR=$(mktemp -d)
  trap 'rm -rf "$WORKDIR" 2>/dev/null || true' EXIT
  dir=$WORKDIR
  tar -xf "$archive" -C "$dir" manifest.json
  # Image, then test image: the image's layers are the first of its test image's.
  local lines image test_image image_layers test_layers
  mapfile -t lines < <(archive_layers "$dir")
  [ ${#lines[@]} -eq 2 ] || die "$archive holds ${#lines[@]} images, not the image and its test image"
  read -r image image_layers <<<"${lines[0]}"
  read -r test_image test_layers <<<"${lines[1]}"
  if [ "${test_layers#"$image_layers"}" = "$test_layers" ]; then
    read -r image image_layers <<<"${lines[1]}"
    read -r test_image test_layers <<<"${lines[0]}"
    [ "${test_layers#"$image_layers"}" != "$test_layers" ] || die "neither image is built FROM the other"
  fi
  echo "image: $image ($(wc -w <<<"$image_layers") layers); test image: $test_image (+$(($(wc -w <<<"$test_layers") - $(wc -w <<<"$image_layers"))) layer)"
  echo "host: $(uname -srm); NVIDIA driver: $(have_driver && echo "$(cat /proc/driver/nvidia/version 2>/dev/null | head -1)" || echo 'none (no /dev/nvidiactl or libcuda.so.1)')"
  command -v nvidia-smi >/dev/null 2>&1 && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true

  case $mode in
  --runtime) cli=$(container_cli) || die "no container runtime answers" ;;
  --chroot) ;;
  auto)
    if cli=$(container_cli); then
      # A runtime that cannot give the container the GPU (no NVIDIA toolkit) is no proof: chroot instead.
      if have_driver && ! "$cli" info 2>/dev/null | grep -qi nvidia; then cli=""; fi
    fi
    ;;
  *) die "unknown mode $mode (--runtime or --chroot)" ;;
  esac
  if [ -n "$cli" ]; then
    run_runtime "$cli" "$archive" "$image" "$test_image"
  else
    tar -xf "$archive" -C "$dir"
    run_chroot "$dir" "$test_layers"
  fi

  local verdict=passed o
  for o in "${OUTCOMES[@]}"; do
    if [ "$o" = failed ]; then verdict=failed; elif [ "$o" = no-device ] && [ "$verdict" = passed ]; then verdict=no-device; fi
  done
  case $verdict in
  passed)
    echo "result: passed (${DEVICE:-unknown GPU})"
    return 0
    ;;
  no-device)
    echo "result: no-device"
    return 77
    ;;
  *)
    echo "result: failed"
    return 1
    ;;
  esac
}

case ${1:-} in
pack) shift && pack "$@" ;;
run) shift && run "$@" ;;
*) die "usage: gpu-proof.sh pack IMAGE TEST_IMAGE ARCHIVE | run ARCHIVE [--runtime|--chroot]" ;;
esac
