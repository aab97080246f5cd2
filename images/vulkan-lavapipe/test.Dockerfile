# Rendered by accelbase from catalog.yaml (accelerators.vulkan.variants.lavapipe.smoke.compute): the test image of
# vulkan-lavapipe for smoke's compute tier, built FROM the image under test, which stays byte for byte
# as it is. It is never pushed under vulkan-lavapipe's tags.
# Do not edit: change generators/compute-probes/vulkan-compute/, run `npx accelbase render`, and commit both.
ARG IMAGE_UNDER_TEST=acceleratorbase/vulkan-lavapipe:trixie

# The shader is compiled to SPIR-V (a C header) and the probe built in a stage of their own, so the
# test image is the image under test plus one binary.
FROM ${IMAGE_UNDER_TEST} AS probe-build
RUN --mount=type=cache,id=accelbase-apt-archives,target=/var/cache/apt/archives,sharing=locked \
    install_packages gcc libc6-dev libvulkan-dev glslang-tools
COPY vadd.comp vadd.c /src/
RUN glslangValidator -V --vn vadd_spv -o /src/vadd_spv.h /src/vadd.comp \
 && gcc -O2 -Wall -o /accelbase-compute-probe /src/vadd.c -lvulkan

FROM ${IMAGE_UNDER_TEST}
COPY --from=probe-build /accelbase-compute-probe /usr/local/bin/accelbase-compute-probe
