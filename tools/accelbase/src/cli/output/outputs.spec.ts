// Every command's real --json output validates against the JSON Schema published for it
// (tools/accelbase/schemas/<command>.schema.json, read back with z.fromJSONSchema). Commands that
// run without the engine run here, through main(), on the frozen November fixture workspace; those
// that need the engine or a registry are checked on outputs constructed as their workflows return them.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import type { EngineStatus, EngineUpResult } from '../../engine/engine.js';
import { commitAll, fixtureWorkspace } from '../../test/fixture-workspace.js';
import { builtOpenclPocl } from '../../test/docs-facts.js';
import type { PublishOutcome } from '../../workflows/publish.js';
import type { RootfsResult } from '../../rootfs/bootstrap.js';
import type { BuildResult, SmokeResult } from '../../workflows/state.js';
import type { VerifyOutcome } from '../../workflows/verify.js';
import type { SignatureVerdict } from '../../workflows/signature.js';
import { main } from '../main.js';
import type { CommandName } from '../table/commands.js';
import { outputSchemaFile } from './index.js';

const packageDir = join(import.meta.dirname, '..', '..', '..');
const published = (command: CommandName) =>
  z.fromJSONSchema(JSON.parse(readFileSync(join(packageDir, outputSchemaFile(command)), 'utf8')));

/** The issues of `value` against the published schema of `command`: none when it validates. */
function issues(command: CommandName, value: unknown) {
  const r = published(command).safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const NS = '127.0.0.1:1/night'; // nothing listens there: no registry answers, sizes come from the results
const D = (c: string) => `sha256:${c.repeat(64)}`;
let ws: string;

beforeAll(() => {
  ws = fixtureWorkspace('accelbase-outputs-', (t) =>
    t
      .replaceAll('https://packages.cloud.google.com/apt', 'https://coral.invalid/apt')
      .replace('https://pypi.org/simple', 'https://pypi.invalid/simple'),
  );
  commitAll(ws);
  // An uncommitted catalog edit (not rendered): affected and diff have something to say.
  const catalog = join(ws, 'catalog.yaml');
  writeFileSync(
    catalog,
    readFileSync(catalog, 'utf8').replace(
      'packages: [pocl-opencl-icd, clinfo]',
      'packages: [pocl-opencl-icd, clinfo, ocl-icd-libopencl1]',
    ),
  );
  mkdirSync(join(ws, '.accelbase', 'build'), { recursive: true });
  const build = builtOpenclPocl(NS);
  writeFileSync(
    join(ws, '.accelbase', 'build', 'results.json'),
    JSON.stringify({ date: '20261202', output: 'push', results: [build] }),
  );
  writeFileSync(join(ws, 'app.dockerfile'), 'FROM debian:bookworm-slim AS runtime\nRUN true\n');
  // No request leaves the machine: the mirror is under .invalid.
  vi.stubEnv('ACCELBASE_DEBIAN_MIRROR', 'http://mirror.invalid/debian');
  vi.stubEnv('ACCELBASE_DEBIAN_SECURITY_MIRROR', 'http://mirror.invalid/debian-security');
  vi.stubEnv('XDG_CACHE_HOME', join(ws, '.cache'));
});
afterAll(() => {
  vi.unstubAllEnvs();
  rmSync(ws, { recursive: true, force: true });
});

async function json(...args: string[]) {
  let stdout = '';
  const code = await main(
    ['--catalog', join(ws, 'catalog.yaml'), ...args, '--json'],
    (t) => void (stdout += t),
    () => undefined,
  );
  return { code, value: JSON.parse(stdout) as unknown };
}

const sodalite = join(
  import.meta.dirname,
  '..',
  '..',
  'variants',
  'fixtures',
  'sodalite',
  'edgetpu-exporter-variants.yaml',
);

describe('real output, on the fixture workspace', () => {
  test.each<[CommandName, string, () => string[], number]>([
    ['render', 'render --check', () => ['render', '--check'], 1],
    ['render', 'render', () => ['render'], 0],
    ['validate', 'validate', () => ['validate'], 0],
    ['plan', 'plan', () => ['plan'], 0],
    ['ls', 'ls', () => ['ls'], 0],
    ['schema', 'schema', () => ['schema'], 0],
    ['schema', 'schema --write', () => ['schema', '--write'], 0],
    ['affected', 'affected --base HEAD', () => ['affected', '--base', 'HEAD'], 0],
    ['diff', 'diff --base HEAD', () => ['diff', '--base', 'HEAD'], 0],
    ['tags', 'tags', () => ['tags'], 0],
    ['show', 'show opencl-pocl', () => ['show', 'opencl-pocl'], 0],
    ['k8s', 'k8s edgetpu-std', () => ['k8s', 'edgetpu-std'], 0],
    [
      'sbom',
      '--registry NS sbom opencl-pocl --platform linux/amd64 --output sbom.json',
      () => ['--registry', NS, 'sbom', 'opencl-pocl', '--platform', 'linux/amd64', '--output', join(ws, 'sbom.json')],
      0,
    ],
    [
      'sbom',
      '--registry NS sbom opencl-pocl --platform linux/arm64 --format cyclonedx-json',
      () => ['--registry', NS, 'sbom', 'opencl-pocl', '--platform', 'linux/arm64', '--format', 'cyclonedx-json'],
      0,
    ],
    ['docs', '--registry NS docs --output site', () => ['--registry', NS, 'docs', '--output', join(ws, 'site')], 0],
    ['variants', 'variants sodalite --convert', () => ['variants', sodalite, '--convert'], 0],
    ['rewrite-from', 'rewrite-from app.dockerfile', () => ['rewrite-from', join(ws, 'app.dockerfile')], 0],
    // Nothing is recorded in the fixture workspace: unknown is no answer, so exit 1.
    ['outdated', 'outdated', () => ['outdated'], 1],
    ['update', 'update', () => ['update'], 1],
  ])('%s (%s)', async (command, _label, args, exitCode) => {
    const { code, value } = await json(...args());
    expect(code).toBe(exitCode);
    expect(issues(command, value)).toEqual([]);
  });
});

// These need the engine or a registry: their output is checked as their workflows return it (the
// TypeScript types below are those workflows'), as recorded by the engine tier.
describe('constructed from the workflow return types (engine and registry commands; outdated with a known installed set)', () => {
  const result: BuildResult = {
    image: 'opencl-pocl',
    repository: 'acceleratorbase/opencl-pocl',
    platforms: ['linux/amd64'],
    status: 'built',
    digest: D('1'),
    tags: ['acceleratorbase/opencl-pocl:6.0-trixie-20261202'],
    durationS: 3.2,
    sboms: { 'linux/amd64': { subject: D('a'), artifact: D('b'), document: D('c'), via: 'api' } },
  };
  const smoke: SmokeResult = {
    image: 'opencl-pocl',
    platform: 'linux/amd64',
    ref: `acceleratorbase/opencl-pocl@${D('1')}`,
    outcome: 'no-device',
    detail: 'no OpenCL platform',
    durationS: 1,
    exitCode: 2,
  };
  const up: EngineUpResult = {
    managed: true,
    alreadyRunning: false,
    dockerHost: 'unix:///run/x.sock',
    registryUrl: 'http://127.0.0.1:5000',
    pids: { dockerd: 10 },
  };
  const status: EngineStatus = {
    running: true,
    dockerHost: 'unix:///run/x.sock',
    platforms: ['linux/amd64'],
    builder: { name: 'b', nodes: [{ name: 'b0', platforms: ['linux/amd64'] }] },
    registry: { url: 'http://127.0.0.1:5000', host: '127.0.0.1:5000', up: true },
    packageCache: { url: 'http://127.0.0.1:3142', up: false },
    pids: {},
    managed: true,
  };
  const rootfs: { suite: string; arch: string } & RootfsResult = {
    suite: 'trixie',
    arch: 'amd64',
    path: '.accelbase/rootfs/trixie/amd64.tar',
    sha256: 'f'.repeat(64),
    bytes: 1,
    sourceDateEpoch: 0,
    untrimmedBytes: 2,
    fromCache: true,
    trimSteps: [{ step: 'docs', bytes: 1 }],
  };
  const publish: Omit<PublishOutcome, 'docs'> = {
    published: 1,
    decisions: [
      {
        action: 'publish',
        image: 'opencl-pocl',
        reason: 'digest changed',
        digest: D('1'),
        tags: ['acceleratorbase/opencl-pocl:latest'],
        why: 'digest changed',
        locked: { updated: '2026-12-02', platforms: { 'linux/amd64': { packages: {}, digest: D('1') } } },
      },
      { action: 'skip', image: 'cuda-runtime', reason: 'smoke', why: 'smoke failed on linux/amd64' },
    ],
  };
  const verify: VerifyOutcome = {
    image: 'opencl-pocl',
    reference: 'acceleratorbase/opencl-pocl:latest',
    digest: D('1'),
    rebuiltDigest: D('2'),
    revision: 'abcdef1',
    identical: false,
    platforms: [
      {
        platform: 'linux/amd64',
        identical: false,
        published: D('3'),
        rebuilt: D('4'),
        config: ['created'],
        layer: { index: 1, paths: [{ path: 'etc/x', change: 'metadata', fields: ['mtime'] }], morePaths: 0 },
      },
    ],
    durationS: 60,
  };
  const signatureVerdict: SignatureVerdict = {
    image: 'opencl-pocl',
    reference: 'acceleratorbase/opencl-pocl:latest',
    digest: D('1'),
    trusted: 'cosign.pub (SHA256:abc)',
    checks: [
      { name: 'signature', ok: true, verified: 1 },
      { name: 'spdxjson', ok: false, verified: 0, reason: 'no matching attestations' },
    ],
    ok: false,
  };
  const prune = {
    registry: '127.0.0.1:5000',
    keep: 3,
    dryRun: true,
    repositories: [
      {
        repository: 'acceleratorbase/opencl-pocl',
        images: [{ name: 'opencl-pocl' }],
        tags: [{ tag: '6.0-trixie-20261202', digest: D('1'), role: 'build', image: 'opencl-pocl', stays: false }],
        digests: [{ digest: D('1'), role: 'image', keptBy: [], deleted: true, tags: ['6.0-trixie-20261202'] }],
        deletions: [D('1')],
      },
    ],
    tagsBefore: 4,
    tagsAfter: 3,
    deleted: 1,
  };
  test.each<[CommandName, unknown]>([
    ['build', { results: [result] }],
    ['merge', { results: [result] }],
    ['smoke', { results: [smoke] }],
    ['engine', up],
    ['engine', { stopped: { dockerd: 10 } }],
    ['engine', status],
    ['rootfs', { rootfs: [rootfs] }],
    ['publish', publish],
    ['verify', verify],
    ['verify', signatureVerdict],
    ['prune', prune],
    [
      'nightly',
      {
        lockChanged: true,
        changes: [{ image: 'opencl-pocl', platform: 'linux/amd64', package: 'clinfo', from: '1', to: '2' }],
        unresolved: [],
        wanted: [{ name: 'opencl-pocl' }],
        built: [{ name: 'opencl-pocl' }],
        published: 1,
        moves: [
          { image: 'opencl-pocl', platform: 'linux/amd64', package: 'clinfo', from: '1', to: '2', security: false },
        ],
        docs: '.accelbase/docs',
        prune,
      },
    ],
    [
      'outdated',
      {
        count: 1,
        unknown: 0,
        images: [
          {
            image: 'opencl-pocl',
            platform: 'linux/amd64',
            installedCount: 90,
            known: true,
            outdated: [
              { package: 'libc6', installed: '2.41-11', newest: '2.41-12', suite: 'trixie-security', security: true },
            ],
          },
        ],
      },
    ],
  ])('%s', (command, value) => {
    expect(issues(command, value)).toEqual([]);
  });

  test('a value the schema does not describe is refused (the check is not vacuous)', () => {
    expect(issues('build', { results: [{ ...result, status: 'exploded' }] })).not.toEqual([]);
    expect(issues('show', { name: 'x' })).not.toEqual([]);
    expect(issues('smoke', { results: [smoke], extra: true })).not.toEqual([]);
  });
});
