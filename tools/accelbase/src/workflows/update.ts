// `update`: resolve every package from its source into catalog.lock.yaml, then re-render so the
// Dockerfiles install what was resolved.
import type { Run } from '../config/run-config.js';
import { readFileSync } from 'node:fs';
import { loadCatalog } from '../catalog/load.js';
import { serializeLock, type Lock } from '../catalog/lock.js';
import { fetchDistroInfo } from '../datasources/debian/distro-info.js';
import { debianKeyring, debianMirror, debianSecurityMirror } from '../datasources/debian/mirror.js';
import { UnreachableError, UserError } from '../errors.js';
import type { Model } from '../catalog/model.js';
import { updateLock, type PackageChange, type Unresolved } from './resolve-lock.js';
import { writeAtomic } from '../lib/fs.js';
import { renderToDisk } from '../render/pipeline.js';
import { archiveLookups, indexCacheDir } from './archive.js';
import { debianComponents, imagesToRebuild, outdatedImages, type OutdatedReport } from './outdated.js';
import type { OpenWorkspace } from './workspace.js';
import { isoDay } from '../lib/date.js';

export interface UpdateOutcome {
  lockChanged: boolean;
  changes: PackageChange[];
  unresolved: Unresolved[];
  /** Rendered files written or removed. */
  rendered: string[];
  lockFile: string;
  /** Installed packages with a newer version in the archive, per image and platform. */
  outdated: OutdatedReport[];
  /** Images marked for a rebuild: an installed package (theirs, or a base's) has a newer version. */
  rebuild: string[];
  /** Why the release dates could not be read (the lock keeps the dates it had); undefined when read. */
  calendarError?: string;
  /** Each host that gave no answer, once, with the sources and images that wait on it. */
  unreachable: UnreachableHost[];
  /** Every source the lock needs was read: false when one was unreachable or unreadable (its packages keep their locked versions). */
  complete: boolean;
}

export interface UnreachableHost {
  host: string;
  /** The first failure's cause: `getaddrinfo ENOTFOUND mirror.invalid`, `connect ECONNREFUSED 127.0.0.1:9`. */
  reason: string;
  /** Catalog sources (and `distro-info-data` for the release dates) read from it. */
  sources: string[];
  images: string[];
}

/** The name `update` gives the release calendar when it reports the calendar's host unreachable. */
export const CALENDAR = 'distro-info-data';

/** The unresolved packages (and the calendar) that got no answer, one entry per host. */
function unreachableHosts(unresolved: Unresolved[], calendar?: { host: string; reason: string }): UnreachableHost[] {
  const hosts = new Map<string, UnreachableHost>();
  const add = (host: string, reason: string, source: string, image?: string) => {
    const h = hosts.get(host) ?? { host, reason, sources: [], images: [] };
    if (!h.sources.includes(source)) h.sources.push(source);
    if (image && !h.images.includes(image)) h.images.push(image);
    hosts.set(host, h);
  };
  for (const u of unresolved) if (u.unreachable) add(u.unreachable.host, u.unreachable.reason, u.source, u.image);
  if (calendar) add(calendar.host, calendar.reason, CALENDAR);
  return [...hosts.values()];
}

interface CalendarSources {
  mirror: string;
  securityMirror?: string;
  keyring?: string;
  cacheDir?: string;
}

/**
 * Lock each catalog distribution's support dates from distro-info-data (read from the default
 * distribution's suites). A calendar that cannot be read leaves the locked dates as they were.
 */
async function lockReleaseDates(model: Model, lock: Lock, sources: CalendarSources): Promise<UserError | undefined> {
  let calendar: Awaited<ReturnType<typeof fetchDistroInfo>>;
  try {
    calendar = await fetchDistroInfo({ ...sources, dist: model.catalog.defaultDistribution, arch: 'amd64' });
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  lock.distroInfo = calendar.from;
  lock.distributions = Object.fromEntries(
    Object.keys(model.catalog.distributions)
      .sort()
      .map((d) => {
        const row = calendar.releases.get(d);
        return [
          d,
          {
            regularSecurityEnd: row?.eol,
            securityEnd: row?.eolLts ?? row?.eol,
            extendedEnd: row?.eolElts,
          },
        ];
      }),
  );
  return undefined;
}

/** A published digest describes what the image installs: it goes when any of that is outdated. */
function markForRebuild(lock: Lock, images: ReadonlySet<string>): void {
  for (const name of images) for (const p of Object.values(lock.images[name]?.platforms ?? {})) if (p) delete p.digest;
}

export async function updateWorkspace(ws: OpenWorkspace, run: Run, today = isoDay()): Promise<UpdateOutcome> {
  const sources = {
    mirror: debianMirror(run.config.debianMirror),
    securityMirror: debianSecurityMirror(run.config.debianSecurityMirror),
    keyring: debianKeyring(run.config.debianKeyring),
    cacheDir: indexCacheDir(run.config),
  };
  const result = await updateLock(ws.model, ws.lock, {
    mirror: sources.mirror,
    securityMirror: sources.securityMirror,
    debianKeyring: sources.keyring,
    today,
    cacheDir: sources.cacheDir,
  });
  const calendarError = await lockReleaseDates(ws.model, result.lock, sources);
  const unreachable = unreachableHosts(
    result.unresolved,
    calendarError instanceof UnreachableError ? calendarError : undefined,
  );
  const outdated = await outdatedImages(
    ws.root,
    ws.plan,
    result.lock,
    archiveLookups({ components: debianComponents(ws), ...run }),
  );
  const rebuild = imagesToRebuild(ws.plan, outdated);
  markForRebuild(result.lock, rebuild);
  const text = serializeLock(result.lock);
  let before = '';
  try {
    before = readFileSync(ws.ws.lockFile, 'utf8');
  } catch {
    /* no lock yet */
  }
  if (text !== before) writeAtomic(ws.ws.lockFile, text);
  // Re-render from the lock as written, validated like any other read.
  const relocked = loadCatalog(ws.ws);
  const render = renderToDisk(ws.root, relocked.model, relocked.lock, true);
  return {
    lockChanged: text !== before,
    changes: result.changes,
    unresolved: result.unresolved,
    rendered: [...render.added, ...render.changed, ...render.stale],
    lockFile: ws.ws.lockFile,
    outdated: outdated.filter((r) => r.outdated.length),
    rebuild: [...rebuild],
    calendarError: calendarError?.message,
    unreachable,
    complete: result.unresolved.every((u) => u.cause === 'no-version'),
  };
}
