// What was really built and tested, per image and platform, for the image matrix (`accelbase docs`):
// assembled from recorded results (build, smoke, outdated, the lock, sizes read from the registry),
// never from the catalog's declarations. Pure; the size chart is inline SVG with no external assets.
import type { Lock } from '../catalog/lock.js';
import { archOf } from '../catalog/platform.js';
import { ownValue } from '../lib/own.js';
import type { Plan } from '../plan/plan.js';
import { type SmokeResult, smokeText } from '../smoke/outcome.js';
import { escapeHtml } from './escape.js';

/** The status a matrix cell shows (and the status filter matches). */
export type FactStatus = 'passed' | 'no-device' | 'failed' | 'not-built' | 'not-tested' | 'retired';

export interface PlatformFacts {
  status: FactStatus;
  /** The cell's text: `passed (query passed, compute passed)`, `no-device (...)`, `failed (...): <why>`, `not built: unreachable source <url>`, `not tested`. */
  statusText: string;
  /** The last build of it: its date (YYYY-MM-DD; null where only the lock's published digest is known) and digest. */
  built: { date: string | null; digest: string; from: 'build' | 'lock' | 'registry' } | null;
  size: { bytes: number; from: 'registry' | 'results' } | null;
  /** How many installed packages are recorded (lock, else the last push); null: not recorded. */
  packageCount: number | null;
  /** How many of them are outdated, from the last `outdated` run; null: not checked. */
  outdatedCount: number | null;
  /** Link to the SBOM file beside the matrix; null where no installed set is recorded. */
  sbom: string | null;
}

/** Image name -> architecture -> facts. */
export type DocsFacts = Record<string, Record<string, PlatformFacts>>;

/** The recorded results facts are read from (workflows/state.ts's files, and the lock). */
export interface RecordedResults {
  lock: Lock;
  build?: {
    date: string;
    output: string;
    results: {
      image: string;
      repository: string;
      platforms: string[];
      status: string;
      reason?: string;
      digest?: string;
      installed?: Record<string, Record<string, string>>;
      sizes?: Record<string, number>;
    }[];
  };
  smoke: readonly SmokeResult[];
  outdated?: { results: readonly { image: string; platform: string; known: boolean; outdated: number }[] };
  /** Compressed sizes read from the registry now, by `image platform`; absent where it was not reachable. */
  registrySizes: ReadonlyMap<string, number>;
  /** SBOM links written beside the matrix, by `image platform`. */
  sboms: ReadonlyMap<string, string>;
}

const isoDate = (d: string) => (/^[0-9]{8}$/.test(d) ? `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6, 8)}` : d);

/** Why an image was not built, as the matrix says it: `not built: unreachable source <url>`. */
function notBuilt(status: string, reason: string | undefined): string {
  if (status === 'failed') return `not built: build failed${reason ? ` (${reason})` : ''}`;
  return `not built${reason ? `: ${reason}` : ''}`;
}

export function docsFacts(plan: Plan, r: RecordedResults): DocsFacts {
  const out: DocsFacts = {};
  for (const image of plan.images) {
    const build = r.build?.results.find((b) => b.image === image.name && b.repository === image.repository);
    const locked = ownValue(r.lock.images, image.name);
    const perArch: Record<string, PlatformFacts> = {};
    for (const platform of image.platforms) {
      const key = `${image.name} ${platform}`;
      const lockedPlatform = locked?.platforms[platform];
      const builtHere =
        build &&
        (build.status === 'built' || build.status === 'cached') &&
        build.digest &&
        build.platforms.includes(platform) &&
        r.build?.output === 'push';
      const built = builtHere
        ? { date: isoDate(r.build!.date), digest: build.digest!, from: 'build' as const }
        : lockedPlatform?.digest
          ? { date: null, digest: lockedPlatform.digest, from: 'lock' as const }
          : null;
      const smoke = r.smoke.find(
        (s) => s.image === image.name && s.platform === platform && (!built || s.ref.endsWith(built.digest)),
      );
      let status: FactStatus;
      let statusText: string;
      if (image.support.retired)
        // No longer built: what stays is the release's end and the last digest published.
        [status, statusText] = [
          'retired',
          `retired${image.support.securityEnd ? ` (security support ended ${image.support.securityEnd})` : ''}: ${lockedPlatform?.digest ? `last published ${lockedPlatform.digest.slice(0, 19)}` : 'never published'}`,
        ];
      else if (build && (build.status === 'skipped' || build.status === 'failed') && !built)
        [status, statusText] = ['not-built', notBuilt(build.status, build.reason)];
      // Which tiers passed, where the result records them (results from before tiers have the query only),
      // and why it failed.
      else if (smoke)
        [status, statusText] = [
          smoke.outcome,
          `${smokeText(smoke)}${smoke.outcome === 'failed' && smoke.detail ? `: ${smoke.detail}` : ''}`,
        ];
      else if (built) [status, statusText] = ['not-tested', 'not tested'];
      else [status, statusText] = ['not-built', 'not built yet'];
      const registry = r.registrySizes.get(key);
      const recordedSize = builtHere ? build.sizes?.[platform] : undefined;
      const installed = lockedPlatform?.installed ?? (builtHere ? build.installed?.[platform] : undefined);
      const outdated = r.outdated?.results.find((o) => o.image === image.name && o.platform === platform && o.known);
      perArch[archOf(platform)] = {
        status,
        statusText,
        built,
        size:
          registry !== undefined
            ? { bytes: registry, from: 'registry' }
            : recordedSize !== undefined
              ? { bytes: recordedSize, from: 'results' }
              : null,
        packageCount: installed ? Object.keys(installed).length : null,
        outdatedCount: outdated ? outdated.outdated : null,
        sbom: r.sboms.get(key) ?? null,
      };
    }
    out[image.name] = perArch;
  }
  return out;
}

/** `12.3 MB` (decimal units, as registries and `docker images` show them). */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]}`;
}

/**
 * A small horizontal bar chart of an image's compressed size per architecture, inline SVG: no
 * script, no font or stylesheet from outside (`currentColor` follows the page's colours). Empty
 * when no size is known.
 */
export function sizeChartSvg(image: string, facts: Record<string, PlatformFacts>): string {
  const bars = Object.entries(facts)
    .filter(([, f]) => f.size)
    .map(([arch, f]) => ({ arch, bytes: f.size!.bytes }));
  if (bars.length === 0) return '';
  const max = Math.max(...bars.map((b) => b.bytes), 1);
  const row = 16;
  const width = 220;
  const label = 48;
  const barMax = width - label - 64;
  const height = bars.length * row + 4;
  const rects = bars.map((b, i) => {
    const w = Math.max(1, Math.round((b.bytes / max) * barMax));
    const y = 2 + i * row;
    return `<text x="0" y="${y + 11}">${escapeHtml(b.arch)}</text><rect x="${label}" y="${y + 2}" width="${w}" height="10" rx="2"/><text x="${label + w + 4}" y="${y + 11}">${escapeHtml(formatBytes(b.bytes))}</text>`;
  });
  return `<svg class="size-chart" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(`compressed size of ${image}: ${bars.map((b) => `${b.arch} ${formatBytes(b.bytes)}`).join(', ')}`)}" fill="currentColor" font-size="11" font-family="system-ui, sans-serif">${rects.join('')}</svg>`;
}
