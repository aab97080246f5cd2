// The image matrix for application authors: images/README.md and images/index.html, rendered from
// the plan like the Dockerfiles. Pure but for the templates Eta reads; no dates, so `render --check`
// stays stable. The data lives here, the layout in generators/templates/docs.{md,html}.eta.
import type { Eta } from 'eta';
import type { Catalog, DeviceProfile } from '../catalog/schema.js';
import type { Plan, PlannedImage } from '../plan/plan.js';
import { deviceFlags } from '../catalog/device.js';
import { archOf } from '../catalog/platform.js';
import { ownValue } from '../lib/own.js';
import { type DocsFacts, type FactStatus, formatBytes, type PlatformFacts, sizeChartSvg } from './facts.js';
import { shellJoin } from '../lib/shell.js';
import { escapeHtml, escapeMarkdown, fencedLine, markdownCode, scriptJson } from './escape.js';

export const DOCS_MARKDOWN = 'images/README.md';
export const DOCS_HTML = 'images/index.html';

/** The architectures the matrix has a column for, in column order. */
export const ARCHES = ['amd64', 'arm64'] as const;
export type Arch = (typeof ARCHES)[number];

/** One image as the matrix (and the JSON embedded in index.html) shows it. */
export interface DocImage {
  name: string;
  kind: 'minideb' | 'accelerator';
  /** What the accelerator filter matches: the accelerator, or `minideb` for the base images. */
  group: string;
  accelerator: string | null;
  variant: string | null;
  description: string;
  /** `<namespace>/<project>` in the catalog's namespace (what app authors pull, whatever --registry a run used). */
  repository: string;
  /** Folder under images/. */
  project: string;
  dist: string;
  /** Debian release number of the distribution. */
  debian: string;
  /** The release's security-support end (locked from distro-info-data), or null until `update` locked it. */
  supportEnd: string | null;
  /** The catalog retired the release: the image is no longer built. */
  retired: boolean;
  arches: Arch[];
  /** Runtime upstream version the tags carry; null until the lock has it. */
  version: string | null;
  tags: string[];
  /** The tag to pin: `<version>-<dist>`, or `<dist>` where no version is locked. */
  pin: string;
  from: string;
  base: string | null;
  runtime: DocRuntime | null;
  device: DeviceProfile;
  /** `docker run` flags the device profile needs on a host that has the devices. */
  deviceFlags: string[];
  /** The same flags as one shell-quoted line. */
  deviceRun: string;
}

export interface DocRuntime {
  name: string;
  source: string;
  constraint: string | null;
  /** Locked version per architecture (empty when the source was not resolved). */
  locked: Partial<Record<Arch, string>>;
}

export interface DocsModel {
  namespace: string;
  images: DocImage[];
}

/** The runtime package a variant declares (its own or its accelerator's default), if any. */
function runtimeName(image: PlannedImage, catalog: Catalog): string | undefined {
  if (!image.accelerator || !image.variant) return undefined;
  const acc = ownValue(catalog.accelerators, image.accelerator);
  return ownValue(acc?.variants, image.variant)?.runtime ?? acc?.defaults?.runtime;
}

function docImage(image: PlannedImage, catalog: Catalog): DocImage {
  const namespace = catalog.registry.namespace;
  const repository = `${namespace}/${image.project}`;
  const pin =
    image.version && image.tags.includes(`${image.version}-${image.dist}`)
      ? `${image.version}-${image.dist}`
      : image.dist;
  const flags = deviceFlags(image.device, () => true);
  const name = runtimeName(image, catalog);
  const pkg = name ? image.packages.find((p) => p.name === name) : undefined;
  const runtime: DocRuntime | null = pkg
    ? {
        name: pkg.name,
        source: pkg.source,
        constraint: pkg.constraint ?? null,
        locked: Object.fromEntries(
          image.platforms.flatMap((pl) => (pkg.locked[pl] ? [[archOf(pl), pkg.locked[pl]]] : [])),
        ),
      }
    : null;
  return {
    name: image.name,
    kind: image.kind,
    group: image.accelerator ?? 'minideb',
    accelerator: image.accelerator ?? null,
    variant: image.variant ?? null,
    description:
      image.kind === 'minideb'
        ? 'minideb: a minimal Debian, bootstrapped from Debian packages'
        : (image.description ?? image.name),
    repository,
    project: image.project,
    dist: image.dist,
    debian: ownValue(catalog.distributions, image.dist)?.version ?? '',
    supportEnd: image.support.securityEnd ?? null,
    retired: image.support.retired,
    arches: ARCHES.filter((a) => image.platforms.includes(`linux/${a}`)),
    version: image.version,
    tags: image.tags,
    pin,
    from: `FROM ${repository}:${pin}`,
    base: image.base?.name ?? null,
    runtime,
    device: image.device,
    deviceFlags: flags,
    deviceRun: shellJoin(flags),
  };
}

/**
 * The matrix's rows: accelerator images in catalog order (accelerators, then their variants), then
 * the minideb suites; anything else the plan holds keeps its plan order at the end.
 */
export function docsModel(plan: Plan, catalog: Catalog): DocsModel {
  const order = new Map<string, number>();
  for (const [acc, accelerator] of Object.entries(catalog.accelerators)) {
    for (const variant of Object.keys(accelerator.variants)) order.set(`${acc}-${variant}`, order.size);
  }
  for (const dist of catalog.minideb.distributions) order.set(`minideb-${dist}`, order.size);
  const rank = (i: PlannedImage) => order.get(i.name) ?? order.size;
  const images = plan.images
    .map((image, index) => ({ image, index }))
    .sort((a, b) => rank(a.image) - rank(b.image) || a.index - b.index)
    .map(({ image }) => docImage(image, catalog));
  return { namespace: catalog.registry.namespace, images };
}

// --- view data -------------------------------------------------------------------------------

/** The runtime's locked version(s): one when every arch agrees, else per arch; null when not locked. */
export function lockedText(runtime: DocRuntime | null): string | null {
  if (!runtime) return null;
  const entries = Object.entries(runtime.locked);
  if (entries.length === 0) return null;
  const versions = new Set(entries.map(([, v]) => v));
  return versions.size === 1 ? entries[0][1] : entries.map(([a, v]) => `${a} ${v}`).join(', ');
}

const STATUSES: { value: FactStatus; label: string }[] = [
  { value: 'passed', label: 'passed' },
  { value: 'no-device', label: 'no-device' },
  { value: 'failed', label: 'failed' },
  { value: 'not-tested', label: 'not tested' },
  { value: 'not-built', label: 'not built' },
];

/**
 * What an image's card says at a glance: `built` (some platform has a digest), `not-built` (none
 * has: declared but never built, or its build was skipped or failed), `retired`, or, in the
 * committed catalog-only page that knows nothing of builds, `declared`.
 */
export type CardState = 'built' | 'not-built' | 'retired' | 'declared';

export interface Card {
  state: CardState;
  label: string;
  /** The FROM line to copy: the release's tag, with `@<digest>` where every built platform has the same (index) digest. */
  from: string;
  digest: string | null;
  /** Where the digest is from and when: `built 2026-12-02`, `published` (the lock's); null without a digest. */
  digestNote: string | null;
}

const CARD_LABELS: Record<CardState, string> = {
  built: 'built',
  'not-built': 'not built',
  retired: 'retired',
  declared: 'declared',
};

/** An image's card: its state and the FROM line, pinned by digest where the facts know one. */
export function cardOf(image: DocImage, facts: Record<string, PlatformFacts> | null): Card {
  const built = facts ? Object.values(facts).flatMap((f) => (f.built ? [f.built] : [])) : [];
  const state: CardState = image.retired ? 'retired' : !facts ? 'declared' : built.length > 0 ? 'built' : 'not-built';
  const digests = new Set(built.map((b) => b.digest));
  const pinned = digests.size === 1 ? built[0] : null;
  return {
    state,
    label: CARD_LABELS[state],
    from: pinned ? `${image.from}@${pinned.digest}` : image.from,
    digest: pinned?.digest ?? null,
    digestNote: pinned ? (pinned.date ? `built ${pinned.date}` : 'published') : null,
  };
}

function viewData(model: DocsModel, facts?: DocsFacts, imagesBase = '') {
  const locked = model.images.find((i) => i.version !== null && i.kind === 'accelerator');
  const profiles = [...new Set(model.images.map((i) => i.device))].map((device) => ({
    device,
    run: model.images.find((i) => i.device === device)!.deviceRun,
    images: model.images.filter((i) => i.device === device).map((i) => i.name),
  }));
  return {
    namespace: model.namespace,
    images: model.images,
    arches: ARCHES,
    groups: [...new Set(model.images.map((i) => i.group))],
    example: locked ?? model.images[0],
    profiles,
    // One image per line, so a catalog change shows as a one-line diff.
    json: `{"namespace":${scriptJson(model.namespace)},"images":[\n${model.images.map((i) => scriptJson(i)).join(',\n')}\n]}`,
    lockedText,
    /** Recorded facts (`accelbase docs`); absent for the committed, catalog-only matrix of `render`. */
    facts: facts ?? null,
    /** The command that wrote the page, as the page says. */
    generator: facts ? 'accelbase docs' : 'accelbase render',
    card: (image: DocImage) => cardOf(image, facts ? (facts[image.name] ?? {}) : null),
    /** Where images/ is from the folder the matrix is written to ('' for images/ itself). */
    imagesBase,
    statuses: STATUSES,
    sizeChart: sizeChartSvg,
    bytes: formatBytes,
    shortDigest: (d: string) => d.slice(0, 'sha256:'.length + 12),
    h: escapeHtml,
    md: escapeMarkdown,
    code: markdownCode,
    fenced: fencedLine,
    url: encodeURIComponent,
  };
}

/** Template control lines leave blank runs behind: keep at most one blank line, end with one newline. */
function tidy(text: string): string {
  return `${text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

/**
 * images/README.md and images/index.html for app authors: one row per image (minideb suites
 * included). With `facts` (`accelbase docs`), each platform cell shows what was built and tested
 * instead of what the catalog declares. `eta` is renderAll's instance (views = generators/templates, autoEscape off): the
 * templates escape every value through the view's helpers.
 */
export function renderDocs(
  eta: Eta,
  plan: Plan,
  catalog: Catalog,
  facts?: DocsFacts,
  imagesBase = '',
): Map<string, string> {
  const view = viewData(docsModel(plan, catalog), facts, imagesBase);
  return new Map([
    [DOCS_MARKDOWN, tidy(eta.render('./docs.md.eta', view))],
    [DOCS_HTML, tidy(eta.render('./docs.html.eta', view))],
  ]);
}
