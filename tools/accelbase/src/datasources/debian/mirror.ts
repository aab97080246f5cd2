// Which Debian mirror to use: ACCELBASE_DEBIAN_MIRROR, else the host's own apt sources; the same for the
// security archive (ACCELBASE_DEBIAN_SECURITY_MIRROR).
// The repository never names a mirror host.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UserError } from '../../errors.js';
import { field, parseDeb822 } from './deb822.js';

export interface AptSource {
  types: string[];
  uris: string[];
  suites: string[];
  components: string[];
}

/** Parse deb822 `.sources` text (sources.list(5)): one source per stanza, `Enabled: no` ones left out. */
export function parseDeb822Sources(text: string, source = '<input>'): AptSource[] {
  const out: AptSource[] = [];
  for (const stanza of parseDeb822(text, { source })) {
    const list = (name: string) => (field(stanza, name) ?? '').split(/\s+/).filter(Boolean);
    if (field(stanza, 'Enabled')?.toLowerCase() === 'no') continue;
    if (list('URIs').length)
      out.push({ types: list('Types'), uris: list('URIs'), suites: list('Suites'), components: list('Components') });
  }
  return out;
}

/** Parse one-line `sources.list` text: `deb [opts] URI SUITE COMPONENT...`. */
export function parseOneLineSources(text: string): AptSource[] {
  const out: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = /^(deb|deb-src)\s+(?:\[[^\]]*\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (m) out.push({ types: [m[1]], uris: [m[2]], suites: [m[3]], components: m[4].split(/\s+/).filter(Boolean) });
  }
  return out;
}

const DEBIAN_SUITE =
  /^(buster|bullseye|bookworm|trixie|forky|duke|sid|stable|testing|unstable|oldstable)(-updates|-backports)?$/;

/** The first `deb` source that serves Debian's main archive (not security, not a third party). */
export function pickDebianMirror(sources: AptSource[]): string | undefined {
  for (const s of sources) {
    if (!s.types.includes('deb')) continue;
    if (!s.suites.some((suite) => DEBIAN_SUITE.test(suite))) continue;
    const uri = s.uris.find((u) => /^https?:\/\//.test(u));
    if (uri) return uri.replace(/\/+$/, '');
  }
  return undefined;
}

export function readHostAptSources(root = '/etc/apt'): AptSource[] {
  const out: AptSource[] = [];
  const tryRead = (path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  };
  const list = tryRead(join(root, 'sources.list'));
  if (list) out.push(...parseOneLineSources(list));
  let parts: string[] = [];
  try {
    parts = readdirSync(join(root, 'sources.list.d')).sort();
  } catch {
    /* no sources.list.d */
  }
  for (const name of parts) {
    const text = tryRead(join(root, 'sources.list.d', name));
    if (!text) continue;
    if (name.endsWith('.sources')) out.push(...parseDeb822Sources(text, join(root, 'sources.list.d', name)));
    else if (name.endsWith('.list')) out.push(...parseOneLineSources(text));
  }
  return out;
}

/** The Debian archive: `override` (the run config's ACCELBASE_DEBIAN_MIRROR), else the host's apt sources. */
export function debianMirror(override: string | undefined, aptRoot = '/etc/apt'): string {
  if (override) return override.replace(/\/+$/, '');
  const found = pickDebianMirror(readHostAptSources(aptRoot));
  if (!found) {
    throw new UserError(
      `no Debian mirror found in ${aptRoot}/sources.list or ${aptRoot}/sources.list.d/; set ACCELBASE_DEBIAN_MIRROR=<url of a Debian archive>`,
    );
  }
  return found;
}

/**
 * Debian's security archive (where `<suite>-security` lives): ACCELBASE_DEBIAN_SECURITY_MIRROR, else
 * the host's apt sources; undefined when neither names one.
 */
export function debianSecurityMirror(override: string | undefined, aptRoot = '/etc/apt'): string | undefined {
  if (override) return override.replace(/\/+$/, '');
  for (const s of readHostAptSources(aptRoot)) {
    if (!s.types.includes('deb') || !s.suites.some((x) => /-security$/.test(x) || /\/updates$/.test(x))) continue;
    const uri = s.uris.find((u) => /^https?:\/\//.test(u));
    if (uri) return uri.replace(/\/+$/, '');
  }
  return undefined;
}

export const HOST_DEBIAN_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

/** Debian's archive keyring (debian-archive-keyring): ACCELBASE_DEBIAN_KEYRING, else the host's. */
export function debianKeyring(override: string | undefined, exists: (p: string) => boolean = existsSync): string {
  const keyring = override ? resolve(override) : HOST_DEBIAN_KEYRING;
  if (!exists(keyring)) {
    throw new UserError(
      `no Debian archive keyring at ${keyring}: install debian-archive-keyring (apt-get install debian-archive-keyring) or set ACCELBASE_DEBIAN_KEYRING`,
    );
  }
  return keyring;
}
