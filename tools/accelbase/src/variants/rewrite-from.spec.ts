import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DockerfileParser } from 'dockerfile-ast';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { RewriteError, UserError } from '../errors.js';
import { build, docArb, expectedTarget, propertyRuns } from './fixtures/generated-dockerfiles.js';
import { rewriteFrom, type RewriteOptions } from './rewrite-from.js';

const FIXTURES = fileURLToPath(new URL('./fixtures/rewrite/', import.meta.url));
const read = (file: string) => readFileSync(FIXTURES + file, 'utf8');

/** Split keeping each line's terminator (\r\n or \n); the last element may have none. */
function splitLines(text: string): string[] {
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\n') {
      out.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) out.push(text.slice(start));
  return out;
}

function stageNames(text: string): (string | null)[] {
  return DockerfileParser.parse(text)
    .getFROMs()
    .map((f) => f.getBuildStage());
}

function globalArgDefault(text: string, name: string): string | null | undefined {
  for (const arg of DockerfileParser.parse(text).getInitialARGs()) {
    for (const p of arg.getProperties()) if (p.getName() === name) return p.getValue();
  }
  return undefined;
}

/**
 * SODALITE-style overloading: rewrite the image of every line that starts with FROM (sed over lines).
 * Generous version: it keeps --platform flags and AS names.
 */
function naiveSed(text: string): string {
  return splitLines(text)
    .map((l) => l.replace(/^(\s*FROM\s+)((?:--\S+\s+)*)([^\s\\`]+)/i, '$1$2${BASE_IMAGE}'))
    .join('');
}

// ---------------------------------------------------------------------------------------------

describe('rewriteFrom: fixture corpus', () => {
  interface Fixture {
    name: string;
    opts?: RewriteOptions;
    stage: { index: number; name?: string };
    original: string;
    changed?: boolean;
  }
  const fixtures: Fixture[] = [
    {
      name: 'go-distroless',
      stage: { index: 1, name: 'runtime' },
      original: 'gcr.io/distroless/static-debian12:nonroot',
    },
    { name: 'python-arg-before-from', stage: { index: 0, name: 'base' }, original: 'python:${PY}-slim-${DEBIAN}' },
    {
      name: 'buildplatform-stage',
      opts: { stage: 'build' },
      stage: { index: 1, name: 'build' },
      original: 'debian:bookworm-slim',
    },
    { name: 'heredoc-from', stage: { index: 0, name: 'base' }, original: 'ubuntu:22.04' },
    {
      name: 'escape-backtick',
      stage: { index: 1, name: 'runtime' },
      original: 'mcr.microsoft.com/windows/nanoserver:ltsc2022',
    },
    { name: 'crlf', stage: { index: 1 }, original: 'nvidia/cuda:${CUDA}-runtime-ubuntu22.04' },
    { name: 'no-trailing-newline', stage: { index: 1 }, original: 'alpine:3.20' },
    { name: 'comments-with-from', stage: { index: 1 }, original: 'acceleratorbase/edgetpu-std:2024.06' },
    { name: 'numeric-stage', stage: { index: 0 }, original: 'debian:bookworm-slim' },
    { name: 'copy-from-build', stage: { index: 2 }, original: 'node:20-bookworm-slim' },
    { name: 'continuation-from', stage: { index: 0, name: 'runtime' }, original: 'nvidia/cuda:${CUDA_TAG}' },
    {
      name: 'already-overloaded',
      stage: { index: 1 },
      original: 'gcr.io/distroless/static-debian12',
      changed: false,
    },
  ];

  test.each(fixtures)('$name', ({ name, opts, stage, original, changed = true }) => {
    const input = read(`${name}.input.dockerfile`);
    const expected = read(`${name}.expected.dockerfile`);
    const result = rewriteFrom(input, opts);
    expect(result.text).toBe(expected);
    expect(result.stage).toEqual(stage);
    expect(result.original).toBe(original);
    expect(result.changed).toBe(changed);
    // idempotent
    const again = rewriteFrom(result.text, opts);
    expect(again.text).toBe(result.text);
    expect(again.changed).toBe(false);
    expect(again.original).toBe(original);
    // same stages, inserted ARG default is the original reference
    expect(stageNames(result.text)).toEqual(stageNames(input));
    expect(globalArgDefault(result.text, 'BASE_IMAGE')).toBe(original);
  });

  test('the fixtures keep their exact bytes (CRLF, no final newline)', () => {
    expect(read('crlf.input.dockerfile')).toMatch(/\r\n/);
    expect(read('crlf.input.dockerfile').replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(read('crlf.expected.dockerfile').replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(read('no-trailing-newline.input.dockerfile').endsWith('\n')).toBe(false);
    expect(read('no-trailing-newline.expected.dockerfile').endsWith('\n')).toBe(false);
  });

  const multiStage = fixtures.filter(
    (f) => stageNames(read(`${f.name}.input.dockerfile`)).length > 1 && f.changed !== false,
  );

  test.each(multiStage)(
    '$name: naive sed over FROM lines differs; builder stages are left alone',
    ({ name, opts, stage }) => {
      const input = read(`${name}.input.dockerfile`);
      const ours = rewriteFrom(input, opts).text;
      const naive = naiveSed(input);
      expect(naive).not.toBe(ours);

      // Every FROM line of a stage other than the chosen one is byte-identical in our output.
      const inLines = splitLines(input);
      const outLines = splitLines(ours);
      const inserted = outLines.findIndex((l) => l.startsWith('ARG BASE_IMAGE='));
      outLines.splice(inserted, 1);
      const froms = DockerfileParser.parse(input).getFROMs();
      let naiveTouchedAnother = false;
      const naiveLines = splitLines(naive);
      froms.forEach((from, index) => {
        if (index === stage.index) return;
        const r = from.getRange();
        for (let l = r.start.line; l <= r.end.line; l++) {
          expect(outLines[l]).toBe(inLines[l]);
          if (naiveLines[l] !== inLines[l]) naiveTouchedAnother = true;
        }
      });
      expect(naiveTouchedAnother).toBe(true);
    },
  );
});

// ---------------------------------------------------------------------------------------------

describe('rewriteFrom: cases', () => {
  interface Case {
    title: string;
    input: string;
    opts?: RewriteOptions;
    output: string;
    stage?: { index: number; name?: string };
    original?: string;
    changed?: boolean;
  }
  const A = 'ARG BASE_IMAGE=';
  const cases: Case[] = [
    { title: 'single FROM', input: 'FROM alpine\n', output: `${A}alpine\nFROM \${BASE_IMAGE}\n`, stage: { index: 0 } },
    { title: 'no final newline', input: 'FROM alpine', output: `${A}alpine\nFROM \${BASE_IMAGE}` },
    {
      title: 'CRLF',
      input: 'FROM alpine\r\nRUN true\r\n',
      output: `${A}alpine\r\nFROM \${BASE_IMAGE}\r\nRUN true\r\n`,
    },
    {
      title: 'CRLF when the ARG goes on the first line',
      input: 'FROM alpine AS a\r\nFROM a',
      output: `${A}alpine\r\nFROM \${BASE_IMAGE} AS a\r\nFROM a`,
    },
    {
      title: 'mixed endings: the ARG takes the ending of the line above it',
      input: '# syntax=docker/dockerfile:1\r\nFROM alpine\n',
      output: `# syntax=docker/dockerfile:1\r\n${A}alpine\r\nFROM \${BASE_IMAGE}\n`,
    },
    {
      title: 'byte-order mark stays first',
      input: '\uFEFFFROM alpine\n',
      output: `\uFEFF${A}alpine\nFROM \${BASE_IMAGE}\n`,
    },
    {
      title: 'custom ARG name',
      input: 'FROM acceleratorbase/edgetpu-std\n',
      opts: { arg: 'ACCEL_BASE' },
      output: 'ARG ACCEL_BASE=acceleratorbase/edgetpu-std\nFROM ${ACCEL_BASE}\n',
    },
    {
      title: 'spacing, lowercase keywords and AS name are kept',
      input: 'from   --platform=$TARGETPLATFORM\talpine:3.20   as   run\n',
      output: `${A}alpine:3.20\nfrom   --platform=$TARGETPLATFORM\t\${BASE_IMAGE}   as   run\n`,
      stage: { index: 0, name: 'run' },
    },
    {
      title: 'digest reference',
      input: `FROM busybox@sha256:${'a'.repeat(64)}\n`,
      output: `${A}busybox@sha256:${'a'.repeat(64)}\nFROM \${BASE_IMAGE}\n`,
    },
    {
      title: 'registry with a port',
      input: 'FROM localhost:5000/acc/base:1 AS b\n',
      output: `${A}localhost:5000/acc/base:1\nFROM \${BASE_IMAGE} AS b\n`,
    },
    {
      title: 'stage by name',
      input: 'FROM golang AS build\nFROM alpine\n',
      opts: { stage: 'build' },
      output: `${A}golang\nFROM \${BASE_IMAGE} AS build\nFROM alpine\n`,
      stage: { index: 0, name: 'build' },
    },
    {
      title: 'stage by name is case-insensitive',
      input: 'FROM golang AS Build\nFROM alpine\n',
      opts: { stage: 'BUILD' },
      output: `${A}golang\nFROM \${BASE_IMAGE} AS Build\nFROM alpine\n`,
      stage: { index: 0, name: 'Build' },
    },
    {
      title: 'stage by index',
      input: 'FROM golang AS build\nFROM alpine\n',
      opts: { stage: 0 },
      output: `${A}golang\nFROM \${BASE_IMAGE} AS build\nFROM alpine\n`,
    },
    {
      title: 'stage by numeric string',
      input: 'FROM golang AS build\nFROM alpine\n',
      opts: { stage: '1' },
      output: `${A}alpine\nFROM golang AS build\nFROM \${BASE_IMAGE}\n`,
      stage: { index: 1 },
    },
    {
      title: 'chain through named stages',
      input: 'FROM ubuntu AS a\nFROM a AS b\nFROM b\n',
      output: `${A}ubuntu\nFROM \${BASE_IMAGE} AS a\nFROM a AS b\nFROM b\n`,
      stage: { index: 0, name: 'a' },
    },
    {
      title: 'chain by index (FROM 0)',
      input: 'FROM debian\nFROM 0\n',
      output: `${A}debian\nFROM \${BASE_IMAGE}\nFROM 0\n`,
      stage: { index: 0 },
    },
    {
      title: 'a stage named like its own image is not a self-reference',
      input: 'FROM alpine AS alpine\nFROM alpine\n',
      output: `${A}alpine\nFROM \${BASE_IMAGE} AS alpine\nFROM alpine\n`,
      stage: { index: 0, name: 'alpine' },
    },
    {
      title: 'a later stage of the same name is not a reference',
      input: 'FROM base AS x\nFROM debian AS base\n',
      opts: { stage: 'x' },
      output: `${A}base\nFROM \${BASE_IMAGE} AS x\nFROM debian AS base\n`,
    },
    {
      title: 'stage chosen through a global ARG default',
      input: 'ARG VARIANT=gpu\nFROM nvidia/cuda AS base-gpu\nFROM ubuntu AS base-cpu\nFROM base-${VARIANT}\n',
      output: `ARG VARIANT=gpu\n${A}nvidia/cuda\nFROM \${BASE_IMAGE} AS base-gpu\nFROM ubuntu AS base-cpu\nFROM base-\${VARIANT}\n`,
      stage: { index: 0, name: 'base-gpu' },
    },
    {
      title: 'stage chosen through ${X:-default}',
      input: 'FROM nvidia/cuda AS base-gpu\nFROM ubuntu AS base-cpu\nFROM base-${VARIANT:-cpu}\n',
      output: `${A}ubuntu\nFROM nvidia/cuda AS base-gpu\nFROM \${BASE_IMAGE} AS base-cpu\nFROM base-\${VARIANT:-cpu}\n`,
      stage: { index: 1, name: 'base-cpu' },
    },
    {
      title: 'ARG reference kept verbatim, after the ARGs it uses',
      input: 'ARG PY=3.12\nARG FLAVOR=slim\nFROM python:${PY}-${FLAVOR}\n',
      output: `ARG PY=3.12\nARG FLAVOR=slim\n${A}python:\${PY}-\${FLAVOR}\nFROM \${BASE_IMAGE}\n`,
      original: 'python:${PY}-${FLAVOR}',
    },
    {
      title: 'whole reference is another ARG',
      input: 'ARG PY=python:3.12\nFROM ${PY}\n',
      output: `ARG PY=python:3.12\n${A}\${PY}\nFROM \${BASE_IMAGE}\n`,
      original: '${PY}',
    },
    {
      title: 'several ARGs on one line',
      input: 'ARG A=1 B=2\nFROM alpine:${A}\n',
      output: `ARG A=1 B=2\n${A}alpine:\${A}\nFROM \${BASE_IMAGE}\n`,
    },
    {
      title: 'ARG split over lines',
      input: 'ARG A=1 \\\n    B=2\n\nFROM alpine:${B}\n',
      output: `ARG A=1 \\\n    B=2\n${A}alpine:\${B}\n\nFROM \${BASE_IMAGE}\n`,
    },
    {
      title: 'parser directives stay first',
      input: '# syntax=docker/dockerfile:1\n# escape=\\\nFROM alpine\n',
      output: `# syntax=docker/dockerfile:1\n# escape=\\\n${A}alpine\nFROM \${BASE_IMAGE}\n`,
    },
    {
      title: 'a comment block that belongs to the first FROM stays with it',
      input:
        '# syntax=docker/dockerfile:1\n# header\n\n# build stage\n# (FROM golang)\nFROM golang AS build\nFROM alpine\n',
      output: `# syntax=docker/dockerfile:1\n# header\n\n${A}alpine\n# build stage\n# (FROM golang)\nFROM golang AS build\nFROM \${BASE_IMAGE}\n`,
    },
    {
      title: 'a header comment directly above the first FROM stays on top',
      input: '# Copyright 2024\nFROM alpine\n',
      output: `# Copyright 2024\n${A}alpine\nFROM \${BASE_IMAGE}\n`,
    },
    {
      title: 'FROM split by a continuation inside the reference',
      input: 'FROM ubun\\\ntu:22.04 AS x\nRUN true\n',
      output: `${A}ubuntu:22.04\nFROM \${BASE_IMAGE} AS x\nRUN true\n`,
      original: 'ubuntu:22.04',
    },
    {
      title: 'escape directive: backslash is literal, backtick continues',
      input: '# escape=`\nFROM `\n  mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN dir C:\\\n',
      output: `# escape=\`\n${A}mcr.microsoft.com/windows/nanoserver:ltsc2022\nFROM \`\n  \${BASE_IMAGE}\nRUN dir C:\\\n`,
    },
    {
      title: 'heredoc bodies with FROM are not instructions',
      input: 'FROM golang AS build\nRUN <<EOF\nFROM alpine AS fake\nEOF\nFROM build\n',
      output: `${A}golang\nFROM \${BASE_IMAGE} AS build\nRUN <<EOF\nFROM alpine AS fake\nEOF\nFROM build\n`,
    },
    {
      title: 'already ${BASE_IMAGE}: unchanged',
      input: 'ARG BASE_IMAGE=alpine\nFROM ${BASE_IMAGE}\n',
      output: 'ARG BASE_IMAGE=alpine\nFROM ${BASE_IMAGE}\n',
      original: 'alpine',
      changed: false,
    },
    {
      title: 'already $BASE_IMAGE: unchanged',
      input: 'ARG BASE_IMAGE=alpine\nFROM golang AS b\nFROM $BASE_IMAGE\n',
      output: 'ARG BASE_IMAGE=alpine\nFROM golang AS b\nFROM $BASE_IMAGE\n',
      stage: { index: 1 },
      changed: false,
    },
    {
      title: 'already overloaded without a global ARG: left alone',
      input: 'FROM ${BASE_IMAGE}\n',
      output: 'FROM ${BASE_IMAGE}\n',
      original: '${BASE_IMAGE}',
      changed: false,
    },
    {
      title: 'existing global ARG BASE_IMAGE with the same default is reused',
      input: 'ARG BASE_IMAGE=alpine\nFROM alpine\n',
      output: 'ARG BASE_IMAGE=alpine\nFROM ${BASE_IMAGE}\n',
      changed: true,
    },
  ];

  test.each(cases)('$title', ({ input, opts, output, stage, original, changed = true }) => {
    const result = rewriteFrom(input, opts);
    expect(result.text).toBe(output);
    expect(result.changed).toBe(changed);
    if (stage) expect(result.stage).toEqual(stage);
    if (original !== undefined) expect(result.original).toBe(original);
    expect(rewriteFrom(result.text, opts).text).toBe(result.text);
  });

  interface ErrorCase {
    title: string;
    input: string;
    opts?: RewriteOptions;
    message: RegExp;
    line?: number;
  }
  const errors: ErrorCase[] = [
    { title: 'empty file', input: '', message: /no FROM instruction/ },
    { title: 'no FROM', input: 'RUN echo FROM alpine\n# FROM alpine\n', message: /no FROM instruction/ },
    {
      title: 'final stage FROM scratch',
      input: 'FROM golang AS b\nFROM scratch\n',
      message: /stage 1 is FROM scratch/,
      line: 2,
    },
    {
      title: 'chain ends at scratch',
      input: 'FROM scratch AS root\nCOPY x /\nFROM root\n',
      message: /stage 0 \(root\), reached from stage 1, is FROM scratch/,
      line: 1,
    },
    {
      title: 'unknown stage name lists the stages',
      input: 'FROM golang AS build\nFROM alpine\n',
      opts: { stage: 'runtime' },
      message: /stage "runtime" does not exist; the Dockerfile has stages: 0 \(build\), 1 \(unnamed\)/,
    },
    {
      title: 'stage index out of range',
      input: 'FROM alpine\n',
      opts: { stage: 3 },
      message: /stage index 3 does not exist/,
    },
    { title: 'FROM without image', input: 'FROM\n', message: /FROM has no image reference/, line: 1 },
    {
      title: 'reference that may name several stages',
      input: 'FROM a AS build-amd64\nFROM b AS build-arm64\nFROM build-${TARGETARCH}\n',
      message: /may refer to stage 0 \(build-amd64\) or stage 1 \(build-arm64\)/,
      line: 3,
    },
    {
      title: 'global ARG BASE_IMAGE with another default',
      input: 'ARG BASE_IMAGE=debian\nFROM debian AS a\nFROM ubuntu\n',
      message: /ARG BASE_IMAGE is already declared \(line 1\) with default "debian"/,
    },
    {
      title: 'global ARG BASE_IMAGE without default',
      input: 'ARG BASE_IMAGE\nFROM ubuntu\n',
      message: /already declared \(line 1\) without a default/,
    },
    {
      title: 'reference uses the ARG itself',
      input: 'FROM ubuntu:${BASE_IMAGE}\n',
      message: /already uses \$BASE_IMAGE/,
    },
    {
      title: 'a reference with a byte that is not UTF-8 (read as a lone surrogate)',
      input: 'FROM alpine:3.20\udcff\nRUN true\n',
      message: /stage 0: FROM "alpine:3\.20\\udcff" is not an image reference/,
      line: 1,
    },
    {
      title: 'a reference with a zero-width space in its tag',
      input: 'FROM alpine AS a\nFROM alpine:\u200b3\n',
      message: /stage 1: FROM "alpine:\u200b3" is not an image reference/,
      line: 2,
    },
    {
      title: 'an upper-case repository',
      input: 'FROM Alpine:3.20\n',
      message: /is not an image reference \(\[HOST\[:PORT\]\/\]PATH\[:TAG\]\[@DIGEST\], lower-case path\)/,
      line: 1,
    },
    {
      title: 'invalid ARG name',
      input: 'FROM alpine\n',
      opts: { arg: 'BASE-IMAGE' },
      message: /not a valid build argument name/,
    },
  ];

  test.each(errors)('error: $title', ({ input, opts, message, line }) => {
    let caught: unknown;
    try {
      rewriteFrom(input, opts);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RewriteError);
    expect(caught).toBeInstanceOf(UserError);
    expect((caught as Error).message).toMatch(message);
    if (line !== undefined) expect((caught as RewriteError).position?.line).toBe(line);
  });
});

// ---------------------------------------------------------------------------------------------
// Property-based: generated multi-stage Dockerfiles.

describe('rewriteFrom: properties over generated Dockerfiles', () => {
  test('only the chosen stage changes, the ARG default is the original, and it re-parses', () => {
    fc.assert(
      fc.property(docArb, (doc) => {
        const g = build(doc);
        const target = expectedTarget(g);
        if (target === null) {
          expect(() => rewriteFrom(g.text, g.opts)).toThrow(RewriteError);
          return;
        }
        const original = (g.bases[target] as { ref: string }).ref;
        const r = rewriteFrom(g.text, g.opts);
        expect(r.changed).toBe(true);
        expect(r.stage.index).toBe(target);
        expect(r.stage.name).toBe(g.names[target]);
        expect(r.original).toBe(original);

        const inLines = splitLines(g.text);
        const outLines = splitLines(r.text);
        expect(outLines.length).toBe(inLines.length + 1);
        // A file with no line break has no line ending to copy: the inserted line gets LF.
        const argLine = `ARG BASE_IMAGE=${original}${/\n/.test(g.text) ? g.eol : '\n'}`;
        const k = outLines.indexOf(argLine);
        expect(k).toBeGreaterThan(g.lastHeaderLine);
        expect(k).toBeLessThanOrEqual(g.fromLine[0]!);
        outLines.splice(k, 1);
        inLines.forEach((line, l) => {
          if (l === g.fromLine[target]) {
            const eol = line.endsWith('\r\n') ? '\r\n' : line.endsWith('\n') ? '\n' : '';
            expect(outLines[l]).toBe(g.overloadedFromLine[target] + eol);
          } else {
            expect(outLines[l]).toBe(line);
          }
        });

        expect(stageNames(r.text)).toEqual(stageNames(g.text));
        expect(stageNames(r.text)).toEqual(g.names.map((n) => n ?? null));
        expect(DockerfileParser.parse(r.text).getFROMs()[target]!.getImage()).toBe('${BASE_IMAGE}');
        expect(globalArgDefault(r.text, 'BASE_IMAGE')).toBe(original);
      }),
      propertyRuns,
    );
  });

  test('idempotent: rewriting twice equals rewriting once', () => {
    fc.assert(
      fc.property(docArb, (doc) => {
        const g = build(doc);
        fc.pre(expectedTarget(g) !== null);
        const once = rewriteFrom(g.text, g.opts);
        const twice = rewriteFrom(once.text, g.opts);
        expect(twice.text).toBe(once.text);
        expect(twice.changed).toBe(false);
        expect(twice.stage).toEqual(once.stage);
        expect(twice.original).toBe(once.original);
      }),
      propertyRuns,
    );
  });
});
