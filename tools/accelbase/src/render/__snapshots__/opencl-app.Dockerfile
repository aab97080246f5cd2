# Rendered by accelbase from catalog.yaml (accelerators.opencl.variants.app).
# Do not edit: change catalog.yaml, run `npx accelbase render`, and commit both.
ARG BASE_IMAGE=example/opencl-pocl:trixie
FROM ${BASE_IMAGE}

LABEL org.opencontainers.image.title="opencl-app" \
      org.opencontainers.image.description="OpenCL on the CPU" \
      org.opencontainers.image.base.name="example/opencl-pocl:trixie" \
      io.accelbase.image="opencl-app" \
      io.accelbase.distribution="trixie" \
      org.opencontainers.image.source="https://example.org/accel" \
      io.accelbase.accelerator="opencl" \
      io.accelbase.variant="app" \
      io.accelbase.device-profile="none"

# Debian components beyond main, for firmware-misc.
RUN sed -i -E 's/^(deb .*) main$/\1 main non-free/' /etc/apt/sources.list

RUN --mount=type=cache,id=accelbase-apt-archives,target=/var/cache/apt/archives,sharing=locked \
    install_packages firmware-misc

RUN pip3 install --no-cache-dir --break-system-packages --index-url https://pypi.example.org/simple \
      'numpy>=1.26.0,<3.0.0'

RUN npm install --global --omit=dev 'onnxruntime-node@^1.20.0' && npm cache clean --force

ADD --checksum=sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 https://example.org/models/model.onnx /opt/models/model.onnx

COPY --chmod=0755 onnxruntime.py /usr/local/bin/accelbase-device-query
