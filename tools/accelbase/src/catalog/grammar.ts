// Strict grammars for every catalog value that reaches a Dockerfile, a shell or a command line.
// Each is a zod string schema so the JSON Schema carries the same pattern editors check.
import { z } from 'zod';
import { REPOSITORY_RE, TAG_RE } from '../oci/reference.js';

const pattern = (re: RegExp, what: string) => z.string().regex(re, { message: `not a valid ${what}` });

/** Debian policy 5.6.1: lower case, digits, + - . ; at least two characters, starts alphanumeric. */
export const DebPackageName = pattern(/^[a-z0-9][a-z0-9+.-]+$/, 'Debian package name');
/** Debian policy 5.6.12: [epoch:]upstream[-revision]; upstream starts with a digit. */
export const DebVersion = pattern(/^(?:[0-9]+:)?[0-9][A-Za-z0-9.+~]*(?:-[A-Za-z0-9.+~]+)?$/, 'Debian version');
/** npm package names, scoped or not (validate-npm-package-name, new-package rules). */
export const NpmPackageName = pattern(/^(?:@[a-z0-9-~][a-z0-9-._~]*\/)?[a-z0-9-~][a-z0-9-._~]*$/, 'npm package name');
/** PEP 508 distribution names. */
export const PipPackageName = pattern(/^(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9])$/, 'pip package name');
/** An https URL of plain characters: nothing a shell or Dockerfile would read specially. */
export const HttpsUrl = pattern(/^https:\/\/[A-Za-z0-9.-]+(?::[0-9]{1,5})?(?:\/[A-Za-z0-9._~%/+-]*)?$/, 'https URL (plain characters only)');
/** Docker tag grammar (distribution reference). */
export const DockerTag = pattern(TAG_RE, 'Docker tag');
/** Lower-case repository path components, `/`-separated, with an optional registry host[:port]. */
export const RegistryNamespace = pattern(REPOSITORY_RE, 'registry namespace like acceleratorbase or 127.0.0.1:5000/acceleratorbase');
/** Lower-case kebab identifiers: accelerator, variant, source and distribution names. */
export const Identifier = pattern(/^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/, 'name (lower-case letters, digits and single hyphens)');
export const EnvName = pattern(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable name');
/** Env and label values: printable, no quotes, backslashes, `$` or backticks, so they need no escaping. */
export const PlainValue = pattern(/^[A-Za-z0-9 _./:=,+@%#()\[\]{}<>!?*&^|~-]*$/, 'value (no quotes, backslashes, $, backticks or control characters)');
/** OCI label keys: reverse-DNS style. */
export const LabelKey = pattern(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/, 'label key');
export const Sha256 = pattern(/^[a-f0-9]{64}$/, 'sha256 (64 lower-case hex digits)');
export const GpgFingerprint = pattern(/^[A-F0-9]{40}$/, 'OpenPGP fingerprint (40 upper-case hex digits)');
export const Platform = z.enum(['linux/amd64', 'linux/arm64']);
export type Platform = z.infer<typeof Platform>;
/** An absolute path inside the image for downloads. */
export const ImagePath = pattern(/^\/(?:[A-Za-z0-9._+-]+\/)*[A-Za-z0-9._+-]+$/, 'absolute path of plain characters');
/** A debconf selection line: `package question type value`, words only. */
export const DebconfSelection = pattern(
  /^[a-z0-9][a-z0-9+.-]+ [a-z0-9][a-z0-9+./_-]* (?:boolean|string|select|note|multiselect|password|text) [A-Za-z0-9_.:+-]+$/,
  'debconf selection "package question type value"',
);
/** A smoke-test argument: one printable line. It is passed as argv, never through a host shell. */
export const CommandArg = pattern(/^[^\u0000-\u001f\u007f]+$/, 'command argument (no control characters)');
/** A device-query script file name under generators/device-queries/. */
export const ScriptName = pattern(/^[a-z0-9][a-z0-9_.-]*\.(?:sh|py)$/, 'script file name (*.sh or *.py)');
/** Kubernetes label keys (optional DNS-subdomain prefix, then a name) and values. */
export const K8sLabelKey = pattern(
  /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
  'Kubernetes label key',
);
export const K8sLabelValue = pattern(/^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/, 'Kubernetes label value');
