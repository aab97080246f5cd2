// A corpus of mutated catalogs, generated from the frozen November fixture (never the shipped
// catalog): every field key and every name the catalog refers to misspelt, keys duplicated, values of
// the wrong type, merge keys, truncations, tabs and control characters. Every error of every mutant
// has a file, a line and column > 0, a path and a message, and becomes a valid --json envelope; none
// is an internal error. A misspelt key or name is found where it stands and the name it was is
// suggested.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Scalar } from 'yaml';
import { describe, expect, test } from 'vitest';
import { CatalogError, ErrorEnvelope, errorEnvelope, type CatalogIssue } from '../errors.js';
import { parseCatalog } from './load.js';
import { Catalog } from './schema.js';
import { keysAt } from './schema-walk.js';
import { frozenCatalogRoot as fixture } from '../test/frozen-catalog.js';

const original = readFileSync(join(fixture, 'catalog.yaml'), 'utf8');
const scripts = new Set(readdirSync(join(fixture, 'generators', 'device-queries')));

/** The issues of a mutant; anything thrown that is not a CatalogError fails the test. */
function issuesOf(text: string): CatalogIssue[] {
  try {
    parseCatalog('catalog.yaml', text, scripts);
    return [];
  } catch (e) {
    if (!(e instanceof CatalogError)) throw e;
    expect(ErrorEnvelope.safeParse(JSON.parse(JSON.stringify(errorEnvelope(e)))).success).toBe(true);
    return e.issues;
  }
}

/** The invariants every issue keeps, whatever the mutation. */
function expectWellFormed(issues: CatalogIssue[]): void {
  for (const i of issues) {
    expect(i.file).toBe('catalog.yaml');
    expect(i.line).toBeGreaterThan(0);
    expect(i.column).toBeGreaterThan(0);
    expect(typeof i.path).toBe('string');
    expect(i.message).not.toBe('');
    expect(i.message).not.toMatch(/internal error|\n\s+at |undefined|\[object Object\]/);
  }
}

/** The fixture's nodes, each with its path, the key that holds it and where each starts. */
interface Place {
  path: (string | number)[];
  key?: Scalar;
  value: Node;
}

const lines = new LineCounter();
const doc = parseDocument(original, { lineCounter: lines, merge: false });
const value = doc.toJS();

function places(node: unknown, path: (string | number)[] = []): Place[] {
  if (isMap(node))
    return node.items.flatMap((pair) => {
      if (!isScalar(pair.key) || !pair.value) return [];
      const here = [...path, String(pair.key.value)];
      return [{ path: here, key: pair.key, value: pair.value as Node }, ...places(pair.value, here)];
    });
  if (isSeq(node))
    return node.items.flatMap((item, i) => [
      { path: [...path, i], value: item as Node },
      ...places(item, [...path, i]),
    ]);
  return [];
}
const everyPlace = places(doc.contents);

const at = (offset: number) => {
  const { line, col } = lines.linePos(offset);
  return { line, column: col };
};
const replaced = (node: Node, text: string) =>
  original.slice(0, node.range![0]) + text + original.slice(node.range![1]);
/** A typo: the middle character dropped. */
const typo = (name: string) => name.slice(0, Math.floor(name.length / 2)) + name.slice(Math.floor(name.length / 2) + 1);
const isPlain = (n: Node): n is Scalar => isScalar(n) && n.type === 'PLAIN' && typeof n.value === 'string';
const last = (p: Place) => p.path[p.path.length - 1];
const parentKey = (p: Place) => [...p.path].reverse().find((k) => typeof k === 'string');

/** Every key that is a field of the schema (not a name the catalog gives, like an accelerator's). */
const fieldKeys = everyPlace.filter(
  (p) =>
    p.key && typeof last(p) === 'string' && keysAt(Catalog, value, p.path.slice(0, -1)).includes(last(p) as string),
);

/** Every value that names something: a source, base, platform, device profile, distribution, script, type. */
const sourceTypeOf = (p: Place) => (p.path[0] === 'sources' ? value.sources[p.path[1]]?.type : undefined);
const namedValues = everyPlace.filter(
  (p) =>
    isPlain(p.value) &&
    (['source', 'base', 'device', 'script', 'defaultDistribution'].includes(last(p) as string) ||
      (p.path[0] === 'sources' && last(p) === 'type') ||
      ['platforms', 'architectures'].includes(parentKey(p) as string) ||
      (p.path[0] === 'minideb' && p.path[1] === 'distributions') ||
      (parentKey(p) === 'components' && sourceTypeOf(p) === 'debian')),
);

/** Misspellings of a name: a typo, and the forms people write (`amd64`, `minideb-trixie`). */
function misspellings(name: string): string[] {
  const forms = [typo(name)];
  if (name.startsWith('linux/')) forms.push(name.slice('linux/'.length));
  if (name.includes(':')) forms.push(name.replace(':', '-'));
  return forms;
}

describe('a misspelt field key is found where it stands, and the key suggested', () => {
  test('the corpus covers keys at every depth', () => {
    expect(fieldKeys.length).toBeGreaterThan(50);
    expect(Math.max(...fieldKeys.map((p) => p.path.length))).toBeGreaterThanOrEqual(7);
  });

  test.each(fieldKeys.map((p) => [p.path.join('.'), p] as const))('%s', (_name, p) => {
    const key = last(p) as string;
    const issues = issuesOf(replaced(p.key!, typo(key)));
    expectWellFormed(issues);
    // One mistake: the unknown key, and the required field it leaves missing; nothing it causes elsewhere.
    const others = issues.filter((i) => i.path !== [...p.path.slice(0, -1), typo(key)].join('.'));
    for (const other of others) expect(other.message).toMatch(new RegExp(`^missing required field "${key}"`));
    expect(issues).toContainEqual(
      expect.objectContaining({
        ...at(p.key!.range![0]),
        path: [...p.path.slice(0, -1), typo(key)].join('.'),
        suggestion: key,
      }),
    );
  });
});

describe('a misspelt name is found where it stands, and the name suggested', () => {
  test('the corpus covers every kind of name', () => {
    const kinds = new Set(namedValues.map((p) => (typeof last(p) === 'number' ? parentKey(p) : last(p))));
    expect([...kinds].sort()).toEqual(
      expect.arrayContaining([
        'architectures',
        'base',
        'components',
        'defaultDistribution',
        'device',
        'distributions',
        'platforms',
        'script',
        'source',
        'type',
      ]),
    );
  });

  test.each(
    namedValues.flatMap((p) =>
      misspellings(String((p.value as Scalar).value)).map(
        (wrong) => [`${p.path.join('.')}: ${wrong}`, p, wrong] as const,
      ),
    ),
  )('%s', (_name, p, wrong) => {
    const issues = issuesOf(replaced(p.value, wrong));
    expectWellFormed(issues);
    // One mistake, one error: nothing it causes elsewhere is reported again.
    expect(issues.map((i) => `${i.line}:${i.column}`)).toEqual(
      [at(p.value.range![0])].map((a) => `${a.line}:${a.column}`),
    );
    expect(issues).toContainEqual(
      expect.objectContaining({
        ...at(p.value.range![0]),
        path: p.path.join('.'),
        suggestion: (p.value as Scalar).value,
      }),
    );
  });
});

/** Lines that hold one key and a plain value: each duplicated in place. */
const keyLines = original
  .split('\n')
  .map((line, i) => ({ line, number: i + 1, match: /^(\s*)([A-Za-z$][\w$]*): [^{[#\s]/.exec(line) }))
  .filter((l) => l.match !== null);

describe('a duplicate key is named, with its position and path', () => {
  test.each(keyLines.map((l) => [`line ${l.number}: ${l.match![2]}`, l] as const))('%s', (_name, l) => {
    const all = original.split('\n');
    all.splice(l.number, 0, l.line);
    const issues = issuesOf(all.join('\n'));
    expectWellFormed(issues);
    const duplicate = issues.find((i) => i.message.startsWith(`duplicate key "${l.match![2]}"`));
    expect(duplicate).toMatchObject({ line: l.number + 1, column: l.match![1].length + 1 });
    expect(duplicate!.path.endsWith(l.match![2])).toBe(true);
  });
});

/** Apply one edit that must match exactly once, so the table stays honest when the fixture changes. */
function edit(from: string, to: string): string {
  const at = original.indexOf(from);
  if (at < 0 || original.indexOf(from, at + 1) >= 0) throw new Error(`edit target not unique: ${from}`);
  return original.slice(0, at) + to + original.slice(at + from.length);
}

describe('values of the wrong type and merge keys are positioned errors with a path', () => {
  test.each([
    ['a word for a number', '    timeout: 60\n', '    timeout: soon\n', 'minideb.smoke.timeout'],
    ['a string for the version', 'version: 1\n', 'version: one\n', 'version'],
    ['a number for a Python version', 'python: "3.13"', 'python: 3.13', 'distributions.trixie.python'],
    [
      'a string for a list',
      'packages: [pocl-opencl-icd, clinfo]',
      'packages: pocl-opencl-icd',
      'accelerators.opencl.variants.pocl.packages',
    ],
    [
      'a list for a string',
      'expect: "Device #0"',
      'expect: [Device]',
      'accelerators.opencl.variants.pocl.smoke.expect',
    ],
    [
      'a list for a map',
      'env:\n          XDG_RUNTIME_DIR: /tmp',
      'env: [XDG_RUNTIME_DIR]',
      'accelerators.vulkan.variants.lavapipe.env',
    ],
    [
      'a map for a name',
      'base: cuda-runtime\n        platforms',
      'base: { name: cuda-runtime }\n        platforms',
      'accelerators.onnxruntime.variants.gpu.base',
    ],
    ['null for a required map', 'registry:\n  namespace: acceleratorbase\n', 'registry:\n', 'registry'],
    ['a merge key at the top', 'version: 1\n', 'version: 1\n<<: { defaultDistribution: bookworm }\n', '<<'],
    [
      'a merge key in a variant',
      '      pocl:\n',
      '      pocl:\n        <<: { device: dri }\n',
      'accelerators.opencl.variants.pocl.<<',
    ],
    [
      'a merge key with an alias',
      '  trixie: { version: "13", python: "3.13" }',
      '  trixie: &t { version: "13", python: "3.13" }\n  sid: { <<: *t }',
      'distributions.sid.<<',
    ],
  ])('%s', (_name, from, to, path) => {
    const issues = issuesOf(edit(from, to));
    expectWellFormed(issues);
    expect(issues.map((i) => i.path)).toContain(path);
  });
});

describe('broken text: every error positioned, never an internal error', () => {
  const all = original.split('\n');
  const cuts = Array.from({ length: 19 }, (_, i) => Math.floor((original.length * (i + 1)) / 20));
  test.each(cuts.map((n) => [`cut at character ${n}`, original.slice(0, n)] as const))('truncated: %s', (_n, text) => {
    // A cut at the end of a map can leave a valid catalog; what matters is what an invalid one says.
    expectWellFormed(issuesOf(text));
  });

  const indented = all.flatMap((line, i) => (/^ {2,}[^\s#]/.test(line) ? [i] : [])).filter((_, k) => k % 15 === 0);
  test.each(indented.map((i) => [`line ${i + 1}`, i] as const))('a tab for indentation: %s', (_n, i) => {
    const text = all.map((line, k) => (k === i ? line.replace(/^ +/, '\t') : line)).join('\n');
    const issues = issuesOf(text);
    expect(issues.length).toBeGreaterThan(0);
    expectWellFormed(issues);
  });

  test.each([
    ['a bell character', '\u0007'],
    ['a NUL', '\u0000'],
    ['an unclosed flow list', '['],
    ['an unclosed quote', '"'],
    ['a stray indicator', '] '],
  ])('%s inside a value', (_n, inserted) => {
    const place = original.indexOf('pocl-opencl-icd, clinfo');
    const issues = issuesOf(original.slice(0, place) + inserted + original.slice(place));
    expect(issues.length).toBeGreaterThan(0);
    expectWellFormed(issues);
  });
});
