// images/index.html in a real browser: Debian's chromium driven by playwright-core, the page loaded
// both from a local http server on 127.0.0.1 and from file://. Skipped (with the reason) where
// either is missing, so the unit tier stays green on machines without them.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
interface Locator {
  first(): Locator;
  count(): Promise<number>;
  boundingBox(): Promise<Box | null>;
  getAttribute(name: string): Promise<string | null>;
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
  evaluate<T, A>(fn: (arg: A) => T, arg: A): Promise<T>;
  setViewportSize(size: { width: number; height: number }): Promise<void>;
  screenshot(options: { path: string; fullPage: boolean }): Promise<unknown>;
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

/** Headless Chromium with a profile of its own under `profile`. */
async function launchChromium(profile: string): Promise<BrowserContext> {
  const { chromium } = (await import(PLAYWRIGHT)) as Playwright;
  return chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
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

/** The images whose card the filters leave shown, in page order. */
const visibleRows = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll<HTMLElement>('#matrix [data-image]'))
      .filter((row) => row.getClientRects().length > 0)
      .map((row) => row.dataset.image!),
  );

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
    context = await launchChromium(join(tmp, 'profile'));
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
      page.locator(`[data-image="${image}"] [data-arch-cell="${arch}"] .status`).textContent();
    try {
      expect(await cell('opencl-pocl', 'amd64')).toBe('passed');
      expect(await cell('opencl-pocl', 'arm64')).toBe('no-device');
      expect(await cell('vulkan-lavapipe', 'amd64')).toBe('failed: exit 127');
      expect(await cell('vulkan-lavapipe', 'arm64')).toBe('not tested');
      expect(await cell('edgetpu-std', 'amd64')).toBe(
        'not built: unreachable source https://packages.cloud.google.com/apt (ENOTFOUND)',
      );
      expect(await cell('onnxruntime-gpu', 'amd64')).toBe(
        'not built: unreachable source https://pypi.org/simple (ENOTFOUND)',
      );
      expect(await page.locator('[data-image="onnxruntime-gpu"] [data-arch-cell="arm64"]').count()).toBe(0);
      expect(await page.locator('[data-image="opencl-pocl"] [data-facts="amd64"]').textContent()).toBe(
        'built 2026-12-02 sha256:222222222222 · 71.3 MB compressed (registry manifest) · 2 packages, 1 outdated · SBOM',
      );
      expect(await page.locator('[data-image="opencl-pocl"] svg.size-chart').isVisible()).toBe(true);

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
      expect(await page.locator('[data-image="opencl-pocl"] .from code').textContent()).toBe(
        'FROM acceleratorbase/opencl-pocl:6.0-trixie',
      );
      expect(await page.locator('[data-image="minideb-bullseye"] .from code').textContent()).toBe(
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

/** Where the layout test leaves its screenshots (kept after the run, for a person to look at). */
export const SCREENSHOTS = join(tmpdir(), 'accelbase-docs-screenshots');

describe.skipIf(missing.length > 0)('images/index.html layout in chromium: desktop and phone', () => {
  let context: BrowserContext;
  let tmp: string;
  const pages: Record<'render' | 'facts', string> = { render: '', facts: '' };

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'accelbase-docs-layout-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    for (const [name, facts] of [
      ['render', false],
      ['facts', true],
    ] as const) {
      writeFileSync(join(tmp, `${name}.html`), renderedHtml(facts));
      pages[name] = pathToFileURL(join(tmp, `${name}.html`)).href;
    }
    context = await launchChromium(join(tmp, 'profile'));
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  /** Nothing wider than the viewport: the page never scrolls sideways, and no status text overflows its card. */
  const overflow = (page: Page) =>
    page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      statusesOutsideTheirCard: Array.from(document.querySelectorAll<HTMLElement>('#matrix .status'))
        .filter((status) => {
          const card = status.closest('.card')!.getBoundingClientRect();
          const box = status.getBoundingClientRect();
          return box.width > 0 && (box.right > card.right + 0.5 || box.left < card.left - 0.5);
        })
        .map((status) => status.textContent),
    }));

  // 390 x 844: a phone (an iPhone 12 to 14's CSS viewport).
  test.each([
    ['render', 1280, 800],
    ['render', 390, 844],
    ['facts', 1280, 800],
    ['facts', 390, 844],
  ] as const)(
    '%s page at %i px: no sideways scroll, the first FROM copy button in view, filters work',
    async (name, width, height) => {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      try {
        await page.setViewportSize({ width, height });
        await page.goto(pages[name]);
        expect(errors).toEqual([]);
        // What a visitor sees first, and the whole page.
        await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: false });
        await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}-full.png`), fullPage: true });
        const first = await overflow(page);
        expect(first.innerWidth).toBe(width);
        expect(first.scrollWidth).toBeLessThanOrEqual(first.innerWidth);
        expect(first.statusesOutsideTheirCard).toEqual([]);

        const copy = page.locator('#matrix .copy').first();
        expect(await copy.getAttribute('data-copy')).toMatch(/^FROM acceleratorbase\/opencl-pocl:6\.0-trixie/);
        const box = (await copy.boundingBox())!;
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.y).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(width);
        expect(box.y + box.height).toBeLessThanOrEqual(height);

        await page.locator('#filter').fill('edgetpu');
        expect(await visibleRows(page)).toEqual(['edgetpu-std', 'edgetpu-max']);
        await page.locator('#filter').fill('');
        await page.locator('#arch').selectOption('arm64');
        expect(await visibleRows(page)).not.toContain('onnxruntime-gpu');
        expect((await overflow(page)).scrollWidth).toBeLessThanOrEqual(width);
      } finally {
        await page.close();
      }
    },
  );

  test('a declared image that was never built looks unlike a built one', async () => {
    const page = await context.newPage();
    try {
      await page.goto(pages.facts);
      const look = (image: string) =>
        page.evaluate((name) => {
          const card = document.querySelector<HTMLElement>(`[data-image="${name}"]`)!;
          const badge = card.querySelector('.badge')!;
          return {
            state: card.dataset.state,
            badge: badge.textContent,
            border: getComputedStyle(card).borderTopStyle,
            badgeColor: getComputedStyle(badge).color,
            check: card.textContent!.includes('✓'),
          };
        }, image);
      const built = await look('opencl-pocl');
      const never = await look('cuda-runtime');
      expect(built).toMatchObject({ state: 'built', badge: 'built', border: 'solid', check: false });
      expect(never).toMatchObject({ state: 'not-built', badge: 'not built', border: 'dashed', check: false });
      expect(never.badgeColor).not.toBe(built.badgeColor);
      // The long reason wraps inside its card; the full text is in the title too.
      const reason = page.locator('[data-image="edgetpu-std"] [data-arch-cell="amd64"] .status');
      expect(await reason.getAttribute('title')).toBe(
        'amd64: not built: unreachable source https://packages.cloud.google.com/apt (ENOTFOUND)',
      );
    } finally {
      await page.close();
    }
  });
});

// Names, in the test report, what a skipped browser tier is missing.
if (skipReason) test.skip(skipReason, () => {});
