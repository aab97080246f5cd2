import { describe, expect, it } from 'vitest';
import { enginePaths } from './paths.js';
import {
  ENGINE_PACKAGES,
  aptOptions,
  aptSourcesText,
  downloadArgs,
  formatStamp,
  additive,
  missingPackages,
  parseStamp,
  stampComplete,
} from './provision.js';

// A made-up archive: tests never name a real mirror.
const MIRROR = 'http://archive.example.invalid/debian';

describe('private apt configuration', () => {
  it('lists one signed line per suite, from the given mirror', () => {
    const text = aptSourcesText(`${MIRROR}/`);
    const lines = text.split('\n').filter((l) => l.startsWith('deb '));
    expect(lines).toEqual([
      `deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${MIRROR} trixie main`,
      `deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${MIRROR} forky main`,
      `deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] ${MIRROR} bookworm main`,
    ]);
  });

  it('points apt only at the engine folder', () => {
    const p = enginePaths('/e');
    const opts = aptOptions(p, 'amd64');
    const pairs = new Map<string, string>();
    for (let i = 0; i < opts.length; i += 2) {
      expect(opts[i]).toBe('-o');
      const [k, ...v] = opts[i + 1].split('=');
      pairs.set(k, v.join('='));
    }
    expect(pairs.get('Dir::Etc::sourcelist')).toBe('/e/apt/sources.list');
    expect(pairs.get('Dir::Etc::sourceparts')).toBe('-');
    expect(pairs.get('Dir::State::Lists')).toBe('/e/apt/lists');
    expect(pairs.get('Dir::Cache')).toBe('/e/apt/cache');
    expect(pairs.get('Dir::State::status')).toBe('/e/apt/status');
    expect(pairs.get('APT::Architecture')).toBe('amd64');
  });

  it('downloads each part from its suite', () => {
    const args = downloadArgs();
    expect(args).toContain('docker.io/trixie');
    expect(args).toContain('docker-cli/trixie');
    expect(args).toContain('containerd/trixie');
    expect(args).toContain('cosign/trixie');
    expect(args).toContain('docker-buildx/forky');
    for (const p of ['runc', 'qemu-user-static', 'binfmt-support', 'debootstrap', 'docker-registry', 'apt-cacher-ng'])
      expect(args).toContain(`${p}/bookworm`);
    expect(args.length).toBe(ENGINE_PACKAGES.flatMap((p) => p.packages).length);
  });
});

describe('stamp', () => {
  const all = ENGINE_PACKAGES.flatMap((p) => p.packages.map((name) => ({ name, version: '1.0-1', suite: p.suite })));

  it('round-trips and is sorted', () => {
    const text = formatStamp([...all].reverse());
    expect(parseStamp(text)).toEqual([...all].sort((a, b) => a.name.localeCompare(b.name)));
    expect(text.split('\n')[0]).toBe('apt-cacher-ng 1.0-1 bookworm');
  });

  it('is complete only with every package from its planned suite', () => {
    expect(stampComplete(all)).toBe(true);
    expect(stampComplete(all.filter((e) => e.name !== 'runc'))).toBe(false);
    expect(stampComplete(all.map((e) => (e.name === 'runc' ? { ...e, suite: 'trixie' } : e)))).toBe(false);
    expect(stampComplete(parseStamp('# empty\n\n'))).toBe(false);
  });

  // A prefix made before cosign was planned: the engine keeps running while cosign is added to it.
  const beforeCosign = all.filter((e) => e.name !== 'cosign');

  it.each([
    ['a newly planned part', beforeCosign, [{ suite: 'trixie', packages: ['cosign'] }], true],
    [
      'a part from another suite',
      all.map((e) => (e.name === 'runc' ? { ...e, suite: 'trixie' } : e)),
      [{ suite: 'bookworm', packages: ['runc'] }],
      false,
    ],
    ['nothing yet (no stamp)', [], ENGINE_PACKAGES, false],
  ])('missing %s: added in place only when additive', (_, stamp, missing, inPlace) => {
    expect(missingPackages(stamp)).toEqual(missing);
    expect(additive(stamp, missingPackages(stamp))).toBe(inPlace);
  });
});
