// What the engine takes from the Debian host it runs on: the architecture name (the archive keyring is datasources/debian/mirror.ts's).
import { UserError } from '../errors.js';

/** Node's arch names to Debian's. */
export function debianArch(nodeArch: string = process.arch): string {
  const map: Record<string, string> = {
    x64: 'amd64',
    arm64: 'arm64',
    arm: 'armhf',
    ppc64: 'ppc64el',
    s390x: 's390x',
    riscv64: 'riscv64',
  };
  const arch = map[nodeArch];
  if (!arch) throw new UserError(`unsupported host architecture ${nodeArch}`);
  return arch;
}
