/** The figures of a reliability run, as lines docs/RELIABILITY.md quotes. */
import { count, formatCounts, total, type Counts } from "./kinds";
import type { RestartOptions, RestartRun } from "./restart";
import type { TickRun } from "./ticks";

const n = (value: number) => value.toLocaleString("en-US");
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function printTicks(run: TickRun, clients: number, ticks: number, logErrors: Counts): void {
  const { audit } = run;
  console.log(`\n(a) ${clients} clients × ${ticks} ticks on one record, ${run.mode}`);
  console.log(
    `  ${n(run.attempts)} ticks in ${run.seconds.toFixed(1)} s (${n(Math.round(run.attempts / run.seconds))} attempts/s): ` +
      `${n(audit.acknowledged)} acknowledged (${n(Math.round(audit.acknowledged / run.seconds))} ticks/s), ${n(audit.stored)} stored`,
  );
  console.log(`  failures: ${formatCounts(run.failures)}`);
  console.log(
    `  lost updates: ${audit.lost}; phantom writes: ${audit.phantoms}; overlapping history ranges: ${audit.overlaps}; violations: ${run.violations.length}`,
  );
  console.log(`  server log ERROR lines: ${formatCounts(logErrors)}`);
}

/** Counts by kind in three phases: before the stop, until the app served again, after. */
function byPhase(items: { at: number; ms: number; kind: string }[], run: RestartRun): string {
  const phases: [string, Counts][] = [
    ["before the stop", new Map()],
    ["outage and recovery", new Map()],
    ["after", new Map()],
  ];
  for (const item of items) {
    const phase = item.at + item.ms < run.marks.stop ? 0 : run.marks.served !== undefined && item.at >= run.marks.served ? 2 : 1;
    count(phases[phase]![1], item.kind);
  }
  return phases.map(([name, counts]) => `\n    ${name}: ${formatCounts(counts)}`).join("");
}

export function printRestart(run: RestartRun, options: RestartOptions): void {
  const { marks, audit } = run;
  const saves = run.edits.filter((e) => e.save).length;
  console.log(
    `\n(b) the production app while the database stops and starts: ${options.readers} readers, ${options.editors} browser editors`,
  );
  console.log(
    `  stop issued at ${s(marks.stop)} (down at ${s(marks.down)}), start issued at ${s(marks.start)}, accepting at ${s(marks.up)}; ` +
      (marks.served === undefined
        ? "the app never served again"
        : `app served again at ${s(marks.served)}: recovery ${s(run.recoveryMs!)}`),
  );
  console.log(`  reads: ${n(run.reads.length)}${byPhase(run.reads, run)}`);
  console.log(`  edits: ${n(run.edits.length)}, ${n(saves)} reached Save${byPhase(run.edits, run)}`);
  for (const edit of run.edits.filter((e) => e.editor >= options.editors)) {
    const when =
      edit.savedAt === undefined ? "did not reach Save" : `pressed Save at ${s(edit.savedAt)}, answered at ${s(edit.at + edit.ms)}`;
    console.log(`  editor ${edit.editor} (saves while the database is down): ${when}: ${edit.kind}`);
  }
  console.log(
    `  saves: ${n(audit.acknowledged)} acknowledged, ${n(audit.stored)} stored; ${n(audit.refused)} reported as not saved; ` +
      `${n(audit.unknownStored + audit.unknownLost)} with an unknown outcome (${audit.unknownStored} stored, ${audit.unknownLost} not)`,
  );
  console.log(
    `  lost saves: ${audit.lost}; phantom saves: ${audit.phantoms}; overlapping history ranges: ${audit.overlaps}; violations: ${run.violations.length}`,
  );
  const log = [...run.serverLog].sort((a, b) => b[1] - a[1]);
  console.log(`  app server log: ${log.length === 0 ? "no error lines" : `${n(total(run.serverLog))} error lines, most frequent first:`}`);
  for (const [line, times] of log.slice(0, 8)) console.log(`    ${times} × ${line}`);
}
