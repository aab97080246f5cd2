# Rendered by accelbase from catalog.yaml (accelerators.vendor.variants.std).
# Do not edit: change catalog.yaml, run `npx accelbase render`, and commit both.
ARG BASE_IMAGE=example/minideb:bullseye
FROM ${BASE_IMAGE}

LABEL org.opencontainers.image.title="vendor-std" \
      org.opencontainers.image.description="A vendor runtime from its own apt repository" \
      org.opencontainers.image.base.name="example/minideb:bullseye" \
      io.accelbase.image="vendor-std" \
      io.accelbase.distribution="bullseye" \
      org.opencontainers.image.source="https://example.org/accel" \
      io.accelbase.accelerator="vendor" \
      io.accelbase.variant="std" \
      io.accelbase.device-profile="usb"

# Vendor repository "vendor", trusted only through the pinned key 0123456789ABCDEF0123456789ABCDEF01234567.
RUN install_packages ca-certificates curl gnupg \
 && curl -fsSL --retry 3 -o /tmp/vendor.key https://vendor.example.com/key.gpg \
 && export GNUPGHOME="$(mktemp -d)" \
 && gpg --batch --quiet --import /tmp/vendor.key \
 && gpg --batch --export 0123456789ABCDEF0123456789ABCDEF01234567 > /usr/share/keyrings/accelbase-vendor.gpg \
 && test -s /usr/share/keyrings/accelbase-vendor.gpg \
 && rm -rf "$GNUPGHOME" /tmp/vendor.key \
 && echo 'deb [signed-by=/usr/share/keyrings/accelbase-vendor.gpg] https://vendor.example.com/apt stable main' \
      > /etc/apt/sources.list.d/accelbase-vendor.list

RUN echo 'vendor-rt vendor/accepted-eula boolean true' | debconf-set-selections

RUN install_packages vendor-rt \
      python3-vendor
