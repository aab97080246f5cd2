// HTTP GET for every datasource: one timeout rule and one way of saying what failed (the URL, and
// the cause undici hides). Unreachable hosts and timeouts are UserErrors; an HTTP status is returned,
// because whether a 404 is an error depends on the caller.
import { UnreachableError, UserError } from '../errors.js';

export type FetchImpl = typeof fetch;

export type Download = { ok: true; body: Buffer } | { ok: false; status: number; statusText: string };

/** An error's useful part: undici reports "fetch failed" and puts ECONNREFUSED or ENOTFOUND in `cause`. */
export function describeCause(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as Error & { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: string }).code;
    return code && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
  }
  return err.message;
}

/** `name[:port]` of a URL, the unit an unreachable network is reported in; the URL itself when it has none. */
export function hostOf(url: string): string {
  try {
    return new URL(url).host || url;
  } catch {
    return url;
  }
}

/** GET `url` into memory; throws a UserError naming the URL when there is no answer in `timeoutMs`. */
export async function download(url: string, fetchImpl: FetchImpl, timeoutMs: number): Promise<Download> {
  let res: Response;
  try {
    res = await fetchImpl(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    if (err instanceof Error && err.name === 'TimeoutError') {
      const reason = `timed out after ${timeoutMs / 1000}s`;
      throw new UnreachableError(`${reason} fetching ${url}`, hostOf(url), reason);
    }
    throw new UnreachableError(`cannot reach ${url}: ${describeCause(err)}`, hostOf(url), describeCause(err));
  }
  if (!res.ok) {
    // Drain so the connection can be reused; the body of an error page is of no interest.
    await res.arrayBuffer().catch(() => undefined);
    return { ok: false, status: res.status, statusText: res.statusText };
  }
  try {
    return { ok: true, body: Buffer.from(await res.arrayBuffer()) };
  } catch (err) {
    throw new UserError(`download of ${url} failed: ${describeCause(err)}`);
  }
}

/** `<url>: HTTP 404 Not Found<hint>`. */
export function httpError(url: string, d: { status: number; statusText: string }, hint = ''): UserError {
  return new UserError(`${url}: HTTP ${d.status}${d.statusText ? ` ${d.statusText}` : ''}${hint}`);
}

/**
 * GET `url` as text of at most `maxBytes` (a user's source: a raw Dockerfile). No answer is
 * `unreachable source <url>`; a body over the limit is refused while it streams, before it is all read.
 */
export async function fetchSource(
  url: string,
  o: { fetchImpl?: FetchImpl; timeoutMs?: number; maxBytes: number },
): Promise<Buffer> {
  const signal = AbortSignal.timeout(o.timeoutMs ?? 30_000);
  let res: Response;
  try {
    res = await (o.fetchImpl ?? fetch)(url, { signal, redirect: 'follow' });
  } catch (err) {
    const reason = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : describeCause(err);
    throw new UnreachableError(`unreachable source ${url}: ${reason}`, hostOf(url), reason);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw httpError(url, { status: res.status, statusText: res.statusText });
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for await (const chunk of res.body ?? []) {
      size += chunk.length;
      if (size > o.maxBytes) {
        await res.body?.cancel().catch(() => undefined);
        throw new UserError(`${url}: larger than ${o.maxBytes} bytes; accelbase reads smaller sources only`);
      }
      chunks.push(chunk);
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`unreachable source ${url}: ${describeCause(err)}`);
  }
  return Buffer.concat(chunks);
}
