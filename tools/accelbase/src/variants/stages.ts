// Which stage's base gets overloaded: the stage the caller names (default: the final one), followed
// through FROM <stage> links to the stage whose base is an external image.
import { RewriteError } from '../errors.js';
import { couldMatch, knownValue, type Expansion } from './arg-expand.js';
import { toPosition, type Span } from './dockerfile-lines.js';
import { expandGlobal, stageNamed, type DockerfileModel, type Stage } from './dockerfile-model.js';

/** A stage by `AS` name (case-insensitive) or 0-based index; undefined: the final stage. */
export type StageSelector = string | number | undefined;

export interface StageRef {
  index: number;
  /** The `AS` name as written, if the stage has one. */
  name?: string;
}

export interface Target {
  stage: Stage;
  /** The reference as written (flags and AS name excluded). */
  ref: string;
  refSpan: Span;
  expansion: Expansion;
  /** Already `${arg}` / `$arg`. */
  overloaded: boolean;
}

export function describeStage(s: Stage): string {
  return s.name ? `stage ${s.index} (${s.name})` : `stage ${s.index}`;
}

function listStages(stages: Stage[]): string {
  return stages.map((s) => (s.name ? `${s.index} (${s.name})` : `${s.index} (unnamed)`)).join(', ');
}

export function stageRef(s: Stage): StageRef {
  return s.name ? { index: s.index, name: s.name } : { index: s.index };
}

function pickStage(stages: Stage[], selector: StageSelector): Stage {
  if (selector === undefined) return stages[stages.length - 1]!;
  if (typeof selector === 'number') {
    const s = Number.isInteger(selector) ? stages[selector] : undefined;
    if (!s) {
      throw new RewriteError(
        `stage index ${selector} does not exist; the Dockerfile has ${stages.length} stage(s): ${listStages(stages)}`,
      );
    }
    return s;
  }
  const byName = stageNamed(stages, selector.toLowerCase());
  if (byName) return byName;
  if (/^\d+$/.test(selector) && stages[Number(selector)]) return stages[Number(selector)]!;
  throw new RewriteError(`stage "${selector}" does not exist; the Dockerfile has stages: ${listStages(stages)}`);
}

function isArgReference(ref: string, arg: string | null): boolean {
  return arg !== null && (ref === `$${arg}` || ref === `\${${arg}}`);
}

/**
 * The stage an expanded FROM reference names, if any. BuildKit resolves FROM <name> against stages
 * defined before this one; numeric indexes are accepted here too (the same way COPY --from=<n> refers
 * to stages).
 */
function earlierStage(earlier: Stage[], value: string): Stage | undefined {
  return stageNamed(earlier, value) ?? (/^\d+$/.test(value) ? earlier[Number(value)] : undefined);
}

/**
 * Follow FROM <stage> links from the selected stage to the stage whose base is an external image.
 * `arg` is the build argument that marks a base as already overloaded (`${arg}` / `$arg`); null: none.
 */
export function resolveTarget(m: DockerfileModel, selector: StageSelector, arg: string | null): Target {
  if (m.stages.length === 0) {
    throw new RewriteError('the Dockerfile has no FROM instruction, so there is no base image to overload', {
      line: 1,
      column: 1,
    });
  }
  const chain: Stage[] = [];
  let stage = pickStage(m.stages, selector);
  for (;;) {
    chain.push(stage);
    const from = stage.from;
    const ref = from.getImage();
    const refSpan = from.getImageRange();
    const where = toPosition(from.getRange().start);
    if (ref === null || refSpan === null) {
      throw new RewriteError(`${describeStage(stage)}: FROM has no image reference`, where);
    }
    const expansion = expandGlobal(m, ref);
    if (isArgReference(ref, arg)) return { stage, ref, refSpan, expansion, overloaded: true };

    const via = chain.length > 1 ? `, reached from ${chain.slice(0, -1).map(describeStage).join(' -> ')},` : '';
    const value = knownValue(expansion.parts);
    const earlier = m.stages.slice(0, stage.index);
    if (value !== undefined) {
      if (value === 'scratch') {
        throw new RewriteError(
          `${describeStage(stage)}${via} is FROM scratch, so there is no external base image to overload; ` +
            `choose another stage (stages: ${listStages(m.stages)})`,
          where,
        );
      }
      if (value === '') {
        throw new RewriteError(`${describeStage(stage)}: FROM ${ref} expands to an empty image name`, where);
      }
      const next = earlierStage(earlier, value);
      if (next) {
        stage = next;
        continue;
      }
    } else {
      const maybe = earlier.filter((s) => s.key !== undefined && couldMatch(expansion.parts, s.key));
      if (maybe.length > 0) {
        throw new RewriteError(
          `${describeStage(stage)}${via} uses FROM ${ref}, which may refer to ${maybe.map(describeStage).join(' or ')} ` +
            `depending on build arguments; overload one of those stages instead`,
          where,
        );
      }
    }
    return { stage, ref, refSpan, expansion, overloaded: false };
  }
}
