// Which images a change touches: rendered files are committed, so a catalog edit changes exactly the
// files under images/<project>/ of the images it affects; dependants follow through the bases. Pure.
import type { Plan } from './plan.js';

/** Projects whose rendered folder holds a changed file, plus every project built on them. */
export function affectedProjects(plan: Plan, changedFiles: string[]): string[] {
  const touched = new Set(changedFiles.map((f) => /^images\/([^/]+)\//.exec(f)?.[1]).filter((p): p is string => !!p));
  const projectOf = new Map(plan.images.map((i) => [i.name, i.project]));
  const dependants = new Map<string, Set<string>>();
  for (const image of plan.images) {
    if (!image.base) continue;
    const base = projectOf.get(image.base.name)!;
    if (!dependants.has(base)) dependants.set(base, new Set());
    dependants.get(base)!.add(image.project);
  }
  const out = new Set<string>();
  const visit = (p: string) => {
    if (out.has(p)) return;
    out.add(p);
    for (const d of dependants.get(p) ?? []) visit(d);
  };
  const known = new Set(plan.images.map((i) => i.project));
  for (const p of touched) if (known.has(p)) visit(p);
  // Build order, as the plan has it.
  return [...new Set(plan.images.map((i) => i.project))].filter((p) => out.has(p));
}
