// A vendor repository's Release verified against its pinned key, at `update` time: a real key made
// for the run, a real signed archive on 127.0.0.1 serving that key, and the fixture indexes.
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { parseCatalog } from '../catalog/load.js';
import { emptyLock } from '../catalog/lock.js';
import { IntegrityError } from '../errors.js';
import { archive, closeServers, type Archive } from '../test/archive.js';
import { makeSigningKey } from '../test/signing.js';
import { updateLock } from '../workflows/resolve-lock.js';
import { pinnedKeyring, primaryFingerprints } from './pinned-key.js';

const vendor = makeSigningKey('vendor archive');
const stranger = makeSigningKey('someone else');
afterAll(() => {
  vendor.dispose();
  stranger.dispose();
});
afterEach(closeServers);

/** The archive, with the vendor's public key served at /vendor.gpg (and a stranger's at /other.gpg). */
async function vendorArchive(signer = vendor): Promise<Archive> {
  const a = await archive({ key: signer });
  a.routes.set('/vendor.gpg', readFileSync(vendor.keyring));
  a.routes.set('/other.gpg', readFileSync(stranger.keyring));
  return a;
}

const catalog = (a: Archive, fingerprint: string, keyPath = '/vendor.gpg') => `version: 1
registry: { namespace: t }
defaultDistribution: bookworm
distributions: { bookworm: { version: "12", python: "3.11" } }
minideb: { distributions: [bookworm], platforms: [linux/amd64], smoke: { command: ["true"], expect: "." } }
sources:
  vendor:
    type: apt
    url: ${a.url}
    suite: bookworm
    components: [main]
    key: { url: "${a.url.replace(/\/debian$/, '')}${keyPath}", fingerprint: ${fingerprint} }
    architectures: [amd64]
accelerators:
  opencl:
    description: x
    variants:
      pocl:
        base: minideb:bookworm
        platforms: [linux/amd64]
        runtime: clinfo
        packages: [{ name: clinfo, source: vendor, version: "<3.0.25" }]
        smoke: { command: [clinfo], expect: "." }
`;

const update = (text: string) =>
  updateLock(parseCatalog('catalog.yaml', text, new Set()).model, emptyLock(), {
    mirror: 'http://127.0.0.1:9/unused',
    today: '2026-12-02',
  });

describe('a vendor apt source is verified against its pinned key at update time', () => {
  test('the right fingerprint: the Release verifies and the package resolves', async () => {
    const a = await vendorArchive();
    const result = await update(catalog(a, vendor.fingerprint));
    expect(result.unresolved).toEqual([]);
    expect(result.lock.images['opencl-pocl'].platforms['linux/amd64']!.packages).toEqual({ clinfo: '3.0.23.01.25-1' });
    expect(a.requests.filter((r) => r === '/vendor.gpg')).toHaveLength(1); // once per run
  });

  test('a key file without the pinned fingerprint: an error naming the key file and both fingerprints, no lock', async () => {
    const a = await vendorArchive();
    const run = update(catalog(a, vendor.fingerprint, '/other.gpg'));
    await expect(run).rejects.toThrow(IntegrityError);
    await expect(run).rejects.toThrow(
      `${a.url.replace(/\/debian$/, '')}/other.gpg: the key has fingerprint ${stranger.fingerprint}, not the pinned ${vendor.fingerprint}`,
    );
  });

  test("a Release signed by another key (the repository is not the pinned vendor's): refused, naming the file and the key", async () => {
    const a = await vendorArchive(stranger);
    const run = update(catalog(a, vendor.fingerprint));
    await expect(run).rejects.toThrow(IntegrityError);
    await expect(run).rejects.toThrow(
      new RegExp(
        `^${a.url}/dists/bookworm/InRelease: signed by key ${stranger.fingerprint.slice(-16)}, which is not in .*keyring\\.gpg$`,
      ),
    );
  });

  test('a tampered InRelease: bad signature, naming the file', async () => {
    const a = await vendorArchive();
    const path = '/debian/dists/bookworm/InRelease';
    a.routes.set(
      path,
      Buffer.from((a.routes.get(path) as Buffer).toString().replace('Codename: bookworm', 'Codename: bookwurm')),
    );
    const run = update(catalog(a, vendor.fingerprint));
    await expect(run).rejects.toThrow(IntegrityError);
    await expect(run).rejects.toThrow(`${a.url}/dists/bookworm/InRelease: bad signature by key`);
  });
});

describe('pinnedKeyring', () => {
  test('a file that holds no key', async () => {
    const a = await vendorArchive();
    a.routes.set('/junk.gpg', Buffer.from('not a key'));
    await expect(pinnedKeyring(`${a.url}/../junk.gpg`.replace('/debian/..', ''), vendor.fingerprint)).rejects.toThrow(
      `/junk.gpg: the key holds no OpenPGP key, not the pinned ${vendor.fingerprint}`,
    );
  });

  test('primary fingerprints only, not subkeys', () => {
    const colons = [
      'pub:u:255:22:AAAA:1::::',
      `fpr:::::::::${'A'.repeat(40)}:`,
      'sub:u:255:18:BBBB:1::::',
      `fpr:::::::::${'B'.repeat(40)}:`,
      'pub:-:255:22:CCCC:1::::',
      `fpr:::::::::${'c'.repeat(40)}:`,
    ].join('\n');
    expect(primaryFingerprints(colons)).toEqual(['A'.repeat(40), 'C'.repeat(40)]);
  });
});
