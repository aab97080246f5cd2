// The smoke outcome as an in-toto test-result statement, and read back: each outcome maps to the
// predicate's result, tiers included; statements of other types are not smoke outcomes.
import { describe, expect, test } from 'vitest';
import type { SmokeResult } from './outcome.js';
import { smokeOfStatement, TEST_RESULT_PREDICATE, testResultStatement } from './attestation.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;
const tier = (outcome: 'passed' | 'failed' | 'no-device' | 'none') => ({ outcome, detail: `${outcome} detail` });
const result = (outcome: SmokeResult['outcome'], tiers?: SmokeResult['tiers']): SmokeResult => ({
  image: 'opencl-pocl',
  platform: 'linux/arm64',
  ref: `127.0.0.1:5000/ns/opencl-pocl@sha256:${'b'.repeat(64)}`,
  outcome,
  detail: 'Device #0: cpu',
  durationS: 3,
  exitCode: 0,
  ...(tiers ? { tiers } : {}),
});

describe('test-result statement', () => {
  test('subject is the platform manifest tested; tiers in the configuration', () => {
    const s = testResultStatement(
      '127.0.0.1:5000/ns/opencl-pocl',
      DIGEST,
      result('passed', { query: tier('passed'), compute: tier('passed') }),
    );
    expect(s).toEqual({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: '127.0.0.1:5000/ns/opencl-pocl', digest: { sha256: 'a'.repeat(64) } }],
      predicateType: TEST_RESULT_PREDICATE,
      predicate: {
        result: 'PASSED',
        configuration: [
          {
            name: 'accelbase smoke opencl-pocl',
            platform: 'linux/arm64',
            tiers: { query: 'passed', compute: 'passed' },
          },
        ],
        passedTests: ['query', 'compute'],
        warnedTests: [],
        failedTests: [],
        outcome: 'passed',
        detail: 'Device #0: cpu',
      },
    });
  });

  test.each([
    ['passed', 'PASSED'],
    ['failed', 'FAILED'],
    ['no-device', 'WARNED'],
  ] as const)('%s is %s; read back the same', (outcome, wanted) => {
    const tiers = { query: tier(outcome), compute: tier('none') };
    const s = testResultStatement('r/x', DIGEST, result(outcome, tiers));
    expect(s.predicate.result).toBe(wanted);
    // A tier that does not exist for the accelerator is no test.
    expect([...s.predicate.passedTests, ...s.predicate.warnedTests, ...s.predicate.failedTests]).toEqual(['query']);
    expect(smokeOfStatement(JSON.parse(JSON.stringify(s)))).toEqual({
      outcome,
      detail: 'Device #0: cpu',
      tiers: { query: { outcome }, compute: { outcome: 'none' } },
    });
  });

  test('a result from before tiers: the query is the one test', () => {
    const s = testResultStatement('r/x', DIGEST, result('failed'));
    expect(s.predicate.failedTests).toEqual(['query']);
    expect(smokeOfStatement(s)).toEqual({ outcome: 'failed', detail: 'Device #0: cpu' });
  });

  test.each([
    ['another predicate', { predicateType: 'https://spdx.dev/Document', predicate: { result: 'PASSED' } }],
    ['an unknown result', { predicateType: TEST_RESULT_PREDICATE, predicate: { result: 'MAYBE' } }],
    ['no predicate', { predicateType: TEST_RESULT_PREDICATE }],
    ['not an object', null],
  ])('%s is no smoke outcome', (_, value) => {
    expect(smokeOfStatement(value)).toBeUndefined();
  });

  test("another tool's statement: the test-result result alone", () => {
    expect(smokeOfStatement({ predicateType: TEST_RESULT_PREDICATE, predicate: { result: 'WARNED' } })).toEqual({
      outcome: 'no-device',
    });
  });
});
