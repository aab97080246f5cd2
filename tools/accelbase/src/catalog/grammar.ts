// Strict grammars for every catalog value that reaches a Dockerfile, a shell or a command line.
// Each is a zod string schema so the JSON Schema carries the same pattern editors check.
import { z } from 'zod';
import { REPOSITORY_RE, TAG_RE } from '../oci/reference.js';

// Every grammar has a length bound too: names end up in folder names (well under NAME_MAX) and tags
// (at most 128 characters), and nothing from a file is unbounded.
const pattern = (re: RegExp, what: string, max: number) => z.string().max(max).regex(re, { message: `not a valid ${what}` });

/**
 * What no free text may hold: control characters (C0, DEL, C1: line breaks, tabs, escapes), the
 * Unicode line and paragraph separators, bidi overrides and isolates (text that reads differently
 * than it runs), the byte-order mark and the interlinear annotation controls.
 */
const NOT_PRINTABLE = '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069\\ufeff\\ufff9-\\ufffb\\ufffe\\uffff';
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
    .regex(PRINTABLE_LINE, { message: 'not one line of printable text (no control characters, line breaks or bidi controls)' })
    .refine(wellFormed, { message: 'not valid Unicode text (a lone surrogate)' });
/** Descriptions and titles. */
export const FreeText = freeText(256);

/** Debian policy 5.6.1: lower case, digits, + - . ; at least two characters, starts alphanumeric. */
export const DebPackageName = pattern(/^[a-z0-9][a-z0-9+.-]+$/, 'Debian package name', 128);
/** Debian policy 5.6.12: [epoch:]upstream[-revision]; upstream starts with a digit. */
export const DebVersion = pattern(/^(?:[0-9]+:)?[0-9][A-Za-z0-9.+~]*(?:-[A-Za-z0-9.+~]+)?$/, 'Debian version', 64);
/** npm package names, scoped or not (validate-npm-package-name, new-package rules). */
export const NpmPackageName = pattern(/^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/, 'npm package name', 214);
/** PEP 508 distribution names. */
export const PipPackageName = pattern(/^(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$/, 'pip package name', 128);
/** An https URL of plain characters: nothing a shell or Dockerfile would read specially. */
export const HttpsUrl = pattern(/^https:\/\/[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~%/+-]*)?$/, 'https URL (plain characters only)', 2048);
/** Docker tag grammar (distribution reference). */
export const DockerTag = pattern(TAG_RE, 'Docker tag', 128);
/** Lower-case repository path components, `/`-separated, with an optional registry host[:port]. */
export const RegistryNamespace = pattern(REPOSITORY_RE, 'registry namespace like acceleratorbase or 127.0.0.1:5000/acceleratorbase', 128);
/** Lower-case kebab identifiers: accelerator, variant, source and distribution names. */
export const Identifier = pattern(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'name (lower-case letters, digits and single hyphens)', 40);
export const EnvName = pattern(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable name', 128);
/** Env and label values: printable, no quotes, backslashes, `$` or backticks, so they need no escaping. */
export const PlainValue = pattern(/^[A-Za-z0-9 _./:=,+@%#()\[\]{}<>!?*&^|~-]*$/, 'value (no quotes, backslashes, $, backticks or control characters)', 1024);
/** OCI label keys: reverse-DNS style. */
export const LabelKey = pattern(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/, 'label key', 128);
export const Sha256 = pattern(/^[a-f0-9]{64}$/, 'sha256 (64 lower-case hex digits)', 64);
export const GpgFingerprint = pattern(/^[A-F0-9]{40}$/, 'OpenPGP fingerprint (40 upper-case hex digits)', 40);
export const Platform = z.enum(['linux/amd64', 'linux/arm64']);
export type Platform = z.infer<typeof Platform>;
/** An absolute path inside the image for downloads; `.` and `..` would make it another path than it reads. */
export const ImagePath = pattern(/^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9._+-]+)+$/, 'absolute path of plain characters (no . or .. components)', 1024);
/** A debconf selection line: `package question type value`, words only. */
export const DebconfSelection = pattern(
  /^[a-z0-9][a-z0-9+.-]+ [a-z0-9][a-z0-9+./_-]* (?:boolean|string|select|note|multiselect|password|text) [A-Za-z0-9_.:+-]+$/,
  'debconf selection "package question type value"',
  1024,
);
/** A smoke-test argument: one printable line. It is passed as argv, never through a host shell. */
export const CommandArg = freeText(4096).min(1);
/** A device-query script file name under generators/device-queries/. */
export const ScriptName = pattern(/^[a-z0-9][a-z0-9_.-]*\.(?:sh|py)$/, 'script file name (*.sh or *.py)', 64);
/** Kubernetes label keys (optional DNS-subdomain prefix, then a name) and values. */
export const K8sLabelKey = pattern(
  /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
  'Kubernetes label key',
  317,
);
export const K8sLabelValue = pattern(/^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, 'Kubernetes label value', 63);
