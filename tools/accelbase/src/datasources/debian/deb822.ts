// Debian control-format ("deb822") stanzas, as found in Packages and Release/InRelease files.
// Format per deb822(5) and Debian Policy 5.1: `Field: value` lines, continuation lines starting with
// a space or tab, stanzas separated by blank lines. Written by hand (no dependency) and as a single
// pass over the text, because a Packages file for one suite/arch is ~60 MB and ~70k stanzas.
import { UserError } from '../../errors.js';

/** One stanza: field name (as written in the file) -> value. */
export type Deb822Stanza = Record<string, string>;

export interface Deb822Options {
  /** Names the input in error messages (a URL or a path). */
  source?: string;
  /**
   * Keep only these fields (matched case-insensitively); the rest are skipped while parsing.
   * Worth it for whole-archive indexes, where most of the memory goes to fields nobody reads.
   */
  fields?: readonly string[];
}

/**
 * Parse every stanza.
 *
 * Values: the first line is trimmed; each continuation line is appended after a `\n` with its one
 * leading space/tab and its trailing blanks removed, so `Description` keeps its ` .` paragraph marks
 * and deeper indentation, and folded fields (`Depends`) only need whitespace normalised by the
 * reader. A value whose first line is empty (`SHA256:` in Release files) starts at its first
 * continuation line. Lines starting with `#` are comments. Field names are kept as written; deb822
 * says they are case-insensitive, so use `field()` to look one up when the case may vary.
 */
export function parseDeb822(text: string, options: Deb822Options = {}): Deb822Stanza[] {
  return [...iterateDeb822(text, options)];
}

/** Same as parseDeb822, one stanza at a time. */
export function* iterateDeb822(text: string, options: Deb822Options = {}): Generator<Deb822Stanza> {
  const source = options.source ?? '<input>';
  const keep = options.fields ? new Set(options.fields.map((f) => f.toLowerCase())) : undefined;
  let stanza: Deb822Stanza | undefined;
  // Fields seen in the current stanza (lower case), including skipped ones, to catch duplicates.
  let seen = new Set<string>();
  // The field continuation lines belong to; undefined while inside a skipped field.
  let current: string | undefined;
  let inField = false;
  let lineNo = 0;
  let pos = 0;
  const fail = (message: string): never => {
    throw new UserError(`${source}:${lineNo}: ${message}`);
  };

  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    let line = text.slice(pos, end);
    pos = end + 1;
    lineNo++;
    if (line.endsWith('\r')) line = line.slice(0, -1);

    const first = line.charCodeAt(0);
    const indented = first === 0x20 || first === 0x09;
    // A blank line (or one of only spaces/tabs) ends the stanza.
    if (line.length === 0 || (indented && line.trim() === '')) {
      if (stanza) yield stanza;
      stanza = undefined;
      seen = new Set();
      current = undefined;
      inField = false;
      continue;
    }
    if (first === 0x23 /* # */) continue;
    if (indented) {
      if (!inField) fail('continuation line outside a field');
      if (current !== undefined && stanza) {
        const piece = line.slice(1).trimEnd();
        const prev = stanza[current];
        stanza[current] = prev === '' ? piece : `${prev}\n${piece}`;
      }
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) fail(`expected "Field: value", got ${JSON.stringify(line.slice(0, 80))}`);
    const name = line.slice(0, colon);
    if (first === 0x2d /* - */ || /\s/.test(name)) fail(`invalid field name ${JSON.stringify(name)}`);
    const lower = name.toLowerCase();
    if (seen.has(lower)) fail(`duplicate field ${name}`);
    seen.add(lower);
    stanza ??= {};
    inField = true;
    if (keep && !keep.has(lower)) {
      current = undefined;
      continue;
    }
    current = name;
    stanza[name] = line.slice(colon + 1).trim();
  }
  if (stanza) yield stanza;
}

/** Look a field up case-insensitively (deb822 field names are), exact case first. */
export function field(stanza: Deb822Stanza, name: string): string | undefined {
  if (name in stanza) return stanza[name];
  const lower = name.toLowerCase();
  for (const key of Object.keys(stanza)) if (key.toLowerCase() === lower) return stanza[key];
  return undefined;
}

/** A binary package stanza from a Packages index. Other fields keep the names the file gives them. */
export interface DebPackageRecord {
  Package: string;
  Version: string;
  /** A Debian architecture (`amd64`, `arm64`) or `all` for architecture-independent packages. */
  Architecture: string;
  Source?: string;
  Depends?: string;
  'Pre-Depends'?: string;
  Provides?: string;
  'Multi-Arch'?: string;
  Filename?: string;
  SHA256?: string;
  [field: string]: string | undefined;
}

const REQUIRED = ['Package', 'Version', 'Architecture'] as const;

/**
 * Parse a Packages index into records. Package, Version and Architecture are required (a stanza
 * without them is a broken index, not something to skip) and are stored under those exact names
 * whatever case the file used.
 */
export function parsePackages(text: string, options: Deb822Options = {}): DebPackageRecord[] {
  const fields = options.fields ? [...new Set([...REQUIRED, ...options.fields])] : undefined;
  const out: DebPackageRecord[] = [];
  for (const stanza of iterateDeb822(text, { ...options, fields })) {
    for (const name of REQUIRED) {
      if (name in stanza) continue;
      const value = field(stanza, name);
      if (value === undefined || value === '') {
        const which = stanza.Package ?? field(stanza, 'Package') ?? `stanza ${out.length + 1}`;
        throw new UserError(`${options.source ?? '<input>'}: ${which}: missing ${name} field`);
      }
      for (const key of Object.keys(stanza))
        if (key !== name && key.toLowerCase() === name.toLowerCase()) delete stanza[key];
      stanza[name] = value;
    }
    out.push(stanza as DebPackageRecord);
  }
  return out;
}

/**
 * The signed text of an OpenPGP clear-signed message (InRelease), or the input unchanged when it is
 * not clear-signed (Release). The signature is NOT checked: callers get integrity of the indexes
 * against this file (sha256), not authenticity of this file itself.
 */
export function clearsignedBody(text: string, source = '<input>'): string {
  const lines = text.split(/\r?\n/);
  const begin = lines.findIndex((l) => l.trim() !== '');
  if (begin < 0 || lines[begin] !== '-----BEGIN PGP SIGNED MESSAGE-----') return text;
  // Armor headers (`Hash: SHA256`) run up to the first empty line.
  let i = begin + 1;
  while (i < lines.length && lines[i] !== '') i++;
  const body: string[] = [];
  for (i++; i < lines.length; i++) {
    if (lines[i] === '-----BEGIN PGP SIGNATURE-----') return `${body.join('\n')}\n`;
    // RFC 4880 7.1 dash-escaping: lines starting with `-` are sent as `- -...`.
    body.push(lines[i].startsWith('- ') ? lines[i].slice(2) : lines[i]);
  }
  throw new UserError(`${source}: clear-signed message has no signature block (truncated download?)`);
}
