// Debian version strings, parsed and ordered exactly as dpkg does (lib/dpkg/version.c, lib/dpkg/parsehelp.c).
// Package pins are compared with this order, never with semver: `1.0~rc1` must sort before `1.0`,
// and `2:1.0` after `9.9`, which semver cannot express.
import semver from 'semver';
import { UserError } from '../errors.js';

export interface DebVersion {
  /** 0 when the string has no `N:` prefix, as in dpkg. */
  epoch: number;
  upstream: string;
  /** '' when the string has no `-`; dpkg orders '' like '0' (so `1.0` = `1.0-0`). */
  revision: string;
}

// dpkg stores the epoch in an int and rejects anything above INT_MAX.
const INT_MAX = 2_147_483_647;

interface ParseResult {
  version?: DebVersion;
  /** dpkg refuses the string outright (`dpkg --compare-versions` exits 2). */
  error?: string;
  /** dpkg only warns (bad first character, odd characters) and still compares it. */
  warning?: string;
}

function parse(input: string): ParseResult {
  // dpkg accepts surrounding blanks but not blanks inside.
  const trimmed = input.replace(/^[ \t]+|[ \t]+$/g, '');
  if (input === '') return { error: 'version string is empty' };
  if (trimmed === '' || /[ \t]/.test(trimmed)) return { error: 'version string has embedded spaces' };

  let epoch = 0;
  let rest = trimmed;
  const colon = trimmed.indexOf(':');
  if (colon >= 0) {
    const epochText = trimmed.slice(0, colon);
    // Same messages as dpkg, whose strtol() reads no digits in `a:1` and stops early in `1a:1`.
    if (!/^\d/.test(epochText)) return { error: 'epoch in version is empty' };
    if (!/^\d+$/.test(epochText)) return { error: 'epoch in version is not number' };
    epoch = Number(epochText);
    if (epoch > INT_MAX) return { error: 'epoch in version is too big' };
    rest = trimmed.slice(colon + 1);
    if (rest === '') return { error: 'nothing after colon in version number' };
  }

  // The revision starts after the LAST hyphen, so upstream versions may contain hyphens.
  const hyphen = rest.lastIndexOf('-');
  const upstream = hyphen >= 0 ? rest.slice(0, hyphen) : rest;
  const revision = hyphen >= 0 ? rest.slice(hyphen + 1) : '';
  if (hyphen >= 0 && revision === '') return { error: 'revision number is empty' };
  if (upstream === '') return { error: 'upstream version is empty' };

  const version: DebVersion = { epoch, upstream, revision };
  if (!/^[0-9]/.test(upstream)) return { version, warning: 'version number does not start with digit' };
  if (!/^[0-9A-Za-z.+~:-]*$/.test(upstream)) return { version, warning: 'invalid character in version number' };
  if (!/^[0-9A-Za-z.+~]*$/.test(revision)) return { version, warning: 'invalid character in revision number' };
  return { version };
}

/**
 * Split a Debian version into epoch, upstream version and revision.
 * Strict: throws a UserError for anything dpkg rejects or warns about, because a version we store
 * (in a lock file, a catalog pin) should be one apt will take without complaint.
 */
export function parseDebVersion(input: string): DebVersion {
  const r = parse(input);
  const problem = r.error ?? r.warning;
  if (problem || !r.version) throw new UserError(`invalid Debian version '${input}': ${problem}`);
  return r.version;
}

/** True when dpkg accepts the string without an error or a warning. */
export function isValidDebVersion(input: string): boolean {
  const r = parse(input);
  return !r.error && !r.warning && r.version !== undefined;
}

/** Format back to the canonical string (epoch 0 and empty revision are omitted, as dpkg prints them). */
export function formatDebVersion(v: DebVersion): string {
  return `${v.epoch ? `${v.epoch}:` : ''}${v.upstream}${v.revision ? `-${v.revision}` : ''}`;
}

/**
 * The upstream version, epoch and revision dropped as dpkg splits them: `1:1.21.0+dfsg-1` -> `1.21.0+dfsg`.
 * null when dpkg refuses the string. Strings it only warns about still split: pip and npm pins are not
 * Debian versions but have the same shape.
 */
export const upstreamVersion = (input: string): string | null => parse(input).version?.upstream ?? null;

/**
 * The semver a catalog range (`version:` of a package, `accelbase tags --runtime`) is matched against:
 * drop the epoch and the Debian revision, then `semver.coerce` the upstream version, which takes its
 * first 1-3 numeric parts and ignores the rest. Examples: `1.21.0+dfsg-1` -> 1.21.0, `2:1.2.3-4` -> 1.2.3,
 * `3.0.23.01.25-1` -> 3.0.23, `6.0-6` -> 6.0.0; leading zeros are dropped first, as dpkg ignores them
 * (`535.247.01-1` -> 535.247.1, where plain semver.coerce gives null). Consequences: pre-releases coerce
 * to their final version (`1.0~rc1-1` -> 1.0.0, so `>=1.0.0` admits it; dpkg ordering still ranks
 * it below `1.0-1`), snapshot versions like `0.0~git20240830.fa1c679` coerce to 0.0.0, and a version
 * with no digits at all, or one dpkg refuses or warns about, yields null (matches no range).
 */
export function debUpstreamSemver(version: string): semver.SemVer | null {
  const { version: parsed, error, warning } = parse(version);
  if (!parsed || error || warning) return null;
  // semver.coerce returns null for `535.247.01` (a zero-padded part is not semver); dpkg compares
  // digit runs as numbers, so dropping leading zeros keeps the meaning.
  return semver.coerce(parsed.upstream.replace(/\d+/g, (run) => run.replace(/^0+(?=\d)/, '')));
}

const CODE_0 = 48;
const CODE_9 = 57;
const TILDE = 126;

function isDigit(c: number): boolean {
  return c >= CODE_0 && c <= CODE_9;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

// dpkg's order(): digits (which end a non-digit run) and the end of the string weigh 0, `~` sorts
// before everything including the end (so `1.0~rc1` < `1.0`), letters sort before all other
// characters (hence the +256), and everything else sorts by its code.
function order(c: number): number {
  if (c === 0 || isDigit(c)) return 0;
  if (isAlpha(c)) return c;
  if (c === TILDE) return -1;
  return c + 256;
}

// dpkg's verrevcmp(): alternate non-digit runs (compared char by char with order()) and digit
// runs (compared as numbers, leading zeros ignored, without overflow since we compare digit by digit).
function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  // charCodeAt past the end yields NaN; 0 stands for C's terminating NUL.
  const at = (s: string, k: number) => (k < s.length ? s.charCodeAt(k) : 0);
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(at(a, i))) || (j < b.length && !isDigit(at(b, j)))) {
      const ac = order(at(a, i));
      const bc = order(at(b, j));
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (at(a, i) === CODE_0) i++;
    while (at(b, j) === CODE_0) j++;
    while (isDigit(at(a, i)) && isDigit(at(b, j))) {
      if (!firstDiff) firstDiff = at(a, i) - at(b, j);
      i++;
      j++;
    }
    if (isDigit(at(a, i))) return 1;
    if (isDigit(at(b, j))) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

function sign(n: number): number {
  return n > 0 ? 1 : n < 0 ? -1 : 0;
}

function forCompare(input: string | DebVersion): DebVersion {
  if (typeof input !== 'string') return input;
  const r = parse(input);
  // Like `dpkg --compare-versions`: refuse what dpkg refuses, compare what it only warns about.
  if (r.error || !r.version) throw new UserError(`invalid Debian version '${input}': ${r.error}`);
  return r.version;
}

/**
 * dpkg's ordering: -1 when a < b, 0 when equal (e.g. `1.0` and `1.0-0`, `0:1` and `1`), 1 when a > b.
 * Usable directly as an Array.prototype.sort comparator.
 */
export function compareDebVersions(a: string | DebVersion, b: string | DebVersion): number {
  const va = forCompare(a);
  const vb = forCompare(b);
  if (va.epoch !== vb.epoch) return va.epoch > vb.epoch ? 1 : -1;
  return sign(verrevcmp(va.upstream, vb.upstream)) || sign(verrevcmp(va.revision, vb.revision));
}
