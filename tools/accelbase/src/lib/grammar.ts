// Value grammars the catalog and the datasources' source settings share: each a zod string schema,
// so the JSON Schema carries the same pattern editors check.
import { z } from 'zod';

export const pattern = (re: RegExp, what: string) => z.string().regex(re, { message: `not a valid ${what}` });

/** An https URL of plain characters: nothing a shell or Dockerfile would read specially. */
export const HttpsUrl = pattern(/^https:\/\/[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~%/+-]*)?$/, 'https URL (plain characters only)');
/** Lower-case kebab identifiers: accelerator, variant, source and distribution names. */
export const Identifier = pattern(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'name (lower-case letters, digits and single hyphens)');
export const GpgFingerprint = pattern(/^[A-F0-9]{40}$/, 'OpenPGP fingerprint (40 upper-case hex digits)');
