/**
 * Speed and memory targets, per engine. A miss prints WARN; the runner never fails on
 * it: benchmarks inform, they do not gate CI.
 *
 * On Postgres the targets that matter are the issue's: ratios to the same work on a plain
 * table, measured in the same run (steady even on a busy machine). The absolute floors
 * below them, and PGlite's, were set from two full runs on 2026-11-25 (100k-row scale)
 * on a 2-core machine shared with other work; PGlite runs in this process, single-threaded,
 * so its floors are looser.
 *
 * Keys are a case name, or `case@size` for a target that holds at one size only.
 * `stat` names the column checked: p95 is the slow end for latencies and, for rates
 * (rows/s), the rate of the slowest-but-5% run.
 */
import type { Engine } from "./context";

export type Target = { stat: "median" | "p95" | "ratio"; max?: number; min?: number };

const ms = (max: number): Target => ({ stat: "p95", max });
const rows = (min: number): Target => ({ stat: "p95", min });
/** Temporal time / the same work on a plain table (same run): the targets are these. */
const ratio = (max: number): Target => ({ stat: "ratio", max });

export const TARGETS: Record<Engine, Record<string, Target>> = {
  postgres: {
    // The targets, on ratios to the same work without history.
    // Workload 1: a tick in its own activity, against a one-round-trip autocommit UPDATE.
    "tick (helper, own activity)": ratio(3),
    "W2 tick of one property (own activity)": ratio(3),
    // Workload 2: five properties changed in one tick.
    "tick of five properties": ratio(5),
    // Workloads 3 and 4: set-based writes of many rows.
    tickMany: ratio(5),
    createMany: ratio(5),
    // Workload 5: one-record reads against reading the current row; a past page in under 50 ms.
    "asOf { vclock }": ratio(3),
    "asOf { at }": ratio(3),
    "W3 asOf { vclock }": ratio(3),
    "W3 asOf { at }": ratio(3),
    "tableAsOf (keyset page of 50)": { stat: "median", max: 50 },
    // Workload 5 on the app's data set: a past page sorted by a column.
    "tableAsOf (page of 50 sorted by name)": { stat: "median", max: 50 },
    // Issue 12, item 3: sorted by a sortable property (its sort index), the first page and offset 2,500 in 50 ms.
    "tableAsOf sorted by a sortable property: first page": { stat: "median", max: 50 },
    "tableAsOf sorted by a sortable property: offset 2,500": { stat: "median", max: 50 },
    "tableAsOf sorted by a sortable property: descending, first page": { stat: "median", max: 50 },
    "tableAsOf sorted by a sortable property: descending, offset 2,500": { stat: "median", max: 50 },
    // Workload 7: the app's pages on 100,000 members, p50 time to first byte, one request at a time.
    "table page: first byte": { stat: "median", max: 150 },
    "record page: first byte": { stat: "median", max: 150 },
    "activity log page: first byte": { stat: "median", max: 150 },
    // Workload 7, the auditor's pages (issue 10): p50 under 150 ms each.
    "record page as of a date: first byte": { stat: "median", max: 150 },
    "compare page (v1 to latest): first byte": { stat: "median", max: 150 },
    "property timeline page: first byte": { stat: "median", max: 150 },
    "table as of a date, sorted by premium: first byte": { stat: "median", max: 150 },
    "table compare mode: first byte": { stat: "median", max: 150 },
    "changes across records (one month): first byte": { stat: "median", max: 150 },
    "activity log CSV export": { stat: "median", min: 20_000 },
    "activity log CSV export: server RSS growth": { stat: "median", max: 100 },
    // Workload 3's memory bound for the Node process (tickMany of 100k in a fresh process: bench/memory.ts).
    "peak RSS (node process)": { stat: "median", max: 500 },

    // Issue 12: beside the peers (bench/cases/peers.ts), ours / the best peer, same run, same data.
    "W2 tick of one property: against the fastest peer": ratio(1.3),
    "bulk: tickMany / UPDATE ... FROM (given values): against the fastest peer": ratio(3),
    "bulk: UPDATE ... WHERE: against the fastest peer": ratio(3),
    "as-of one record by time: against the fastest peer": ratio(1),
    "bytes per one-property tick (after VACUUM): against the smallest peer": ratio(1),

    // Our own floors (no issue target): absolute, from earlier runs on this 2-core machine.
    "update in withActivity": ratio(5),
    "bulk UPDATE ... WHERE": rows(2_000),
    "bulk UPDATE ... WHERE@1k": rows(600),
    "bulk UPDATE ... WHERE@100": rows(1_000),
    "history (limit 50)": ms(15),
    "timeline (limit 50)": ms(50),
    "diff (vclock 1 → now)": ms(20),
    blame: ms(15),
    // Counting every match visits the whole table as it was: 7-10 s at 110k records.
    "tableAsOf (first 50)": ms(15_000),
    "tableAsOf (where status, 50)": ms(12_000),
    "changedIn (one day)": ms(3_000),
    "changeset of a bulk activity": ms(1_000),
    "listActivities (limit 50)": ms(600),
    "verify (whole table)": ms(25_000),
    "storage: bytes per tick (as written)": { stat: "median", max: 600 },
  },
  pglite: {
    // Medians 5-10 ms; p95 of 200 runs up to 32 ms (garbage collection of the WebAssembly heap).
    "tick (helper, own activity)": ms(40),
    "update in withActivity": ms(40),
    createMany: rows(500),
    // 10k/100k: p95 1,240-2,800 rows/s across the two runs.
    "bulk UPDATE ... WHERE": rows(1_000),
    "bulk UPDATE ... WHERE@1k": rows(500),
    "bulk UPDATE ... WHERE@100": rows(500),
    tickMany: rows(800),
    "tickMany@1k": rows(450),
    "tickMany@100": rows(500),
    // The WebAssembly heap (the database itself) is part of this process and never shrinks: 2.6 GB at 100k rows.
    "peak RSS (bench process)": { stat: "median", max: 3_500 },
    // p95 4-6 ms in the full run, up to 26-31 ms in a quick run on the busy machine.
    "asOf { vclock }": ms(30),
    "asOf { at }": ms(30),
    "history (limit 50)": ms(30),
    "timeline (limit 50)": ms(40),
    "diff (vclock 1 → now)": ms(30),
    blame: ms(30),
    "tableAsOf (first 50)": ms(12_000),
    "tableAsOf (where status, 50)": ms(12_000),
    "changedIn (one day)": ms(7_000),
    "changeset of a bulk activity": ms(800),
    "listActivities (limit 50)": ms(700),
    "verify (whole table)": ms(25_000),
    "storage: bytes per tick (as written)": { stat: "median", max: 600 },
  },
};

export function targetFor(engine: Engine, name: string, size: string): Target | undefined {
  const table = TARGETS[engine];
  return table[`${name}@${size}`] ?? table[name];
}

export function describe(target: Target): string {
  const bound = target.max !== undefined ? `${target.stat === "ratio" ? "≤" : "<"} ${target.max}` : `>= ${target.min}`;
  return target.stat === "ratio" ? `ratio ${bound}×` : `${target.stat} ${bound}`;
}

export function check(target: Target, value: { median: number; p95: number; ratio?: number }): "PASS" | "WARN" {
  const v = value[target.stat] ?? Number.NaN;
  if (target.max !== undefined && !(target.stat === "ratio" ? v <= target.max : v < target.max)) return "WARN";
  if (target.min !== undefined && !(v >= target.min)) return "WARN";
  return "PASS";
}
