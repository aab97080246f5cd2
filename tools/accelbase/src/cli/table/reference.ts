// The reference pages (docs/reference/), from the command table: one per command and an index.
// Pure: file name -> Markdown. reference.spec.ts keeps the committed pages equal to this.
import { commandNames, commandSpec, commands, ownOptions } from './commands.js';
import type { CommandSpec } from './command-spec.js';
import { synopsis, usageLine } from './help.js';
import { everyCommand, options, type OptionDoc, type OptionName } from './options.js';

const HEADER =
  '<!-- Generated from tools/accelbase/src/cli/table/ (the command table): do not edit. Regenerate: npx vitest run tools/accelbase/src/cli/table/reference.spec.ts -u -->';

/** Text as a Markdown table cell shows it literally: no HTML tags, emphasis or column breaks. */
const cell = (text: string) => text.replace(/[|*]/g, (c) => `\\${c}`).replace(/</g, '&lt;');
const code = (text: string) => `\`${text.replace(/\|/g, '\\|')}\``;

/** The option's type as the parser reads it. */
const typeOf = (name: OptionName) => {
  const o: { type: string; multiple?: boolean } = options[name];
  return o.type === 'boolean' ? 'flag' : o.multiple ? 'list (repeated or comma-separated)' : 'value';
};

const label = (name: OptionName, doc: OptionDoc) => `--${name}${doc.value ? ` ${doc.value}` : ''}`;

const optionTable = (rows: [OptionName, OptionDoc & { required?: boolean }][]) =>
  [
    '| option | type | description |',
    '| --- | --- | --- |',
    ...rows.map(
      ([name, doc]) =>
        `| ${code(label(name, doc))}${doc.required ? ' (required)' : ''} | ${typeOf(name)} | ${cell(doc.description)} |`,
    ),
  ].join('\n');

function commandPage(name: string, spec: CommandSpec): string {
  const own = ownOptions(spec);
  const parts = [HEADER, `# accelbase ${name}`, cell(spec.summary), `\`\`\`\n${usageLine(name, spec)}\n\`\`\``];
  if (spec.arguments.length)
    parts.push(
      '## Arguments',
      [
        '| argument | description |',
        '| --- | --- |',
        ...spec.arguments.map((a) => `| ${code(a.name)}${a.optional ? ' (optional)' : ''} | ${cell(a.description)} |`),
      ].join('\n'),
    );
  if (own.length) parts.push('## Options', optionTable(own.map((o) => [o, spec.options[o]!])));
  parts.push(
    `With \`--json\`, its output follows the JSON Schema [${name}.schema.json](../../tools/accelbase/schemas/${name}.schema.json), published with the package.`,
    `It takes the [options every command takes](README.md#options-for-every-command) too: ${Object.keys(everyCommand)
      .map((o) => `\`--${o}\``)
      .join(', ')}.`,
  );
  return `${parts.join('\n\n')}\n`;
}

function index(): string {
  const groups = new Map<string, string[]>();
  for (const name of commandNames) {
    const spec: CommandSpec = commands[name];
    const row = `| [${code(synopsis(name, spec))}](${name}.md) | ${cell(spec.summary)} |`;
    groups.set(spec.group, [...(groups.get(spec.group) ?? []), row]);
  }
  return `${[
    HEADER,
    '# accelbase command reference',
    '```\naccelbase <command> [options]\naccelbase help <command>\n```',
    ...[...groups].flatMap(([group, rows]) => [
      `## ${group}`,
      ['| command | what it does |', '| --- | --- |', ...rows].join('\n'),
    ]),
    '## JSON output',
    "With `--json`, every command prints one JSON document on stdout; each command's is described by a JSON Schema (2020-12) in [tools/accelbase/schemas/](../../tools/accelbase/schemas/), published with the package as `accelbase/schemas/<command>.schema.json`.",
    'One vocabulary across commands: platforms are `linux/amd64` (as keys too); package sets are maps, name -> version; images and projects are lists of objects with a `name`; `files` are lists of paths; a number never takes a key that holds a list, a set or a map in the output of another command (`count`, `packageCount`).',
    '## Options for every command',
    optionTable(Object.entries(everyCommand) as [OptionName, OptionDoc][]),
  ].join('\n\n')}\n`;
}

/** Every reference page: `README.md` (the index) and `<command>.md` for each command. */
export function referencePages(): Map<string, string> {
  const pages = new Map([['README.md', index()]]);
  for (const name of commandNames) pages.set(`${name}.md`, commandPage(name, commandSpec(name)!));
  return pages;
}
