# Rendered by accelbase from catalog.yaml (accelerators.opencl.variants.pocl).
# Do not edit: change catalog.yaml, run `npx accelbase render`, and commit both.
ARG BASE_IMAGE=example/minideb:trixie
FROM ${BASE_IMAGE}

LABEL org.opencontainers.image.title="opencl-pocl" \
      org.opencontainers.image.description="OpenCL on the CPU" \
      org.opencontainers.image.base.name="example/minideb:trixie" \
      io.accelbase.image="opencl-pocl" \
      io.accelbase.distribution="trixie" \
      org.opencontainers.image.source="https://example.org/accel" \
      io.accelbase.accelerator="opencl" \
      io.accelbase.variant="pocl" \
      io.accelbase.device-profile="none" \
      io.accelbase.runtime-version="6.0"

ENV OCL_ICD_VENDORS="/etc/OpenCL/vendors"

RUN --mount=type=cache,id=accelbase-apt-archives,target=/var/cache/apt/archives,sharing=locked \
    install_packages pocl-opencl-icd=6.0-6 \
      clinfo=3.0.25.02.14-1
