// OpenPGP signatures of a suite's Release, checked with gpgv against a keyring (Debian's archive
// keyring, or a vendor's pinned key): InRelease clear-signed, or Release with a detached Release.gpg.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntegrityError } from '../../errors.js';
import { run } from '../../exec.js';

/** What gpgv's status lines say about the signature, for the message. */
function why(status: string, keyring: string): string {
  const line = (tag: string) => new RegExp(`^\\[GNUPG:\\] ${tag} (\\S+)(?: (.*))?$`, 'm').exec(status);
  const bad = line('BADSIG');
  if (bad)
    return `bad signature by key ${bad[1]}${bad[2] ? ` (${bad[2]})` : ''}: the file was changed after it was signed`;
  const unknown = line('NO_PUBKEY') ?? line('ERRSIG');
  if (unknown) return `signed by key ${unknown[1]}, which is not in ${keyring}`;
  if (line('NODATA') || !status.includes('[GNUPG:]')) return 'no OpenPGP signature in it';
  return `signature not valid (${status.trim().split('\n').pop()})`;
}

/**
 * Throws an IntegrityError naming `url` and the key unless `signed` (clear-signed, or with the
 * detached `signature`) carries a valid signature by a key in `keyring`.
 */
export async function verifySignature(url: string, keyring: string, signed: Buffer, signature?: Buffer): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'accelbase-gpgv-'));
  try {
    const data = join(dir, 'data');
    writeFileSync(data, signed);
    const files = signature ? [join(dir, 'data.sig'), data] : [data];
    if (signature) writeFileSync(files[0], signature);
    const r = await run('gpgv', ['--status-fd', '1', '--keyring', keyring, ...files], {
      allowFailure: true,
      env: { LC_ALL: 'C' },
    });
    if (r.exitCode === 0 && /^\[GNUPG:\] VALIDSIG /m.test(r.stdout)) return;
    throw new IntegrityError(`${url}: ${why(r.stdout, keyring)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
