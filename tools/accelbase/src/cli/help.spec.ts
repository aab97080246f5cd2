// Help and "did you mean": every command's own help from the table, the global help, and suggestions
// for a misspelt command or option.
import { describe, expect, test } from 'vitest';
import { main } from './main.js';
import { commandNames, commands, ownOptions } from './table/commands.js';
import type { CommandSpec } from './table/command-spec.js';
import { commandHelp, globalHelp } from './table/help.js';
import { everyCommand, options, type OptionName } from './table/options.js';

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(
    argv,
    (t) => void (stdout += t),
    (t) => void (stderr += t),
  );
  return { code, stdout, stderr };
}

const specs = commandNames.map((name) => [name, commands[name] as CommandSpec] as const);

describe('each command has its own help', () => {
  test.each(specs)('%s: --help, -h and help COMMAND print its help, exit 0', async (name, spec) => {
    const viaFlag = await cli(name, '--help');
    expect(viaFlag).toEqual({ code: 0, stdout: commandHelp(name), stderr: '' });
    expect(await cli('help', name)).toEqual(viaFlag);
    expect(await cli(name, '-h')).toEqual(viaFlag);
    const help = viaFlag.stdout;
    expect(help).toMatch(new RegExp(`^Usage: accelbase ${name}[ \\n]`));
    expect(help.replace(/\s+/g, ' ')).toContain(spec.summary);
    // What each row of a section starts with: an argument's name or an option's label.
    const labels = help.split('\n').map((l) => l.trim().split(/ {2,}/)[0]);
    for (const a of spec.arguments) expect(labels).toContain(a.name);
    for (const o of ownOptions(spec)) {
      const doc = spec.options[o]!;
      expect(labels).toContain(`--${o}${doc.value ? ` ${doc.value}` : ''}`);
      expect(help.replace(/\s+/g, ' ')).toContain(doc.description);
    }
    for (const o of Object.keys(everyCommand)) expect(help).toContain(`--${o}`);
    expect(help).not.toContain('Picking a base image'); // not the global help
  });
});

describe('the global help', () => {
  test('help and --help print it and exit 0; no command at all exits 2', async () => {
    const help = await cli('help');
    expect(help).toEqual({ code: 0, stdout: globalHelp(), stderr: '' });
    expect(await cli('--help')).toEqual(help);
    expect(await cli()).toEqual({ ...help, code: 2 });
  });

  test('lists every command with its summary, and the options every command takes', () => {
    const help = globalHelp().replace(/\s+/g, ' ');
    for (const [name, spec] of specs) {
      expect(help).toContain(` ${name}`);
      expect(help).toContain(spec.summary);
    }
    for (const [name, doc] of Object.entries(everyCommand)) {
      expect(help).toContain(`--${name}`);
      expect(help).toContain(doc.description);
    }
  });

  test('help with two commands, or one that is none, is a usage error', async () => {
    expect(await cli('help', 'render', 'plan')).toMatchObject({ code: 2, stdout: '' });
    expect(await cli('help', 'rendr')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'accelbase: unknown command "rendr" (did you mean "render"?)\nRun `accelbase help` for the list of commands.\n',
    });
  });
});

describe('did you mean', () => {
  test('a misspelt command gets the nearest one and a pointer, not the whole help', async () => {
    expect(await cli('valdate')).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'accelbase: unknown command "valdate" (did you mean "validate"?)\nRun `accelbase help` for the list of commands.\n',
    });
    expect((await cli('frobnicate')).stderr).toBe(
      'accelbase: unknown command "frobnicate"\nRun `accelbase help` for the list of commands.\n',
    );
    expect((await cli('rendr', '--help')).code).toBe(2);
  });

  test.each([
    [
      ['render', '--chek'],
      'unknown option --chek (did you mean "--check"?); render takes --check and the options every command takes (`accelbase help render`)',
    ],
    [
      ['validate', '--jsn'],
      'unknown option --jsn (did you mean "--json"?); validate takes only the options every command takes (`accelbase help validate`)',
    ],
    [['--platfrom', 'x'], 'unknown option --platfrom (did you mean "--platform"?); see `accelbase help`'],
    [
      ['outdated', '-x'],
      'unknown option -x; outdated takes only the options every command takes (`accelbase help outdated`)',
    ],
    [
      ['tags', '--arg', 'x'],
      'tags takes no --arg (did you mean "--arch"?); it takes --accelerator, --variant, --arch, --dist, --runtime, --pin, --include-retired and the options every command takes (`accelbase help tags`)',
    ],
    [
      ['validate', '--push'],
      'validate takes no --push; it takes only the options every command takes (`accelbase help validate`)',
    ],
  ])('%j', async (argv, message) => {
    expect(await cli(...argv)).toEqual({ code: 2, stdout: '', stderr: `accelbase: ${message}\n` });
  });
});

describe('the table', () => {
  const taken = specs.flatMap(([name, spec]) => ownOptions(spec).map((o) => [name, o, spec.options[o]!] as const));

  test.each(taken)('%s --%s: a value name exactly when it takes a value', (_name, option, doc) => {
    expect(doc.value !== undefined).toBe(options[option].type === 'string');
    expect(doc.description).not.toMatch(/\n/);
  });

  test('every option the parser knows is taken by some command, or by every one', () => {
    const used = new Set<string>([...Object.keys(everyCommand), ...taken.map(([, o]) => o)]);
    expect(Object.keys(options).filter((o) => !used.has(o as OptionName))).toEqual([]);
  });

  test.each(specs)('%s: a one-line summary, and arguments described in one line', (_name, spec) => {
    expect(spec.summary).toMatch(/^[^\n]+$/);
    for (const a of spec.arguments) expect(a.description).toMatch(/^[^\n]+$/);
  });
});
