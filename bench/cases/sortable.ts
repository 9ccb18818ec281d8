/**
 * Issue 12, item 3: what a sort index (temporalTable's `sortable`) costs a write of its property. The same
 * table twice, `name` sortable in one: the same ticks and bulk updates on each, interleaved so both meet the
 * same load, and the ratio of their times.
 */
import { and, gte, lte, sql } from "drizzle-orm";
import { createMany, tick, withActivity, type AnyTemporalTable } from "@temporal-records/drizzle";
import { against, latency, rate, type Ctx } from "../context";
import { makeRow, sortedItem, unsortedItem } from "../schema";
import { count } from "../stats";

const activity = { reason: "Benchmark: sort index write cost", actor: "bench" };

/** Runs `fn` on each table in turn, `reps` times, and returns each table's milliseconds. */
async function interleaved(reps: number, fn: (table: AnyTemporalTable, i: number) => Promise<unknown>): Promise<[number[], number[]]> {
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < reps; i++) {
    for (const [t, table] of [sortedItem, unsortedItem].entries()) {
      const start = performance.now();
      await fn(table, i);
      times[t]!.push(performance.now() - start);
    }
  }
  return times;
}

export async function sortableCases(ctx: Ctx): Promise<void> {
  const { db, cfg } = ctx;
  const records = cfg.createMany[0]!;
  const rows = Array.from({ length: records }, (_, i) => makeRow(i + 1));
  for (const table of [sortedItem, unsortedItem]) await createMany(db, table, rows, activity);
  const size = `${count(records)} records`;
  const key = () => 1 + Math.floor(Math.random() * records);
  const rename = (table: AnyTemporalTable) => tick(db, table, key(), { name: `Item ${ctx.next()}` }, activity);

  await interleaved(20, rename); // warm-up: each connection plans the capture's statements once
  const [sorted, unsorted] = await interleaved(cfg.latencyReps, rename);
  const withIndex = latency(ctx, "tick of a sortable property", size, sorted, "name (a sort index in its history), a random record");
  const without = latency(ctx, "the same tick without the sort index", size, unsorted);
  against(ctx, withIndex, without, "the same tick on a table without the sort index");

  // Every record renamed in one statement: the index gets an entry for each closed row and each new one.
  const reps = cfg.bulk.at(-1)!.reps;
  const [bulkSorted, bulkUnsorted] = await interleaved(reps, (table) =>
    withActivity(db, activity, (tx) =>
      tx.execute(sql`UPDATE ${table} SET "name" = "name" || '.' WHERE ${and(gte(table.id, 1), lte(table.id, records))}`),
    ),
  );
  const bulk = rate(ctx, "bulk UPDATE ... WHERE of a sortable property", size, records, bulkSorted, "name, every record, one activity");
  const bulkWithout = rate(ctx, "the same UPDATE without the sort index", size, records, bulkUnsorted);
  against(ctx, bulk, bulkWithout, "the same UPDATE on a table without the sort index");
}
