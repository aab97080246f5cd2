#!/usr/bin/env python3
"""Prints the EdgeTPU runtime version and the devices found (the seed article's example)."""
import sys

try:
    from pycoral.utils import edgetpu
except ImportError as exc:
    print(f"EdgeTPU runtime not available: {exc}")
    sys.exit(2)

print(edgetpu.get_runtime_version())
devices = edgetpu.list_edge_tpus()
if not devices:
    print("no EdgeTPU device")
    sys.exit(1)
print("Available EdgeTPU Devices:")
for device in devices:
    print(device["path"])
