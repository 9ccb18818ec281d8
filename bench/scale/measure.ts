/**
 * The costs the scale run follows from size to size (docs/SCALING.md), each on random records
 * of the whole table and, where there is one, beside the same work without history: a tick,
 * asOf by version and by time, a timeline, a table as of a moment (its first page counted, and
 * a keyset page), verify over the whole table, and the bytes history takes.
 */
import { eq, gt, sql } from "drizzle-orm";
import { asOf, tableAsOf, tick, timeline, verify, type TemporalDb } from "@temporal-records/drizzle";
import { against, latency, query, value, type Sink } from "../context";
import { item, plain } from "../schema";
import { timeReps } from "../stats";

export type Sizes = { records: number; size: string; reps: number; heavyReps: number };

const activity = { reason: "Scale: a single tick", actor: "bench" };

/** Times `a` and `b` in turns, rep by rep, so a figure and its baseline see the same load on a shared machine. */
async function inTurns(reps: number, a: (i: number) => Promise<unknown>, b: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 10; i++) {
    await a(-1 - i);
    await b(-1 - i);
  }
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < reps; i++) {
    for (const [j, fn] of [a, b].entries()) {
      const start = performance.now();
      await fn(i);
      times[j]!.push(performance.now() - start);
    }
  }
  return times;
}

type Timed = { name: string; run: (i: number) => Promise<unknown>; note?: string };

/** A figure beside its baseline (no history), measured in turns; the ratio of their medians. */
async function beside(sink: Sink, size: string, reps: number, figure: Timed, baseline: Timed & { label: string }): Promise<void> {
  const [ours, theirs] = await inTurns(reps, figure.run, baseline.run);
  against(sink, latency(sink, figure.name, size, ours, figure.note), latency(sink, baseline.name, size, theirs), baseline.label);
}

/** `moment`: after every record was created, before this size's new records ticked. */
export async function measure(sink: Sink, db: TemporalDb, at: Sizes, moment: Date, next: () => number): Promise<void> {
  const { size, reps } = at;
  const keys = Array.from({ length: reps + 20 }, () => 1 + Math.floor(Math.random() * at.records));
  const key = (i: number) => keys[Math.abs(i) % keys.length]!;
  const current = {
    name: "plain: current row",
    label: "SELECT the current row",
    run: (i: number) =>
      db
        .select()
        .from(item)
        .where(eq(item.id, key(i))),
  };

  await beside(
    sink,
    size,
    reps,
    { name: "tick (helper, own activity)", run: (i) => tick(db, item, key(i), { score: next() }, activity), note: "random records" },
    {
      name: "plain: UPDATE by key",
      label: "plain UPDATE (autocommit)",
      run: (i) =>
        db
          .update(plain)
          .set({ score: next() })
          .where(eq(plain.id, key(i))),
    },
  );
  const byVersion = (i: number) => asOf(db, item, key(i), { vclock: 1 + (Math.abs(i) % 2) });
  await beside(sink, size, reps, { name: "asOf { vclock }", run: byVersion, note: "random records, version 1 or 2" }, current);
  const byTime = (i: number) => asOf(db, item, key(i), { at: moment });
  await beside(sink, size, reps, { name: "asOf { at }", run: byTime, note: "random records, a moment after the last load" }, current);
  await beside(
    sink,
    size,
    reps,
    { name: "timeline (limit 50)", run: (i) => timeline(db, item, key(i), { limit: 50 }), note: "random records, 2 ticks each" },
    current,
  );

  let total: number | null = 0;
  const counted = await timeReps(
    at.heavyReps,
    async () => {
      total = (await tableAsOf(db, item, moment, { limit: 50 })).total;
    },
    1,
  );
  latency(sink, "tableAsOf (first 50, counted)", size, counted, `total ${total}: reads every record`);
  const afters = Array.from({ length: reps + 20 }, () => Math.floor(Math.random() * (at.records - 100)));
  const after = (i: number) => afters[Math.abs(i) % afters.length]!;
  await beside(
    sink,
    size,
    reps,
    {
      name: "tableAsOf (keyset page of 50)",
      run: (i) => tableAsOf(db, item, moment, { limit: 50, after: after(i), count: false }),
      note: "after a random key, no count",
    },
    {
      name: "plain: keyset page",
      label: "the same page of current rows",
      run: (i) =>
        db
          .select()
          .from(item)
          .where(gt(item.id, after(i)))
          .orderBy(item.id)
          .limit(51),
    },
  );

  let violations = 0;
  const checked = await timeReps(
    1,
    async () => {
      violations = (await verify(db, item)).length;
    },
    0,
  );
  latency(sink, "verify (whole table)", size, checked, `${violations} violations`);
  await storage(sink, db, size);
}

/** Bytes of the clock and history tables (heap, TOAST, indexes) per tick, as written (VACUUMed, not compacted). */
async function storage(sink: Sink, db: TemporalDb, size: string): Promise<void> {
  const [row] = await query(
    db,
    sql`SELECT (SELECT count(*) FROM "bench_item_clock")::bigint AS "ticks",
               (SELECT count(*) FROM "bench_item")::bigint AS "records",
               sum(pg_total_relation_size(c.oid))::bigint AS "history",
               sum(pg_indexes_size(c.oid))::bigint AS "indexes",
               pg_total_relation_size('bench_item')::bigint AS "entity"
          FROM pg_class c WHERE c.relkind IN ('r', 'p') AND c.relname ~ '^bench_item_(clock|history_)'`,
  );
  const ticks = Number(row!.ticks);
  const history = Number(row!.history);
  const share = Math.round((100 * Number(row!.indexes)) / history);
  value(sink, "storage: bytes per tick", size, "B/tick", history / ticks, `clock + 4 history tables, ${share}% in indexes; ${ticks} ticks`);
  value(
    sink,
    "storage: history bytes per record",
    size,
    "B/record",
    history / Number(row!.records),
    `the entity table takes ${Math.round(Number(row!.entity) / Number(row!.records))} B/record`,
  );
}
