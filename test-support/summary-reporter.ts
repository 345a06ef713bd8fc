/**
 * Prints where the run's time went (seconds per project, the slowest files) and one closing line,
 * `N passed, N failed, N skipped`, that CI can read whatever the runner.
 */
import { relative } from "node:path";
import type { Reporter, TestModule } from "vitest/node";

const SLOWEST_SHOWN = 15;

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === "passed") counts.passed++;
        else if (state === "failed") counts.failed++;
        else counts.skipped++;
      }
    }
    process.stdout.write(timeReport(testModules));
    process.stdout.write(`\n${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  }
}

/** A file's own time: importing it plus its tests and hooks (what a worker spends on it). */
function fileSeconds(module: TestModule): number {
  const d = module.diagnostic();
  return (d.collectDuration + d.setupDuration + d.duration) / 1000;
}

function timeReport(testModules: ReadonlyArray<TestModule>): string {
  if (testModules.length < 2) return "";
  const perProject = new Map<string, { files: number; seconds: number }>();
  for (const module of testModules) {
    const entry = perProject.get(module.project.name) ?? { files: 0, seconds: 0 };
    entry.files++;
    entry.seconds += fileSeconds(module);
    perProject.set(module.project.name, entry);
  }
  const lines = ["", "Time per project (sum of file times; files run in parallel up to maxWorkers):"];
  for (const [name, { files, seconds }] of [...perProject].sort((a, b) => b[1].seconds - a[1].seconds)) {
    lines.push(`  ${name.padEnd(10)} ${String(files).padStart(4)} files ${seconds.toFixed(0).padStart(6)} s`);
  }
  lines.push(`Slowest ${Math.min(SLOWEST_SHOWN, testModules.length)} files:`);
  const slowest = [...testModules].sort((a, b) => fileSeconds(b) - fileSeconds(a)).slice(0, SLOWEST_SHOWN);
  for (const module of slowest) {
    const file = relative(process.cwd(), module.moduleId);
    lines.push(`  ${fileSeconds(module).toFixed(1).padStart(7)} s  ${module.project.name.padEnd(9)} ${file}`);
  }
  return `${lines.join("\n")}\n`;
}
