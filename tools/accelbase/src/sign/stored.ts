// What the registry holds for a digest in cosign's tag scheme (`sha256-<hex>.sig` and `.att`): each
// signature with its kind (a key, or a keyless certificate's identity and issuer) and each
// attestation's predicate type. Read without cosign and without verifying: `show` says what is there,
// `verify --signature` checks it.
import { X509Certificate } from 'node:crypto';

/** The tag cosign stores a digest's signatures (`sig`) or attestations (`att`) under. */
export const cosignTag = (digest: string, kind: 'sig' | 'att'): string => `${digest.replace(':', '-')}.${kind}`;

export interface StoredSignature {
  kind: 'key' | 'keyless';
  /** Keyless: the certificate's subject alternative name (the workflow's identity) and its OIDC issuer. */
  identity?: string;
  issuer?: string;
}

interface Layer {
  annotations?: Record<string, string>;
}

// Fulcio's OIDC issuer extension, 1.3.6.1.4.1.57264.1.1, as DER: its value follows as an OCTET STRING.
const ISSUER_OID = Buffer.from([0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x83, 0xbf, 0x30, 0x01, 0x01]);

/** The OIDC issuer a Fulcio certificate records; undefined when it has none. */
export function fulcioIssuer(der: Buffer): string | undefined {
  const at = der.indexOf(ISSUER_OID);
  if (at < 0) return undefined;
  let i = at + ISSUER_OID.length;
  if (der[i] === 0x01) i += 3; // a `critical` BOOLEAN before the value
  if (der[i] !== 0x04) return undefined;
  const len = der[i + 1];
  return len < 0x80 ? der.subarray(i + 2, i + 2 + len).toString('utf8') : undefined;
}

/** One signature layer of a `.sig` manifest. */
export function storedSignature(layer: Layer): StoredSignature {
  const pem = layer.annotations?.['dev.sigstore.cosign/certificate'];
  if (!pem) return { kind: 'key' };
  try {
    const cert = new X509Certificate(pem);
    const identity = cert.subjectAltName?.replace(/^(URI|email):/, '').split(', ')[0];
    const issuer = fulcioIssuer(cert.raw);
    return { kind: 'keyless', ...(identity ? { identity } : {}), ...(issuer ? { issuer } : {}) };
  } catch {
    return { kind: 'keyless' };
  }
}

/** The predicate types of an `.att` manifest's layers (cosign annotates each with its `predicateType`). */
export const storedPredicateTypes = (layers: readonly Layer[]): string[] =>
  layers.map((l) => l.annotations?.predicateType ?? 'unknown');
