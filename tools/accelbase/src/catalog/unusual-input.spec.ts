// Valid but unusual catalogs keep working: comments everywhere, CRLF, a byte-order mark, anchors,
// aliases used properly (merge keys are YAML 1.1, refused), JSON-shaped YAML, Unicode text, names that are also
// Object.prototype members, and names at their length bounds.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, test } from 'vitest';
import { TAG_RE } from '../oci/reference.js';
import { planImages } from '../plan/plan.js';
import { renderWorkspace } from '../render/pipeline.js';
import { applyRendered, diffRendered } from '../render/write.js';
import { emptyLock, type Lock } from './lock.js';
import { parseCatalog, parseLock } from './load.js';
import type { Model } from './model.js';

const repoRoot = join(import.meta.dirname, '..', '..', '..', '..');
const fixture = readFileSync(join(import.meta.dirname, 'fixtures', 'catalog.yaml'), 'utf8');
const scripts = new Set(['onnxruntime.py']);
const parse = (text: string) => parseCatalog('catalog.yaml', text, scripts).model;
/** The model as data (positions aside), to compare two spellings of one catalog. */
const images = (m: Model) => JSON.parse(JSON.stringify([...m.images.values()]));
const reference = images(parse(fixture));

/** An edit that must match exactly once. */
function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`edit target not unique: ${from}`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

describe('the same catalog, spelt differently', () => {
  test('comments everywhere: after values, between items, inside flow collections, at the end without a newline', () => {
    const text = `# top\n${fixture}`
      .replace(/\n(\s*)(\w+):/g, '\n$1# before $2\n$1$2:')
      .replace('distributions: [trixie, bullseye]', 'distributions: [\n    trixie, # first\n    bullseye # second\n  ]')
      .replace(/^(\s+- .*)$/gm, '$1 # an item')
      .concat('# the end, no newline');
    expect(images(parse(text))).toEqual(reference);
  });

  test('CRLF line endings, and a byte-order mark', () => {
    expect(images(parse(fixture.replace(/\n/g, '\r\n')))).toEqual(reference);
    expect(images(parse(`\ufeff${fixture}`))).toEqual(reference);
  });

  test('JSON-shaped YAML', () => {
    const json = JSON.stringify(parseCatalog('catalog.yaml', fixture, scripts).yaml.value, null, 2);
    expect(images(parse(json))).toEqual(reference);
  });

  test('anchors and aliases', () => {
    let text = edit(
      fixture,
      '        smoke:\n          command: [clinfo, -l]',
      '        smoke: &clinfo\n          command: [clinfo, -l]',
    );
    text = edit(
      text,
      '        env:\n          OCL_ICD_VENDORS: /etc/OpenCL/vendors',
      '        env: &ocl\n          OCL_ICD_VENDORS: /etc/OpenCL/vendors',
    );
    text = edit(
      text,
      '      app:\n',
      '      again:\n        base: &base minideb:trixie\n        packages: [clinfo]\n        env: *ocl\n        smoke: *clinfo\n      app:\n',
    );
    const model = parse(text);
    const pocl = model.images.get('opencl-pocl')!;
    const again = model.images.get('opencl-again')!;
    expect(again.env).toEqual({ OCL_ICD_VENDORS: '/etc/OpenCL/vendors' });
    expect(again.smoke).toEqual(pocl.smoke);
    expect(again.base).toBe('minideb-trixie');
  });

  test('a merge key (<<, YAML 1.1 only) is refused where it stands, not merged', () => {
    const text = edit(
      edit(
        fixture,
        '        env:\n          OCL_ICD_VENDORS: /etc/OpenCL/vendors',
        '        env: &ocl\n          OCL_ICD_VENDORS: /etc/OpenCL/vendors',
      ),
      '      app:\n',
      '      again:\n        base: minideb:trixie\n        env: { <<: *ocl, EXTRA: "1" }\n      app:\n',
    );
    expect(() => parse(text)).toThrow(
      /^catalog\.yaml:\d+:16 accelerators\.opencl\.variants\.again\.env\.<<: merge keys \(<<\) are not YAML 1\.2/,
    );
  });

  test('one anchor used 150 times (more than the YAML library allows by default)', () => {
    const model = parse(
      edit(fixture, 'command: [clinfo, -l]', `command: [clinfo, &l -l, ${Array(150).fill('*l').join(', ')}]`),
    );
    expect(model.images.get('opencl-pocl')!.smoke.command).toHaveLength(152);
  });
});

describe('text and names that look like trouble but are not', () => {
  const unicode = 'Beschleuniger für Ärzte — 日本語の説明 🚀 👩‍💻 עברית "quoted" $HOME `tick` \\back';

  test('a Unicode description with quotes, $ and backslashes renders into one LABEL, read back exactly', () => {
    const model = parse(edit(fixture, 'description: OpenCL on the CPU', `description: ${JSON.stringify(unicode)}`));
    const files = renderWorkspace(repoRoot, model, emptyLock());
    const dockerfile = files.get('images/opencl-pocl/Dockerfile')!;
    expect(
      DockerfileParser.parse(dockerfile)
        .getInstructions()
        .map((i) => i.getKeyword()),
    ).toEqual(['ARG', 'FROM', 'LABEL', 'ENV', 'RUN']);
    expect(dockerfile).toContain(
      'org.opencontainers.image.description="Beschleuniger für Ärzte — 日本語の説明 🚀 👩‍💻 עברית \\"quoted\\" \\$HOME `tick` \\\\back"',
    );
    expect(files.get('images/index.html')).toContain(
      'Beschleuniger für Ärzte — 日本語の説明 🚀 👩‍💻 עברית &quot;quoted&quot;',
    );
  });

  test('names that are Object.prototype members are just names', () => {
    let text = edit(fixture, 'packages: [pocl-opencl-icd, clinfo]', 'packages: [pocl-opencl-icd, clinfo, constructor]');
    text = edit(
      text,
      'OCL_ICD_VENDORS: /etc/OpenCL/vendors',
      'OCL_ICD_VENDORS: /etc/OpenCL/vendors\n          toString: x\n          constructor: y',
    );
    text = edit(text, '  vendor:\n    description', '  constructor:\n    description');
    const model = parse(text);
    expect([...model.images.keys()]).toContain('constructor-std');
    const lock = parseLock('catalog.lock.yaml', 'version: 1\nimages: {}\n', model);
    const files = renderWorkspace(repoRoot, model, lock);
    const dockerfile = files.get('images/opencl-pocl/Dockerfile')!;
    expect(dockerfile).toMatch(/install_packages pocl-opencl-icd \\\n\s+clinfo \\\n\s+constructor\n/);
    expect(dockerfile).toContain('toString="x"');
    expect(dockerfile).not.toContain('function');
  });

  test('names at their length bounds: tags within 128 characters, folders well under NAME_MAX, rendered to disk', () => {
    const acc = `a${'b'.repeat(39)}`;
    const variant = `v${'w'.repeat(39)}`;
    const dist = `d${'e'.repeat(39)}`;
    let text = edit(fixture, '  vendor:\n    description', `  ${acc}:\n    description`).replace(
      '      std:\n',
      `      ${variant}:\n`,
    );
    text = text.replace(/bullseye/g, dist);
    const model = parse(text);
    const name = `${acc}-${variant}`;
    const version = `1.${'2'.repeat(62)}`;
    const lock: Lock = {
      version: 1,
      images: {
        [name]: { updated: '2026-11-28', platforms: { 'linux/amd64': { packages: { 'vendor-rt': version } } } },
      },
    };
    const plan = planImages(model, parseLock('catalog.lock.yaml', JSON.stringify(lock), model));
    const image = plan.images.find((i) => i.name === name)!;
    expect(image.tags.at(-1)).toBe(`${version}-${dist}`);
    for (const tag of [...image.tags, `${version}-${dist}-20261128`])
      expect(tag.length <= 128 && TAG_RE.test(tag), tag).toBe(true);
    expect(`${image.repository}:${image.tags.at(-1)}`.length).toBeLessThanOrEqual(255 + 129);
    const root = mkdtempSync(join(tmpdir(), 'accelbase-long-'));
    try {
      const files = renderWorkspace(repoRoot, model, parseLock('catalog.lock.yaml', JSON.stringify(lock), model));
      applyRendered(root, files, diffRendered(root, files));
      expect(readFileSync(join(root, 'images', name, 'Dockerfile'), 'utf8')).toContain(`vendor-rt=${version}`);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    expect(name.length).toBeLessThan(100);
  });
});
