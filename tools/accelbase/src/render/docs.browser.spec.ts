// images/index.html in a real browser: Debian's chromium driven by playwright-core, the page loaded
// both from a local http server on 127.0.0.1 and from file://. Skipped (with the reason) where
// either is missing, so the unit tier stays green on machines without them.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Eta } from 'eta';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadCatalog, workspaceFor } from '../catalog/load.js';
import { planImages } from '../plan/plan.js';
import { recordedNight } from '../test/docs-facts.js';
import { DOCS_HTML, renderDocs } from './docs.js';
import { docsFacts } from './facts.js';
import { diskReader, templatesDir } from './render.js';

const CHROMIUM = '/usr/bin/chromium';
const PLAYWRIGHT = 'playwright-core';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function resolvable(specifier: string): boolean {
  try {
    createRequire(import.meta.url).resolve(specifier);
    return true;
  } catch {
    return false;
  }
}
const missing = [
  ...(existsSync(CHROMIUM) ? [] : [`${CHROMIUM} (apt-get install -y chromium)`]),
  ...(resolvable(PLAYWRIGHT) ? [] : [`npm package ${PLAYWRIGHT}`]),
];
const skipReason = missing.length ? `browser test skipped: ${missing.join(' and ')} not installed` : '';
if (skipReason) console.warn(`docs.browser.spec.ts: ${skipReason}`);

// The slice of playwright-core this test uses. playwright-core is imported by a computed specifier,
// so type-checking does not depend on it being installed.
interface Locator {
  pressSequentially(text: string): Promise<void>;
  fill(text: string): Promise<void>;
  selectOption(value: string): Promise<unknown>;
  textContent(): Promise<string | null>;
  isVisible(): Promise<boolean>;
}
interface Page {
  goto(url: string): Promise<unknown>;
  locator(selector: string): Locator;
  evaluate<T>(fn: () => T): Promise<T>;
  on(event: 'pageerror', listener: (error: Error) => void): void;
  on(event: 'request', listener: (request: { url(): string }) => void): void;
  close(): Promise<void>;
}
interface BrowserContext {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}
interface Playwright {
  chromium: {
    launchPersistentContext(
      userDataDir: string,
      options: { executablePath: string; headless: boolean; args: string[]; offline?: boolean },
    ): Promise<BrowserContext>;
  };
}

/**
 * The matrix `render` writes, or with `facts` the one `accelbase docs` writes from a recorded night
 * (test/docs-facts.ts), for a frozen copy of the catalog as shipped in November 2026: the rows and
 * statuses below never follow the shipped catalog.
 */
function renderedHtml(facts = false): string {
  const root = join(import.meta.dirname, '..', '..', '..', '..');
  const read = diskReader(root);
  const eta = new Eta({ views: templatesDir(root), autoEscape: false, autoTrim: [false, false], cache: true });
  eta.readFile = (path: string) => read(relative(root, path));
  const frozen = join(root, 'tools/accelbase/src/test/fixtures/catalog-2026-11/catalog.yaml');
  const loaded = loadCatalog(workspaceFor(frozen));
  const plan = planImages(loaded.model, loaded.lock);
  return renderDocs(
    eta,
    plan,
    loaded.model.catalog,
    facts ? docsFacts(plan, recordedNight(plan, loaded.lock)) : undefined,
  ).get(DOCS_HTML)!;
}

describe.skipIf(missing.length > 0)('images/index.html in chromium', () => {
  let context: BrowserContext;
  let server: Server;
  let tmp: string;
  const sources: Record<'http' | 'file' | 'facts', string> = { http: '', file: '', facts: '' };
  const allRows = [
    'opencl-pocl',
    'vulkan-lavapipe',
    'onnxruntime-cpu',
    'onnxruntime-gpu',
    'cuda-runtime',
    'cuda-devel',
    'rocm-runtime',
    'edgetpu-std',
    'edgetpu-max',
    'minideb-trixie',
    'minideb-bookworm',
    'minideb-bullseye',
  ];

  beforeAll(async () => {
    const html = renderedHtml();
    tmp = mkdtempSync(join(tmpdir(), 'accelbase-docs-browser-'));
    writeFileSync(join(tmp, 'index.html'), html);
    sources.file = pathToFileURL(join(tmp, 'index.html')).href;
    writeFileSync(join(tmp, 'facts.html'), renderedHtml(true));
    sources.facts = pathToFileURL(join(tmp, 'facts.html')).href;
    server = createServer((req, res) => {
      if (req.url === '/index.html') res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    sources.http = `http://127.0.0.1:${(server.address() as AddressInfo).port}/index.html`;
    const { chromium } = (await import(PLAYWRIGHT)) as Playwright;
    context = await chromium.launchPersistentContext(join(tmp, 'profile'), {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
    });
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** Opens the page; fails the test on a script error or a request anywhere but the page itself. */
  async function open(from: 'http' | 'file' | 'facts'): Promise<Page> {
    const page = await context.newPage();
    const errors: string[] = [];
    const requests: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => requests.push(r.url()));
    await page.goto(sources[from]);
    expect(errors).toEqual([]);
    expect(requests.filter((u) => u !== sources[from] && !u.startsWith('data:'))).toEqual([]);
    return page;
  }

  const visibleRows = (page: Page) =>
    page.evaluate(() =>
      Array.from(document.querySelectorAll<HTMLTableRowElement>('#matrix tbody tr[data-image]'))
        .filter((row) => row.getClientRects().length > 0)
        .map((row) => row.dataset.image!),
    );

  test.each(['http', 'file'] as const)('filter box, accelerator and arch selects (%s)', async (from) => {
    const page = await open(from);
    try {
      expect(await visibleRows(page)).toEqual(allRows);
      expect(await page.locator('#count').textContent()).toBe('12 images');

      await page.locator('#filter').pressSequentially('edgetpu');
      expect(await visibleRows(page)).toEqual(['edgetpu-std', 'edgetpu-max']);
      expect(await page.locator('#count').textContent()).toBe('2 of 12 images');

      await page.locator('#filter').fill('');
      await page.locator('#arch').selectOption('arm64');
      const arm64 = await visibleRows(page);
      expect(arm64).not.toContain('onnxruntime-gpu');
      expect(arm64).toEqual(allRows.filter((r) => r !== 'onnxruntime-gpu'));

      await page.locator('#arch').selectOption('');
      await page.locator('#accelerator').selectOption('cuda');
      expect(await visibleRows(page)).toEqual(['cuda-runtime', 'cuda-devel']);

      await page.locator('#accelerator').selectOption('onnxruntime');
      await page.locator('#arch').selectOption('arm64');
      expect(await visibleRows(page)).toEqual(['onnxruntime-cpu']);

      await page.locator('#accelerator').selectOption('');
      await page.locator('#arch').selectOption('');
      await page.locator('#filter').fill('no such image');
      expect(await visibleRows(page)).toEqual([]);
      expect(await page.locator('#empty').isVisible()).toBe(true);
    } finally {
      await page.close();
    }
  });

  test('with facts: status cells say what was built and tested; the status filter', async () => {
    const page = await open('facts');
    const cell = (image: string, arch: string) =>
      page.locator(`tr[data-image="${image}"] td[data-arch-cell="${arch}"]`).textContent();
    try {
      expect(await cell('opencl-pocl', 'amd64')).toBe('passed');
      expect(await cell('opencl-pocl', 'arm64')).toBe('no-device');
      expect(await cell('vulkan-lavapipe', 'amd64')).toBe('failed');
      expect(await cell('vulkan-lavapipe', 'arm64')).toBe('not tested');
      expect(await cell('edgetpu-std', 'amd64')).toBe(
        'not built: unreachable source https://packages.cloud.google.com/apt (ENOTFOUND)',
      );
      expect(await cell('onnxruntime-gpu', 'amd64')).toBe(
        'not built: unreachable source https://pypi.org/simple (ENOTFOUND)',
      );
      expect(await cell('onnxruntime-gpu', 'arm64')).toBe('—');
      expect(await page.locator('tr[data-image="opencl-pocl"] [data-facts="amd64"]').textContent()).toBe(
        'amd64 2026-12-02 sha256:22222222222271.3 MB compressed (registry manifest) · 2 packages, 1 outdated · SBOM',
      );
      expect(await page.locator('tr[data-image="opencl-pocl"] svg.size-chart').isVisible()).toBe(true);

      await page.locator('#status').selectOption('not-built');
      expect(await visibleRows(page)).toEqual(
        allRows.filter((r) => !['opencl-pocl', 'vulkan-lavapipe', 'minideb-trixie'].includes(r)),
      );
      await page.locator('#status').selectOption('failed');
      expect(await visibleRows(page)).toEqual(['vulkan-lavapipe']);
      expect(await page.locator('#count').textContent()).toBe('1 of 12 images');
      await page.locator('#status').selectOption('passed');
      await page.locator('#arch').selectOption('arm64');
      expect(await visibleRows(page)).toEqual(['opencl-pocl']);
      await page.locator('#filter').fill('lavapipe');
      expect(await visibleRows(page)).toEqual([]);
      expect(await page.locator('#empty').isVisible()).toBe(true);
    } finally {
      await page.close();
    }
  });

  test('each row shows its FROM line; the embedded JSON parses in the page', async () => {
    const page = await open('http');
    try {
      expect(await page.locator('tr[data-image="opencl-pocl"] td.from code').textContent()).toBe(
        'FROM acceleratorbase/opencl-pocl:6.0-trixie',
      );
      expect(await page.locator('tr[data-image="minideb-bullseye"] td.from code').textContent()).toBe(
        'FROM acceleratorbase/minideb:bullseye',
      );
      const names = await page.evaluate(() =>
        (JSON.parse(document.getElementById('images')!.textContent!) as { images: { name: string }[] }).images.map(
          (i) => i.name,
        ),
      );
      expect(names).toEqual(allRows);
      expect(await page.locator('#empty').isVisible()).toBe(false);
    } finally {
      await page.close();
    }
  });
});

// Names, in the test report, what a skipped browser tier is missing.
if (skipReason) test.skip(skipReason, () => {});
