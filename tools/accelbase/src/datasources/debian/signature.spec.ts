import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { parseCatalog } from '../../catalog/load.js';
import { emptyLock } from '../../catalog/lock.js';
import { IntegrityError } from '../../errors.js';
import { archive, closeServers } from '../../test/archive.js';
import { makeSigningKey } from '../../test/signing.js';
import { updateLock } from '../../workflows/resolve-lock.js';
import { fetchRelease } from './release.js';
import { verifySignature } from './signature.js';

// Real signatures: a key made for this run, and a second one the archive's keyring does not hold.
const key = makeSigningKey();
const stranger = makeSigningKey('someone else');
afterAll(() => {
  key.dispose();
  stranger.dispose();
});
afterEach(closeServers);

const text = 'Suite: bookworm\nDate: Sat, 06 Sep 2025 09:42:15 UTC\nSHA256:\n';

describe('verifySignature (gpgv)', () => {
  test('a clear-signed file by a key in the keyring passes', async () => {
    await expect(verifySignature('InRelease', key.keyring, key.clearsign(text))).resolves.toBeUndefined();
  });
  test('a detached signature passes', async () => {
    await expect(
      verifySignature('Release', key.keyring, Buffer.from(text), key.detach(Buffer.from(text))),
    ).resolves.toBeUndefined();
  });
  test('a file changed after signing: bad signature, naming the file and the key', async () => {
    const tampered = Buffer.from(key.clearsign(text).toString().replace('Suite: bookworm', 'Suite: bookwurm'));
    const err = await verifySignature('http://127.0.0.1/InRelease', key.keyring, tampered).catch((e) => e);
    expect(err).toBeInstanceOf(IntegrityError);
    expect(err.message).toMatch(/^http:\/\/127\.0\.0\.1\/InRelease: bad signature by key [0-9A-F]{16}/);
    expect(key.fingerprint.endsWith(/key ([0-9A-F]{16})/.exec(err.message)![1])).toBe(true);
  });
  test('a key the keyring does not hold: unknown key, naming it and the keyring', async () => {
    const err = await verifySignature('InRelease', key.keyring, stranger.clearsign(text)).catch((e) => e);
    expect(err).toBeInstanceOf(IntegrityError);
    expect(err.message).toContain(`which is not in ${key.keyring}`);
    expect(err.message).toContain(stranger.fingerprint.slice(-16));
  });
  test('no signature at all', async () => {
    await expect(verifySignature('InRelease', key.keyring, Buffer.from(text))).rejects.toThrow(
      'InRelease: no OpenPGP signature in it',
    );
  });
});

const catalog = `version: 1
registry: { namespace: t }
defaultDistribution: bookworm
distributions: { bookworm: { version: "12", python: "3.11" } }
minideb: { distributions: [bookworm], platforms: [linux/amd64], smoke: { command: ["true"], expect: "." } }
sources:
  debian: { type: debian, components: [main] }
accelerators:
  opencl:
    description: x
    variants:
      pocl:
        base: minideb:bookworm
        platforms: [linux/amd64]
        runtime: clinfo
        packages: [clinfo]
        smoke: { command: [clinfo], expect: "." }
`;

describe('a signed archive on 127.0.0.1', () => {
  test("InRelease or Release + Release.gpg, signed by the keyring's key, are read", async () => {
    for (const signed of [true, false]) {
      const a = await archive({ key, signed });
      expect((await fetchRelease({ mirror: a.url, suite: 'bookworm', keyring: key.keyring })).codename).toBe(
        'bookworm',
      );
    }
  });

  test('update stops on a tampered InRelease: an error naming the file, no lock to write', async () => {
    const a = await archive({ key });
    const path = '/debian/dists/bookworm/InRelease';
    a.routes.set(
      path,
      Buffer.from((a.routes.get(path) as Buffer).toString().replace('Codename: bookworm', 'Codename: bookwurm')),
    );
    const { model } = parseCatalog('catalog.yaml', catalog, new Set());
    const run = updateLock(model, emptyLock(), { mirror: a.url, debianKeyring: key.keyring, today: '2026-12-01' });
    await expect(run).rejects.toThrow(IntegrityError);
    await expect(run).rejects.toThrow(`${a.url}/dists/bookworm/InRelease: bad signature by key`);
  });

  test('update stops on an index whose sha256 does not match its InRelease', async () => {
    const a = await archive({ key });
    for (const [path, body] of a.routes)
      if (!path.endsWith('/InRelease') && body !== 'hang') a.routes.set(path, Buffer.concat([body, Buffer.from('x')]));
    const { model } = parseCatalog('catalog.yaml', catalog, new Set());
    await expect(
      updateLock(model, emptyLock(), { mirror: a.url, debianKeyring: key.keyring, today: '2026-12-01' }),
    ).rejects.toThrow(/sha256 mismatch/);
  });

  test('an archive signed by another key is refused', async () => {
    const a = await archive({ key: stranger });
    const { model } = parseCatalog('catalog.yaml', catalog, new Set());
    await expect(
      updateLock(model, emptyLock(), { mirror: a.url, debianKeyring: key.keyring, today: '2026-12-01' }),
    ).rejects.toThrow('which is not in');
  });
});
