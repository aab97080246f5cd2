// The one platform helper: `linux/<arch>` -> `<arch>` (Debian and OCI agree on amd64 and arm64).

/** `linux/arm64` -> `arm64`; a bare architecture is returned as it is. */
export const archOf = (platform: string): string => platform.slice(platform.indexOf('/') + 1);

export const archesOf = (platforms: readonly string[]): string[] => platforms.map(archOf);
