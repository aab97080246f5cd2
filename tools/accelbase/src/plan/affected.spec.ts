import { execFileSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parseCatalog } from '../catalog/load.js';
import { emptyLock } from '../catalog/lock.js';
import { main } from '../cli/main.js';
import { cloneRepo } from '../test/clone.js';
import { affectedProjects } from './affected.js';
import { planImages } from './plan.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');

describe('affectedProjects (pure)', () => {
  const catalog = readFileSync(join(repoRoot, 'catalog.yaml'), 'utf8');
  const plan = planImages(
    parseCatalog(
      'catalog.yaml',
      catalog,
      new Set(['onnxruntime.py', 'cuda.py', 'edgetpu.py']),
      new Set(['opencl-vadd', 'vulkan-compute', 'cuda-ptx']),
    ).model,
    emptyLock(),
  );
  test.each([
    [['images/edgetpu-max/Dockerfile'], ['edgetpu-max']],
    [['images/cuda-runtime/image.json'], ['cuda-runtime', 'onnxruntime-gpu', 'cuda-devel']],
    [['images/minideb/Dockerfile'], [...new Set(plan.images.map((i) => i.project))]],
    [['catalog.yaml', 'README.md', 'docker-bake.json'], []],
  ])('%j -> %j', (files, expected) => {
    expect(affectedProjects(plan, files)).toEqual(expected);
  });
});

// For real: commit catalog edits (and their renders) in a clone, then ask both accelbase and Nx.
describe('in a git clone, accelbase affected and nx affected agree', () => {
  let clone: string;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...args], {
      cwd: clone,
      encoding: 'utf8',
    });
  const cli = async (...args: string[]) => {
    let out = '';
    const code = await main(
      [...args, '--catalog', join(clone, 'catalog.yaml')],
      (t) => void (out += t),
      () => undefined,
    );
    expect(code).toBe(0);
    return out;
  };
  const nxAffected = () =>
    JSON.parse(
      execFileSync(
        join(repoRoot, 'node_modules', '.bin', 'nx'),
        ['show', 'projects', '--affected', '--base=HEAD~1', '--json'],
        { cwd: clone, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } },
      ),
    ) as string[];
  const commitEdit = async (from: string, to: string) => {
    const file = join(clone, 'catalog.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(from);
    writeFileSync(file, text.replace(from, to));
    await cli('render');
    git('add', '-A');
    git('commit', '-q', '-m', 'edit');
  };

  beforeAll(() => {
    clone = cloneRepo('accelbase-affected-');
  });
  afterAll(() => rmSync(clone, { recursive: true, force: true }));

  test.each([
    [
      'a package of edgetpu-max',
      '        packages:\n          - { name: libedgetpu1-max, source: coral }',
      '        packages:\n          - { name: libedgetpu1-max, source: coral }\n          - python3-numpy',
      ['edgetpu-max'],
    ],
    [
      'the CUDA runtime env',
      'NVIDIA_VISIBLE_DEVICES: all',
      'NVIDIA_VISIBLE_DEVICES: "0"',
      ['cuda-runtime', 'onnxruntime-gpu', 'cuda-devel'],
    ],
    ['a comment', '# Retired: security support (LTS) ended', '# Retired: its security support (LTS) ended', []],
    ['minideb', '    timeout: 60\n', '    timeout: 90\n', 'all'],
  ])(
    '%s',
    async (_name, from, to, expected) => {
      await commitEdit(from, to);
      const ours = JSON.parse(await cli('affected', '--base', 'HEAD~1', '--json')).projects as string[];
      const all = JSON.parse(await cli('plan', '--json')).images.map((i: { project: string }) => i.project);
      expect(ours).toEqual(expected === 'all' ? [...new Set(all)] : expected);
      expect(nxAffected().sort()).toEqual([...ours].sort());
      if (expected[0] === 'edgetpu-max') {
        const review = await cli('diff', '--base', 'HEAD~1');
        expect(review).toContain('== edgetpu-max\n  edgetpu-max: + python3-numpy unlocked (debian)\n');
        expect(review).toContain(
          '-    install_packages python3=3.13.5-1 \\\n+    install_packages python3-numpy \\\n+      python3=3.13.5-1 \\\n       libedgetpu1-max\n',
        );
      }
    },
    120_000,
  );
});
