# Rendered by accelbase from catalog.yaml (minideb).
# Do not edit: change catalog.yaml, run `npx accelbase render`, and commit both.
# The build context is the rootfs folder `accelbase rootfs` writes: one tarball per architecture.
FROM scratch
ARG TARGETARCH
ADD rootfs-${TARGETARCH}.tar /

LABEL org.opencontainers.image.title="minideb" \
      org.opencontainers.image.base.name="scratch" \
      org.opencontainers.image.source="https://example.org/accel" \
      io.accelbase.device-profile="none" \
      io.accelbase.image="minideb" \
      org.opencontainers.image.description="minideb: a minimal Debian, bootstrapped from Debian packages"

ENV DEBIAN_FRONTEND=noninteractive
CMD ["bash"]
