#!/usr/bin/env python3
"""accelbase device query for the CUDA runtime: load libcudart, print its version and the devices.

Prints "CUDA devices: N" when the runtime finds devices, "no CUDA device (why)" when it loads but
the host gives the container no GPU (no NVIDIA driver mounted, or none visible), and exits non-zero
when the runtime itself is missing or broken. Needs ctypes: the image installs python3, not
python3-minimal.
"""
import ctypes
import sys

NO_DEVICE = 77

runtime = None
for name in ("libcudart.so.12", "libcudart.so.11.0", "libcudart.so"):
    try:
        runtime = ctypes.CDLL(name)
        break
    except OSError:
        continue
if runtime is None:
    print("CUDA runtime library (libcudart) not found")
    sys.exit(2)

version = ctypes.c_int()
if runtime.cudaRuntimeGetVersion(ctypes.byref(version)) != 0:
    print("cudaRuntimeGetVersion failed")
    sys.exit(2)
print(f"CUDA runtime {version.value // 1000}.{version.value % 1000 // 10}")

# The driver (libcuda) is never in the image: the NVIDIA container toolkit mounts the host's on a GPU host.
try:
    ctypes.CDLL("libcuda.so.1")
except OSError:
    print("no CUDA device (no NVIDIA driver in the container: run it with --gpus on a host with the NVIDIA container toolkit)")
    sys.exit(NO_DEVICE)

runtime.cudaGetErrorString.restype = ctypes.c_char_p
count = ctypes.c_int()
err = runtime.cudaGetDeviceCount(ctypes.byref(count))
if err != 0:
    reason = runtime.cudaGetErrorString(err).decode(errors="replace")
    print(f"no CUDA device ({reason})")
    sys.exit(NO_DEVICE)
if count.value == 0:
    print("no CUDA device (count is 0)")
    sys.exit(NO_DEVICE)
print(f"CUDA devices: {count.value}")
