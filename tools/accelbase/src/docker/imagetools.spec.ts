import { expect, test } from 'vitest';
import { imagetoolsCreateArgs } from './imagetools.js';

test.each([
  {
    what: 'one source is copied as it is, never wrapped in a new index',
    tags: ['r/a:latest', 'r/a:1'],
    sources: [`r/a@sha256:${'a'.repeat(64)}`],
    args: [
      'buildx',
      'imagetools',
      'create',
      '--prefer-index=false',
      '--tag',
      'r/a:latest',
      '--tag',
      'r/a:1',
      `r/a@sha256:${'a'.repeat(64)}`,
    ],
  },
  {
    what: 'several sources are merged into one index',
    tags: ['r/a:sha-1'],
    sources: [`r/a@sha256:${'a'.repeat(64)}`, `r/a@sha256:${'b'.repeat(64)}`],
    args: [
      'buildx',
      'imagetools',
      'create',
      '--tag',
      'r/a:sha-1',
      `r/a@sha256:${'a'.repeat(64)}`,
      `r/a@sha256:${'b'.repeat(64)}`,
    ],
  },
])('$what', ({ tags, sources, args }) => {
  expect(imagetoolsCreateArgs(tags, sources)).toEqual(args);
});
