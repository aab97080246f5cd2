// Every option the parser knows, with its type, and the options every command takes, described once.
// What each command takes beyond those is in commands.ts; value checks are in ../args.ts.
import type { parseArgs } from 'node:util';

/** The parser's table (node:util parseArgs): the one set of option names and types. */
export const options = {
  catalog: { type: 'string', default: 'catalog.yaml' },
  json: { type: 'boolean', default: false },
  check: { type: 'boolean', default: false },
  write: { type: 'boolean', default: false },
  registry: { type: 'string' },
  platform: { type: 'string', multiple: true },
  push: { type: 'boolean', default: false },
  load: { type: 'boolean', default: false },
  'keep-going': { type: 'boolean', default: false },
  'no-cache': { type: 'boolean', default: false },
  'require-device': { type: 'boolean', default: false },
  junit: { type: 'string' },
  changelog: { type: 'string' },
  suite: { type: 'string', multiple: true },
  arch: { type: 'string', multiple: true },
  date: { type: 'string' },
  stage: { type: 'string' },
  base: { type: 'string' },
  accelerator: { type: 'string' },
  variant: { type: 'string' },
  dist: { type: 'string' },
  runtime: { type: 'string' },
  pin: { type: 'boolean', default: false },
  'include-retired': { type: 'boolean', default: false },
  'dry-run': { type: 'boolean', default: false },
  'build-bases': { type: 'boolean', default: false },
  prune: { type: 'boolean', default: false },
  convert: { type: 'boolean', default: false },
  format: { type: 'string' },
  output: { type: 'string' },
  head: { type: 'string' },
  arg: { type: 'string' },
  revision: { type: 'string' },
  instance: { type: 'string' },
  builder: { type: 'string' },
  cache: { type: 'string' },
  'push-by-digest': { type: 'boolean', default: false },
  results: { type: 'string' },
  signature: { type: 'boolean', default: false },
  key: { type: 'string' },
  identity: { type: 'string' },
  issuer: { type: 'string' },
  policy: { type: 'string' },
  'public-key': { type: 'string' },
  debug: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
} as const;

export type OptionName = keyof typeof options;

/** The parsed options, as every command reads them (ctx.flags). */
export type Flags = ReturnType<
  typeof parseArgs<{ options: typeof options; allowPositionals: true; strict: true }>
>['values'];

/** How help and the reference show one option: its value's name (string options only) and what it does. */
export interface OptionDoc {
  value?: string;
  description: string;
}

/** What every command takes. */
export const everyCommand = {
  catalog: { value: 'PATH', description: 'another catalog file (default: catalog.yaml)' },
  registry: {
    value: 'NS',
    description:
      'registry/namespace for image names, e.g. 127.0.0.1:5000/acceleratorbase (default: ACCELBASE_REGISTRY)',
  },
  json: {
    description:
      'machine-readable output on stdout, each command to its schema in tools/accelbase/schemas/; a failure is {"errors":[...]} (errors.schema.json) with a non-zero exit',
  },
  debug: { description: 'log every command line run (and a stack trace for an internal error)' },
  quiet: { description: 'no progress or warning lines on stderr (errors still go there)' },
  help: { description: 'help: the commands, or with a command, its arguments and options' },
  version: { description: "accelbase's version (without a command)" },
} as const satisfies Partial<Record<OptionName, OptionDoc>>;

export type EveryCommandOption = keyof typeof everyCommand;

/** `--platform linux/amd64,linux/arm64` and repeated flags both work. */
export const splitList = (values: readonly string[] | undefined): string[] =>
  (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
