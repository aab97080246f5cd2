// What the engine takes from the Debian host it runs on: the archive keyring and the architecture name.
import { HOST_DEBIAN_KEYRING } from '../datasources/debian/mirror.js';
import { UserError } from '../errors.js';

/** Signs the private apt sources; the host's package state is never touched. */
export const DEBIAN_KEYRING = HOST_DEBIAN_KEYRING;

/** Node's arch names to Debian's. */
export function debianArch(nodeArch: string = process.arch): string {
  const map: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'armhf', ppc64: 'ppc64el', s390x: 's390x', riscv64: 'riscv64' };
  const arch = map[nodeArch];
  if (!arch) throw new UserError(`unsupported host architecture ${nodeArch}`);
  return arch;
}
