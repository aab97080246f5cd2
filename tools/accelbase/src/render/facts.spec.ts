// The matrix's facts from recorded results (test/docs-facts.ts: one night on this machine), the size
// chart, and the Markdown matrix rendered with them.
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadCatalog, workspaceFor } from '../catalog/load.js';
import { planImages } from '../plan/plan.js';
import { recordedNight } from '../test/docs-facts.js';
import { cardOf, DOCS_HTML, DOCS_MARKDOWN, docsModel, renderDocs } from './docs.js';
import { docsFacts, formatBytes, sizeChartSvg } from './facts.js';
import { templateEngine } from './render.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
// A frozen copy of the catalog as shipped in November 2026: these facts never follow the shipped one.
const loaded = loadCatalog(
  workspaceFor(join(repoRoot, 'tools/accelbase/src/test/fixtures/catalog-2026-11/catalog.yaml')),
);
const plan = planImages(loaded.model, loaded.lock, { namespace: '127.0.0.1:5000/acceleratorbase' });
const recorded = recordedNight(plan, loaded.lock);
const facts = docsFacts(plan, recorded);

describe('facts per image and platform', () => {
  test.each([
    ['opencl-pocl', 'amd64', 'passed', 'passed'],
    ['opencl-pocl', 'arm64', 'no-device', 'no-device'],
    ['vulkan-lavapipe', 'amd64', 'failed', 'failed: exit 127'],
    ['vulkan-lavapipe', 'arm64', 'not-tested', 'not tested'],
    ['onnxruntime-gpu', 'amd64', 'not-built', 'not built: unreachable source https://pypi.org/simple (ENOTFOUND)'],
    [
      'edgetpu-std',
      'amd64',
      'not-built',
      'not built: unreachable source https://packages.cloud.google.com/apt (ENOTFOUND)',
    ],
    [
      'rocm-runtime',
      'arm64',
      'not-built',
      'not built: build failed (ERROR: process "apt-get install" did not complete successfully)',
    ],
    ['minideb-trixie', 'arm64', 'not-tested', 'not tested'],
    ['cuda-runtime', 'amd64', 'not-built', 'not built yet'],
  ])('%s %s: %s', (image, arch, status, text) => {
    expect(facts[image][arch]).toMatchObject({ status, statusText: text });
  });

  test('built date and digest from the build; size from the registry where it answered, else as recorded', () => {
    expect(facts['opencl-pocl'].amd64).toEqual({
      status: 'passed',
      statusText: 'passed',
      built: { date: '2026-12-02', digest: `sha256:${'2'.repeat(64)}`, from: 'build' },
      size: { bytes: 71_300_123, from: 'registry' },
      packageCount: 2,
      outdatedCount: 1,
      sbom: 'sbom/opencl-pocl.amd64.spdx.json',
    });
    expect(facts['opencl-pocl'].arm64).toMatchObject({
      size: { bytes: 66_800_000, from: 'results' },
      packageCount: 1,
      outdatedCount: 0,
    });
    expect(facts['vulkan-lavapipe'].amd64).toMatchObject({ packageCount: null, outdatedCount: null, sbom: null });
    expect(facts['cuda-runtime'].amd64).toMatchObject({ built: null, size: null });
  });

  test('only the catalog platforms an image has', () => {
    expect(Object.keys(facts['onnxruntime-gpu'])).toEqual(['amd64']);
  });
});

describe('size chart', () => {
  test('inline SVG, one bar per platform with a size, nothing fetched from outside', () => {
    const svg = sizeChartSvg('opencl-pocl', facts['opencl-pocl']);
    expect(svg).toMatch(/^<svg class="size-chart" xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg.match(/<rect /g)).toHaveLength(2);
    expect(svg).toContain('71.3 MB');
    expect(svg).toContain('aria-label="compressed size of opencl-pocl: amd64 71.3 MB, arm64 66.8 MB"');
    expect(svg).not.toMatch(/href|src=|url\(|@import/);
  });
  test('no sizes: no chart', () => expect(sizeChartSvg('cuda-runtime', facts['cuda-runtime'])).toBe(''));
  test.each([
    [999, '999 B'],
    [1000, '1.00 kB'],
    [71_300_123, '71.3 MB'],
    [2_500_000_000, '2.50 GB'],
  ])('formatBytes(%i)', (n, text) => expect(formatBytes(n)).toBe(text));
});

describe('the matrix with facts', () => {
  const out = renderDocs(templateEngine(repoRoot), plan, loaded.model.catalog, facts, '../../images/');
  const md = out.get(DOCS_MARKDOWN)!;
  const html = out.get(DOCS_HTML)!;

  test('Markdown: status in the platform columns, and the build facts table', async () => {
    expect(md).toContain('| [`edgetpu-std`](../../images/edgetpu-std/Dockerfile) |');
    expect(md).toMatch(
      /\| `opencl-pocl` \| amd64 \| passed \| 2026-12-02 \| `sha256:222222222222` \| 71\.3 MB \(registry\) \| 2 \| 1 \| \[SBOM\]\(sbom\/opencl-pocl\.amd64\.spdx\.json\) \|/,
    );
    expect(md).toContain(
      '| `cuda-runtime` | amd64 | not built yet | — | — | unknown | not recorded | not checked | — |',
    );
    expect(md).toContain(
      '| `edgetpu-max` | amd64 | not built: unreachable source https://packages.cloud.google.com/apt (ENOTFOUND) |',
    );
    await expect(md).toMatchFileSnapshot('__snapshots__/images-facts-README.md');
  });

  test('HTML: status cells, the status filter, one chart per image with sizes, rendered by docs', () => {
    expect(html).toContain('Rendered by `accelbase docs`');
    expect(html).toContain('<select id="status">');
    expect(html).toContain('data-status="passed no-device"');
    expect(html.match(/<svg class="size-chart"/g)).toHaveLength(3);
    expect(html).not.toMatch(/<(?:link|img|script src)/);
  });
});

test('a result with tiers: the cell says which tiers passed', () => {
  const tier = (outcome: 'passed' | 'no-device' | 'failed' | 'none') => ({ outcome, detail: outcome });
  const smoke = recorded.smoke.map((s) =>
    s.image === 'opencl-pocl' && s.platform === 'linux/amd64'
      ? { ...s, tiers: { query: tier('passed'), compute: tier('passed') } }
      : s.image === 'opencl-pocl'
        ? { ...s, tiers: { query: tier('no-device'), compute: tier('none') } }
        : s,
  );
  const withTiers = docsFacts(plan, { ...recorded, smoke });
  expect(withTiers['opencl-pocl'].amd64.statusText).toBe('passed (query passed, compute passed)');
  expect(withTiers['opencl-pocl'].arm64.statusText).toBe('no-device (query no-device, compute none)');
  // Results recorded before tiers keep their one word, and a failure its reason.
  expect(withTiers['vulkan-lavapipe'].amd64.statusText).toBe('failed: exit 127');
});

test('a failed smoke test says which tier failed and why', () => {
  const tier = (outcome: 'passed' | 'failed', detail: string) => ({ outcome, detail });
  const smoke = recorded.smoke.map((s) =>
    s.image === 'vulkan-lavapipe' && s.platform === 'linux/amd64'
      ? {
          ...s,
          detail: 'wrong result: 41',
          tiers: { query: tier('passed', 'llvmpipe'), compute: tier('failed', 'wrong result: 41') },
        }
      : s,
  );
  expect(docsFacts(plan, { ...recorded, smoke })['vulkan-lavapipe'].amd64).toMatchObject({
    status: 'failed',
    statusText: 'failed (query passed, compute failed): wrong result: 41',
  });
});

describe('image cards: state and the FROM line to copy', () => {
  const model = docsModel(plan, loaded.model.catalog);
  const image = (name: string) => model.images.find((i) => i.name === name)!;
  test.each([
    [
      'opencl-pocl',
      'built',
      `FROM acceleratorbase/opencl-pocl:6.0-trixie@sha256:${'2'.repeat(64)}`,
      'built 2026-12-02',
    ],
    [
      'vulkan-lavapipe',
      'built',
      `FROM acceleratorbase/vulkan-lavapipe:25.0.7-trixie@sha256:${'3'.repeat(64)}`,
      'built 2026-12-02',
    ],
    ['cuda-runtime', 'not-built', 'FROM acceleratorbase/cuda-runtime:12.4.127-trixie', null],
    ['edgetpu-max', 'not-built', 'FROM acceleratorbase/edgetpu-max:bullseye', null],
  ])('%s: %s, %s', (name, state, from, note) => {
    expect(cardOf(image(name), facts[name])).toMatchObject({ state, from, digestNote: note });
  });
  test('without facts (the committed page) every image is declared, its FROM line the tag', () => {
    expect(cardOf(image('opencl-pocl'), null)).toEqual({
      state: 'declared',
      label: 'declared',
      from: 'FROM acceleratorbase/opencl-pocl:6.0-trixie',
      digest: null,
      digestNote: null,
    });
  });
  test('platforms built with different digests: no pin', () => {
    const split = {
      amd64: { ...facts['opencl-pocl'].amd64 },
      arm64: {
        ...facts['opencl-pocl'].arm64,
        built: { date: null, digest: `sha256:${'4'.repeat(64)}`, from: 'lock' as const },
      },
    };
    expect(cardOf(image('opencl-pocl'), split)).toMatchObject({ state: 'built', digest: null });
  });
});
