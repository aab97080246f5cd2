// Command-line parsing shared by every command: strict, from the command table (table/), with clear errors.
import { parseArgs } from 'node:util';
import { Platform } from '../catalog/grammar.js';
import { freeText, Identifier } from '../lib/grammar.js';
import { UserError } from '../errors.js';
import { instanceName } from '../config/engine-instance.js';
import { namespaceOption } from '../workflows/namespace.js';
import { BUILDER_NAME } from '../config/buildx.js';
import { closest, suggest } from '../lib/suggest.js';
import { commandSpec, ownOptions } from './table/commands.js';
import { takesText } from './table/help.js';
import { everyCommand, options, splitList, type OptionName } from './table/options.js';

/** A revision git reads as one: never an option (`--output=...`), no spaces or control characters. */
const GIT_REVISION = /^(?!.*\.\.)[A-Za-z0-9_@][A-Za-z0-9_./~^@{}+-]{0,255}$/;

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
  platform: eachOf((p) =>
    Platform.safeParse(p).success
      ? undefined
      : `not one of ${Platform.options.join(', ')}${suggest(p, Platform.options)}`,
  ),
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
  policy: grammar(/^(?:kyverno|policy-controller)$/, 'expected kyverno or policy-controller'),
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
  const spec = commandSpec(command);
  if (spec === undefined) return; // an unknown command: main says so
  const takes: string[] = [...Object.keys(everyCommand), ...ownOptions(spec)];
  for (const [name, values] of given) {
    if (!takes.includes(name))
      throw new UserError(
        `${command} takes no --${name}${suggestOption(name, ownOptions(spec))}; ${takesText(command, 'it')}`,
        2,
      );
    for (const value of values) checkValue(name, value);
  }
  namespaceOption(given.get('registry')?.at(-1));
}

/** ` (did you mean "--x"?)` for an option name close to one of `known`. */
const suggestOption = (name: string, known: readonly string[]) =>
  suggest(
    `--${name}`,
    known.map((k) => `--${k}`),
  );

/**
 * The parser's refusal of an option it does not know, with the nearest one the command takes (any
 * option, before a command) and what that command takes; undefined for any other refusal.
 */
function unknownOption(argv: string[]): UserError | undefined {
  const { tokens } = parseArgs({ args: argv, options, allowPositionals: true, strict: false, tokens: true });
  const bad = tokens.find((t) => t.kind === 'option' && !Object.hasOwn(options, t.name));
  if (bad?.kind !== 'option') return undefined;
  const command = tokens.find((t) => t.kind === 'positional')?.value;
  const spec = command === undefined ? undefined : commandSpec(command);
  const known = spec ? [...Object.keys(everyCommand), ...ownOptions(spec)] : Object.keys(options);
  const raw = clip(bad.rawName);
  const hint = bad.rawName.startsWith('--') ? suggestOption(bad.name, known) : '';
  const meant = bad.rawName.startsWith('--')
    ? closest(
        `--${bad.name}`,
        known.map((k) => `--${k}`),
      )
    : undefined;
  return new UserError(
    `unknown option ${raw}${hint}; ${spec ? takesText(command!) : 'see `accelbase help`'}`,
    2,
    meant,
  );
}

export function parse(argv: string[]) {
  let parsed: ReturnType<
    typeof parseArgs<{ args: string[]; options: typeof options; allowPositionals: true; strict: true; tokens: true }>
  >;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true, tokens: true });
  } catch (e) {
    const unknown = (e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? unknownOption(argv) : undefined;
    throw unknown ?? new UserError(`${(e as Error).message}\nRun \`accelbase --help\` for usage.`, 2);
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
