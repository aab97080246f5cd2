// Every error a user can cause or meet is one of these; cli/main.ts is the one place that prints them.

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
}

export function formatIssue(issue: CatalogIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.path ? `${where} ${issue.path}: ${issue.message}` : `${where} ${issue.message}`;
}

/** Bad input in a YAML file (catalog, lock, variants file): all issues at once, sorted by position. */
export class CatalogError extends Error {
  readonly issues: CatalogIssue[];
  constructor(issues: CatalogIssue[]) {
    const sorted = [...issues].sort(
      (a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.path.localeCompare(b.path),
    );
    super(sorted.map(formatIssue).join('\n'));
    this.name = 'CatalogError';
    this.issues = sorted;
  }
}

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
