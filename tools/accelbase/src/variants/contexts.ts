// Base-image overloading without an edit: buildx named contexts (--build-context / bake `contexts`).
import { RewriteError } from '../errors.js';
import { contextKey } from '../oci/reference.js';
import { knownValue } from './arg-expand.js';
import { toPosition, type RewritePosition } from './dockerfile-lines.js';
import { expandGlobal, loadDockerfile, stageNamed, type DockerfileModel } from './dockerfile-model.js';
import { DEFAULT_BASE_ARG, type RewriteOptions } from './rewrite-from.js';
import { describeStage, resolveTarget, type Target } from './stages.js';

/** Named-context values buildx understands as-is; anything else is taken as an image reference. */
const CONTEXT_SOURCE = /^(?:[a-z][a-z0-9+.-]*:\/\/|target:)/i;

/**
 * The zero-edit path for buildx: a bake `contexts` map (or `--build-context k=v` pairs) that replaces the
 * base of the chosen stage (same choice as `rewriteFrom`), e.g.
 * `{ "acceleratorbase/edgetpu-std": "docker-image://acceleratorbase/edgetpu-max" }`.
 *
 * The key is the name BuildKit looks up: the FROM reference after ARG expansion, familiar form,
 * without `:latest`. So a reference containing ARGs can't be keyed and is an error, and because a named
 * context replaces every use of that name, another stage (or COPY --from) using the same base is an
 * error too: use `rewriteFrom` for those.
 */
export function overloadContexts(
  text: string,
  replacement: string,
  opts: Pick<RewriteOptions, 'stage'> = {},
): Record<string, string> {
  const value = contextValue(replacement);
  const m = loadDockerfile(text);
  // No ARG name is special here: a `${BASE_IMAGE}` base is just a reference with an ARG in it.
  const target = resolveTarget(m, opts.stage, null);
  const where = toPosition(target.refSpan.start);
  const key = keyOf(target, where);
  const alsoHit = otherUses(m, target, key);
  if (alsoHit.length > 0) {
    throw new RewriteError(
      `a named context "${key}" would also replace ${alsoHit.join(', ')}, not only the base of ` +
        `${describeStage(target.stage)}; use rewriteFrom to overload one stage`,
      where,
    );
  }
  return { [key]: value };
}

/** The context value for a replacement: a buildx source as given, an image reference as `docker-image://`. */
function contextValue(replacement: string): string {
  if (!replacement || /\s/.test(replacement)) {
    throw new RewriteError(`"${replacement}" is not a valid replacement image`);
  }
  if (CONTEXT_SOURCE.test(replacement)) return replacement;
  if (contextKey(replacement) === null) {
    throw new RewriteError(`"${replacement}" is not a valid image reference`);
  }
  return `docker-image://${replacement}`;
}

/** The name BuildKit looks the target's base up by; an error when build arguments make it unknowable. */
function keyOf(target: Target, where: RewritePosition): string {
  if (target.expansion.refs.length > 0) {
    const expanded = knownValue(target.expansion.parts);
    const hint = expanded ? ` (with the current defaults that is "${expanded}")` : '';
    throw new RewriteError(
      `${describeStage(target.stage)}: FROM ${target.ref} uses build arguments (${target.expansion.refs
        .map((r) => `$${r}`)
        .join(', ')}), but named contexts are keyed by the literal image name after ARG expansion${hint}; ` +
        `a key containing \${...} never matches. Use rewriteFrom (--build-arg ${DEFAULT_BASE_ARG}=...) instead, ` +
        `or key the context by the expanded name yourself`,
      where,
    );
  }
  const key = contextKey(target.ref);
  if (key === null) {
    throw new RewriteError(`${describeStage(target.stage)}: "${target.ref}" is not a valid image reference`, where);
  }
  return key;
}

/** Everything besides the target's base that a context named `key` would replace too. */
function otherUses(m: DockerfileModel, target: Target, key: string): string[] {
  const hits: string[] = [];
  for (const s of m.stages) {
    if (s === target.stage) continue;
    const ref = s.from.getImage();
    if (ref === null) continue;
    const v = knownValue(expandGlobal(m, ref).parts);
    const isStage = v !== undefined && stageNamed(m.stages.slice(0, s.index), v) !== undefined;
    if (v !== undefined && !isStage && contextKey(v) === key) hits.push(`the base of ${describeStage(s)}`);
  }
  for (const copy of m.df.getCOPYs()) {
    const from = copy.getFromFlag()?.getValue();
    if (!from || /^\d+$/.test(from) || stageNamed(m.stages, from) !== undefined) continue;
    if (contextKey(from) === key) {
      hits.push(`COPY --from=${from} at line ${copy.getRange().start.line + 1}`);
    }
  }
  return hits;
}

/** The chosen stage's base as BuildKit would look it up (ARG-expanded), or undefined when unknowable or none. */
export function ownBaseReference(text: string, opts: Pick<RewriteOptions, 'stage'> = {}): string | undefined {
  try {
    const m = loadDockerfile(text);
    const target = resolveTarget(m, opts.stage, null);
    return target.expansion.refs.length > 0 ? undefined : (knownValue(target.expansion.parts) ?? target.ref);
  } catch (e) {
    if (e instanceof RewriteError) return undefined;
    throw e;
  }
}
