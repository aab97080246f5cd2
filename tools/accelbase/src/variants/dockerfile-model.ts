// A parsed Dockerfile as the base-image overloading sees it: its stages, its global ARGs, and the
// values those ARGs have in a build without --build-arg.
import { DockerfileParser, type Dockerfile, type From } from 'dockerfile-ast';
import { expandWord, knownValue, WILD, type Expansion, type Value } from './arg-expand.js';
import { RewriteError } from '../errors.js';
import { LineIndex, toPosition } from './dockerfile-lines.js';

export interface Stage {
  index: number;
  from: From;
  /** As written. */
  name?: string;
  /** BuildKit registers stage names lowercased. */
  key?: string;
}

export interface GlobalArg {
  name: string;
  /** The default after quote removal (dockerfile-ast's Property value), or null for `ARG X`. */
  value: string | null;
  line: number;
}

export interface DockerfileModel {
  df: Dockerfile;
  lines: LineIndex;
  stages: Stage[];
  globals: GlobalArg[];
  env: Map<string, Value>;
  escape: string;
}

/** BuildKit accepts only `\\` and a backtick as the escape character; the parser would quietly use `\\`. */
function checkEscapeDirective(df: Dockerfile): void {
  for (const d of df.getDirectives()) {
    const value = d.getValue();
    if (d.getName().toLowerCase() === 'escape' && value !== '' && value !== '\\' && value !== '`') {
      throw new RewriteError(
        `# escape=${value}: the escape character must be \\ or a backtick (BuildKit refuses anything else)`,
        toPosition(d.getValueRange().start),
      );
    }
  }
}

export function loadDockerfile(text: string): DockerfileModel {
  const df = DockerfileParser.parse(text);
  checkEscapeDirective(df);
  const lines = new LineIndex(text);
  const escapeChar = df.getEscapeCharacter();
  const stages: Stage[] = df.getFROMs().map((from, index) => {
    const name = from.getBuildStage() ?? undefined;
    return name ? { index, from, name, key: name.toLowerCase() } : { index, from };
  });
  const globals: GlobalArg[] = [];
  const env = new Map<string, Value>();
  for (const arg of df.getInitialARGs()) {
    for (const prop of arg.getProperties()) {
      const value = prop.getValue();
      globals.push({ name: prop.getName(), value, line: prop.getRange().start.line });
      if (value === null) {
        env.set(prop.getName(), WILD);
      } else {
        env.set(prop.getName(), knownValue(expandWord(value, env, escapeChar).parts) ?? WILD);
      }
    }
  }
  return { df, lines, stages, globals, env, escape: escapeChar };
}

/** A word of the Dockerfile expanded with the global ARG defaults. */
export function expandGlobal(m: DockerfileModel, word: string): Expansion {
  return expandWord(word, m.env, m.escape);
}

/** The last of `stages` whose name, lowercased as BuildKit registers it, is `key`. */
export function stageNamed(stages: readonly Stage[], key: string): Stage | undefined {
  return stages.filter((s) => s.key === key).pop();
}
