// Test helper: a local archive on 127.0.0.1 in place of Debian's security archive. It serves one
// `<suite>-security` suite as the real one has it today (its index read from the host's security
// archive, its packages forwarded from there), re-signed with a key made for the test, plus the real
// packages a test publishes into it: a "security release" made on demand.
import { envConfig } from './run-config.js';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { indexText } from '../datasources/debian/decompress.js';
import { debianMirror, debianSecurityMirror, HOST_DEBIAN_KEYRING } from '../datasources/debian/mirror.js';
import { fetchPackagesIndex } from '../datasources/debian/packages-index.js';
import { fetchRelease } from '../datasources/debian/release.js';
import { updateSources } from '../datasources/debian/suites.js';
import { md5, serve, sha256, type Route } from './archive.js';
import type { SigningKey } from './signing.js';

export interface SecurityArchive {
  /** The archive's root URL (for ACCELBASE_DEBIAN_SECURITY_MIRROR). */
  url: string;
  /** Debian's archive keyring plus the test key (for ACCELBASE_DEBIAN_KEYRING): verifies the real mirror and this archive. */
  keyring: string;
  /** Publish a .deb into the suite, replacing the package of the same name and architecture; the Release date moves to now. */
  publish(deb: Buffer): { name: string; version: string };
  /** Removes its files; the server closes with the others (closeServers). */
  dispose(): void;
}

const UPSTREAM = () => {
  const m = debianSecurityMirror(envConfig().debianSecurityMirror);
  if (!m)
    throw new Error(
      'the host has no Debian security archive in its apt sources (or set ACCELBASE_DEBIAN_SECURITY_MIRROR)',
    );
  return m;
};

/** RFC 2822 date, as Release files write it. */
const releaseDate = (d: Date) => d.toUTCString().replace('GMT', 'UTC');

const ROOT = '/debian-security';

export async function securityArchive(o: { suite: string; arch: string; key: SigningKey }): Promise<SecurityArchive> {
  const upstream = UPSTREAM();
  const suite = `${o.suite}-security`;
  const release = await fetchRelease({ mirror: upstream, suite, keyring: HOST_DEBIAN_KEYRING });
  const rel = `main/binary-${o.arch}/Packages`;
  const entry = release.files.get(`${rel}.xz`) ?? release.files.get(`${rel}.gz`);
  if (!entry) throw new Error(`${release.url} lists no ${rel}.xz or .gz`);
  const got = await fetch(`${upstream}/dists/${suite}/${entry.path}`);
  const stanzas = (await indexText(entry.path, Buffer.from(await got.arrayBuffer())))
    .split(/\n\n+/)
    .filter((s) => s.trim());
  const local = new Map<string, Buffer>();
  let date = new Date((release.date ?? 0) * 1000);
  const dir = mkdtempSync(join(tmpdir(), 'accelbase-security-'));
  const keyring = join(dir, 'keyring.gpg');
  writeFileSync(keyring, Buffer.concat([readFileSync(HOST_DEBIAN_KEYRING), readFileSync(o.key.keyring)]));

  const routes = new Map<string, Route>();
  /** (Re)write the suite's index and signed InRelease into the routes. */
  const writeSuite = () => {
    const plain = Buffer.from(`${stanzas.join('\n\n')}\n`);
    const gz = gzipSync(plain);
    const body = [
      'Origin: Debian',
      'Label: Debian-Security',
      `Suite: ${suite}`,
      `Codename: ${suite}`,
      `Date: ${releaseDate(date)}`,
      `Architectures: ${o.arch}`,
      'Components: main',
      'Description: a local archive in place of Debian security (test)',
      // apt looks for the uncompressed name in the Release before it fetches any compressed form;
      // Debian lists it too, without serving it.
      'MD5Sum:',
      ` ${md5(plain)} ${plain.length} ${rel}`,
      ` ${md5(gz)} ${gz.length} ${rel}.gz`,
      'SHA256:',
      ` ${sha256(plain)} ${plain.length} ${rel}`,
      ` ${sha256(gz)} ${gz.length} ${rel}.gz`,
      '',
    ].join('\n');
    routes.set(`${ROOT}/dists/${suite}/InRelease`, o.key.clearsign(body));
    routes.set(`${ROOT}/dists/${suite}/${rel}.gz`, gz);
  };
  writeSuite();
  // Every package not published here comes from the real security archive, byte for byte.
  const { url } = await serve(routes, {
    root: ROOT,
    fallback: async (raw) => {
      const path = decodeURIComponent(raw).slice(ROOT.length);
      const published = local.get(path);
      if (published) return { status: 200, body: published };
      if (!path.startsWith('/pool/')) return { status: 404, body: Buffer.alloc(0) };
      const r = await fetch(`${upstream}${path}`);
      return { status: r.status, body: Buffer.from(await r.arrayBuffer()) };
    },
  });

  return {
    url,
    keyring,
    publish(deb) {
      const file = join(dir, 'published.deb');
      writeFileSync(file, deb);
      const control = execFileSync('dpkg-deb', ['--field', file]).toString().trimEnd();
      const field = (n: string) => new RegExp(`^${n}: (.+)$`, 'm').exec(control)?.[1] ?? '';
      const [name, version, arch] = [field('Package'), field('Version'), field('Architecture')];
      const source = (field('Source') || name).split(' ')[0];
      const filename = `pool/updates/main/${source[0]}/${source}/${name}_${version.replace(/^\d+:/, '')}_${arch}.deb`;
      local.set(`/${filename}`, deb);
      const stanza = `${control}\nFilename: ${filename}\nSize: ${deb.length}\nMD5sum: ${md5(deb)}\nSHA256: ${sha256(deb)}`;
      const at = stanzas.findIndex(
        (s) => s.startsWith(`Package: ${name}\n`) && s.includes(`\nArchitecture: ${arch}\n`),
      );
      if (at >= 0) stanzas[at] = stanza;
      else stanzas.push(stanza);
      // A minute in the past: apt refuses a Release dated in the future.
      date = new Date(Math.max(date.getTime() + 1000, Date.now() - 60_000));
      writeSuite();
      return { name, version };
    },
    dispose: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * The real .debs of source package `source` at `version` from the host's Debian archives (the suite,
 * -updates, -security), limited to the binaries named in `among`: what a security release of that
 * source would replace (its binaries depend on each other at the exact version).
 */
export async function fetchRealDebs(o: {
  suite: string;
  arch: string;
  source: string;
  version: string;
  among: readonly string[];
}): Promise<Buffer[]> {
  const places = updateSources(debianMirror(envConfig().debianMirror), o.suite, UPSTREAM());
  const found = new Map<string, string>();
  for (const p of places) {
    const index = await fetchPackagesIndex({
      ...p,
      component: 'main',
      arch: o.arch,
      keyring: HOST_DEBIAN_KEYRING,
      fields: ['Filename', 'Source'],
    });
    for (const r of index.packages) {
      const source = (r.Source ?? r.Package).split(' ')[0];
      if (source === o.source && r.Version === o.version && o.among.includes(r.Package) && r.Filename)
        found.set(r.Package, `${p.mirror}/${r.Filename}`);
    }
  }
  if (!found.size)
    throw new Error(
      `no binary of ${o.source} ${o.version} (${o.arch}) among ${o.among.length} names in ${places.map((p) => p.suite).join(', ')}`,
    );
  return Promise.all(
    [...found.values()].map(async (url) => {
      const r = await fetch(url);
      if (!r.ok) throw new Error(`${url}: ${r.status}`);
      return Buffer.from(await r.arrayBuffer());
    }),
  );
}

/** The same package with another version: unpacked, its control file's Version (and exact-version dependencies) changed, packed again. */
export function withVersion(deb: Buffer, version: string): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'accelbase-deb-'));
  try {
    writeFileSync(join(dir, 'in.deb'), deb);
    execFileSync('dpkg-deb', ['--raw-extract', join(dir, 'in.deb'), join(dir, 'tree')]);
    const control = join(dir, 'tree', 'DEBIAN', 'control');
    const text = readFileSync(control, 'utf8');
    const old = /^Version: (.+)$/m.exec(text)![1];
    // Binaries of one source depend on each other at the exact version: those move with it.
    writeFileSync(
      control,
      text.replace(/^Version: .+$/m, `Version: ${version}`).replaceAll(`(= ${old})`, `(= ${version})`),
    );
    execFileSync('dpkg-deb', ['--root-owner-group', '--build', join(dir, 'tree'), join(dir, 'out.deb')], {
      stdio: 'ignore',
    });
    return readFileSync(join(dir, 'out.deb'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
