# Rendered by accelbase from catalog.yaml (accelerators.opencl.variants.pocl.smoke.compute): the test image of
# opencl-pocl for smoke's compute tier, built FROM the image under test, which stays byte for byte
# as it is. It is never pushed under opencl-pocl's tags.
# Do not edit: change generators/compute-probes/opencl-vadd/, run `npx accelbase render`, and commit both.
ARG IMAGE_UNDER_TEST=acceleratorbase/opencl-pocl:trixie

# The probe is compiled in a stage of its own, so the test image is the image under test plus one
# binary (gcc and the headers never reach it). It is compiled on the build machine's architecture,
# with a cross compiler and the target's libraries (Debian multiarch) for another: nothing is
# compiled under emulation.
FROM --platform=$BUILDPLATFORM ${IMAGE_UNDER_TEST} AS probe-build
ARG TARGETARCH
RUN --mount=type=cache,id=accelbase-apt-archives,target=/var/cache/apt/archives,sharing=locked \
    case "$TARGETARCH" in amd64) gnu=x86_64-linux-gnu ;; arm64) gnu=aarch64-linux-gnu ;; esac \
 && echo "$gnu-gcc" >/cc \
 && if [ "$TARGETARCH" = "$(dpkg --print-architecture)" ]; then install_packages gcc libc6-dev ocl-icd-opencl-dev; \
    else dpkg --add-architecture "$TARGETARCH" \
      && install_packages "gcc-$(echo "$gnu" | tr _ -)" "libc6-dev:$TARGETARCH" "ocl-icd-opencl-dev:$TARGETARCH"; fi
COPY vadd.c /src/
RUN "$(cat /cc)" -O2 -Wall -o /accelbase-compute-probe /src/vadd.c -lOpenCL

FROM ${IMAGE_UNDER_TEST}
COPY --from=probe-build /accelbase-compute-probe /usr/local/bin/accelbase-compute-probe
