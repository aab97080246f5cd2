// Which smoke results get their outcome attached: only those run from a registry by digest.
import { describe, expect, test } from 'vitest';
import { pushedReference } from './smoke-attest.js';

const DIGEST = `sha256:${'c'.repeat(64)}`;

describe('pushed reference', () => {
  test.each([
    [`127.0.0.1:5000/ns/opencl-pocl@${DIGEST}`, { repository: '127.0.0.1:5000/ns/opencl-pocl', digest: DIGEST }],
    [`registry.example:443/a/b/c@${DIGEST}`, { repository: 'registry.example:443/a/b/c', digest: DIGEST }],
    // A tag, or an image with no registry host (a local load), has nothing to attach to.
    ['127.0.0.1:5000/ns/opencl-pocl:trixie', undefined],
    [`acceleratorbase/opencl-pocl@${DIGEST}`, undefined],
  ])('%s', (ref, wanted) => {
    expect(pushedReference(ref)).toEqual(wanted);
  });
});
