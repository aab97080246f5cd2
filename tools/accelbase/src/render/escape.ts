// Escapers, one for each place rendered text lands: a Dockerfile's quoted LABEL and ENV values, HTML,
// Markdown table cells and code, JSON inside a <script> block, and a POSIX shell line. Free text from
// the catalog (descriptions) reaches all of them; each is proven by a property test in escape.spec.ts.

/**
 * A double-quoted Dockerfile word (LABEL and ENV values) that BuildKit reads back as exactly `value`:
 * inside double quotes only `"`, `$` and the escape character are special, so each is escaped with
 * `\`, the escape character of every rendered Dockerfile (none sets `# escape=`). `value` must be one
 * line: a line break would end the instruction, and the grammars let none through.
 */
export function dockerfileString(value: string): string {
  if (/[\r\n]/.test(value)) throw new Error('a Dockerfile value cannot hold a line break');
  return `"${value.replace(/[\\"$]/g, (c) => `\\${c}`)}"`;
}

/** `key="value"` pairs for one LABEL or ENV instruction. */
export const dockerfilePairs = (values: Record<string, string>): string[] =>
  Object.entries(values).map(([k, v]) => `${k}=${dockerfileString(v)}`);

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]);
}

/**
 * JSON for a `<script type="application/json">` block. Script content is raw text, so entities
 * would not be decoded; instead `<`, `>` and `&` (and the JS line separators) become `\uXXXX`
 * escapes, which JSON.parse reads back, so `</script>` or `<!--` can never close the block.
 */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Plain text in a Markdown table cell: no HTML, no emphasis, links or code, no cell breaks. */
export function escapeMarkdown(value: unknown): string {
  return String(value ?? '')
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]|<>&~]/g, (c) => HTML_ENTITIES[c] ?? `\\${c}`);
}

/** A code span in a Markdown table cell; values a code span cannot hold fall back to escaped text. */
export function markdownCode(value: unknown): string {
  const s = String(value ?? '');
  if (s === '' || /[`\r\n]/.test(s) || s.trim() !== s) return escapeMarkdown(s);
  return `\`${s.replace(/\|/g, '\\|')}\``;
}

/** A line inside a fenced code block: nothing is interpreted there but a closing fence and line breaks. */
export function fencedLine(value: unknown): string {
  return String(value ?? '').replace(/[`\r\n]/g, '');
}
