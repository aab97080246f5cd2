// binfmt_misc: run linux/arm64 binaries on other hosts through the prefix's qemu-aarch64-static, for
// arm64 image builds and arm64 debootstrap.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { info } from '../log.js';
import { run } from '../exec.js';
import { debianArch } from './host.js';
import { qemuAarch64 } from './paths.js';

const BINFMT_DIR = '/proc/sys/fs/binfmt_misc';

/**
 * binfmt_misc registration for arm64 binaries (ELF64, little-endian, e_machine 0xb7). Flags as Docker's
 * tonistiigi/binfmt sets them: F opens the interpreter now, so it works in chroots and containers that
 * lack the file; P keeps argv[0] (qemu 7.2 reads it from AT_FLAGS); O and C let setuid binaries work.
 */
export function binfmtRegistration(interpreter: string): string {
  const magic = '\\x7fELF\\x02\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x02\\x00\\xb7\\x00';
  const mask = '\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff';
  return `:qemu-aarch64:M::${magic}:${mask}:${interpreter}:POCF`;
}

/** Register qemu-aarch64 (F flag) unless an enabled registration exists. Needs root. */
export async function ensureBinfmt(prefix: string): Promise<'present' | 'registered'> {
  if (debianArch() === 'arm64') return 'present';
  if (!existsSync(join(BINFMT_DIR, 'register'))) {
    info(`engine: mounting binfmt_misc on ${BINFMT_DIR}`);
    await run('mount', ['-t', 'binfmt_misc', 'binfmt_misc', BINFMT_DIR]);
  }
  const entry = join(BINFMT_DIR, 'qemu-aarch64');
  if (existsSync(entry)) {
    const text = readFileSync(entry, 'utf8');
    if (/^enabled/m.test(text)) return 'present';
    writeFileSync(entry, '1');
    info('engine: enabled the existing qemu-aarch64 binfmt registration');
    return 'registered';
  }
  const interpreter = qemuAarch64(prefix);
  writeFileSync(join(BINFMT_DIR, 'register'), binfmtRegistration(interpreter));
  info(`engine: registered ${interpreter} for linux/arm64 binaries`);
  return 'registered';
}
