// Test helper: a tiny Debian archive on 127.0.0.1, laid out from the fixture Packages files.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const FIXTURES = fileURLToPath(new URL('../datasources/debian/fixtures/', import.meta.url));
export const SUITE_DIR = join(FIXTURES, 'debian/dists/bookworm');

export type Route = Buffer | 'hang';

export interface Archive {
  server: Server;
  url: string;
  routes: Map<string, Route>;
  /** Paths requested, in order. */
  requests: string[];
}

const servers: Server[] = [];
/** Call from afterEach: closes every server started since. */
export async function closeServers(): Promise<void> {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
}

/** What answers a path the routes do not hold (an archive that forwards to another). */
export type Fallback = (path: string) => Promise<{ status: number; body: Buffer }>;

export async function serve(
  routes: Map<string, Route>,
  o: { root?: string; fallback?: Fallback } = {},
): Promise<Archive> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = req.url ?? '';
    requests.push(path);
    const body = routes.get(path);
    if (body === 'hang') return; // never answers: for the timeout test
    if (body !== undefined) return void res.writeHead(200, { 'content-length': body.length }).end(body);
    if (!o.fallback) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    o.fallback(path)
      .then((r) => res.writeHead(r.status, { 'content-length': r.body.length }).end(r.body))
      .catch(() => res.writeHead(502).end());
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${o.root ?? '/debian'}`,
    routes,
    requests,
  };
}

export const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
export const md5 = (b: Buffer) => createHash('md5').update(b).digest('hex');

/** Every `<component>/binary-<arch>/Packages` under the fixture suite, relative to it. */
export function fixtureIndexes(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name === 'Packages') out.push(relative(SUITE_DIR, p));
    }
  };
  walk(SUITE_DIR);
  return out.sort();
}

export interface SuiteOptions {
  acquireByHash?: boolean;
  /** Serve the by-hash copies (a mirror may announce Acquire-By-Hash and still lack them). */
  serveByHash?: boolean;
  archAllInArchIndexes?: boolean;
  /** List Packages.gz in the Release (false: only .xz, as some repositories do). */
  listGz?: boolean;
  /** List the uncompressed Packages (Debian does, without serving it). */
  listPlain?: boolean;
  /** Serve the (real) Packages.xz too, as Debian's -updates and -security suites do. */
  serveXz?: boolean;
  signed?: boolean;
  /** Sign with this key for real (InRelease, or Release + Release.gpg when `signed` is false). */
  key?: { clearsign(text: string): Buffer; detach(data: Buffer): Buffer };
}

/**
 * Lay out a suite the way Debian's archive does: InRelease with MD5Sum and SHA256 sections listing
 * Packages, Packages.gz and Packages.xz for each index; only Packages.gz served (plus its by-hash copy).
 */
export function buildSuite(opts: SuiteOptions = {}): Map<string, Route> {
  const {
    acquireByHash = true,
    serveByHash = true,
    archAllInArchIndexes = true,
    listGz = true,
    listPlain = true,
    signed = true,
  } = opts;
  const routes = new Map<string, Route>();
  const listed: { path: string; data: Buffer }[] = [];
  for (const rel of fixtureIndexes()) {
    const plain = readFileSync(join(SUITE_DIR, rel));
    const gz = gzipSync(plain);
    // Packages.xz is always listed, served only when asked: where .gz is there, it is never needed.
    const xz = execFileSync('xz', ['--compress', '--stdout'], { input: plain });
    if (listPlain) listed.push({ path: rel, data: plain });
    if (listGz) listed.push({ path: `${rel}.gz`, data: gz });
    listed.push({ path: `${rel}.xz`, data: xz });
    if (opts.serveXz) routes.set(`/debian/dists/bookworm/${rel}.xz`, xz);
    if (listGz) {
      routes.set(`/debian/dists/bookworm/${rel}.gz`, gz);
      const dir = rel.slice(0, -'/Packages'.length);
      if (serveByHash) routes.set(`/debian/dists/bookworm/${dir}/by-hash/SHA256/${sha256(gz)}`, gz);
    }
  }
  const line = (hash: string, e: { path: string; data: Buffer }) =>
    ` ${hash} ${String(e.data.length).padStart(8)} ${e.path}`;
  const body = [
    'Origin: Debian',
    'Label: Debian',
    'Suite: oldstable',
    'Version: 12.12',
    'Codename: bookworm',
    'Date: Sat, 06 Sep 2025 09:42:15 UTC',
    ...(acquireByHash ? ['Acquire-By-Hash: yes'] : []),
    ...(archAllInArchIndexes ? ['No-Support-for-Architecture-all: Packages'] : []),
    'Architectures: all amd64 arm64',
    'Components: main contrib non-free-firmware non-free',
    'Description: Debian 12.12 Released 06 September 2025',
    'MD5Sum:',
    ...listed.map((e) => line(md5(e.data), e)),
    'SHA256:',
    ...listed.map((e) => line(sha256(e.data), e)),
    '',
  ].join('\n');
  if (opts.key && signed) routes.set('/debian/dists/bookworm/InRelease', opts.key.clearsign(body));
  else if (opts.key) {
    routes.set('/debian/dists/bookworm/Release', Buffer.from(body));
    routes.set('/debian/dists/bookworm/Release.gpg', opts.key.detach(Buffer.from(body)));
  } else if (signed) {
    const armored = `-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n${body}-----BEGIN PGP SIGNATURE-----\n\niQIzBAEBCAAdFiEE\n=AAAA\n-----END PGP SIGNATURE-----\n`;
    routes.set('/debian/dists/bookworm/InRelease', Buffer.from(armored));
  } else {
    routes.set('/debian/dists/bookworm/Release', Buffer.from(body));
  }
  return routes;
}

export async function archive(opts?: SuiteOptions): Promise<Archive> {
  return serve(buildSuite(opts));
}

/**
 * A small extra suite (e.g. `bookworm-security` on a security archive): an unsigned Release listing
 * each `<component>/binary-<arch>/Packages` text given, served gzip-compressed under `root`.
 */
export function smallSuite(
  root: string,
  suite: string,
  indexes: Record<string, string>,
  date = 'Mon, 30 Nov 2026 10:00:00 UTC',
): Map<string, Route> {
  const routes = new Map<string, Route>();
  const lines: string[] = [];
  for (const [rel, text] of Object.entries(indexes)) {
    const gz = gzipSync(Buffer.from(text));
    routes.set(`${root}/dists/${suite}/${rel}.gz`, gz);
    lines.push(` ${sha256(gz)} ${gz.length} ${rel}.gz`);
  }
  const components = [...new Set(Object.keys(indexes).map((r) => r.split('/')[0]))];
  const body = [
    `Suite: ${suite}`,
    `Codename: ${suite}`,
    `Date: ${date}`,
    'Architectures: amd64 arm64',
    `Components: ${components.join(' ')}`,
    'SHA256:',
    ...lines,
    '',
  ].join('\n');
  routes.set(`${root}/dists/${suite}/Release`, Buffer.from(body));
  return routes;
}
