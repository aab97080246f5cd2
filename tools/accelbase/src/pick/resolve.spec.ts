import { describe, expect, test } from 'vitest';
import { baseChain, planImages } from '../plan/plan.js';
import { loaded, plan } from './fixtures/catalog.js';
import { resolveImage } from './resolve.js';

describe('resolveImage', () => {
  test.each([
    ['opencl-pocl', 'opencl-pocl', '6.0-trixie'],
    ['acceleratorbase/opencl-pocl', 'opencl-pocl', '6.0-trixie'],
    ['acceleratorbase/opencl-pocl:6-trixie', 'opencl-pocl', '6-trixie'],
    ['opencl-pocl:latest', 'opencl-pocl', 'latest'],
    ['minideb:bullseye', 'minideb-bullseye', 'bullseye'],
    ['acceleratorbase/minideb:12', 'minideb-bookworm', '12'],
    ['minideb', 'minideb-trixie', '13'],
    ['minideb-bullseye', 'minideb-bullseye', '11'],
  ])('resolveImage(%s)', (ref, name, tag) => {
    const r = resolveImage(plan, loaded.model, ref);
    expect([r.image.name, r.tag]).toEqual([name, tag]);
  });

  test.each([
    [
      'opencl-pocl:7-trixie',
      'opencl-pocl has no tag "7-trixie" (did you mean "6-trixie"?) (tags: latest, trixie, 6-trixie, 6.0-trixie)',
    ],
    ['opencl-pcol', 'unknown image "opencl-pcol" (did you mean "opencl-pocl"?)'],
    ['other/opencl-pocl', 'other/opencl-pocl: not an image of acceleratorbase'],
    ['opencl-pocl@sha256:00', 'give a tag, not a digest'],
  ])('resolveImage(%s) refuses', (ref, message) => {
    expect(() => resolveImage(plan, loaded.model, ref)).toThrow(message);
  });

  test.each([
    ['opencl-pocl:sha-1234abc', 'opencl-pocl', 'sha-1234abc'],
    ['opencl-pocl:6.0-trixie-20261202', 'opencl-pocl', '6.0-trixie-20261202'],
    ['minideb:bookworm-20261202', 'minideb-bookworm', 'bookworm-20261202'],
    ['minideb-trixie:sha-1234abc-trixie', 'minideb-trixie', 'sha-1234abc-trixie'],
    ['minideb:sha-1234abc-bookworm', 'minideb-bookworm', 'sha-1234abc-bookworm'],
  ])('with build tags (verify): %s', (ref, name, tag) => {
    const r = resolveImage(plan, loaded.model, ref, { buildTags: true });
    expect([r.image.name, r.tag]).toEqual([name, tag]);
    expect(() => resolveImage(plan, loaded.model, ref)).toThrow(/has no tag/);
  });

  test.each(['minideb:sha-1234abc', 'minideb-trixie:sha-1234abc-bookworm', 'opencl-pocl:sha-1234abc-trixie'])(
    '%s names no image: a minideb sha- tag names its dist, no other does',
    (ref) => {
      expect(() => resolveImage(plan, loaded.model, ref, { buildTags: true })).toThrow(/has no tag "sha-1234abc/);
    },
  );

  test('with --registry, the registry-qualified name resolves too', () => {
    const other = planImages(loaded.model, loaded.lock, { namespace: '127.0.0.1:5000/acceleratorbase' });
    expect(
      resolveImage(other, loaded.model, '127.0.0.1:5000/acceleratorbase/opencl-pocl:trixie').image.repository,
    ).toBe('127.0.0.1:5000/acceleratorbase/opencl-pocl');
    expect(baseChain(other, resolveImage(other, loaded.model, 'cuda-devel').image).map((i) => i.name)).toEqual([
      'cuda-devel',
      'cuda-runtime',
      'minideb-trixie',
    ]);
  });
});
