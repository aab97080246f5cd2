import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { RewriteError } from '../errors.js';
import { contextKey } from '../oci/reference.js';
import { overloadContexts } from './contexts.js';
import { build, docArb, expectedTarget, propertyRuns } from './fixtures/generated-dockerfiles.js';

describe('overloadContexts', () => {
  test.each([
    {
      input: 'FROM acceleratorbase/edgetpu-std\n',
      replacement: 'acceleratorbase/edgetpu-max',
      expected: { 'acceleratorbase/edgetpu-std': 'docker-image://acceleratorbase/edgetpu-max' },
    },
    {
      input: 'FROM golang AS build\nFROM acceleratorbase/edgetpu-std:1.2 AS run\nCOPY --from=build /a /a\n',
      replacement: 'docker-image://ghcr.io/x/edgetpu-max:1.2',
      expected: { 'acceleratorbase/edgetpu-std:1.2': 'docker-image://ghcr.io/x/edgetpu-max:1.2' },
    },
    {
      input: 'FROM docker.io/library/ubuntu:latest AS base\nFROM base\n',
      replacement: 'target:my-ubuntu',
      expected: { ubuntu: 'target:my-ubuntu' },
    },
    {
      input: 'FROM golang AS build\nFROM index.docker.io/nvidia/cuda:12.4.1-runtime-ubuntu22.04\n',
      replacement: 'oci-layout:///tmp/cuda',
      expected: { 'nvidia/cuda:12.4.1-runtime-ubuntu22.04': 'oci-layout:///tmp/cuda' },
    },
  ])('$input', ({ input, replacement, expected }) => {
    expect(overloadContexts(input, replacement)).toEqual(expected);
  });

  test('picks the stage like rewriteFrom', () => {
    const text = 'FROM golang:1.22 AS build\nFROM alpine\n';
    expect(overloadContexts(text, 'golang:1.23', { stage: 'build' })).toEqual({
      'golang:1.22': 'docker-image://golang:1.23',
    });
  });

  test.each([
    {
      title: 'unexpanded ARG',
      input: 'ARG PY=3.12\nFROM python:${PY}-slim\n',
      message:
        /named contexts are keyed by the literal image name after ARG expansion \(with the current defaults that is "python:3\.12-slim"\)/,
    },
    {
      title: 'already ${BASE_IMAGE}',
      input: 'ARG BASE_IMAGE=alpine\nFROM ${BASE_IMAGE}\n',
      message: /uses build arguments \(\$BASE_IMAGE\)/,
    },
    {
      title: 'shared base',
      input: 'FROM ubuntu:22.04 AS build\nFROM ubuntu:22.04\n',
      message: /would also replace the base of stage 0 \(build\)/,
    },
    {
      title: 'same image via COPY --from',
      input: 'FROM alpine\nCOPY --from=alpine /etc/os-release /\n',
      message: /would also replace COPY --from=alpine at line 2/,
    },
    { title: 'scratch', input: 'FROM scratch\n', message: /FROM scratch/ },
    { title: 'bad replacement', input: 'FROM alpine\n', replacement: 'Not A Ref', message: /not a valid replacement/ },
  ])('error: $title', ({ input, message, replacement }) => {
    expect(() => overloadContexts(input, replacement ?? 'x/y')).toThrow(message);
  });
});

describe('overloadContexts: properties over generated Dockerfiles', () => {
  test('overloadContexts keys the same stage, or refuses with a RewriteError', () => {
    fc.assert(
      fc.property(docArb, (doc) => {
        const g = build(doc);
        const target = expectedTarget(g);
        let contexts: Record<string, string>;
        try {
          contexts = overloadContexts(g.text, 'acceleratorbase/edgetpu-max', g.opts);
        } catch (e) {
          expect(e).toBeInstanceOf(RewriteError);
          return;
        }
        expect(target).not.toBeNull();
        const original = (g.bases[target!] as { ref: string }).ref;
        expect(original).not.toContain('$');
        expect(contexts).toEqual({ [contextKey(original)!]: 'docker-image://acceleratorbase/edgetpu-max' });
      }),
      propertyRuns,
    );
  });
});
