#!/usr/bin/env python3
"""accelbase device query for the Coral EdgeTPU (the seed article's devicequery.py, with outcomes).

Prints the runtime version and the devices found; "no EdgeTPU device" when the runtime loaded but
no device is attached; exits non-zero when the runtime itself is missing or broken.
"""
import sys

NO_DEVICE = 77

try:
    from pycoral.utils import edgetpu
except Exception as exc:
    print(f"EdgeTPU runtime not available: {exc}")
    sys.exit(2)

print(edgetpu.get_runtime_version())
devices = edgetpu.list_edge_tpus()
if not devices:
    print("no EdgeTPU device found")
    sys.exit(NO_DEVICE)
print("Available EdgeTPU Devices:")
for device in devices:
    print(device.get("path", device))
