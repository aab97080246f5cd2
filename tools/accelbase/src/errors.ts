// Every error a user can cause or meet is one of these; cli/main.ts is the one place that prints them,
// for people on stderr and, with --json, as the one error envelope on stdout (ErrorEnvelope below).
import { z } from 'zod';

/** A position in a user's file, 1-based like editors show it. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

export interface CatalogIssue extends SourcePosition {
  /** Dotted path inside the document, e.g. `accelerators.opencl.variants.pocl.base`. */
  path: string;
  message: string;
  /** The valid name the message suggests ("did you mean"), when one is close to what was written. */
  suggestion?: string;
}

// Characters a terminal or editor would act on rather than show (escape sequences, bidi overrides):
// an issue quotes what the user wrote, so these are shown as \u escapes. Line breaks are kept.
const UNSHOWABLE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
const escaped = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
const shown = (text: string) => text.replace(UNSHOWABLE, escaped);

/** A hostile file can hold a key of megabytes: an issue quotes at most `max` characters of it. */
const clipped = (text: string, max: number) => (text.length > max ? `${text.slice(0, max)}…` : text);

export function formatIssue(issue: CatalogIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  const message = shown(clipped(issue.message, 1000));
  // A path is made of the file's keys: no key needs a line break, so none may start a line of its own.
  return issue.path
    ? `${where} ${shown(clipped(issue.path, 300)).replace(/[\n]/g, escaped)}: ${message}`
    : `${where} ${message}`;
}

/** Issues one error reports at most: a hostile file can hold millions, and each costs a position lookup. */
export const MAX_ISSUES = 100;

/**
 * Bad input in a YAML file (catalog, lock, variants file): all issues at once, sorted by position,
 * each once (a value inherited from `defaults` is checked once per variant). `omitted` counts issues
 * found beyond MAX_ISSUES and not positioned.
 */
export class CatalogError extends Error {
  readonly issues: CatalogIssue[];
  constructor(
    issues: CatalogIssue[],
    readonly omitted = 0,
  ) {
    const unique = [
      ...new Map(issues.map((i) => [JSON.stringify([i.file, i.line, i.column, i.path, i.message]), i])).values(),
    ];
    const sorted = unique.sort(
      (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.path.localeCompare(b.path),
    );
    super(sorted.map(formatIssue).join('\n'));
    this.name = 'CatalogError';
    this.issues = sorted;
  }
}

/** A whole file refused before it is read as YAML or a Dockerfile (not a regular file, too large, not UTF-8). */
export const fileIssue = (file: string, message: string, line = 1, column = 1): CatalogError =>
  new CatalogError([{ file, line, column, path: '', message }]);

/** A spawned process failed. `cmd` is the full command line as logged. */
export class ExecError extends Error {
  constructor(
    readonly cmd: string,
    readonly exitCode: number | undefined,
    readonly stderrTail: string,
    readonly signal?: string,
  ) {
    const how = signal ? `killed by ${signal}` : `exit code ${exitCode ?? 'unknown'}`;
    super(`command failed (${how}): ${cmd}${stderrTail ? `\n${stderrTail}` : ''}`);
    this.name = 'ExecError';
  }
}

/** A usage or environment problem with a clear message and no position (missing engine, bad flag). */
export class UserError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    /** The valid name the message suggests, for --json. */
    readonly suggestion?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }
}

/** `render --check` and similar checks that found a difference: print the list, exit 1. */
export class CheckFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailed';
  }
}

/** A Dockerfile that cannot be rewritten; `position` (1-based) when the parser knows where. */
export class RewriteError extends UserError {
  constructor(
    readonly detail: string,
    readonly position?: { line: number; column: number },
  ) {
    super(position ? `line ${position.line}:${position.column}: ${detail}` : detail);
    this.name = 'RewriteError';
  }
}

/**
 * An archive that is not what it claims: a bad or unknown OpenPGP signature, an index whose sha256
 * does not match its Release. Never taken for "unreachable": `update` stops and writes nothing.
 */
export class IntegrityError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'IntegrityError';
  }
}

/** A suite the archive does not serve at all (no InRelease, no Release): an -updates suite may legitimately be missing. */
export class MissingSuiteError extends UserError {
  constructor(message: string) {
    super(message);
    this.name = 'MissingSuiteError';
  }
}

/**
 * A host that gave no answer (unresolvable name, refused connection, timeout): not what it said, but
 * that it could not be asked. `update` reports one line per such host, whatever number of packages wait on it.
 */
export class UnreachableError extends UserError {
  constructor(
    message: string,
    /** `name[:port]`, as the URL gives it. */
    readonly host: string,
    /** Why, in a few words: `getaddrinfo ENOTFOUND mirror.invalid`, `timed out after 30s`. */
    readonly reason: string,
  ) {
    super(message);
    this.name = 'UnreachableError';
  }
}

/**
 * What `--json` prints on stdout for any error, whichever the command: one entry per error. Every
 * field is always there; `null` means not known (a usage error has no file, a whole-file refusal no
 * path). `path` is the dotted path inside the document, "" for the document itself.
 */
export const ErrorEnvelope = z
  .strictObject({
    errors: z
      .array(
        z.strictObject({
          file: z.string().nullable().describe('the file the error is in, as messages name it'),
          line: z.number().int().min(1).nullable().describe('1-based line'),
          col: z.number().int().min(1).nullable().describe('1-based column'),
          path: z
            .string()
            .nullable()
            .describe('dotted path inside the document, e.g. accelerators.cuda.variants.runtime.base'),
          message: z.string().describe('what is wrong, as stderr says it'),
          suggestion: z.string().nullable().describe('the valid value or name that was probably meant'),
        }),
      )
      .min(1),
  })
  .describe('accelbase --json: the output of any command that failed (exit code non-zero)');
export type ErrorEnvelope = z.infer<typeof ErrorEnvelope>;

/** The JSON Schema of ErrorEnvelope, published as schemas/errors.schema.json. */
export const errorEnvelopeJsonSchema = (): object => z.toJSONSchema(ErrorEnvelope, { io: 'output' });

const unpositioned = (message: string, suggestion?: string): ErrorEnvelope['errors'][number] => ({
  file: null,
  line: null,
  col: null,
  path: null,
  message,
  suggestion: suggestion ?? null,
});

/** Any thrown value as the error envelope; issues beyond MAX_ISSUES are one entry that counts them. */
export function errorEnvelope(e: unknown): ErrorEnvelope {
  if (e instanceof CatalogError) {
    const errors: ErrorEnvelope['errors'] = e.issues.map((i) => ({
      file: i.file,
      line: i.line,
      col: i.column,
      // Clipped as on stderr: a hostile file can hold a key of megabytes.
      path: clipped(i.path, 300),
      message: clipped(i.message, 1000),
      suggestion: i.suggestion === undefined ? null : clipped(i.suggestion, 300),
    }));
    if (e.omitted > 0) errors.push(unpositioned(`${e.omitted} more error${e.omitted === 1 ? '' : 's'} not shown`));
    return { errors: errors.length > 0 ? errors : [unpositioned(e.message)] };
  }
  if (e instanceof UserError) return { errors: [unpositioned(e.message, e.suggestion)] };
  if (e instanceof CheckFailed || e instanceof ExecError) return { errors: [unpositioned(e.message)] };
  return { errors: [unpositioned(`internal error: ${e instanceof Error ? e.message : String(e)}`)] };
}
