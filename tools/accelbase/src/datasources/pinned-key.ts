// A vendor repository's signing key, fetched from its URL and trusted only when it carries the
// fingerprint the catalog pins: a keyring holding just that key, for gpgv (see debian/signature.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IntegrityError } from '../errors.js';
import { run } from '../exec.js';
import { download, httpError, type FetchImpl } from '../lib/http.js';

const KEY_TIMEOUT_MS = 60_000;

/** Primary-key fingerprints in gpg's --with-colons listing, in order. */
export function primaryFingerprints(colons: string): string[] {
  const out: string[] = [];
  let primary = false;
  for (const line of colons.split('\n')) {
    const f = line.split(':');
    if (f[0] === 'pub') primary = true;
    else if (f[0] === 'sub') primary = false;
    else if (f[0] === 'fpr' && primary) {
      out.push(f[9].toUpperCase());
      primary = false;
    }
  }
  return out;
}

/**
 * Download the key at `url` and write a keyring with only the key whose fingerprint is `fingerprint`
 * into a fresh directory under `dir` (default: the system temp directory); returns its path. Throws
 * an IntegrityError naming the URL and both fingerprints when the file holds no such key.
 */
export async function pinnedKeyring(
  url: string,
  fingerprint: string,
  opts: { fetchImpl?: FetchImpl; dir?: string } = {},
): Promise<string> {
  const got = await download(url, opts.fetchImpl ?? fetch, KEY_TIMEOUT_MS);
  if (!got.ok) throw httpError(url, got);
  if (opts.dir) mkdirSync(opts.dir, { recursive: true });
  const out = mkdtempSync(join(opts.dir ?? tmpdir(), 'accelbase-key-'));
  const home = join(out, 'gnupg');
  mkdirSync(home, { mode: 0o700 });
  const gpg = (args: string[], allowFailure = false) =>
    run('gpg', ['--homedir', home, '--batch', '--no-auto-check-trustdb', ...args], {
      allowFailure,
      env: { LC_ALL: 'C' },
    });
  try {
    const keyFile = join(out, 'key');
    writeFileSync(keyFile, got.body);
    const listed = await gpg(['--with-colons', '--show-keys', keyFile], true);
    const found = listed.exitCode === 0 ? primaryFingerprints(listed.stdout) : [];
    const want = fingerprint.toUpperCase();
    if (!found.includes(want)) {
      const has = found.length ? `has fingerprint ${found.join(', ')}` : 'holds no OpenPGP key';
      throw new IntegrityError(`${url}: the key ${has}, not the pinned ${want}`);
    }
    await gpg(['--quiet', '--import', keyFile]);
    const keyring = join(out, 'keyring.gpg');
    await gpg(['--output', keyring, '--export', want]);
    return keyring;
  } finally {
    await run('gpgconf', ['--homedir', home, '--kill', 'all'], { allowFailure: true });
    rmSync(home, { recursive: true, force: true });
  }
}
