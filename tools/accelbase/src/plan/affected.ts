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

interface ImageJsonPackages {
  images: {
    name: string;
    packages: { name: string; source: string; constraint?: string; locked: Record<string, string> }[];
  }[];
}

/** What changed in an image's resolved packages between two image.json files: lines for a reviewer. */
export function packageChanges(before: ImageJsonPackages | undefined, after: ImageJsonPackages | undefined): string[] {
  const lines: string[] = [];
  const images = new Set([...(before?.images ?? []), ...(after?.images ?? [])].map((i) => i.name));
  for (const name of images) {
    const old = new Map((before?.images.find((i) => i.name === name)?.packages ?? []).map((p) => [p.name, p]));
    const now = new Map((after?.images.find((i) => i.name === name)?.packages ?? []).map((p) => [p.name, p]));
    const show = (p: { locked: Record<string, string>; constraint?: string }) =>
      [...new Set(Object.values(p.locked))].join('|') || p.constraint || 'unlocked';
    for (const [pkg, p] of now) {
      const o = old.get(pkg);
      if (!o) lines.push(`${name}: + ${pkg} ${show(p)} (${p.source})`);
      else if (show(o) !== show(p) || o.source !== p.source)
        lines.push(
          `${name}: ${pkg} ${show(o)} -> ${show(p)}${o.source !== p.source ? ` (${o.source} -> ${p.source})` : ''}`,
        );
    }
    for (const [pkg, o] of old) if (!now.has(pkg)) lines.push(`${name}: - ${pkg} ${show(o)}`);
  }
  return lines;
}
