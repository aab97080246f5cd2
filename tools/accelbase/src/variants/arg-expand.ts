// Word expansion, just enough to tell whether a FROM reference names an earlier stage.
//
// Values are resolved from the defaults of global ARGs (what a build without --build-arg sees);
// anything that a build could still change (ARG without default, BuildKit's automatic platform ARGs)
// is WILD and matches anything.

export const WILD = Symbol('wild');
export type Value = string | typeof WILD;
export type Env = ReadonlyMap<string, Value>;
export type Part = { lit: string } | { wild: true };

export interface Expansion {
  parts: Part[];
  /** Variables the word references, in order, without duplicates. */
  refs: string[];
}

/** Predefined in the global scope by BuildKit; usable in FROM without declaring them. */
const PLATFORM_ARGS = new Set([
  'TARGETPLATFORM',
  'TARGETOS',
  'TARGETARCH',
  'TARGETVARIANT',
  'BUILDPLATFORM',
  'BUILDOS',
  'BUILDARCH',
  'BUILDVARIANT',
]);

const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const WILD_PART: Part = { wild: true };

/** What one expansion needs besides the word; `refs` collects the variables it reads. */
interface Scope {
  env: Env;
  esc: string;
  refs: string[];
}

export function expandWord(word: string, env: Env, escapeChar: string): Expansion {
  const refs: string[] = [];
  const parts = expandInto(word, { env, esc: escapeChar, refs });
  return { parts, refs };
}

/** The value of an expansion, or undefined when a build argument could still change it. */
export function knownValue(parts: Part[]): string | undefined {
  let s = '';
  for (const p of parts) {
    if ('wild' in p) return undefined;
    s += p.lit;
  }
  return s;
}

/** Whether some choice of build arguments could make the expansion equal `candidate`. */
export function couldMatch(parts: Part[], candidate: string): boolean {
  const source = parts.map((p) => ('wild' in p ? '[\\s\\S]*' : p.lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`).test(candidate);
}

function lookup(scope: Scope, name: string): Value {
  if (!scope.refs.includes(name)) scope.refs.push(name);
  const v = scope.env.get(name);
  if (v !== undefined) return v;
  return PLATFORM_ARGS.has(name) ? WILD : '';
}

/** A looked-up value as parts: an empty string contributes none. */
function valueParts(v: Value): Part[] {
  if (v === WILD) return [WILD_PART];
  return v ? [{ lit: v }] : [];
}

function expandInto(word: string, scope: Scope): Part[] {
  const parts: Part[] = [];
  let i = 0;
  while (i < word.length) {
    const c = word[i]!;
    if (c === scope.esc && i + 1 < word.length) {
      parts.push({ lit: word[i + 1]! });
      i += 2;
    } else if (c !== '$') {
      parts.push({ lit: c });
      i++;
    } else if (i + 1 < word.length && NAME_START.test(word[i + 1]!)) {
      // `$NAME`
      let j = i + 2;
      while (j < word.length && NAME_CHAR.test(word[j]!)) j++;
      parts.push(...valueParts(lookup(scope, word.slice(i + 1, j))));
      i = j;
    } else if (word[i + 1] !== '{') {
      parts.push({ lit: '$' });
      i++;
    } else {
      const end = closingBrace(word, i + 2, scope.esc);
      if (end === undefined) {
        // Unterminated: BuildKit rejects it; treat as unknowable.
        parts.push(WILD_PART);
        break;
      }
      parts.push(...expandBraced(word.slice(i + 2, end - 1), scope));
      i = end;
    }
  }
  return parts;
}

/** The offset just past the `}` that closes a `${` whose body starts at `from` (defaults may nest `${...}`). */
function closingBrace(word: string, from: number, esc: string): number | undefined {
  let depth = 1;
  let j = from;
  for (; j < word.length && depth > 0; j++) {
    if (word[j] === esc) j++;
    else if (word[j] === '{') depth++;
    else if (word[j] === '}') depth--;
  }
  return depth > 0 ? undefined : j;
}

/** The body of `${...}`: `NAME`, or `NAME` with a `-`, `+`, `?` modifier (with or without `:`). */
function expandBraced(inner: string, scope: Scope): Part[] {
  let n = 0;
  while (n < inner.length && (n === 0 ? NAME_START : NAME_CHAR).test(inner[n]!)) n++;
  const name = inner.slice(0, n);
  const rest = inner.slice(n);
  if (!name) return [WILD_PART];
  const value = lookup(scope, name);
  if (rest === '') return valueParts(value);
  const op = /^(:?[-+?])/.exec(rest)?.[1];
  // ${X#p}, ${X%p}, ${X/a/b}...: not worth modelling here.
  if (op === undefined || value === WILD) return [WILD_PART];
  const alt = rest.slice(op.length);
  const declared = value !== '' || scope.env.has(name);
  const nonEmpty = value !== '';
  if (op === ':-' || op === '-') {
    const useAlt = op === ':-' ? !nonEmpty : !declared;
    return useAlt ? expandInto(alt, scope) : valueParts(value);
  }
  if (op === ':+' || op === '+') {
    const useAlt = op === ':+' ? nonEmpty : declared;
    return useAlt ? expandInto(alt, scope) : [];
  }
  return valueParts(value); // ${X:?msg}: the value, or a build error we don't predict
}
