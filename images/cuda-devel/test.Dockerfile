# Rendered by accelbase from catalog.yaml (accelerators.cuda.variants.devel.smoke.compute): the test image of
# cuda-devel for smoke's compute tier, built FROM the image under test, which stays byte for byte
# as it is. It is never pushed under cuda-devel's tags.
# Do not edit: change generators/compute-probes/cuda-ptx/, run `npx accelbase render`, and commit both.
ARG IMAGE_UNDER_TEST=acceleratorbase/cuda-devel:trixie

# The probe needs only a C compiler: no CUDA headers, no nvcc (the driver compiles its PTX). It is
# built in a stage of its own, so the test image is the image under test plus one binary.
FROM ${IMAGE_UNDER_TEST} AS probe-build
RUN --mount=type=cache,id=accelbase-apt-archives,target=/var/cache/apt/archives,sharing=locked \
    install_packages gcc libc6-dev
COPY vadd.c /src/
RUN gcc -O2 -Wall -o /accelbase-compute-probe /src/vadd.c -ldl

FROM ${IMAGE_UNDER_TEST}
COPY --from=probe-build /accelbase-compute-probe /usr/local/bin/accelbase-compute-probe
