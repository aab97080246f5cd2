# Rendered by accelbase from catalog.yaml (accelerators.opencl.variants.pocl.smoke.compute): the test image of
# opencl-pocl for smoke's compute tier, built FROM the image under test, which stays byte for byte
# as it is. It is never pushed under opencl-pocl's tags.
# Do not edit: change generators/compute-probes/fixture-vadd/, run `npx accelbase render`, and commit both.
ARG IMAGE_UNDER_TEST=example/opencl-pocl:trixie

# A fixture probe: one build stage, the probe copied into the image under test.
FROM ${IMAGE_UNDER_TEST} AS probe-build
RUN --mount=type=cache,id=accelbase-apt-archives,target=/var/cache/apt/archives,sharing=locked \
    install_packages gcc libc6-dev
COPY vadd.c /src/
RUN gcc -o /accelbase-compute-probe /src/vadd.c

FROM ${IMAGE_UNDER_TEST}
COPY --from=probe-build /accelbase-compute-probe /usr/local/bin/accelbase-compute-probe
