// Byte offsets for dockerfile-ast positions, and the byte-preserving edits made at them.
//
// dockerfile-ast reports LSP positions (line, UTF-16 character). Its TextDocument breaks lines at \r\n,
// \n and a lone \r, so LineIndex does exactly the same: an offset computed here is the one the parser meant.

export interface Pos {
  line: number;
  character: number;
}

export interface Span {
  start: Pos;
  end: Pos;
}

/** 1-based position in the Dockerfile, like editors show it. */
export interface RewritePosition {
  line: number;
  column: number;
}

export function toPosition(p: Pos): RewritePosition {
  return { line: p.line + 1, column: p.character + 1 };
}

/** `[start, end)` of a text (offsets in UTF-16 units, of the text before any edit) replaced by `insert`. */
export interface TextEdit {
  start: number;
  end: number;
  insert: string;
}

/** `text` with non-overlapping `edits` applied; every other character untouched. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start))
    out = out.slice(0, e.start) + e.insert + out.slice(e.end);
  return out;
}

export class LineIndex {
  /** Offset of the first character of each line. */
  readonly starts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      } else if (c === 10 /* \n */) {
        this.starts.push(i + 1);
      }
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** Same clamping as TextDocument.offsetAt. */
  offsetAt(p: Pos): number {
    if (p.line >= this.starts.length) return this.text.length;
    if (p.line < 0) return 0;
    const lineStart = this.starts[p.line]!;
    const next = p.line + 1 < this.starts.length ? this.starts[p.line + 1]! : this.text.length;
    return Math.max(Math.min(lineStart + p.character, next), lineStart);
  }

  /** The terminator of a line: '\r\n', '\n', '\r', or '' for a last line without one. */
  eolOf(line: number): string {
    if (line < 0 || line + 1 >= this.starts.length) return '';
    const end = this.starts[line + 1]!;
    if (this.text.charCodeAt(end - 1) === 10) return this.text.charCodeAt(end - 2) === 13 ? '\r\n' : '\n';
    return '\r';
  }

  /** Where a line inserted before `line` starts: that line's start, but never ahead of a byte-order mark. */
  insertionOffset(line: number): number {
    const at = this.starts[line]!;
    return at === 0 && this.text.charCodeAt(0) === 0xfeff ? 1 : at;
  }

  /**
   * The terminator for a line inserted before `line`: the one of the line above, else of `line`, else the
   * file's first, else '\n'. A lone \r is a line break to dockerfile-ast but not to BuildKit; never emit one.
   */
  eolForInsertion(line: number): '\r\n' | '\n' {
    const near = this.eolOf(line - 1) || this.eolOf(line) || this.firstEol();
    return near === '\r\n' ? '\r\n' : '\n';
  }

  private firstEol(): string {
    for (let l = 0; l < this.lineCount; l++) {
      const e = this.eolOf(l);
      if (e) return e;
    }
    return '\n';
  }
}
