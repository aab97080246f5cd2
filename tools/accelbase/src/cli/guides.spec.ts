// The guides are checked like code: every `accelbase ...` line in their ```sh blocks must be a real
// command with options it really takes (the CLI's own parser decides), and every relative link must
// point to a file that exists. A guide that drifts from the CLI fails here, naming file:line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parse } from './args.js';
import { commandSpec } from './table/commands.js';

const repoRoot = resolve(import.meta.dirname, '..', '..', '..', '..');
const docsDir = join(repoRoot, 'docs');
// docs/reference/ is generated from the command table (one page per command), not written by hand.
const referenceDir = join(docsDir, 'reference');

const guides = [
  'README.md',
  'CONTRIBUTING.md',
  ...(existsSync(docsDir) ? readdirSync(docsDir, { recursive: true, encoding: 'utf8' }) : [])
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f))
    .filter((f) => !join(repoRoot, f).startsWith(`${referenceDir}/`)),
].sort();

/** Values the guides' shell variables stand for: what a reader would set them to. */
const sampleValues: Record<string, string> = {
  NS: '127.0.0.1:5000/acceleratorbase',
};

interface ShellLine {
  line: number;
  text: string;
}

/** The lines of every ```sh block, continuation lines (`\` at the end) joined, with their line numbers. */
function shellLines(markdown: string): ShellLine[] {
  const lines: ShellLine[] = [];
  let inBlock = false;
  let pending: ShellLine | undefined;
  for (const [i, raw] of markdown.split('\n').entries()) {
    if (!inBlock) {
      inBlock = /^\s*```(sh|bash|shell)\s*$/.test(raw);
      continue;
    }
    if (/^\s*```\s*$/.test(raw)) {
      inBlock = false;
      if (pending) lines.push(pending);
      pending = undefined;
      continue;
    }
    const text = pending ? `${pending.text} ${raw.trim()}` : raw;
    const start = pending?.line ?? i + 1;
    if (text.endsWith('\\')) pending = { line: start, text: text.slice(0, -1) };
    else {
      pending = undefined;
      lines.push({ line: start, text });
    }
  }
  return lines;
}

/**
 * One shell line as its simple commands, each a list of words: quotes removed, `$VAR` and `${VAR}`
 * replaced by their sample values (an unknown one stays `$VAR`), comments, redirections and control
 * operators (`&&`, `||`, `;`, `|`) dropped. Enough shell for the guides, not a shell.
 */
function simpleCommands(text: string): string[][] {
  const commands: string[][] = [[]];
  let word: string | undefined;
  let dropNext = false;
  const end = () => {
    if (word !== undefined) {
      if (dropNext) dropNext = false;
      else commands.at(-1)?.push(word);
    }
    word = undefined;
  };
  const variable = (at: number): [string, number] | undefined => {
    const m = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/.exec(text.slice(at));
    if (!m) return undefined;
    const name = m[1] ?? m[2] ?? '';
    return [sampleValues[name] ?? `$${name}`, m[0].length];
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i] ?? '';
    if (c === "'") {
      const close = text.indexOf("'", i + 1);
      const stop = close < 0 ? text.length : close;
      word = (word ?? '') + text.slice(i + 1, stop);
      i = stop;
    } else if (c === '"') {
      word ??= '';
      for (i++; i < text.length && text[i] !== '"'; i++) {
        const v = text[i] === '$' ? variable(i) : undefined;
        if (v) {
          word += v[0];
          i += v[1] - 1;
        } else word += text[i] === '\\' ? (text[++i] ?? '') : text[i];
      }
    } else if (c === '$' && variable(i)) {
      const [value, length] = variable(i) ?? ['', 1];
      word = (word ?? '') + value;
      i += length - 1;
    } else if (c === '\\') {
      word = (word ?? '') + (text[++i] ?? '');
    } else if (c === '#' && word === undefined) {
      break;
    } else if (/\s/.test(c)) {
      end();
    } else if (c === '&' || c === '|' || c === ';') {
      end();
      if (text[i + 1] === c) i++;
      commands.push([]);
    } else if (c === '>' || c === '<') {
      // A redirection: `2>` or `>` or `>>`, its target is the next word (or the rest of this one).
      if (word !== undefined && /^[0-9]$/.test(word)) word = undefined;
      end();
      if (text[i + 1] === '>' || text[i + 1] === '&') i++;
      dropNext = true;
    } else word = (word ?? '') + c;
  }
  end();
  return commands.filter((words) => words.length > 0);
}

/** The accelbase arguments of a simple command (after `sudo`, `npx` and `VAR=value`), if it runs accelbase. */
function accelbaseArgs(words: readonly string[]): string[] | undefined {
  let at = 0;
  while (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[at] ?? '') || words[at] === 'sudo') at++;
  if (words[at] === 'npx') at++;
  return words[at] === 'accelbase' ? words.slice(at + 1) : undefined;
}

/** Why an accelbase command line is not real, or undefined when the CLI would take it. */
function problemWith(args: readonly string[]): string | undefined {
  const unknownVariable = args.find((a) => a.includes('$'));
  if (unknownVariable) return `no sample value for ${unknownVariable} (add it to sampleValues)`;
  try {
    const { command } = parse([...args]);
    if (command === undefined) return args.length === 0 ? 'no command' : undefined;
    if (!commandSpec(command)) return `unknown command ${JSON.stringify(command)}`;
    return undefined;
  } catch (e) {
    return (e as Error).message.split('\n')[0];
  }
}

/** Every accelbase line of a guide that the CLI would refuse, as `file:line: why`. */
function commandProblems(file: string, markdown: string): string[] {
  const problems: string[] = [];
  for (const { line, text } of shellLines(markdown)) {
    for (const words of simpleCommands(text)) {
      const args = accelbaseArgs(words);
      const why = args && problemWith(args);
      if (why) problems.push(`${file}:${line}: accelbase ${args.join(' ')}: ${why}`);
    }
  }
  return problems;
}

/** Every relative link of a guide whose file does not exist, as `file:line: target`. */
function linkProblems(file: string, markdown: string): string[] {
  const problems: string[] = [];
  let inFence = false;
  for (const [i, text] of markdown.split('\n').entries()) {
    if (/^\s*```/.test(text)) inFence = !inFence;
    if (inFence) continue;
    for (const m of text.replace(/`[^`]*`/g, '').matchAll(/\]\(([^)\s]+)\)/g)) {
      const target = (m[1] ?? '').split('#')[0] ?? '';
      if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const path = resolve(dirname(join(repoRoot, file)), target);
      if (existsSync(path)) continue;
      // The reference pages are generated by another change and land with it: until docs/reference/
      // exists, links into it are tolerated; from then on they are checked like any other.
      if (path.startsWith(`${referenceDir}/`) && !existsSync(join(referenceDir, 'README.md'))) continue;
      problems.push(`${file}:${i + 1}: ${target} (${relative(repoRoot, path)} does not exist)`);
    }
  }
  return problems;
}

describe('the guides', () => {
  test.each(guides)('%s: every accelbase command line is one the CLI takes', (file) => {
    expect(commandProblems(file, readFileSync(join(repoRoot, file), 'utf8'))).toEqual([]);
  });

  test.each(guides)('%s: every relative link points to a file', (file) => {
    expect(linkProblems(file, readFileSync(join(repoRoot, file), 'utf8'))).toEqual([]);
  });

  test('the guides show accelbase commands at all (the check is not vacuous)', () => {
    const count = guides
      .flatMap((file) => shellLines(readFileSync(join(repoRoot, file), 'utf8')))
      .flatMap(({ text }) => simpleCommands(text))
      .filter((words) => accelbaseArgs(words) !== undefined).length;
    expect(count).toBeGreaterThan(10);
  });
});

describe('the guide checker', () => {
  test.each([
    ['npx accelbase build opencl-pocl --push', undefined],
    ['sudo npx accelbase rootfs --arch amd64', undefined],
    ['ACCELBASE_BUILDER=native npx accelbase build --push --registry "$NS"', undefined],
    ['npx accelbase engine up   # idempotent', undefined],
    ['npx accelbase --version', undefined],
    ['npx accelbase smoke --platform linux/amd64 --json > smoke.json', undefined],
    ['npx accelbase buidl opencl-pocl', 'unknown command "buidl"'],
    ['npx accelbase smoke --push', 'smoke takes no --push'],
    ['npx accelbase build --frobnicate', 'unknown option --frobnicate'],
    ['npx accelbase build --registry "$UNSET"', 'no sample value for $UNSET'],
    ['npx accelbase tags --arch "arm 64"', '--arch arm 64: expected an architecture'],
  ])('%s', (line, expected) => {
    const problems = simpleCommands(line)
      .map(accelbaseArgs)
      .filter((args) => args !== undefined)
      .map(problemWith);
    expect(problems).toHaveLength(1);
    if (expected === undefined) expect(problems[0]).toBeUndefined();
    else expect(problems[0]).toContain(expected);
  });

  test.each([
    [
      "echo 'a | b' && accelbase ls",
      [
        ['echo', 'a | b'],
        ['accelbase', 'ls'],
      ],
    ],
    [
      'npx accelbase smoke 2>/dev/null | tee out',
      [
        ['npx', 'accelbase', 'smoke'],
        ['tee', 'out'],
      ],
    ],
    ['x="${NS}" # comment', [['x=127.0.0.1:5000/acceleratorbase']]],
  ])('splits %s into simple commands', (line, expected) => {
    expect(simpleCommands(line)).toEqual(expected);
  });

  test('joins continuation lines and numbers them from their first line', () => {
    const md = ['# t', '```sh', 'npx accelbase build \\', '  --push', '```', 'npx accelbase nope'].join('\n');
    expect(shellLines(md)).toEqual([{ line: 3, text: 'npx accelbase build  --push' }]);
  });

  test('a link to a missing file is named with its line', () => {
    expect(linkProblems('README.md', 'see [x](nowhere/missing.md)\n[ok](CONTRIBUTING.md)')).toEqual([
      'README.md:1: nowhere/missing.md (nowhere/missing.md does not exist)',
    ]);
  });
});
