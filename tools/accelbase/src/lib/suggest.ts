// Close-name suggestions for "unknown X" messages: the same name spelt with other separators
// (`minideb-trixie` for `minideb:trixie`), a name missing its prefix (`amd64` for `linux/amd64`), or
// a small edit distance (`packges` for `packages`).

/** A name with its separators and case dropped: `minideb-trixie` and `minideb:trixie` are one. */
const bare = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, '');

/** The last `/`- or `:`-separated part: `linux/amd64` -> `amd64`. */
const lastPart = (name: string) => name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf(':')) + 1);

/** The known name `name` most likely means, or undefined when none is close. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const same = known.find((k) => k !== name && bare(k) === bare(name) && bare(name) !== '');
  if (same !== undefined) return same;
  const suffixed = known.filter((k) => k !== name && lastPart(k) !== k && lastPart(k) === name);
  if (suffixed.length === 1) return suffixed[0];
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const k of known) {
    const d = editDistance(name, k);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best === name ? undefined : best;
}

/** ` (did you mean "x"?)` for a close name, else the empty string. */
export function suggest(name: string, known: readonly string[]): string {
  const best = closest(name, known);
  return best === undefined ? '' : ` (did you mean "${best}"?)`;
}

/** How many valid values a message lists before it says how many more there are. */
const LISTED = 20;

/** `; known sources: a, b, c` (the first LISTED of them), for messages that teach the valid values. */
export function knownList(what: string, known: readonly string[]): string {
  if (known.length === 0) return `; there are no ${what}`;
  const shown = known.slice(0, LISTED).join(', ');
  return `; ${what}: ${shown}${known.length > LISTED ? `, and ${known.length - LISTED} more` : ''}`;
}

/** A message about a name not among `known`, and the name it likely means (for --json's `suggestion`). */
export interface Unknown {
  message: string;
  suggestion?: string;
}

/**
 * `unknown source "debain" (did you mean "debian"?); known sources: debian, pypi`: the name, the
 * closest valid one, and the valid ones. `what` names one of them, `whats` the list.
 */
export function unknownName(what: string, name: string, known: readonly string[], whats = `known ${what}s`): Unknown {
  const suggestion = closest(name, known);
  const hint = suggestion === undefined ? '' : ` (did you mean "${suggestion}"?)`;
  return { message: `unknown ${what} "${name}"${hint}${knownList(whats, known)}`, suggestion };
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const cur = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = cur;
    }
  }
  return row[b.length];
}
