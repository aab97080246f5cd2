// Rendering: plan in, file contents out (path relative to the workspace root -> text). Pure but for
// reading the templates and device-query scripts.
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Eta } from 'eta';
import semver from 'semver';
import type { Catalog } from '../catalog/schema.js';
import type { Platform } from '../catalog/grammar.js';
import { computeProbesDir, deviceQueriesDir } from '../catalog/load.js';
import { type Installer, sourceTypeFacts, sourceTypes } from '../catalog/source-types.js';
import { imageRef, type Plan, type PlannedImage, type PlannedPackage } from '../plan/plan.js';
import { renderBake } from './bake-file.js';
import { renderDocs } from './docs.js';
import { dockerfilePairs } from './escape.js';
import { declared } from '../lib/own.js';
import { UserError } from '../errors.js';

export const templatesDir = (root: string) => join(root, 'generators', 'templates');

/** The labels every image carries: OCI ones plus accelbase's own for placement and the tag picker. */
export function imageLabels(image: PlannedImage, catalog: Catalog): Record<string, string> {
  const labels: Record<string, string> = {
    'org.opencontainers.image.title': image.repository.split('/').pop()!,
    'org.opencontainers.image.description': image.description ?? image.name,
    'org.opencontainers.image.base.name': image.base?.ref ?? 'scratch',
    'io.accelbase.image': image.name,
    'io.accelbase.distribution': image.dist,
  };
  if (catalog.registry.source) labels['org.opencontainers.image.source'] = catalog.registry.source;
  if (image.accelerator) labels['io.accelbase.accelerator'] = image.accelerator;
  if (image.variant) labels['io.accelbase.variant'] = image.variant;
  labels['io.accelbase.device-profile'] = image.device;
  if (image.version) labels['io.accelbase.runtime-version'] = image.version;
  return { ...labels, ...image.labels };
}

/** How each install step of the template spells an exact version, and a range before `update` locked one. */
const installers: Record<Installer, { pin: string; range: (name: string, range: string) => string }> = {
  // apt takes no range: the bare name installs the suite's current version.
  apt: { pin: '=', range: (name) => name },
  pip: { pin: '==', range: (name, range) => `${name}${pep440(range)}` },
  npm: { pin: '@', range: (name, range) => `${name}@${range}` },
};

/**
 * `name=version` (in the installer's spelling) when every platform locked the same version. Before
 * `update` ran: pip and npm get the catalog's range (their installers understand ranges), apt the
 * bare name.
 */
function pinned(p: PlannedPackage, platforms: Platform[]): string {
  const installer = installers[sourceTypeFacts(p.sourceType).installer];
  const versions = new Set(platforms.map((pl) => p.locked[pl]));
  if (versions.size === 1 && !versions.has(undefined)) return `${p.name}${installer.pin}${[...versions][0]}`;
  if ([...versions].some((v) => v !== undefined)) {
    throw new UserError(
      `${p.name}: locked versions differ per platform (${platforms.map((pl) => `${pl}=${p.locked[pl] ?? 'none'}`).join(', ')})`,
    );
  }
  return p.constraint ? installer.range(p.name, p.constraint) : p.name;
}

/** A semver range as a PEP 440 specifier: `>=1.20 <2` -> `>=1.20.0,<2.0.0` (first alternative only). */
export function pep440(range: string): string {
  const [first] = new semver.Range(range).set;
  return first
    .map((c) => c.value.replace(/-0$/, '').replace(/^=?(?=\d)/, '=='))
    .filter((v) => v !== '')
    .join(',');
}

/**
 * apt's archive as a BuildKit cache mount on every install step: each .deb is downloaded once per
 * builder and never reaches the image; locked, so two installs never share it at once.
 * install_packages sees the mount and keeps what it downloads in it.
 */
export const APT_CACHE_MOUNT =
  '--mount=type=cache,id=accelbase-apt-archives,target=/var/cache/apt/archives,sharing=locked';

export function dockerfileData(image: PlannedImage, catalog: Catalog) {
  const bySource = (type: string) => image.packages.filter((p) => p.sourceType === type);
  // Grouped by source type in registration order (Debian's packages before a vendor repository's).
  const installedBy = (installer: Installer) =>
    sourceTypes.filter((t) => sourceTypeFacts(t).installer === installer).flatMap(bySource);
  const install = (installer: Installer) => installedBy(installer).map((p) => pinned(p, image.platforms));
  // The template writes some source settings out as they are: a Debian source's components beyond
  // main, a vendor repository's URL and key, the pip index.
  const componentPackages = bySource('debian').filter((p) => {
    const s = declared(catalog.sources, p.source, 'source');
    return s.type === 'debian' && s.components.some((c) => c !== 'main');
  });
  const components = [
    ...new Set(
      componentPackages.flatMap((p) => {
        const s = declared(catalog.sources, p.source, 'source');
        return s.type === 'debian' ? s.components.filter((c) => c !== 'main') : [];
      }),
    ),
  ];
  const aptRepos = [...new Set(bySource('apt').map((p) => p.source))].map((name) => {
    const s = declared(catalog.sources, name, 'source');
    if (s.type !== 'apt') throw new Error(`source ${name} is not an apt repository`);
    return {
      name,
      url: s.url,
      https: s.url.startsWith('https:'),
      suite: s.suite,
      components: s.components,
      keyUrl: s.key.url,
      fingerprint: s.key.fingerprint,
      aptCacheMount: APT_CACHE_MOUNT,
    };
  });
  const pipSources = [...new Set(installedBy('pip').map((p) => p.source))];
  if (pipSources.length > 1)
    throw new Error(`${image.name}: packages from several pip indexes (${pipSources.join(', ')}) are not supported`);
  const pipSource = pipSources[0] ? declared(catalog.sources, pipSources[0], 'source') : undefined;
  return {
    origin: image.accelerator ? `accelerators.${image.accelerator}.variants.${image.variant}` : 'minideb',
    baseRef: image.base?.ref ?? 'scratch',
    labels: dockerfilePairs(imageLabels(image, catalog)),
    env: dockerfilePairs(image.env),
    components,
    componentPackages: componentPackages.map((p) => p.name),
    aptRepos,
    aptCacheMount: APT_CACHE_MOUNT,
    debconf: image.debconf,
    aptPackages: install('apt'),
    pipIndex: pipSource?.type === 'pip' ? pipSource.index : '',
    pipPackages: install('pip'),
    npmPackages: install('npm'),
    downloads: image.downloads,
    script: image.smoke.script,
  };
}

/** What images/<project>/image.json holds: the plan's facts about the project, for Nx and tools. */
export function imageJson(project: string, images: PlannedImage[], plan: Plan): object {
  const byName = new Map(plan.images.map((i) => [i.name, i]));
  const dependsOn = [...new Set(images.flatMap((i) => (i.base ? [byName.get(i.base.name)!.project] : [])))];
  return {
    name: project,
    dependsOn,
    images: images.map((i) => ({
      name: i.name,
      repository: i.repository,
      accelerator: i.accelerator,
      variant: i.variant,
      dist: i.dist,
      base: i.base,
      platforms: i.platforms,
      version: i.version,
      tags: i.tags,
      device: i.device,
      placement: i.placement,
      packages: i.packages.map((p) => ({ name: p.name, source: p.source, constraint: p.constraint, locked: p.locked })),
      smoke: i.smoke,
    })),
  };
}

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Reads a workspace file by its path relative to the root: the disk, or an Nx generator's tree. */
export type ReadFile = (relativePath: string) => string;

export const diskReader =
  (root: string): ReadFile =>
  (p) =>
    readFileSync(join(root, p), 'utf8');

/** The template engine every rendering uses: generators/templates, no auto-escaping (templates escape through the view's helpers). */
export function templateEngine(root: string, read: ReadFile = diskReader(root)): Eta {
  const eta = new Eta({ views: templatesDir(root), autoEscape: false, autoTrim: [false, false], cache: true });
  eta.readFile = (path: string) => read(relative(root, path));
  return eta;
}

/** Every rendered file, keyed by path relative to the workspace root, in a stable order. */
export function renderAll(
  root: string,
  plan: Plan,
  catalog: Catalog,
  read: ReadFile = diskReader(root),
): Map<string, string> {
  const eta = templateEngine(root, read);
  const files = new Map<string, string>();
  const projects = new Map<string, PlannedImage[]>();
  for (const image of plan.images) projects.set(image.project, [...(projects.get(image.project) ?? []), image]);
  for (const [project, images] of projects) {
    const dir = `images/${project}`;
    const first = images[0];
    const text =
      first.kind === 'minideb'
        ? eta.render('./minideb.Dockerfile.eta', { labels: dockerfilePairs(minidebLabels(images, catalog)) })
        : eta.render('./accelerator.Dockerfile.eta', dockerfileData(first, catalog));
    files.set(`${dir}/Dockerfile`, tidy(text));
    if (first.smoke.script) {
      files.set(`${dir}/${first.smoke.script}`, read(relative(root, join(deviceQueriesDir(root), first.smoke.script))));
    }
    const probe = first.smoke.compute?.probe;
    if (probe) files.set(`${dir}/test.Dockerfile`, tidy(testDockerfile(eta, root, first, probe, catalog, read)));
    files.set(`${dir}/image.json`, json(imageJson(project, images, plan)));
  }
  for (const [path, text] of renderDocs(eta, plan, catalog)) files.set(path, text);
  files.set('docker-bake.json', json(renderBake(plan, catalog)));
  return files;
}

/**
 * images/<project>/test.Dockerfile: the probe's stages (its test.Dockerfile.eta) FROM the image under
 * test, named by the IMAGE_UNDER_TEST argument, so the image itself is never rebuilt or changed.
 */
function testDockerfile(
  eta: Eta,
  root: string,
  image: PlannedImage,
  probe: string,
  catalog: Catalog,
  read: ReadFile,
): string {
  const body = eta.renderString(read(relative(root, join(computeProbesDir(root), probe, 'test.Dockerfile.eta'))), {
    aptCacheMount: APT_CACHE_MOUNT,
  });
  return eta.render('./test.Dockerfile.eta', {
    origin: `accelerators.${image.accelerator}.variants.${image.variant}`,
    image: image.name,
    probe,
    imageRef: imageRef(catalog.registry.namespace, image),
    body,
  });
}

/** minideb's one Dockerfile serves every suite: only suite-independent labels go in it. */
function minidebLabels(images: PlannedImage[], catalog: Catalog): Record<string, string> {
  const {
    'io.accelbase.distribution': _dist,
    'io.accelbase.image': _name,
    'org.opencontainers.image.description': _d,
    ...rest
  } = imageLabels(images[0], catalog);
  return {
    ...rest,
    'io.accelbase.image': 'minideb',
    'org.opencontainers.image.description': 'minideb: a minimal Debian, bootstrapped from Debian packages',
  };
}

/** Template control lines leave blank runs behind: keep at most one blank line, end with one newline. */
export function tidy(text: string): string {
  return `${text
    .replace(/[ \t]+$/gm, '')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
