#!/bin/sh
# Lists the compute devices this container can reach: OpenCL platforms (clinfo) and Vulkan
# physical devices (vulkaninfo). Exits 1 when it finds none.
found=0
if command -v clinfo >/dev/null 2>&1; then
  devices=$(clinfo -l 2>/dev/null | sed -n 's/^.*Device #[0-9]*: *//p')
  if [ -n "$devices" ]; then
    echo "OpenCL devices:"
    echo "$devices" | sed 's/^/  /'
    found=1
  fi
fi
if command -v vulkaninfo >/dev/null 2>&1; then
  devices=$(XDG_RUNTIME_DIR=${XDG_RUNTIME_DIR:-/tmp} vulkaninfo --summary 2>/dev/null | sed -n 's/^[[:space:]]*deviceName *= *//p')
  if [ -n "$devices" ]; then
    echo "Vulkan devices:"
    echo "$devices" | sed 's/^/  /'
    found=1
  fi
fi
[ "$found" = 1 ] || { echo "no OpenCL or Vulkan device found"; exit 1; }
echo "architecture: $(dpkg --print-architecture)"
