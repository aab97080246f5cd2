// What a workflow tells the person running it, while it runs: progress and warnings. Workflows take a
// Reporter and never print; the CLI passes one that writes to stderr (log.ts), tests a silent one.

export interface Reporter {
  /** The start of a long step ("building opencl-pocl for linux/amd64"). */
  step(message: string): void;
  /** A line of progress or a fact worth seeing. */
  info(message: string): void;
  /** Something the user should know that does not stop the command. */
  warn(message: string): void;
}

/** Says nothing: for tests, and for callers that only want the returned data. */
export const silentReporter: Reporter = { step: () => {}, info: () => {}, warn: () => {} };

/** Records every line, for tests that assert what a workflow reported. */
export function recordingReporter(): Reporter & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    step: (m) => void lines.push(`step: ${m}`),
    info: (m) => void lines.push(m),
    warn: (m) => void lines.push(`warning: ${m}`),
  };
}
