// Test helper: binary packages built with dpkg-deb, and a signed apt archive of them laid out as routes
// under /debian (pool, plain Packages per architecture, an InRelease signed by the given key, the key).
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from './archive.js';
import type { SigningKey } from './signing.js';

/** A file in a package: mode and content. */
export type DebFile = [number, string | Buffer];

/**
 * A binary package from a control stanza, files (path -> [mode, content]) and optional maintainer
 * files under DEBIAN/ (templates, preinst, triggers), built with dpkg-deb into `work`.
 */
export function deb(
  work: string,
  control: Record<string, string>,
  files: Record<string, DebFile>,
  maintainer: Record<string, DebFile> = {},
): string {
  const root = join(work, `${control.Package}-${control.Architecture ?? 'all'}-root`);
  mkdirSync(join(root, 'DEBIAN'), { recursive: true });
  writeFileSync(
    join(root, 'DEBIAN', 'control'),
    `${Object.entries(control)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n')}\n`,
  );
  for (const [path, [mode, content]] of Object.entries({
    ...files,
    ...Object.fromEntries(Object.entries(maintainer).map(([name, f]) => [`DEBIAN/${name}`, f])),
  })) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
    chmodSync(join(root, path), mode);
  }
  const out = join(work, `${control.Package}_${control.Architecture ?? 'all'}.deb`);
  execFileSync('dpkg-deb', ['--root-owner-group', '--build', root, out], { stdio: 'ignore' });
  return out;
}

/**
 * Routes of an apt archive (suite `stable`, component `main`) holding `debs`, signed by `key`: each
 * package in its architecture's Packages index (`all` ones in every architecture's), and `/key.gpg`.
 */
export function signedArchiveRoutes(debs: string[], key: SigningKey, architectures: string[]): Map<string, Buffer> {
  const routes = new Map<string, Buffer>();
  const stanzas = new Map<string, string[]>(architectures.map((a) => [a, []]));
  for (const path of debs) {
    const data = readFileSync(path);
    const control = execFileSync('dpkg-deb', ['--field', path]).toString().trim();
    const field = (name: string) => new RegExp(`^${name}: (\\S+)$`, 'm').exec(control)![1];
    const [name, version, arch] = [field('Package'), field('Version'), field('Architecture')];
    const filename = `pool/main/${name}_${version}_${arch}.deb`;
    routes.set(`/debian/${filename}`, data);
    const stanza = `${control}\nFilename: ${filename}\nSize: ${data.length}\nSHA256: ${sha256(data)}\n`;
    for (const a of arch === 'all' ? architectures : [arch]) stanzas.get(a)?.push(stanza);
  }
  const listed: string[] = [];
  for (const [arch, list] of stanzas) {
    const index = Buffer.from(list.join('\n'));
    routes.set(`/debian/dists/stable/main/binary-${arch}/Packages`, index);
    listed.push(` ${sha256(index)} ${index.length} main/binary-${arch}/Packages`);
  }
  const release = [
    'Origin: accelbase-test',
    'Suite: stable',
    'Codename: stable',
    'Date: Wed, 02 Dec 2026 00:00:00 UTC',
    `Architectures: ${architectures.join(' ')}`,
    'Components: main',
    'SHA256:',
    ...listed,
    '',
  ].join('\n');
  routes.set('/debian/dists/stable/InRelease', key.clearsign(release));
  routes.set('/key.gpg', readFileSync(key.keyring));
  return routes;
}
