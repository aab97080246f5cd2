// Value grammars the catalog and the datasources' source settings share: each a zod string schema,
// so the JSON Schema carries the same pattern editors check.
import { z } from 'zod';

// Every grammar has a length bound too: names end up in folder names (well under NAME_MAX) and tags
// (at most 128 characters), and nothing from a file is unbounded.
export const pattern = (re: RegExp, what: string, max: number) =>
  z
    .string()
    .max(max)
    .regex(re, { message: `not a valid ${what}` });

/** An https URL of plain characters: nothing a shell or Dockerfile would read specially. */
export const HttpsUrl = pattern(
  /^https:\/\/[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~%/+-]*)?$/,
  'https URL (plain characters only)',
  2048,
);
/** A vendor repository or its key: https, or plain http to this machine only (a local archive: tests, an air-gapped mirror). Trust rests on the pinned key either way. */
export const RepositoryUrl = pattern(
  /^(?:https:\/\/[A-Za-z0-9.-]+|http:\/\/(?:127\.0\.0\.1|localhost))(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~%/+-]*)?$/,
  'https URL, or http to 127.0.0.1 or localhost (plain characters only)',
  2048,
);
/** Lower-case kebab identifiers: accelerator, variant, source and distribution names. */
export const Identifier = pattern(
  /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/,
  'name (lower-case letters, digits and single hyphens)',
  40,
);
export const GpgFingerprint = pattern(/^[A-F0-9]{40}$/, 'OpenPGP fingerprint (40 upper-case hex digits)', 40);

/**
 * What no free text may hold: control characters (C0, DEL, C1: line breaks, tabs, escapes), the
 * Unicode line and paragraph separators, bidi overrides and isolates (text that reads differently
 * than it runs), the byte-order mark and the interlinear annotation controls.
 */
const NOT_PRINTABLE =
  '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069\\ufeff\\ufff9-\\ufffb\\ufffe\\uffff';
const PRINTABLE_LINE = new RegExp(`^[^${NOT_PRINTABLE}]*$`);
/** A lone UTF-16 surrogate is no character at all (it can come from a YAML "\\ud800" escape). */
const wellFormed = (s: string) => !/\p{Cs}/u.test(s);

/**
 * Free text (descriptions): one line of printable characters, at most `max` of them. It is not a
 * grammar for what it lands in: every place it lands escapes it (Dockerfile, HTML, Markdown, JSON).
 */
export const freeText = (max: number) =>
  z
    .string()
    .max(max)
    .regex(PRINTABLE_LINE, {
      message: 'not one line of printable text (no control characters, line breaks or bidi controls)',
    })
    .refine(wellFormed, { message: 'not valid Unicode text (a lone surrogate)' });
/** Descriptions and titles. */
export const FreeText = freeText(256);
