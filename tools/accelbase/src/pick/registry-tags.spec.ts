import { describe, expect, test } from 'vitest';
import { loaded, plan } from './fixtures/catalog.js';
import { pickTags } from './pick.js';
import { applyRegistryTags, pinCandidate } from './registry-tags.js';

describe('registry tags (pure)', () => {
  const [pocl] = pickTags(plan, loaded.model, { accelerator: 'opencl' }).candidates;
  test.each<[string, string[], string | null]>([
    ['the floating tag', ['6.0-trixie', 'trixie'], '6.0-trixie'],
    [
      'else the newest build tag of that version',
      ['6.0-trixie-20261128', '6.0-trixie-20261201', '6.1-trixie-20261231', 'sha-abcdef0'],
      '6.0-trixie-20261201',
    ],
    ['else missing', ['trixie-20261128', 'sha-abcdef0'], null],
  ])('%s', (_, registryTags, tag) => {
    const c = applyRegistryTags(pocl, registryTags);
    expect(c.inRegistry).toBe(tag !== null);
    expect(c.tag).toBe(tag ?? '6.0-trixie');
    if (tag) expect(c.from).toBe(`FROM acceleratorbase/opencl-pocl:${tag}`);
  });

  test('an image with no runtime version (minideb): build tags are cut from the distribution, not its most specific tag', () => {
    const minideb = { ...pocl, version: null, tags: ['latest', 'trixie', '13'] };
    expect(applyRegistryTags(minideb, ['trixie-20261128', 'trixie-20261201'])).toMatchObject({
      inRegistry: true,
      tag: 'trixie-20261201',
    });
    expect(applyRegistryTags(minideb, ['bookworm-20261201']).inRegistry).toBe(false);
  });

  test('pinning keeps the tag and adds the digest; anything but sha256 is refused', () => {
    const digest = `sha256:${'a'.repeat(64)}`;
    expect(pinCandidate(pocl, digest).from).toBe(`FROM acceleratorbase/opencl-pocl:6.0-trixie@${digest}`);
    expect(() => pinCandidate(pocl, 'md5:x')).toThrow(/not sha256/);
  });
});
