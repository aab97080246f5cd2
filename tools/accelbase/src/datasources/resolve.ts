// Resolving every package of every image from its real source into a new lock (pure but for the sources).
import type { Platform } from '../catalog/grammar.js';
import type { Lock, LockedImage } from '../catalog/lock.js';
import type { ImageSpec, Model, ResolvedPackage } from '../catalog/model.js';
import { info } from '../log.js';
import { fetchPackagesIndexes, resolveDebianPackage, type FetchImpl, type PackagesIndex } from './debian/datasource.js';
import { resolveNpmPackage } from './npm.js';
import { resolvePipPackage } from './pip.js';
import { archOf } from '../catalog/platform.js';
import { declared, ownValue } from '../lib/own.js';

export interface PackageChange {
  image: string;
  platform: Platform;
  package: string;
  from?: string;
  to: string;
}

export interface Unresolved {
  image: string;
  platform: Platform;
  package: string;
  source: string;
  reason: string;
}

export interface UpdateResult {
  lock: Lock;
  changes: PackageChange[];
  unresolved: Unresolved[];
}

export interface UpdateOptions {
  mirror: string;
  /** YYYY-MM-DD recorded on images whose packages changed. */
  today: string;
  cacheDir?: string;
  fetchImpl?: FetchImpl;
  /** Tests point npm at a local registry; otherwise npm's own configuration decides. */
  npmRegistry?: string;
}

export async function updateLock(model: Model, previous: Lock, opts: UpdateOptions): Promise<UpdateResult> {
  const { catalog } = model;
  const indexCache = new Map<string, Promise<PackagesIndex[]>>();
  const indexes = (mirror: string, suite: string, components: readonly string[], arch: string) => {
    const key = [mirror, suite, components.join(','), arch].join(' ');
    if (!indexCache.has(key)) {
      info(`reading ${suite} ${components.join(',')} ${arch} Packages indexes`);
      indexCache.set(key, fetchPackagesIndexes({ mirror, suite, components, arch, cacheDir: opts.cacheDir, fetchImpl: opts.fetchImpl, fields: [] }));
    }
    return indexCache.get(key)!;
  };

  const resolve = async (spec: ImageSpec, p: ResolvedPackage, platform: Platform): Promise<string | undefined> => {
    const source = declared(catalog.sources, p.source, 'source');
    switch (source.type) {
      case 'debian':
        return resolveDebianPackage(await indexes(opts.mirror, spec.dist, source.components, archOf(platform)), p.name, p.version)?.version;
      case 'apt':
        return resolveDebianPackage(await indexes(source.url, source.suite, source.components, archOf(platform)), p.name, p.version)?.version;
      case 'pip':
        return resolvePipPackage(source.index, p.name, p.version, opts.fetchImpl);
      case 'npm':
        return resolveNpmPackage(p.name, p.version, opts.npmRegistry);
    }
  };

  const lock: Lock = { version: 1, images: {} };
  const changes: PackageChange[] = [];
  const unresolved: Unresolved[] = [];
  for (const spec of model.images.values()) {
    const before = ownValue(previous.images, spec.name);
    // minideb has no packages to resolve; what publish recorded for it stays.
    if (spec.kind === 'minideb' || spec.packages.length === 0) {
      if (before) lock.images[spec.name] = before;
      continue;
    }
    const platforms: LockedImage['platforms'] = {};
    for (const platform of spec.platforms) {
      const packages: Record<string, string> = {};
      for (const p of spec.packages) {
        const old = ownValue(before?.platforms[platform]?.packages, p.name);
        try {
          const version = await resolve(spec, p, platform);
          if (!version) throw new Error(`no version${p.version ? ` matching ${p.version}` : ''} in ${p.source}`);
          packages[p.name] = version;
          if (version !== old) changes.push({ image: spec.name, platform, package: p.name, from: old, to: version });
        } catch (e) {
          unresolved.push({ image: spec.name, platform, package: p.name, source: p.source, reason: (e as Error).message.split('\n')[0] });
          if (old) packages[p.name] = old; // keep what we knew rather than guess
        }
      }
      const was = before?.platforms[platform];
      // A published digest describes the packages it was built with: it goes when they change.
      const same = was && JSON.stringify(was.packages) === JSON.stringify(packages);
      if (Object.keys(packages).length) platforms[platform] = same ? { ...was, packages } : { packages };
    }
    if (Object.keys(platforms).length === 0) continue;
    const changed = changes.some((c) => c.image === spec.name);
    lock.images[spec.name] = { updated: changed || !before ? opts.today : before.updated, platforms };
  }
  return { lock, changes, unresolved };
}
