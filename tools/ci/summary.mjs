#!/usr/bin/env node
// Sum vitest JSON reports into the plain closing line CI reads: `N passed, N failed[, N skipped]`.
// A test file that failed to load has no failed tests of its own: it counts as one failure.
// `--step "NAME=passed|failed"` adds a CI step that is not a vitest run (the maintainer scenario):
// it gets a line of its own, and a failed one counts as one failure.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const args = process.argv.slice(2);
const steps = [];
const files = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--step') steps.push(args[++i] ?? '');
  else files.push(args[i]);
}
for (const file of files) {
  if (!existsSync(file)) {
    console.error(`summary: ${file} is missing: that tier did not run to the end`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  for (const suite of report.testResults) {
    if (suite.status === 'failed' && !suite.assertionResults.some((a) => a.status === 'failed')) failed += 1;
  }
}
for (const step of steps) {
  const [, name, outcome] = /^(.+)=(passed|failed)$/.exec(step) ?? [null, step || '(unnamed step)', 'failed'];
  console.log(`${name}: ${outcome}`);
  if (outcome === 'failed') failed += 1;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exitCode = failed > 0 ? 1 : 0;
