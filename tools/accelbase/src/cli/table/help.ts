// Help text, from the command table: the global help, each command's own, and the unknown-command error. Pure.
import { UserError } from '../../errors.js';
import { closest, suggest } from '../../lib/suggest.js';
import { commandNames, commandSpec, commands, ownOptions } from './commands.js';
import type { CommandSpec } from './command-spec.js';
import { everyCommand, options, type OptionDoc, type OptionName } from './options.js';

/** Where descriptions start, and where they wrap. */
const COLUMN = 31;
const WIDTH = 110;

/** `left`, indented, then `text` from COLUMN, word-wrapped; a `left` too long for its column puts `text` below. */
function row(left: string, text: string): string {
  const pad = ' '.repeat(COLUMN);
  const lines: string[] = [];
  let line = `  ${left}`.length < COLUMN - 1 ? `  ${left}`.padEnd(COLUMN) : `  ${left}\n${pad}`;
  let empty = true;
  for (const word of text.split(' ')) {
    const tail = line.slice(line.lastIndexOf('\n') + 1);
    if (!empty && tail.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = pad;
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line);
  return `${lines.join('\n')}\n`;
}

/** `--platform P`, `--push`, `-h, --help`. */
export const optionLabel = (name: OptionName, doc: OptionDoc): string => {
  const short = 'short' in options[name] ? `-${options[name].short}, ` : '';
  return `${short}--${name}${doc.value ? ` ${doc.value}` : ''}`;
};

/** What follows the command's name in its usage line: its arguments and required options. */
export function synopsis(name: string, spec: CommandSpec): string {
  const args = spec.arguments.map((a) => (a.optional ? `[${a.name}]` : a.name));
  const required = ownOptions(spec)
    .filter((o) => spec.options[o]?.required)
    .map((o) => optionLabel(o, spec.options[o]!));
  return [name, ...required, ...args].join(' ');
}

export const usageLine = (name: string, spec: CommandSpec) => `accelbase ${synopsis(name, spec)} [options]`;

const everyCommandRows = () =>
  Object.entries(everyCommand)
    .map(([name, doc]) => `${row(optionLabel(name as OptionName, doc), doc.description)}`)
    .join('');

export const globalHelp = (): string => {
  const groups = new Map<string, string[]>();
  for (const name of commandNames) {
    const spec: CommandSpec = commands[name];
    groups.set(spec.group, [...(groups.get(spec.group) ?? []), `${row(synopsis(name, spec), spec.summary)}`]);
  }
  return `accelbase: accelerator base images from one catalog

Usage: accelbase <command> [options]
       accelbase help <command>      that command's arguments and options (also: accelbase <command> --help)

${[...groups].map(([group, rows]) => `${group}\n${rows.join('')}`).join('\n')}
Options for every command
${everyCommandRows()}`;
};

/** One command's help: usage line, summary, arguments, its options, and those every command takes in brief. */
export function commandHelp(name: string): string {
  const spec = commandSpec(name);
  if (!spec) throw new Error(`no command ${name}`);
  const own = ownOptions(spec);
  const sections = [`Usage: ${usageLine(name, spec)}\n\n${spec.summary}\n`];
  if (spec.arguments.length)
    sections.push(`Arguments\n${spec.arguments.map((a) => `${row(a.name, a.description)}`).join('')}`);
  if (own.length)
    sections.push(
      `Options\n${own.map((o) => `${row(optionLabel(o, spec.options[o]!), spec.options[o]!.description)}`).join('')}`,
    );
  const every = Object.entries(everyCommand).map(([o, doc]) => `--${o}${'value' in doc ? ` ${doc.value}` : ''}`);
  sections.push(`Options for every command (see \`accelbase help\`):\n  ${every.join(', ')}\n`);
  return sections.join('\n');
}

/** The options `name` takes, for an error about one it does not: its own, and where to read more. */
export function takesText(name: string, who = name): string {
  const spec = commandSpec(name);
  if (!spec) return 'see `accelbase help`';
  const own = ownOptions(spec).map((o) => `--${o}`);
  return `${who} takes ${own.length ? `${own.join(', ')} and ` : 'only '}the options every command takes (\`accelbase help ${name}\`)`;
}

/** A command that is not one, with the nearest that is, and where the list is (not the whole help). */
export const unknownCommand = (name: string): UserError =>
  new UserError(
    `unknown command "${name}"${suggest(name, commandNames)}\nRun \`accelbase help\` for the list of commands.`,
    2,
    closest(name, commandNames),
  );
