// Strict grammars for every catalog value that reaches a Dockerfile, a shell or a command line.
// Each is a zod string schema so the JSON Schema carries the same pattern editors check.
import { z } from 'zod';
import { freeText, pattern } from '../lib/grammar.js';
import { REPOSITORY_RE, TAG_RE } from '../oci/reference.js';

// The generic grammars (URLs, identifiers, fingerprints) are in lib/grammar.ts, package-name grammars
// in the datasource of their source type. Every grammar has a length bound too.

/** Debian policy 5.6.12: [epoch:]upstream[-revision]; upstream starts with a digit and may hold hyphens (`3.1-20221030-2`). */
export const DebVersion = pattern(/^(?:[0-9]+:)?[0-9][A-Za-z0-9.+~]*(?:-[A-Za-z0-9.+~]+)*$/, 'Debian version', 64);
/** Docker tag grammar (distribution reference). */
export const DockerTag = pattern(TAG_RE, 'Docker tag', 128);
/** Lower-case repository path components, `/`-separated, with an optional registry host[:port]. */
export const RegistryNamespace = pattern(
  REPOSITORY_RE,
  'registry namespace like acceleratorbase or 127.0.0.1:5000/acceleratorbase',
  128,
);
export const EnvName = pattern(/^[A-Za-z_][A-Za-z0-9_]*$/, 'environment variable name', 128);
/** Env and label values: printable, no quotes, backslashes, `$` or backticks, so they need no escaping. */
export const PlainValue = pattern(
  /^[A-Za-z0-9 _./:=,+@%#()[\]{}<>!?*&^|~-]*$/,
  'value (no quotes, backslashes, $, backticks or control characters)',
  1024,
);
/** OCI label keys: reverse-DNS style. */
export const LabelKey = pattern(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/, 'label key', 128);
export const Sha256 = pattern(/^[a-f0-9]{64}$/, 'sha256 (64 lower-case hex digits)', 64);
export const Platform = z.enum(['linux/amd64', 'linux/arm64']);
export type Platform = z.infer<typeof Platform>;
/** An absolute path inside the image for downloads; `.` and `..` would make it another path than it reads. */
export const ImagePath = pattern(
  /^(?:\/(?!\.\.?(?:\/|$))[A-Za-z0-9._+-]+)+$/,
  'absolute path of plain characters (no . or .. components)',
  1024,
);
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
/** A compute probe: a folder name under generators/compute-probes/. */
export const ProbeName = pattern(
  /^[a-z0-9][a-z0-9-]*$/,
  'compute probe name (a folder of generators/compute-probes/)',
  64,
);
/** Kubernetes label keys (optional DNS-subdomain prefix, then a name) and values. */
export const K8sLabelKey = pattern(
  /^(?:[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/,
  'Kubernetes label key',
  317,
);
export const K8sLabelValue = pattern(
  /^(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/,
  'Kubernetes label value',
  63,
);
