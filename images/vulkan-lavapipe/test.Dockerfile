# Rendered by accelbase from catalog.yaml (accelerators.vulkan.variants.lavapipe.smoke.compute): the test image of
# vulkan-lavapipe for smoke's compute tier, built FROM the image under test, which stays byte for byte
# as it is. It is never pushed under vulkan-lavapipe's tags.
# Do not edit: change generators/compute-probes/vulkan-compute/, run `npx accelbase render`, and commit both.
ARG IMAGE_UNDER_TEST=acceleratorbase/vulkan-lavapipe:trixie

# The shader is compiled to SPIR-V (a C header) and the probe built in a stage of their own, so the
# test image is the image under test plus one binary. Both are built on the build machine's
# architecture, with a cross compiler and the target's libraries (Debian multiarch) for another:
# nothing is compiled under emulation.
FROM --platform=$BUILDPLATFORM ${IMAGE_UNDER_TEST} AS probe-build
ARG TARGETARCH
RUN --mount=type=cache,id=accelbase-apt-archives,target=/var/cache/apt/archives,sharing=locked \
    case "$TARGETARCH" in amd64) gnu=x86_64-linux-gnu ;; arm64) gnu=aarch64-linux-gnu ;; esac \
 && echo "$gnu-gcc" >/cc \
 && if [ "$TARGETARCH" = "$(dpkg --print-architecture)" ]; then install_packages gcc libc6-dev libvulkan-dev glslang-tools; \
    else dpkg --add-architecture "$TARGETARCH" \
      && install_packages "gcc-$(echo "$gnu" | tr _ -)" glslang-tools "libc6-dev:$TARGETARCH" "libvulkan-dev:$TARGETARCH"; fi
COPY vadd.comp vadd.c /src/
RUN glslangValidator -V --vn vadd_spv -o /src/vadd_spv.h /src/vadd.comp \
 && "$(cat /cc)" -O2 -Wall -o /accelbase-compute-probe /src/vadd.c -lvulkan

FROM ${IMAGE_UNDER_TEST}
COPY --from=probe-build /accelbase-compute-probe /usr/local/bin/accelbase-compute-probe
