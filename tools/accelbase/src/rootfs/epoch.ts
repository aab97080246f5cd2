// SOURCE_DATE_EPOCH of a root filesystem: by default the `Date:` of the suite's Release file, so the
// same archive snapshot always gives the same tarball.
import { fetchRelease, type FetchImpl } from '../datasources/debian/datasource.js';
import { clearsignedBody, field, parseDeb822 } from '../datasources/debian/deb822.js';
import { UserError } from '../errors.js';
import { debug } from '../log.js';

/** The `Date:` of a Release/InRelease file, as seconds since the epoch. */
export function releaseEpoch(text: string): number | undefined {
  const [stanza] = parseDeb822(clearsignedBody(text), { fields: ['Date'] });
  const date = stanza && field(stanza, 'Date');
  if (!date) return undefined;
  const ms = Date.parse(date);
  return Number.isFinite(ms) ? Math.floor(ms / 1000) : undefined;
}

/**
 * The suite's Release date. The datasource's fetchRelease chooses InRelease or Release and checks the
 * file, but its DebianRelease carries no date: the date is read from the very body it fetched.
 */
export async function fetchReleaseEpoch(mirror: string, suite: string): Promise<number> {
  const base = mirror.replace(/\/+$/, '');
  const bodies = new Map<string, string>();
  const keepingBodies: FetchImpl = async (input, init) => {
    const res = await fetch(input, init);
    if (!res.ok) return res;
    const body = await res.arrayBuffer();
    bodies.set(input instanceof Request ? input.url : String(input), Buffer.from(body).toString('utf8'));
    return new Response(body, { status: res.status, statusText: res.statusText });
  };
  try {
    const release = await fetchRelease({ mirror: base, suite, fetchImpl: keepingBodies, timeoutMs: 60_000 });
    const epoch = releaseEpoch(bodies.get(release.url) ?? '');
    if (epoch !== undefined) return epoch;
  } catch (e) {
    debug(`rootfs: ${base}/dists/${suite}/: ${(e as Error).message}`);
  }
  throw new UserError(`rootfs: no Release date for ${suite} at ${base}/dists/${suite}/ (is the mirror reachable?)`);
}

/** An explicit epoch, else SOURCE_DATE_EPOCH from the environment, else the Release date. */
export function chooseEpoch(explicit: number | undefined, release: number, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env.SOURCE_DATE_EPOCH?.trim();
  return explicit ?? (fromEnv && /^\d+$/.test(fromEnv) ? Number(fromEnv) : release);
}
