// Environment values that follow the lock: a catalog never types a version, yet some variables must
// name one (NVIDIA_REQUIRE_CUDA=cuda>=12.4 makes the NVIDIA container runtime refuse a host whose
// driver is too old for the CUDA runtime in the image). Pure.

const PLACEHOLDER = /\{runtime\.(version|minor)\}/g;

/** `12.4.127` -> `12.4`; a version of one part stays as it is. */
const minorOf = (version: string): string => version.split('.').slice(0, 2).join('.');

/**
 * The image's ENV with `{runtime.version}` (the runtime's locked upstream version, `12.4.127`) and
 * `{runtime.minor}` (`12.4`) filled in. An entry that names one is left out until the lock has the
 * version, rather than rendered with a placeholder no runtime understands. Other braces are literal.
 */
export function lockedEnv(env: Record<string, string>, version: string | null): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).flatMap(([name, value]) => {
      if (!value.match(PLACEHOLDER)) return [[name, value]];
      if (version === null) return [];
      return [[name, value.replace(PLACEHOLDER, (_, part) => (part === 'version' ? version : minorOf(version)))]];
    }),
  );
}
