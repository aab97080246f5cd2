import { expect, test } from 'vitest';
import { lockedEnv } from './env.js';

test.each<[Record<string, string>, string | null, Record<string, string>]>([
  [{ NVIDIA_REQUIRE_CUDA: 'cuda>={runtime.minor}' }, '12.4.127', { NVIDIA_REQUIRE_CUDA: 'cuda>=12.4' }],
  [{ V: '{runtime.version}', M: '{runtime.minor}' }, '6', { V: '6', M: '6' }],
  [{ V: 'v{runtime.version}-{runtime.minor}' }, '1.20.3', { V: 'v1.20.3-1.20' }],
  // Not locked yet: the entry waits for `update`; the others stay.
  [{ NVIDIA_REQUIRE_CUDA: 'cuda>={runtime.minor}', A: 'b' }, null, { A: 'b' }],
  // Braces that are no placeholder are plain text.
  [{ A: '{runtime}', B: '{runtime.major}', C: '{}' }, '1.2.3', { A: '{runtime}', B: '{runtime.major}', C: '{}' }],
])('%j with runtime version %s', (env, version, want) => {
  expect(lockedEnv(env, version)).toEqual(want);
});
