/** What every benchmark case receives: the database, the sizes to use, and where to put results. */
import type { SQL } from "drizzle-orm";
import type { TemporalDb } from "@temporal-records/drizzle";
import { median, percentile } from "./stats";
import { check, describe, targetFor } from "./targets";

export type Engine = "postgres" | "pglite";

export type Config = {
  name: "quick" | "full";
  /** Records in the small table the first latency cases run on. */
  small: number;
  /** createMany sizes, timed in order; the table then holds small + their sum. */
  createMany: number[];
  /** Set-based bulk sizes (UPDATE ... WHERE and tickMany), with repetitions each. */
  bulk: { rows: number; reps: number }[];
  latencyReps: number;
  readReps: number;
  /** Repetitions of reads that scan the whole table (tableAsOf, changedIn, changeset). */
  heavyReadReps: number;
  verifyReps: number;
  /** Keys that get deep histories from the single-tick cases. */
  hot: number;
};

export type Result = {
  engine: Engine;
  case: string;
  size: string;
  unit: string;
  reps: number;
  median: number;
  p95: number;
  /** Latencies only (rates and single values have none). */
  p99?: number;
  note?: string;
  /** The same work without history, measured in the same run on the same database. */
  baseline?: { label: string; median: number; p95: number; unit: string };
  /** Temporal time / baseline time (for rates: baseline rate / temporal rate). */
  ratio?: number;
  target?: string;
  status?: "PASS" | "WARN";
  /** "peers": a figure of ours beside a peer's (the baseline is the peer's, with history too), printed in its own table. */
  section?: "peers";
};

export type Ctx = {
  db: TemporalDb;
  /** The benchmark database's URL (Postgres only), for measurements in a separate process. */
  url?: string;
  engine: Engine;
  cfg: Config;
  results: Result[];
  /** Records in the temporal table (and the same in the plain one). */
  records: number;
  hot: number[];
  /** Moments between writes, for reads "as of". */
  moments: Date[];
  /** The id of the largest bulk activity, for changeset. */
  bulkActivity?: string;
  /** Samples RSS now, for the peak of a bulk phase (PGlite blocks the timer while a query runs). */
  sample: () => void;
  /** A fresh value for `score`, so every write really changes something. */
  next: () => number;
};

/** Where results go: the library run's Ctx, or the app run's. */
export type Sink = Pick<Ctx, "engine" | "results">;

function judge(ctx: Sink, result: Result): void {
  const target = targetFor(ctx.engine, result.case, result.size);
  if (target) {
    result.target = describe(target);
    result.status = check(target, result);
  }
}

function add(ctx: Sink, result: Omit<Result, "engine" | "target" | "status">): Result {
  const full: Result = { engine: ctx.engine, ...result };
  judge(ctx, full);
  ctx.results.push(full);
  return full;
}

/**
 * Puts `baseline` (the same work on a plain table, same run, same database) beside
 * `result` with the ratio of their times (of the medians, unless given), and drops
 * the baseline's own row.
 */
export function against(ctx: Sink, result: Result, baseline: Result, label = baseline.case, ratio?: number): Result {
  const slower = ratio ?? (result.unit === "rows/s" ? baseline.median / result.median : result.median / baseline.median);
  result.baseline = { label, median: baseline.median, p95: baseline.p95, unit: baseline.unit };
  result.ratio = slower;
  const at = ctx.results.indexOf(baseline);
  if (at >= 0) ctx.results.splice(at, 1);
  judge(ctx, result);
  return result;
}

/** Latencies in ms: median, p95 and p99 of the runs. */
export function latency(ctx: Sink, name: string, size: string, times: number[], note?: string): Result {
  return add(ctx, {
    case: name,
    size,
    unit: "ms",
    reps: times.length,
    median: median(times),
    p95: percentile(times, 95),
    p99: percentile(times, 99),
    note,
  });
}

/** Throughput in rows/s: the median run's rate, and the rate of the p95 (slow) run. */
export function rate(ctx: Sink, name: string, size: string, rows: number, times: number[], note?: string): Result {
  const perSecond = (ms: number) => (rows / ms) * 1000;
  return add(ctx, {
    case: name,
    size,
    unit: "rows/s",
    reps: times.length,
    median: perSecond(median(times)),
    p95: perSecond(percentile(times, 95)),
    note,
  });
}

/** A single measured quantity (bytes, a ratio, MB). */
export function value(ctx: Sink, name: string, size: string, unit: string, v: number, note?: string): Result {
  return add(ctx, { case: name, size, unit, reps: 1, median: v, p95: v, note });
}

/** Raw SQL rows, on node-postgres and PGlite alike. */
export async function query(db: TemporalDb, statement: SQL): Promise<Record<string, unknown>[]> {
  const result = (await db.execute(statement)) as unknown as { rows: Record<string, unknown>[] };
  return result.rows;
}
