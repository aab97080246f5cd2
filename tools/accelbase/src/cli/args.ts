// Command-line parsing shared by every command: one table of options, strict, with clear errors.
import { parseArgs } from 'node:util';
import { Platform } from '../catalog/grammar.js';
import { freeText, Identifier } from '../lib/grammar.js';
import { UserError } from '../errors.js';
import { instanceName } from '../engine/paths.js';
import { namespaceOption } from '../workflows/namespace.js';
import { BUILDER_NAME } from '../docker/bake.js';

/** A revision git reads as one: never an option (`--output=...`), no spaces or control characters. */
const GIT_REVISION = /^(?!.*\.\.)[A-Za-z0-9_@][A-Za-z0-9_./~^@{}+-]{0,255}$/;

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
  debug: { type: 'boolean', default: false },
  quiet: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', default: false },
} as const;

export type Flags = ReturnType<typeof parse>['flags'];
type OptionName = keyof typeof options;

/** What every command takes (README: "Options for every command"). */
export const EVERY_COMMAND: readonly OptionName[] = [
  'catalog',
  'registry',
  'json',
  'debug',
  'quiet',
  'help',
  'version',
];

/** The options each command takes beyond those: any other is refused, never silently ignored. */
export const commandOptions: Record<string, readonly OptionName[]> = {
  validate: [],
  render: ['check'],
  plan: [],
  ls: [],
  schema: ['write'],
  update: [],
  'rewrite-from': ['stage', 'arg', 'write'],
  affected: ['base', 'head'],
  diff: ['base', 'head'],
  engine: ['instance', 'builder'],
  build: [
    'platform',
    'push',
    'load',
    'keep-going',
    'no-cache',
    'date',
    'revision',
    'instance',
    'builder',
    'cache',
    'push-by-digest',
    'results',
  ],
  merge: ['instance'],
  smoke: ['platform', 'require-device', 'junit', 'instance'],
  rootfs: ['suite', 'arch'],
  publish: ['instance'],
  verify: ['platform', 'instance'],
  nightly: ['platform', 'changelog', 'instance', 'prune'],
  prune: ['dry-run'],
  outdated: [],
  tags: ['accelerator', 'variant', 'arch', 'dist', 'runtime', 'pin', 'include-retired'],
  show: [],
  k8s: [],
  variants: ['push', 'platform', 'convert', 'instance'],
  sbom: ['platform', 'format', 'output'],
  docs: ['output'],
};

const grammar = (re: RegExp, expected: string) => (v: string) => (re.test(v) ? undefined : expected);
const named = (expected: string) => (v: string) => (Identifier.safeParse(v).success ? undefined : expected);
/** A comma-separated list: why its first bad item fails (named when the list has several). */
const eachOf = (check: (v: string) => string | undefined) => (v: string) => {
  const items = splitList([v]);
  const bad = items.find((item) => check(item));
  return bad === undefined ? undefined : items.length > 1 ? `${bad}: ${check(bad)}` : check(bad);
};

/**
 * Every option value is checked here, the same way for every command that takes it, before any
 * command runs: what it must look like, or why not. (`--registry` is checked by namespaceOption,
 * which ACCELBASE_REGISTRY goes through too.)
 */
const valueChecks: Partial<Record<OptionName, (value: string) => string | undefined>> = {
  platform: eachOf((p) => (Platform.safeParse(p).success ? undefined : `not one of ${Platform.options.join(', ')}`)),
  date: grammar(/^[0-9]{8}$/, 'expected YYYYMMDD'),
  revision: grammar(/^[0-9a-f]{7,64}$/, 'expected a commit id (7 to 64 lower-case hex digits)'),
  base: grammar(GIT_REVISION, 'expected a git revision: a branch, tag or commit'),
  head: grammar(GIT_REVISION, 'expected a git revision: a branch, tag or commit'),
  stage: grammar(/^(?:[0-9]{1,9}|[A-Za-z][A-Za-z0-9_.-]{0,127})$/, 'expected a stage name or a 0-based stage index'),
  arg: grammar(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, 'not a valid build argument name'),
  suite: eachOf(named('expected a distribution name like trixie')),
  arch: eachOf(grammar(/^(?:linux\/)?[A-Za-z0-9_]{1,32}$/, 'expected an architecture like amd64 or arm64')),
  accelerator: named('expected an accelerator name'),
  variant: named('expected a variant name'),
  dist: named('expected a distribution name like trixie'),
  format: grammar(/^(?:spdx-json|cyclonedx-json)$/, 'expected spdx-json or cyclonedx-json'),
  builder: grammar(BUILDER_NAME, 'expected a buildx builder name (letters, digits, _ . -)'),
  cache: grammar(/^(?:registry|local|none)$/, 'expected registry, local or none'),
  instance: (v) => {
    try {
      instanceName(v);
      return undefined;
    } catch {
      return "expected an engine instance name: 1 to 20 of a-z, 0-9 and '-' (not first or last)";
    }
  },
};

/** Whatever a flag or argument holds is one printable line of bounded length (no NUL, no escapes). */
const CliText = freeText(4096);

/** A value as a message shows it: cut short, and escaped (`quoted`) where it is not printable. */
const clip = (value: string) => (value.length > 80 ? `${value.slice(0, 80)}…` : value);
const quoted = (value: string) => JSON.stringify(clip(value));

function checkValue(name: OptionName, value: string): void {
  if (!CliText.safeParse(value).success)
    throw new UserError(`--${name} ${quoted(value)}: not one line of printable text (at most 4096 characters)`, 2);
  const why = valueChecks[name]?.(value);
  if (why) throw new UserError(`--${name} ${clip(value)}: ${why}`, 2);
}

/** The options `command` was given that it does not take, or whose values are malformed. */
function checkOptions(command: string, given: ReadonlyMap<OptionName, string[]>): void {
  const takes = Object.hasOwn(commandOptions, command) ? commandOptions[command] : undefined;
  if (takes === undefined) return; // an unknown command: main says so
  for (const [name, values] of given) {
    if (!EVERY_COMMAND.includes(name) && !takes.includes(name)) {
      throw new UserError(
        `${command} takes no --${name}${takes.length ? ` (its own options: ${takes.map((t) => `--${t}`).join(', ')})` : ''}`,
        2,
      );
    }
    for (const value of values) checkValue(name, value);
  }
  namespaceOption(given.get('registry')?.at(-1));
}

export function parse(argv: string[]) {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: typeof options; allowPositionals: true; strict: true; tokens: true }>
  >;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    throw new UserError(`${(e as Error).message}\nRun \`accelbase --help\` for usage.`, 2);
  }
  const { values, positionals, tokens } = parsed;
  const [command, ...rest] = positionals;
  for (const [i, arg] of positionals.entries()) {
    if (!CliText.safeParse(arg).success)
      throw new UserError(
        `argument ${i + 1} ${quoted(arg)}: not one line of printable text (at most 4096 characters)`,
        2,
      );
  }
  const given = new Map<OptionName, string[]>();
  for (const t of tokens)
    if (t.kind === 'option')
      given.set(t.name as OptionName, [
        ...(given.get(t.name as OptionName) ?? []),
        ...(t.value === undefined ? [] : [t.value]),
      ]);
  if (command !== undefined) checkOptions(command, given);
  return { command, args: rest, flags: values };
}

/** `--platform linux/amd64,linux/arm64` and repeated flags both work. */
export const splitList = (values: readonly string[] | undefined): string[] =>
  (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);

export const usage = `accelbase: accelerator base images from one catalog

Usage: accelbase <command> [options]

Catalog
  validate                     check catalog.yaml (and catalog.lock.yaml); positioned errors, exit 1
  render [--check]             write images/*/ and docker-bake.json; --check: exit 1 if out of date
  plan [--json]                the images in build order, with bases, platforms and tags
  ls [--json]                  one line per image
  schema [--write]             the catalog's JSON Schema (--write: tools/accelbase/catalog.schema.json)
  affected --base REF [--head REF]
                               images a change touches, and their dependants (what nx affected selects)
  diff --base REF [--head REF] per affected image: the rendered Dockerfile diff and the package changes
  update [--json]              resolve every package from its real source into catalog.lock.yaml,
                               re-render, and print what changed; unreachable sources are reported

Engine, builds and smoke tests
  engine up|down|status [--instance NAME] [--builder NAME]
                               start (provisioning from Debian packages if needed) or stop the build
                               engine and the local registry on 127.0.0.1:5000; --instance: another
                               dockerd (own data root, socket, builders) sharing that registry
  rootfs [--suite S] [--arch A]
                               bootstrap minideb root filesystems into .accelbase/rootfs/<suite>/
  build [IMAGE...] [--platform P] [--push | --load] [--keep-going] [--no-cache] [--date YYYYMMDD]
        [--builder NAME] [--cache registry|local|none] [--push-by-digest [--results FILE]]
                               bake the images and their bases; pushes build tags, never floating ones;
                               --push-by-digest: one platform, no tags, parts recorded for merge
  merge RESULTS... [--json]    check the parts of a split build (every platform, one commit and lock),
                               make each image's index and push its build tags
  smoke [IMAGE...] [--platform P] [--require-device] [--junit FILE]
                               run each image's device query: passed, no-device or failed
  publish [IMAGE...]           move floating tags to the last build whose index digest differs from the
                               published one and where every platform passed smoke; record it in the lock
  verify IMAGE[:TAG] [--platform P]
                               rebuild a pushed image from its commit (its revision label), without
                               cache, and compare digests: identical, or the first differing layer's paths

  nightly [--changelog FILE] [--prune]
                               update -> build what changed, is outdated or was never published -> smoke
                               -> publish (-> prune); the changelog (Markdown) goes to FILE, else to stdout
  prune --registry R [--dry-run]
                               delete the dated build tags past registry.retention.buildTags per image, with
                               their platform manifests and SBOMs (never a digest a floating tag, the lock or
                               a retired release names); then the local registry's garbage collection
  docs [--output DIR]          the image matrix with what was built and tested (build date, digest, smoke,
                               size, packages, outdated, SBOM) from recorded results, into DIR
                               (default .accelbase/docs/)
  outdated [IMAGE...]          installed packages with a newer version in <suite>, -updates or -security
                               (security fixes marked); exit 1 when any

Picking a base image
  tags [--accelerator A] [--variant V] [--arch A] [--dist D] [--runtime PKG@RANGE] [--registry NS [--pin]]
                               matching images, newest runtime first, with the FROM line to paste
  show IMAGE[:TAG]             one image: base chain, locked packages, device flags, placement, smoke, tags
  k8s IMAGE[:TAG]              Pod spec fragment (YAML) placing the image: nodeSelector, limits, device mounts
  sbom IMAGE[:TAG] [--platform P] [--format spdx-json|cyclonedx-json] [--output FILE]
                               the SBOM of one image and platform from its recorded installed set
                               (purls, base chain, digest); stdout unless --output

App variants
  variants FILE [--push] [--platform P] [--convert]
                               one image per base from one app Dockerfile (accelbase or SODALITE format);
                               with --push, lists the registry's tags afterwards; --convert prints a
                               SODALITE file in accelbase's format, comments kept, and builds nothing
  rewrite-from DOCKERFILE [--stage NAME|INDEX] [--arg BASE_IMAGE] [--write]
                               make one stage's base overloadable: ARG BASE_IMAGE=<original> + FROM \${BASE_IMAGE}

Options for every command
  --catalog PATH               another catalog file (default: catalog.yaml)
  --registry NS                registry/namespace for image names (e.g. 127.0.0.1:5000/acceleratorbase)
  --json                       machine-readable output on stdout
  --instance NAME              (engine, build, smoke, publish, nightly, variants) use engine instance
                               NAME instead of the default engine (also ACCELBASE_INSTANCE)
  --debug                      log every command line run
  -h, --help                   this text
`;
