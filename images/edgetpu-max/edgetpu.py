#!/usr/bin/env python3
"""accelbase device query for the Coral EdgeTPU: libedgetpu's C API (edgetpu_c.h) through ctypes.

Prints what the seed article's devicequery.py printed: the runtime's version line, then
"Available EdgeTPU Devices:" and one path per device. "no EdgeTPU device" when the library loads but
lists none; exits non-zero when the library itself is missing or broken (that is a failure, never
"no device"). No pycoral: it needs Python < 3.10, which no supported Debian release has.
Needs ctypes: the image installs python3, not python3-minimal.
"""
import ctypes
import sys

NO_DEVICE = 77


class Device(ctypes.Structure):
    # struct edgetpu_device { enum edgetpu_device_type type; const char* path; }
    _fields_ = [("type", ctypes.c_int), ("path", ctypes.c_char_p)]


try:
    lib = ctypes.CDLL("libedgetpu.so.1")
    lib.edgetpu_version.restype = ctypes.c_char_p
    lib.edgetpu_list_devices.restype = ctypes.POINTER(Device)
    lib.edgetpu_list_devices.argtypes = [ctypes.POINTER(ctypes.c_size_t)]
    lib.edgetpu_free_devices.argtypes = [ctypes.POINTER(Device)]
    lib.edgetpu_free_devices.restype = None
except (OSError, AttributeError) as exc:
    print(f"EdgeTPU runtime (libedgetpu.so.1) not available: {exc}")
    sys.exit(2)

version = lib.edgetpu_version()
if not version:
    print("edgetpu_version() returned nothing: libedgetpu is broken")
    sys.exit(2)
print(version.decode(errors="replace"))

count = ctypes.c_size_t(0)
devices = lib.edgetpu_list_devices(ctypes.byref(count))
try:
    if count.value == 0:
        print("no EdgeTPU device (none attached: pass the USB bus or /dev/apex_0, see the device profile)")
        sys.exit(NO_DEVICE)
    print("Available EdgeTPU Devices:")
    for i in range(count.value):
        path = devices[i].path.decode(errors="replace") if devices[i].path else "?"
        print(path)
finally:
    if devices:
        lib.edgetpu_free_devices(devices)
