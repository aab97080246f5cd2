import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { main } from '../cli/main.js';
import { plan } from '../pick/fixtures/catalog.js';
import { cloneRepo } from '../test/clone.js';
import { frozenCatalogRoot } from '../test/frozen-catalog.js';
import {
  affectedImages,
  changedModels,
  formatPackageDiff,
  packageChanges,
  projectsOf,
  renderedProjects,
} from './affected.js';
import type { Plan } from './plan.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');

// On the frozen November catalog (test/fixtures/catalog-2026-11), never the shipped one.
describe('affectedImages (pure)', () => {
  const all = projectsOf(affectedImages(plan, new Set(plan.images.map((i) => i.project))));
  test.each([
    [['images/edgetpu-max/Dockerfile'], ['edgetpu-max']],
    [['images/cuda-runtime/image.json'], ['cuda-runtime', 'onnxruntime-gpu', 'cuda-devel']],
    [['images/minideb/Dockerfile'], all],
    [['catalog.yaml', 'README.md', 'docker-bake.json'], []],
  ])('rendered files %j -> %j', (files, expected) => {
    expect(projectsOf(affectedImages(plan, renderedProjects(files)))).toEqual(expected);
  });

  test('a changed model is affected with its dependants, and says why; the rest of its project comes along', () => {
    const images = affectedImages(plan, new Set(), new Set(['minideb-bullseye']));
    expect(images).toEqual([
      { name: 'minideb-trixie', project: 'minideb', why: ['project'] },
      { name: 'minideb-bookworm', project: 'minideb', why: ['project'] },
      { name: 'minideb-bullseye', project: 'minideb', why: ['catalog'] },
      // minideb's other images are in its project: Nx rebuilds their dependants too.
      ...plan.images
        .filter((i) => i.project !== 'minideb')
        .map((i) => ({ name: i.name, project: i.project, why: ['base'] })),
    ]);
  });

  test('changedModels: images whose planned model differs, new ones included; no catalog before: all', () => {
    const edited: Plan = {
      ...plan,
      images: plan.images.map((i) => (i.name === 'cuda-devel' ? { ...i, env: { ...i.env, X: '1' } } : i)),
    };
    expect([...changedModels(plan, edited)]).toEqual(['cuda-devel']);
    const fewer: Plan = { ...plan, images: plan.images.filter((i) => i.name !== 'rocm-runtime') };
    expect([...changedModels(fewer, plan)]).toEqual(['rocm-runtime']);
    expect(changedModels(undefined, plan).size).toBe(plan.images.length);
  });
});

describe('packageChanges: structured, and the reviewer lines from them', () => {
  const pkg = (name: string, locked: Record<string, string>, source = 'debian') => ({ name, source, locked });
  const before = { images: [{ name: 'a', packages: [pkg('x', { 'linux/amd64': '1' }), pkg('gone', {})] }] };
  const after = {
    images: [
      {
        name: 'a',
        packages: [pkg('x', { 'linux/amd64': '2' }, 'debian-nonfree'), pkg('new', { 'linux/amd64': '3' })],
      },
    ],
  };
  test('added, changed and removed as objects', () => {
    expect(packageChanges(before, after)).toEqual([
      {
        image: 'a',
        package: 'x',
        change: 'changed',
        before: { source: 'debian', locked: { 'linux/amd64': '1' } },
        after: { source: 'debian-nonfree', locked: { 'linux/amd64': '2' } },
      },
      { image: 'a', package: 'new', change: 'added', after: { source: 'debian', locked: { 'linux/amd64': '3' } } },
      { image: 'a', package: 'gone', change: 'removed', before: { source: 'debian', locked: {} } },
    ]);
  });
  test('lines as diff prints them', () => {
    expect(packageChanges(before, after).map(formatPackageDiff)).toEqual([
      'a: x 1 -> 2 (debian -> debian-nonfree)',
      'a: + new 3 (debian)',
      'a: - gone unlocked',
    ]);
  });
});

// For real: in a clone holding the fixture catalog, commit catalog edits (rendered or not), then ask
// accelbase, and Nx where the edit was rendered.
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
    return { out };
  };
  const nxAffected = () =>
    JSON.parse(
      execFileSync(
        join(repoRoot, 'node_modules', '.bin', 'nx'),
        ['show', 'projects', '--affected', '--base=HEAD~1', '--json'],
        { cwd: clone, encoding: 'utf8', env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } },
      ),
    ) as string[];
  const commitEdit = async (from: string, to: string, render = true) => {
    const file = join(clone, 'catalog.yaml');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain(from);
    writeFileSync(file, text.replace(from, to));
    if (render) await cli('render');
    git('add', '-A');
    git('commit', '-q', '-m', 'edit');
  };

  beforeAll(async () => {
    clone = cloneRepo('accelbase-affected-');
    for (const f of ['catalog.yaml', 'catalog.lock.yaml']) cpSync(join(frozenCatalogRoot, f), join(clone, f));
    rmSync(join(clone, 'generators', 'device-queries'), { recursive: true, force: true });
    cpSync(join(frozenCatalogRoot, 'generators', 'device-queries'), join(clone, 'generators', 'device-queries'), {
      recursive: true,
    });
    await cli('render');
    git('add', '-A');
    git('commit', '-q', '-m', 'the fixture catalog');
  }, 120_000);
  afterAll(() => rmSync(clone, { recursive: true, force: true }));

  test.each([
    [
      'a package of edgetpu-max',
      '          - { name: libedgetpu1-max, source: coral }',
      '          - { name: libedgetpu1-max, source: coral }\n          - python3-numpy',
      ['edgetpu-max'],
    ],
    [
      'the CUDA runtime env',
      'NVIDIA_VISIBLE_DEVICES: all',
      'NVIDIA_VISIBLE_DEVICES: "0"',
      ['cuda-runtime', 'onnxruntime-gpu', 'cuda-devel'],
    ],
    ['a comment', "# Google's Coral repository", "# Google's own Coral repository", []],
    ['minideb', '    timeout: 60\n', '    timeout: 90\n', 'all'],
  ])(
    '%s',
    async (_name, from, to, expected) => {
      await commitEdit(from, to);
      const ours = JSON.parse((await cli('affected', '--base', 'HEAD~1', '--json')).out);
      const names = ours.projects.map((p: { name: string }) => p.name);
      const all = JSON.parse((await cli('plan', '--json')).out).images.map((i: { project: string }) => i.project);
      expect(names).toEqual(expected === 'all' ? [...new Set(all)] : expected);
      expect(ours.notRendered).toEqual([]);
      expect(nxAffected().sort()).toEqual([...names].sort());
      if (expected[0] === 'edgetpu-max') {
        const review = (await cli('diff', '--base', 'HEAD~1')).out;
        expect(review).toContain('== edgetpu-max\n  edgetpu-max: + python3-numpy unlocked (debian)\n');
        expect(review).toMatch(/^\+ .*python3-numpy/m);
      }
    },
    120_000,
  );

  test('a catalog edit committed without its render is affected, named as not rendered, with the hint', async () => {
    await commitEdit('NVIDIA_VISIBLE_DEVICES: "0"', 'NVIDIA_VISIBLE_DEVICES: "1"', false);
    const { out } = await cli('affected', '--base', 'HEAD~1', '--json');
    const ours = JSON.parse(out);
    expect(ours.images).toEqual([
      { name: 'cuda-runtime', project: 'cuda-runtime', why: ['catalog'] },
      { name: 'onnxruntime-gpu', project: 'onnxruntime-gpu', why: ['base'] },
      { name: 'cuda-devel', project: 'cuda-devel', why: ['base'] },
    ]);
    expect(ours.notRendered).toEqual([{ name: 'cuda-runtime', project: 'cuda-runtime' }]);
    expect(ours.hint).toMatch(/run `accelbase render`/);
    const review = await cli('diff', '--base', 'HEAD~1');
    expect(review.out).toContain('== cuda-runtime\n  packages: unchanged\n  Dockerfile: not rendered yet');
  }, 120_000);
});
