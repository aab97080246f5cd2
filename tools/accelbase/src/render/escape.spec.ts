// Each escaper against an independent reader of the language it writes for: whatever the text, the
// reader gets the text back, and nothing in it acts as syntax.
import { DockerfileParser } from 'dockerfile-ast';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { FreeText } from '../lib/grammar.js';
import {
  dockerfilePairs,
  dockerfileString,
  escapeHtml,
  escapeMarkdown,
  fencedLine,
  markdownCode,
  scriptJson,
} from './escape.js';
import { shellJoin } from '../lib/shell.js';

const runs = { numRuns: Number(process.env.ACCELBASE_PROPERTY_RUNS ?? 500) };

/** Any text, and text dense in the characters each language treats specially. */
const SPECIALS = [
  '"',
  "'",
  '\\',
  '$',
  '`',
  '<',
  '>',
  '&',
  '|',
  '*',
  '_',
  '[',
  ']',
  '~',
  '#',
  '{',
  '}',
  '(',
  ')',
  '!',
  ' ',
  '\n',
  '\r',
  '\t',
  '\u2028',
  '\u2029',
  '\u0000',
  'a',
  'é',
  '😀',
];
const anyText = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom(...SPECIALS) }));
/** What free text is allowed to be: the values the Dockerfile escaper receives. */
const freeText = anyText.filter((s) => FreeText.safeParse(s).success);

/**
 * BuildKit's reading of a double-quoted word (frontend/dockerfile/shell/lex.go, processDoubleQuote):
 * the escape character escapes `"`, `$` and itself and is kept before anything else; an unescaped `$`
 * starts an expansion, which an inert value must never contain. Returns the value and what follows.
 */
function readDoubleQuoted(word: string): { value: string; rest: string } {
  if (word[0] !== '"') throw new Error('not double-quoted');
  let value = '';
  for (let i = 1; i < word.length; i++) {
    const c = word[i];
    if (c === '"') return { value, rest: word.slice(i + 1) };
    if (c === '$') throw new Error(`an expansion at ${i}`);
    if (c === '\\' && ['"', '$', '\\'].includes(word[i + 1])) value += word[++i];
    else value += c;
  }
  throw new Error('unterminated');
}

describe('dockerfileString: a LABEL or ENV value BuildKit reads back as the text', () => {
  test('round-trips through BuildKit quoting, expands nothing, closes where it ends', () => {
    fc.assert(
      fc.property(freeText, (text) => {
        expect(readDoubleQuoted(dockerfileString(text))).toEqual({ value: text, rest: '' });
      }),
      runs,
    );
  });

  test('stays one instruction with its own keys: nothing breaks out into another LABEL or RUN', () => {
    fc.assert(
      fc.property(freeText, freeText, (a, b) => {
        const text = `FROM scratch\nLABEL ${dockerfilePairs({ 'x.a': a, 'x.b': b }).join(' \\\n      ')}\nENV ${dockerfilePairs({ A: a }).join(' ')}\n`;
        const instructions = DockerfileParser.parse(text).getInstructions();
        expect(instructions.map((i) => i.getKeyword())).toEqual(['FROM', 'LABEL', 'ENV']);
        const [, label, env] = instructions as unknown as { getProperties(): { getName(): string }[] }[];
        expect(label.getProperties().map((p) => p.getName())).toEqual(['x.a', 'x.b']);
        expect(env.getProperties().map((p) => p.getName())).toEqual(['A']);
      }),
      runs,
    );
  });

  test('refuses a line break rather than emit one', () => {
    expect(() => dockerfileString('a\nRUN x')).toThrow(/line break/);
    expect(dockerfileString('say "hi" to $USER \\o/')).toBe('"say \\"hi\\" to \\$USER \\\\o/"');
  });
});

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" };
const decodeEntities = (s: string) => s.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ENTITIES[e]);

describe('escapeHtml: element text and quoted attributes', () => {
  test('holds no markup character, only its own entities, and decodes back to the text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const out = escapeHtml(text);
        expect(out).not.toMatch(/[<>"']/);
        expect(out.replace(/&(amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
        expect(decodeEntities(out)).toBe(text);
      }),
      runs,
    );
  });
});

describe('scriptJson: JSON inside <script type="application/json">', () => {
  test('parses back to the value and holds nothing that could end the script or the line', () => {
    fc.assert(
      fc.property(fc.jsonValue(), anyText, (value, text) => {
        const data = { value, text };
        const out = scriptJson(data);
        expect(out).not.toMatch(/[<>&\u2028\u2029]/);
        expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(data)));
      }),
      runs,
    );
  });
});

/** A Markdown cell's reading: backslash escapes and the entities escapeMarkdown writes; nothing else may be special. */
function readMarkdownCell(cell: string): string {
  let out = '';
  for (let i = 0; i < cell.length; i++) {
    const c = cell[i];
    if (c === '\\') {
      const next = cell[++i];
      if (!'\\`*_[]|~'.includes(next ?? '')) throw new Error(`a stray backslash at ${i}`);
      out += next;
    } else if (c === '&') {
      const m = /^&(amp|lt|gt|quot|#39);/.exec(cell.slice(i));
      if (!m) throw new Error(`a raw & at ${i}`);
      out += ENTITIES[m[1]];
      i += m[0].length - 1;
    } else if ('`*_[]|~<>\r\n'.includes(c)) throw new Error(`an unescaped ${JSON.stringify(c)} at ${i}`);
    else out += c;
  }
  return out;
}

describe('escapeMarkdown and markdownCode: table cells', () => {
  test('escapeMarkdown: every special character escaped, line breaks become spaces, the text reads back', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(readMarkdownCell(escapeMarkdown(text))).toBe(text.replace(/[\r\n]+/g, ' '));
      }),
      runs,
    );
  });

  test('markdownCode: one code span with no unescaped pipe, or escaped text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const out = markdownCode(text);
        if (out.startsWith('`')) {
          expect(out.endsWith('`')).toBe(true);
          const inner = out.slice(1, -1);
          expect(inner).not.toMatch(/[`\r\n]/);
          expect(inner).not.toMatch(/(?<!\\)\|/);
          expect(inner.replace(/\\\|/g, '|')).toBe(text);
        } else expect(readMarkdownCell(out)).toBe(text.replace(/[\r\n]+/g, ' '));
      }),
      runs,
    );
  });

  test('fencedLine: cannot close the fence or start another line', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const out = fencedLine(text);
        expect(out).not.toMatch(/[`\r\n]/);
        expect(out).toBe(text.replace(/[`\r\n]/g, ''));
      }),
      runs,
    );
  });
});

/** POSIX shell word reading for what shellJoin writes: bare words, '...' and '\'' between them. */
function readShellWords(line: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < line.length) {
    let word = '';
    while (i < line.length && line[i] !== ' ') {
      if (line[i] === "'") {
        const end = line.indexOf("'", i + 1);
        if (end < 0) throw new Error('unterminated quote');
        word += line.slice(i + 1, end);
        i = end + 1;
      } else if (line[i] === '\\') {
        word += line[i + 1];
        i += 2;
      } else {
        if (!/[A-Za-z0-9_/:=.,+@%-]/.test(line[i])) throw new Error(`an unquoted ${JSON.stringify(line[i])}`);
        word += line[i++];
      }
    }
    words.push(word);
    i++;
  }
  return words;
}

describe('shellJoin: docker run flags as one line', () => {
  test('a POSIX shell reads back exactly the arguments', () => {
    fc.assert(
      fc.property(fc.array(anyText, { minLength: 1, maxLength: 6 }), (args) => {
        expect(readShellWords(shellJoin(args))).toEqual(args);
      }),
      runs,
    );
  });
});
