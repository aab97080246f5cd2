// Resolving every package of every image from its source into a new lock (for `update`). Pure
// but for the sources; each lookup goes to the datasource of the package's source type.
import type { Platform } from '../catalog/grammar.js';
import type { Lock, LockedImage, LockedPlatform } from '../catalog/lock.js';
import type { ImageSpec, Model } from '../catalog/model.js';
import { archOf } from '../catalog/platform.js';
import { datasourceFor } from '../datasources/index.js';
import type { ResolveContext } from '../datasources/types.js';
import { IntegrityError, UnreachableError, UserError } from '../errors.js';
import type { FetchImpl } from '../lib/http.js';

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
  /**
   * Why: the source answered without a matching version (`no-version`), answered with an error or
   * an unreadable index (`unreadable`), or gave no answer at all (`unreachable`).
   */
  cause: 'no-version' | 'unreadable' | 'unreachable';
  /** With `unreachable`: the host that gave no answer, and why in a few words. */
  unreachable?: { host: string; reason: string };
}

export interface UpdateResult {
  lock: Lock;
  changes: PackageChange[];
  unresolved: Unresolved[];
}

export interface UpdateOptions {
  mirror: string;
  /** Debian's security archive; undefined: resolve from `<suite>` and `<suite>-updates` only. */
  securityMirror?: string;
  /** Debian's archive keyring; undefined: Release signatures not verified (tests only). */
  debianKeyring?: string;
  /** YYYY-MM-DD recorded on images whose packages changed. */
  today: string;
  cacheDir?: string;
  fetchImpl?: FetchImpl;
  /** Tests point npm at a local registry; otherwise npm's own configuration decides. */
  npmRegistry?: string;
}

/** One run's inputs and findings so far. */
interface UpdateRun {
  model: Model;
  ctx: ResolveContext;
  changes: PackageChange[];
  unresolved: Unresolved[];
}

function resolveContext(opts: UpdateOptions): ResolveContext {
  const memo = new Map<string, Promise<unknown>>();
  return {
    mirror: opts.mirror,
    securityMirror: opts.securityMirror,
    debianKeyring: opts.debianKeyring,
    cacheDir: opts.cacheDir,
    fetchImpl: opts.fetchImpl,
    npmRegistry: opts.npmRegistry,
    once: <T>(key: string, load: () => Promise<T>) => {
      if (!memo.has(key)) memo.set(key, load());
      return memo.get(key) as Promise<T>;
    },
  };
}

/**
 * The versions of `spec`'s packages on one platform. A package its source cannot resolve (no
 * matching version, or a UserError from the source: unreachable, HTTP error, broken index) is
 * reported and keeps what was locked before; any other error is a bug and propagates.
 */
async function resolvePlatform(
  run: UpdateRun,
  spec: ImageSpec,
  platform: Platform,
  before: LockedPlatform | undefined,
): Promise<Record<string, string>> {
  const packages: Record<string, string> = {};
  for (const p of spec.packages) {
    const old = before?.packages[p.name];
    const source = run.model.catalog.sources[p.source];
    let version: string | undefined;
    let reason: string;
    let failure: Pick<Unresolved, 'cause' | 'unreachable'> = { cause: 'no-version' };
    try {
      version = await datasourceFor(source.type).resolve(
        source,
        { name: p.name, range: p.version, dist: spec.dist, arch: archOf(platform) },
        run.ctx,
      );
      reason = `no version${p.version ? ` matching ${p.version}` : ''} in ${p.source}`;
    } catch (e) {
      // A forged or corrupt archive is not "unreachable": stop, so no lock is written from it.
      if (!(e instanceof UserError) || e instanceof IntegrityError) throw e;
      reason = e.message.split('\n')[0];
      failure =
        e instanceof UnreachableError
          ? { cause: 'unreachable', unreachable: { host: e.host, reason: e.reason } }
          : { cause: 'unreadable' };
    }
    if (version) {
      packages[p.name] = version;
      if (version !== old) run.changes.push({ image: spec.name, platform, package: p.name, from: old, to: version });
    } else {
      run.unresolved.push({ image: spec.name, platform, package: p.name, source: p.source, reason, ...failure });
      if (old) packages[p.name] = old; // keep what we knew rather than guess
    }
  }
  return packages;
}

export async function updateLock(model: Model, previous: Lock, opts: UpdateOptions): Promise<UpdateResult> {
  const run: UpdateRun = { model, ctx: resolveContext(opts), changes: [], unresolved: [] };
  const lock: Lock = { version: 1, images: {} };
  for (const spec of model.images.values()) {
    const before = previous.images[spec.name];
    // minideb has no packages to resolve; what publish recorded for it stays.
    if (spec.kind === 'minideb' || spec.packages.length === 0) {
      if (before) lock.images[spec.name] = before;
      continue;
    }
    const platforms: LockedImage['platforms'] = {};
    for (const platform of spec.platforms) {
      const was = before?.platforms[platform];
      const packages = await resolvePlatform(run, spec, platform, was);
      // A published digest describes the packages it was built with: it goes when they change.
      const same = was && JSON.stringify(was.packages) === JSON.stringify(packages);
      if (Object.keys(packages).length) platforms[platform] = same ? { ...was, packages } : { packages };
    }
    if (Object.keys(platforms).length === 0) continue;
    const changed = run.changes.some((c) => c.image === spec.name);
    lock.images[spec.name] = { updated: changed || !before ? opts.today : before.updated, platforms };
  }
  return { lock, changes: run.changes, unresolved: run.unresolved };
}
