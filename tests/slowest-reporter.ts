/**
 * Prints the ten slowest test files and the ten slowest tests after every run, so the cost of the
 * suite stays visible. A file's time includes its imports and its hooks (building its database).
 */
import type { Reporter, TestModule, Vitest } from "vitest/node";

const SHOWN = 10;

export default class SlowestReporter implements Reporter {
  private vitest?: Vitest;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const files = testModules.map((module) => ({ name: module.relativeModuleId, ms: module.diagnostic().duration }));
    const tests = testModules.flatMap((module) =>
      [...module.children.allTests()].map((test) => ({
        name: `${module.relativeModuleId} > ${test.fullName}`,
        ms: test.diagnostic()?.duration ?? 0,
      })),
    );
    const lines = (title: string, rows: { name: string; ms: number }[]) => [
      title,
      ...rows
        .sort((a, b) => b.ms - a.ms)
        .slice(0, SHOWN)
        .map((row) => `${(row.ms / 1000).toFixed(1).padStart(7)} s  ${row.name}`),
    ];
    const log = (line: string) => (this.vitest ? this.vitest.logger.log(line) : console.log(line));
    for (const line of ["", ...lines("Slowest test files:", files), ...lines("Slowest tests:", tests)]) log(line);
  }
}
