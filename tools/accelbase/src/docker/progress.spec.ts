import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { BakeProgress } from './progress.js';

// stderr of `accelbase build opencl-pocl --platform linux/amd64 --push-by-digest` with bake's
// --progress rawjson (buildx 0.29, docker 26.1), two bakes each: minideb trixie, then opencl-pocl.
// registry-cache: a fresh engine instance importing the registry cache a split build exported;
// no-cache: the same with --no-cache. The mirror's host name is replaced with mirror.invalid.
const recorded = (name: string) =>
  readFileSync(join(import.meta.dirname, 'fixtures', `rawjson-${name}.log`), 'utf8').split('\n');

/** The recording cut into its bakes (each starts when `load local bake definitions` starts), each fed to a fresh BakeProgress. */
function bakes(lines: string[]): { progress: BakeProgress; shown: string[] }[] {
  const out: { progress: BakeProgress; shown: string[] }[] = [];
  for (const line of lines) {
    if (line.includes('"[internal] load local bake definitions"') && !line.includes('"completed"'))
      out.push({ progress: new BakeProgress(), shown: [] });
    const current = out.at(-1);
    if (current) current.shown.push(...current.progress.render(line));
  }
  return out;
}

/** BuildKit can fold a vertex's updates into its latest: the `cached` mark, then the restart that fetches the layer. */
const withoutCachedMarks = (lines: string[]) => lines.filter((l) => !l.includes('"cached":true'));

test.each([
  ['a fresh instance importing the registry cache', recorded('registry-cache'), [true, true]],
  [
    'the same, had BuildKit folded away every cached mark',
    withoutCachedMarks(recorded('registry-cache')),
    [true, true],
  ],
  ['--no-cache: both bakes ran their step', recorded('no-cache'), [false, false]],
])('cached detection from rawjson: %s', (_, lines, want) => {
  expect(bakes(lines).map((b) => b.progress.allStepsCached())).toEqual(want);
});

test('the user sees plain progress: step names, CACHED, the layer fetched, and what a step printed', () => {
  const [minideb, pocl] = bakes(recorded('registry-cache'));
  expect(minideb.shown).toContain('#4 [1/1] ADD rootfs-amd64.tar /');
  expect(minideb.shown).toContain('#4 CACHED');
  expect(minideb.shown.some((l) => /^#4 sha256:[0-9a-f]{64} 27\.37MB done$/.test(l))).toBe(true);
  expect(pocl.shown.some((l) => l.startsWith('#') && l.includes('RUN --mount=type=cache'))).toBe(true);
  expect([...minideb.shown, ...pocl.shown].some((l) => l.startsWith('{'))).toBe(false);
  const ran = bakes(recorded('no-cache'))[1].shown;
  expect(ran.some((l) => /^#\d+ \d+\.\d{3} Setting up pocl-opencl-icd/.test(l))).toBe(true);
  expect(ran.some((l) => /^#\d+ DONE \d+\.\d+s$/.test(l))).toBe(true);
});

test.each([
  ['a line that is not JSON passes through', '==> opencl-pocl (linux/amd64)', ['==> opencl-pocl (linux/amd64)']],
  ['buildx error text passes through', 'ERROR: failed to solve: x', ['ERROR: failed to solve: x']],
  ['a broken JSON line passes through', '{"vertexes":[', ['{"vertexes":[']],
  ['JSON that is no status shows nothing', '[1,2]', ['[1,2]']],
  ['a status with fields of the wrong type shows nothing', '{"vertexes":7,"logs":"x","statuses":null}', []],
])('render: %s', (_, line, want) => {
  expect(new BakeProgress().render(line)).toEqual(want);
});

test('a failed step shows its error and its output; nothing is cached', () => {
  const p = new BakeProgress();
  const vertex = 'sha256:1';
  const shown = [
    { vertexes: [{ digest: vertex, name: '[1/1] RUN false', started: '2026-12-08T00:00:00Z' }] },
    {
      logs: [{ vertex, data: Buffer.from('no such thing\n').toString('base64'), timestamp: '2026-12-08T00:00:01.5Z' }],
    },
    {
      vertexes: [
        {
          digest: vertex,
          name: '[1/1] RUN false',
          started: '2026-12-08T00:00:00Z',
          completed: '2026-12-08T00:00:02Z',
          error: 'process "/bin/sh -c false" did not complete successfully: exit code: 1',
        },
      ],
    },
  ].flatMap((s) => p.render(JSON.stringify(s)));
  expect(shown).toEqual([
    '#1 [1/1] RUN false',
    '#1 1.500 no such thing',
    '#1 ERROR: process "/bin/sh -c false" did not complete successfully: exit code: 1',
  ]);
  expect(p.allStepsCached()).toBe(false);
});

test('no build step at all is not "every step cached"', () => {
  const p = new BakeProgress();
  p.render(JSON.stringify({ vertexes: [{ digest: 'sha256:1', name: '[internal] load metadata', cached: true }] }));
  expect(p.allStepsCached()).toBe(false);
});
