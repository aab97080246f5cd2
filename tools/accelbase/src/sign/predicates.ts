// The attestations accelbase signs onto an index, and how to tell one is already there (signing is
// idempotent: a digest signed again on a quiet night gains nothing). Pure.
import { isDeepStrictEqual } from 'node:util';

/** One attestation: cosign's `--type` name, the predicate type URI it writes, and the predicate. */
export interface Predicate {
  /** cosign's `attest --type`: spdxjson, slsaprovenance1, or a URI for a custom type. */
  type: string;
  uri: string;
  /** What the attestation is about, for the output: `linux/amd64`, `provenance`. */
  label: string;
  predicate: unknown;
}

/**
 * The predicate types accelbase attests on an index. The smoke result is attested per platform
 * manifest by `smoke` (workflows/smoke-attest.ts, predicate smoke/attestation.ts).
 */
export const PREDICATE_TYPES = {
  spdx: { type: 'spdxjson', uri: 'https://spdx.dev/Document' },
  slsa: { type: 'slsaprovenance1', uri: 'https://slsa.dev/provenance/v1' },
} as const;

/** An in-toto statement as cosign writes it (the DSSE envelope's payload). */
export interface Statement {
  predicateType?: string;
  subject?: { name?: string; digest?: Record<string, string> }[];
  predicate?: unknown;
}

/** The statements in `cosign verify-attestation` / `download attestation` output (one envelope per line). */
export function statementsOf(jsonLines: string): Statement[] {
  return jsonLines
    .split('\n')
    .filter((l) => l.trim().startsWith('{'))
    .flatMap((l) => {
      try {
        const env = JSON.parse(l) as { payload?: string };
        return env.payload ? [JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8')) as Statement] : [];
      } catch {
        return [];
      }
    });
}

const subjectDigest = (s: Statement): string | undefined => s.subject?.[0]?.digest?.sha256;

/** Whether a statement about `digest` with this predicate is among `existing` (predicates compared as JSON values). */
export function alreadyAttested(existing: readonly Statement[], digest: string, p: Predicate): boolean {
  const hex = digest.replace(/^sha256:/, '');
  // cosign re-serialises the predicate (sorted keys): compare values, not bytes.
  const wanted = JSON.parse(JSON.stringify(p.predicate)) as unknown;
  return existing.some(
    (s) => s.predicateType === p.uri && subjectDigest(s) === hex && isDeepStrictEqual(s.predicate, wanted),
  );
}

/** cosign's simple-signing payload, as `verify --output json` prints it or `download signature` carries it. */
interface SimpleSigning {
  critical?: { image?: { 'docker-manifest-digest'?: string } };
}

/** The signed digests in `cosign verify --output json` (a JSON array) or `download signature` (JSON lines). */
export function signedDigests(output: string): string[] {
  const payloads: SimpleSigning[] = [];
  for (const line of output.split('\n').filter((l) => l.trim())) {
    try {
      const v = JSON.parse(line) as SimpleSigning[] | { Payload?: string };
      if (Array.isArray(v)) payloads.push(...v);
      else if (v.Payload) payloads.push(JSON.parse(Buffer.from(v.Payload, 'base64').toString('utf8')) as SimpleSigning);
    } catch {
      // cosign's notes between the JSON lines
    }
  }
  return payloads.flatMap((p) => p.critical?.image?.['docker-manifest-digest'] ?? []);
}
