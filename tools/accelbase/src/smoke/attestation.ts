// A smoke outcome as an in-toto test-result attestation about the platform manifest it tested (the
// statement `smoke` attaches as an OCI referrer beside the SBOM), and read back from one. Pure.
import { Outcome, type SmokeResult, type TieredOutcome, TierOutcome } from './outcome.js';

export const TEST_RESULT_PREDICATE = 'https://in-toto.io/attestation/test-result/v0.1';
export const IN_TOTO_STATEMENT = 'https://in-toto.io/Statement/v1';
/** The artifact and layer media type of a referrer holding one in-toto statement. */
export const IN_TOTO_MEDIA_TYPE = 'application/vnd.in-toto+json';

/** test-result/v0.1's result for our outcomes: a host without the device is a warning, not a pass. */
const RESULT = { passed: 'PASSED', failed: 'FAILED', 'no-device': 'WARNED' } as const;

export interface TestResultStatement {
  _type: typeof IN_TOTO_STATEMENT;
  subject: { name: string; digest: { sha256: string } }[];
  predicateType: typeof TEST_RESULT_PREDICATE;
  predicate: {
    result: (typeof RESULT)[keyof typeof RESULT];
    configuration: { name: string; platform: string; tiers?: Record<string, string> }[];
    passedTests: string[];
    warnedTests: string[];
    failedTests: string[];
    /** accelbase's own words: the outcome and the one line of detail. */
    outcome: Outcome;
    detail: string;
  };
}

/** The statement for one smoke result about the platform manifest `digest` (`repository` names it). */
export function testResultStatement(repository: string, digest: string, r: SmokeResult): TestResultStatement {
  const tiers = r.tiers
    ? Object.entries(r.tiers).filter(([, t]) => t.outcome !== 'none')
    : ([['query', { outcome: r.outcome }]] as const);
  const named = (o: string) => tiers.filter(([, t]) => t.outcome === o).map(([n]) => n);
  return {
    _type: IN_TOTO_STATEMENT,
    subject: [{ name: repository, digest: { sha256: digest.replace(/^sha256:/, '') } }],
    predicateType: TEST_RESULT_PREDICATE,
    predicate: {
      result: RESULT[r.outcome],
      configuration: [
        {
          name: `accelbase smoke ${r.image}`,
          platform: r.platform,
          ...(r.tiers ? { tiers: { query: r.tiers.query.outcome, compute: r.tiers.compute.outcome } } : {}),
        },
      ],
      passedTests: named('passed'),
      warnedTests: named('no-device'),
      failedTests: named('failed'),
      outcome: r.outcome,
      detail: r.detail,
    },
  };
}

/** What a published smoke outcome says: the outcome, its detail and the tiers, where a statement carries them. */
export interface PublishedSmoke extends TieredOutcome {
  detail?: string;
}

const OUTCOME_OF = { PASSED: 'passed', FAILED: 'failed', WARNED: 'no-device' } as const;

/** The smoke outcome a test-result statement records; undefined for any other statement. */
export function smokeOfStatement(value: unknown): PublishedSmoke | undefined {
  const s = value as Partial<TestResultStatement> | null;
  if (!s || s.predicateType !== TEST_RESULT_PREDICATE || !s.predicate) return undefined;
  const p = s.predicate;
  const own = Outcome.safeParse(p.outcome);
  const outcome = own.success ? own.data : OUTCOME_OF[p.result as keyof typeof OUTCOME_OF];
  if (!outcome) return undefined;
  const t = p.configuration?.[0]?.tiers;
  const query = TierOutcome.safeParse(t?.query);
  const compute = TierOutcome.safeParse(t?.compute);
  return {
    outcome,
    ...(typeof p.detail === 'string' ? { detail: p.detail } : {}),
    ...(query.success && compute.success
      ? { tiers: { query: { outcome: query.data }, compute: { outcome: compute.data } } }
      : {}),
  };
}
