// Smoke outcomes: pure classification of a device query's (or compute probe's) output, the outcome
// of each tier and of the whole, and JUnit.
import { z } from 'zod';
import { archOf } from '../catalog/platform.js';
import type { Smoke } from '../catalog/schema.js';

export const Outcome = z.enum(['passed', 'no-device', 'failed']);
export type Outcome = z.infer<typeof Outcome>;

/**
 * A tier's outcome: those of the whole, or `none` where the accelerator has no such tier (ROCm and
 * EdgeTPU: their device query is the only one).
 */
export const TierOutcome = z.enum(['passed', 'no-device', 'failed', 'none']);
export type TierOutcome = z.infer<typeof TierOutcome>;

export const TierResult = z.object({
  outcome: TierOutcome,
  detail: z.string(),
  /** What it printed (its last lines): the computed result, for the compute tier. */
  output: z.string().optional(),
  exitCode: z.number().nullable().optional(),
  durationS: z.number().optional(),
});
export type TierResult = z.infer<typeof TierResult>;

/** query: the device is listed (the device query); compute: a known computation on it gives the right result. */
export const Tiers = z.object({ query: TierResult, compute: TierResult });
export type Tiers = z.infer<typeof Tiers>;

export const SmokeResult = z.object({
  image: z.string(),
  platform: z.string(),
  ref: z.string(),
  outcome: Outcome,
  detail: z.string(),
  durationS: z.number(),
  exitCode: z.number().nullable(),
  /** The query's output (its last lines): what the runtime said, beyond the one line of detail. */
  output: z.string().optional(),
  /** Each tier's outcome (results recorded before tiers existed have none: the query was the only one). */
  tiers: Tiers.optional(),
});
export type SmokeResult = z.infer<typeof SmokeResult>;

/** At most the last 40 lines and 4000 characters of a query's output, as results keep it. */
export function outputTail(output: string): string {
  return output.split('\n').slice(-40).join('\n').slice(-4000);
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The catalog's `expect` may name `{arch}`: the Debian architecture the container should report. */
export function expectPattern(smoke: Pick<Smoke, 'expect'>, platform: string): RegExp {
  return new RegExp(smoke.expect.replaceAll('{arch}', escapeRe(archOf(platform))), 'm');
}

/**
 * Signs that the query itself crashed rather than answered: a Python traceback or import error, a
 * library the dynamic loader or dlopen could not find, a fatal signal. The driver libraries that only
 * a device host provides (the NVIDIA container toolkit mounts libcuda and libnvidia-*) are exempt:
 * their absence is what "no device" looks like.
 */
const CRASH_LINES = [
  /^Traceback \(most recent call last\):/,
  /^(?:ModuleNotFoundError|ImportError|SyntaxError|NameError|AttributeError|TypeError): /,
  /error while loading shared libraries: |: cannot open shared object file/,
  /Segmentation fault|Illegal instruction|Aborted|Bus error|core dumped/,
  /exec format error|executable file not found|: not found$|Permission denied$/,
];
const DRIVER_LIBRARY = /\blib(?:cuda|nvidia-[a-z-]+)\.so\b/;
/** What a query or probe prints when it computed and checked a result and it was wrong: never no-device. */
const WRONG_RESULT = /^wrong result\b.*$/m;

/** The line that shows the query crashed, or undefined. Exit 126/127 (cannot run) and 128+ (a signal) count too. */
export function crashSign(exitCode: number | null, output: string): string | undefined {
  const lines = output.split('\n').map((l) => l.trim());
  const hits = lines.filter((l) => CRASH_LINES.some((re) => re.test(l)) && !DRIVER_LIBRARY.test(l));
  // A traceback's last line names the error; prefer it to the "Traceback" header.
  const named = hits.filter((l) => !l.startsWith('Traceback')).pop() ?? hits.pop();
  if (named) return named;
  if (exitCode === 126 || exitCode === 127) return 'the query could not be run';
  if (exitCode !== null && exitCode >= 128) return `killed by signal ${exitCode - 128}`;
  return undefined;
}

/**
 * passed: exit 0 and the expected pattern; no-device: the runtime answered with its no-device
 * pattern, without crashing; failed: anything else (a crash, a broken runtime, wrong output, a
 * timeout). A crash is never no-device, even when its output happens to hold the no-device
 * pattern (a traceback quotes the source line it stopped on). A wrong result (a line starting
 * `wrong result`) is failed too, whatever else the output says.
 */
export function classify(
  smoke: Pick<Smoke, 'expect' | 'noDevice' | 'timeout'>,
  platform: string,
  run: { exitCode: number | null; output: string; timedOut: boolean },
): { outcome: Outcome; detail: string } {
  const lastLines = run.output.trim().split('\n').slice(-3).join(' | ');
  if (run.timedOut) return { outcome: 'failed', detail: `timed out after ${smoke.timeout}s` };
  const crash = crashSign(run.exitCode, run.output);
  const wrong = WRONG_RESULT.exec(run.output);
  if (run.exitCode === 0 && !crash && !wrong && expectPattern(smoke, platform).test(run.output)) {
    return { outcome: 'passed', detail: firstMatch(expectPattern(smoke, platform), run.output) };
  }
  if (crash) return { outcome: 'failed', detail: `crashed (exit code ${run.exitCode}): ${crash}` };
  if (wrong) return { outcome: 'failed', detail: wrong[0].trim() };
  if (smoke.noDevice && new RegExp(smoke.noDevice, 'm').test(run.output)) {
    return { outcome: 'no-device', detail: firstMatch(new RegExp(smoke.noDevice, 'm'), run.output) };
  }
  const why = run.exitCode === 0 ? `output did not match /${smoke.expect}/` : `exit code ${run.exitCode}`;
  return { outcome: 'failed', detail: `${why}: ${lastLines || '(no output)'}` };
}

/** The whole's outcome: failed when a tier failed, else no-device when one found no device, else passed. */
export function overallOutcome(tiers: Tiers): Outcome {
  const outcomes = [tiers.query.outcome, tiers.compute.outcome];
  if (outcomes.includes('failed')) return 'failed';
  if (outcomes.includes('no-device')) return 'no-device';
  return 'passed';
}

/** An outcome with its tiers' outcomes where they were recorded: a smoke result, or one read back from a registry. */
export interface TieredOutcome {
  outcome: Outcome;
  tiers?: { query: { outcome: TierOutcome }; compute: { outcome: TierOutcome } };
}

/** `query passed, compute passed` or `query passed, compute none`: which tiers passed, in a few words. */
export function tiersText(r: TieredOutcome): string {
  if (!r.tiers) return `query ${r.outcome}`;
  return `query ${r.tiers.query.outcome}, compute ${r.tiers.compute.outcome}`;
}

/** `passed (query passed, compute passed)`, or the outcome alone where the tiers were not recorded. */
export const smokeText = (r: TieredOutcome): string => (r.tiers ? `${r.outcome} (${tiersText(r)})` : r.outcome);

/** The line holding the match: what a person wants to see in the summary. */
function firstMatch(re: RegExp, output: string): string {
  const m = re.exec(output);
  if (!m) return '';
  const start = output.lastIndexOf('\n', m.index) + 1;
  const end = output.indexOf('\n', m.index + m[0].length);
  return output
    .slice(start, end < 0 ? undefined : end)
    .trim()
    .split('\n')
    .join(' | ');
}

const xml = (s: string) =>
  s.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');

/** JUnit XML: one testcase per image and platform; no-device is a skip unless devices are required. */
export function junit(results: SmokeResult[], requireDevice: boolean): string {
  const failed = results.filter((r) => r.outcome === 'failed' || (requireDevice && r.outcome === 'no-device')).length;
  const skipped = results.filter((r) => !requireDevice && r.outcome === 'no-device').length;
  const cases = results.map((r) => {
    const open = `    <testcase classname="accelbase.smoke.${xml(r.image)}" name="${xml(r.platform)}" time="${r.durationS.toFixed(3)}">`;
    if (r.outcome === 'passed') return `${open}\n      <system-out>${xml(r.detail)}</system-out>\n    </testcase>`;
    if (r.outcome === 'no-device' && !requireDevice)
      return `${open}\n      <skipped message="no-device: ${xml(r.detail)}"/>\n    </testcase>`;
    return `${open}\n      <failure message="${xml(r.outcome)}: ${xml(r.detail)}"/>\n    </testcase>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n  <testsuite name="accelbase smoke" tests="${results.length}" failures="${failed}" skipped="${skipped}">\n${cases.join('\n')}\n  </testsuite>\n</testsuites>\n`;
}
