// Free text from the catalog either fails validation or renders inert: whatever a description,
// smoke pattern or argument holds, every rendered Dockerfile parses to the same instructions as
// with a plain value, the JSON files stay JSON, and the docs keep their rows and cells.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { parseCatalog } from '../catalog/load.js';
import { emptyLock } from '../catalog/lock.js';
import { CatalogError } from '../errors.js';
import { DOCS_HTML, DOCS_MARKDOWN } from './docs.js';
import { renderWorkspace } from './pipeline.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const fixture = readFileSync(
  join(repoRoot, 'tools', 'accelbase', 'src', 'catalog', 'fixtures', 'catalog.yaml'),
  'utf8',
);
const runs = { numRuns: Number(process.env.ACCELBASE_PROPERTY_RUNS ?? 150) };

/** Where each free-text field sits in the fixture, as an edit putting a YAML scalar there. */
const FIELDS: Record<string, (yaml: string) => [string, string]> = {
  'accelerator description': (v) => ['description: OpenCL on the CPU', `description: ${v}`],
  'variant description': (v) => [
    '      pocl:\n        base: minideb:trixie',
    `      pocl:\n        description: ${v}\n        base: minideb:trixie`,
  ],
  'npm source description': (v) => ['    type: npm\n', `    type: npm\n    description: ${v}\n`],
  $schema: (v) => ['version: 1\n', `$schema: ${v}\nversion: 1\n`],
  'smoke expectation': (v) => ['expect: "Device #0"', `expect: ${v}`],
  'no-device pattern': (v) => ['noDevice: "no device"\n', `noDevice: ${v}\n`],
  'smoke argument': (v) => ['command: [clinfo, -l]', `command: [clinfo, ${v}]`],
};

function render(text: string): Map<string, string> | undefined {
  try {
    const { model } = parseCatalog('catalog.yaml', text, new Set(['onnxruntime.py']));
    return renderWorkspace(repoRoot, model, emptyLock());
  } catch (e) {
    if (e instanceof CatalogError) return undefined;
    throw e;
  }
}

/** What must not change: each Dockerfile's instructions (LABEL and ENV by their keys), JSON well-formed, docs' shape. */
function shape(files: Map<string, string>): unknown {
  const out: Record<string, unknown> = {};
  for (const [path, text] of files) {
    if (path.endsWith('/Dockerfile')) {
      out[path] = DockerfileParser.parse(text)
        .getInstructions()
        .map((i) => {
          const keyword = i.getKeyword();
          if (keyword !== 'LABEL' && keyword !== 'ENV') return i.getTextContent();
          return [
            keyword,
            (i as unknown as { getProperties(): { getName(): string }[] }).getProperties().map((p) => p.getName()),
          ];
        });
    } else if (path.endsWith('.json')) out[path] = Object.keys(JSON.parse(text));
  }
  const md = files.get(DOCS_MARKDOWN)!.split('\n');
  out.markdownRows = md.filter((l) => l.startsWith('| ')).map((l) => l.split(/(?<!\\)\|/).length);
  out.html = ['<tr', '<script', '</script>', '<td', '<option'].map((tag) => files.get(DOCS_HTML)!.split(tag).length);
  return out;
}

/** Printable text dense in what Dockerfiles, shells, HTML and Markdown read specially. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 80 }),
  fc.string({
    unit: fc.constantFrom(
      '"',
      "'",
      '\\',
      '$',
      '`',
      '{',
      '}',
      '<',
      '>',
      '&',
      '|',
      '*',
      '[',
      ']',
      '#',
      '=',
      ' ',
      '\n',
      '\r',
      '\t',
      '\u2028',
      '\u0085',
      '\u202e',
      'x',
      'RUN ',
      'LABEL ',
    ),
    maxLength: 60,
  }),
);

describe.each(Object.entries(FIELDS))('free text in the %s', (_field, place) => {
  const plainText = (() => {
    const [from, to] = place(JSON.stringify('plain text'));
    return fixture.replace(from, () => to);
  })();
  const plain = render(plainText);

  test('the plain value renders', () => {
    expect(plain).toBeDefined();
  });

  test('any other value fails validation or renders to the same shape', () => {
    fc.assert(
      fc.property(hostile, (value) => {
        const [from, to] = place(JSON.stringify(value));
        const rendered = render(fixture.replace(from, () => to));
        if (rendered) expect(shape(rendered)).toEqual(shape(plain!));
      }),
      runs,
    );
  });
});
