// The bad-input corpus as a whole, in process through main(): how many cases, and how long they take.
import { badInputCorpus, problemsOf, removeTemplate, runCase } from '../src/cli/fixtures/bad-input/index.js';

export interface CorpusBench {
  cases: number;
  wallMs: number;
  slowest: { name: string; ms: number };
  /** Cases that broke a promise (exit 0, a stack trace, a change, ...): none, or the bench says which. */
  failed: string[];
}

export async function benchCorpus(repoRoot: string): Promise<CorpusBench> {
  let slowest = { name: '', ms: 0 };
  const failed: string[] = [];
  const start = performance.now();
  try {
    for (const c of badInputCorpus) {
      const outcome = await runCase(repoRoot, c);
      if (outcome.ms > slowest.ms) slowest = { name: `${c.category}: ${c.name}`, ms: outcome.ms };
      if (problemsOf(c, outcome).length) failed.push(c.name);
    }
  } finally {
    removeTemplate();
  }
  return { cases: badInputCorpus.length, wallMs: performance.now() - start, slowest, failed };
}
