#!/usr/bin/env python3
"""accelbase device query for ONNX Runtime.

Builds a one-node model (y = x + x), runs it on the provider named by ACCELBASE_ORT_PROVIDER and
prints what it found. Prints "inference ok" when it ran there, "no device:" when the runtime
loaded but the provider has no device, and exits non-zero on anything else.
"""
import os
import sys

NO_DEVICE = 77

try:
    import numpy as np
    import onnxruntime as ort
except Exception as exc:  # the runtime itself is broken
    print(f"onnxruntime import failed: {exc}")
    sys.exit(2)

want = os.environ.get("ACCELBASE_ORT_PROVIDER", "CPUExecutionProvider")
available = ort.get_available_providers()
print(f"onnxruntime {ort.__version__}")
print(f"providers: {', '.join(available)}")
if want not in available:
    print(f"no device: {want} is not available in this build")
    sys.exit(NO_DEVICE)

try:
    from onnx import TensorProto, helper
except ImportError as exc:
    print(f"onnx is needed to build the test model: {exc}")
    sys.exit(2)

x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2])
y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [2])
graph = helper.make_graph([helper.make_node("Add", ["x", "x"], ["y"])], "accelbase-smoke", [x], [y])
model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
model.ir_version = 8  # readable by every onnxruntime >= 1.10

try:
    session = ort.InferenceSession(model.SerializeToString(), providers=[want])
except Exception as exc:
    print(f"no device: {want} could not start a session ({exc})")
    sys.exit(NO_DEVICE)
# ONNX Runtime silently falls back to the CPU when a GPU provider cannot start.
if session.get_providers()[0] != want:
    print(f"no device: {want} fell back to {session.get_providers()[0]}")
    sys.exit(NO_DEVICE)
result = session.run(None, {"x": np.array([1.0, 2.0], dtype=np.float32)})[0]
if list(result) != [2.0, 4.0]:
    print(f"wrong result: {result}")
    sys.exit(1)
print(f"inference ok on {want}: {list(result)}")
