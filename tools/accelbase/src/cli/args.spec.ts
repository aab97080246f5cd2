import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { UserError } from '../errors.js';
import { parse } from './args.js';
import { commandNames, commands, ownOptions } from './table/commands.js';
import { everyCommand } from './table/options.js';

describe('the options each command takes', () => {
  // Read from the sources: a flag a command reads but does not list would be refused before it runs.
  const table = readFileSync(join(import.meta.dirname, 'table', 'commands.ts'), 'utf8');
  const files = new Map(
    [
      ...table.matchAll(
        /^ {2}'?([a-z0-9-]+)'?: \{\n(?:(?! {2}\}).*\n)*? {4}load: async \(\) => \(await import\('\.\.\/([a-z0-9-]+)\.js'\)\)/gm,
      ),
    ].map((m) => [m[1], m[2]]),
  );
  test('every command file is found', () => expect(files.size).toBe(commandNames.length));
  test.each([...files])('%s lists every flag it reads', (command, file) => {
    const source = readFileSync(join(import.meta.dirname, `${file}.ts`), 'utf8');
    const read = new Set([...source.matchAll(/ctx\.flags(?:\.([a-z]+)|\['([a-z-]+)'\])/g)].map((m) => m[1] ?? m[2]));
    if (source.includes('platformsFlag(ctx)')) read.add('platform');
    if (source.includes('baseFlag(ctx)')) read.add('base');
    for (const flag of read)
      expect(
        [...Object.keys(everyCommand), ...ownOptions(commands[command as keyof typeof commands])],
        `${command} --${flag}`,
      ).toContain(flag);
  });
});

describe('parse checks every value the same way, for every command', () => {
  const refused = (argv: string[]) => {
    try {
      parse(argv);
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      return (e as UserError).message;
    }
    throw new Error(`accepted: ${argv.join(' ')}`);
  };

  test.each(['build', 'smoke', 'nightly', 'variants'])('%s --platform', (command) => {
    expect(refused([command, '--platform', 'linux/riscv64'])).toBe(
      '--platform linux/riscv64: not one of linux/amd64, linux/arm64',
    );
  });

  test('--platform amd64: the platform meant is suggested', () => {
    expect(refused(['build', '--platform', 'amd64'])).toBe(
      '--platform amd64: not one of linux/amd64, linux/arm64 (did you mean "linux/amd64"?)',
    );
  });

  test.each(commandNames)('%s --registry', (command) => {
    expect(refused([command, '--registry', 'Not A Namespace'])).toMatch(
      /^--registry "Not A Namespace" is not a registry namespace/,
    );
  });

  test('an option a command does not take, and one it does', () => {
    expect(refused(['validate', '--push'])).toBe(
      'validate takes no --push; it takes only the options every command takes (`accelbase help validate`)',
    );
    expect(parse(['build', '--push', '--date', '20260101', '--revision', 'abcdef1']).flags).toMatchObject({
      push: true,
      date: '20260101',
      revision: 'abcdef1',
    });
  });

  test.each(['engine', 'build', 'smoke', 'publish', 'nightly', 'variants'])('%s --instance', (command) => {
    expect(parse([command, '--instance', 'runner-b']).flags.instance).toBe('runner-b');
    expect(refused([command, '--instance', 'Runner_B'])).toBe(
      "--instance Runner_B: expected an engine instance name: 1 to 20 of a-z, 0-9 and '-' (not first or last)",
    );
  });

  test('commands that use no engine take no --instance', () => {
    expect(refused(['render', '--instance', 'a'])).toMatch(/^render takes no --instance/);
  });
});
