# Rendered by accelbase from catalog.yaml (accelerators.vendor.variants.std).
# Do not edit: change catalog.yaml, run `npx accelbase render`, and commit both.
ARG BASE_IMAGE=example/minideb:bullseye

# The signing key of vendor repository "vendor", fetched and checked against the pinned
# fingerprint in a stage of its own: curl and gnupg never reach the image.
FROM ${BASE_IMAGE} AS key-vendor
RUN --mount=type=cache,id=accelbase-apt-archives,target=/var/cache/apt/archives,sharing=locked \
    install_packages ca-certificates curl gnupg \
 && curl -fsSL --retry 3 -o /tmp/vendor.key https://vendor.example.com/key.gpg \
 && export GNUPGHOME="$(mktemp -d)" \
 && found="$(gpg --batch --with-colons --show-keys /tmp/vendor.key | awk -F: '$1 == "pub" { p = 1 } $1 == "fpr" && p { printf "%s ", $10; p = 0 }')" \
 && case " $found" in *" 0123456789ABCDEF0123456789ABCDEF01234567 "*) ;; *) echo "accelbase: source \"vendor\": the key at https://vendor.example.com/key.gpg has fingerprint ${found:-(none) }not the pinned 0123456789ABCDEF0123456789ABCDEF01234567" >&2; exit 1 ;; esac \
 && gpg --batch --quiet --import /tmp/vendor.key \
 && gpg --batch --export 0123456789ABCDEF0123456789ABCDEF01234567 > /accelbase-vendor.gpg \
 && test -s /accelbase-vendor.gpg

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
COPY --from=key-vendor /accelbase-vendor.gpg /usr/share/keyrings/accelbase-vendor.gpg

RUN --mount=type=cache,id=accelbase-apt-archives,target=/var/cache/apt/archives,sharing=locked \
    install_packages ca-certificates \
 && echo 'deb [signed-by=/usr/share/keyrings/accelbase-vendor.gpg] https://vendor.example.com/apt stable main' \
      > /etc/apt/sources.list.d/accelbase-vendor.list

RUN echo 'vendor-rt vendor/accepted-eula boolean true' | debconf-set-selections

RUN --mount=type=cache,id=accelbase-apt-archives,target=/var/cache/apt/archives,sharing=locked \
    install_packages vendor-rt \
      python3-vendor
