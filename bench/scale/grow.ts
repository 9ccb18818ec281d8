/**
 * Grows the scale run's data set to the next size, the same shape at every size: each new
 * record is created (one clock row, four history rows) and then ticked once (its score), both
 * set-based through the capture triggers (INSERT ... SELECT and UPDATE ... WHERE in
 * withActivity, in chunks of 100,000 rows, one activity each), so every record has 2 ticks and
 * 6 history rows. The plain table gets the same rows and the same UPDATE.
 */
import { sql } from "drizzle-orm";
import { withActivity, type TemporalDb } from "@temporal-records/drizzle";
import { against, rate, type Sink } from "../context";
import { count, timeOnce } from "../stats";

const CHUNK = 100_000;

/** The generated row `g` of bench_item, as SQL: the same values as makeRow (bench/schema.ts). */
const columns = sql.raw(`"id", "name", "status", "score", "note"`);
const generated = (from: number, to: number) =>
  sql`SELECT g, 'Item ' || g, (ARRAY['active', 'gold', 'paused', 'closed'])[g % 4 + 1], g % 1000,
             'created by the benchmark, batch ' || (g / 1000) FROM generate_series(${from}::int, ${to}::int) AS g`;

function chunks(from: number, to: number): [number, number][] {
  const out: [number, number][] = [];
  for (let lo = from; lo <= to; lo += CHUNK) out.push([lo, Math.min(to, lo + CHUNK - 1)]);
  return out;
}

export type Grown = {
  /** A moment after the new records were created and before they ticked: asOf there reads their first version. */
  between: Date;
};

/** Records `from`..`to` created and ticked once, in both tables; the load and the tick measured as rates. */
export async function grow(sink: Sink, db: TemporalDb, from: number, to: number, size: string): Promise<Grown> {
  const rows = to - from + 1;
  const load: number[] = [];
  const plainLoad: number[] = [];
  for (const [lo, hi] of chunks(from, to)) {
    const t = await timeOnce(() =>
      withActivity(db, { reason: `Scale: records ${count(lo)} to ${count(hi)}`, actor: "bench" }, (tx) =>
        tx.execute(sql`INSERT INTO "bench_item" (${columns}) ${generated(lo, hi)}`),
      ),
    );
    load.push(t.ms);
    const p = await timeOnce(() => db.execute(sql`INSERT INTO "bench_item_plain" (${columns}) ${generated(lo, hi)}`));
    plainLoad.push(p.ms);
  }
  const between = new Date();
  const tick: number[] = [];
  const plainTick: number[] = [];
  for (const [lo, hi] of chunks(from, to)) {
    const t = await timeOnce(() =>
      withActivity(db, { reason: `Scale: a tick of records ${count(lo)} to ${count(hi)}`, actor: "bench" }, (tx) =>
        tx.execute(sql`UPDATE "bench_item" SET "score" = "score" + 1 WHERE "id" BETWEEN ${lo} AND ${hi}`),
      ),
    );
    tick.push(t.ms);
    const p = await timeOnce(() => db.execute(sql`UPDATE "bench_item_plain" SET "score" = "score" + 1 WHERE "id" BETWEEN ${lo} AND ${hi}`));
    plainTick.push(p.ms);
  }
  // Fresh statistics and a visibility map, as autovacuum would leave them after a load.
  await db.execute(sql`VACUUM ANALYZE`);
  const sum = (times: number[]) => [times.reduce((a, b) => a + b, 0)];
  const note = `${count(rows)} new records, chunks of ${count(CHUNK)}`;
  const created = rate(sink, "load: INSERT ... SELECT", size, rows, sum(load), note);
  against(sink, created, rate(sink, "plain: INSERT ... SELECT", size, rows, sum(plainLoad)), "the same INSERT on the plain table");
  const ticked = rate(sink, "bulk tick: UPDATE ... WHERE", size, rows, sum(tick), note);
  against(sink, ticked, rate(sink, "plain: UPDATE ... WHERE", size, rows, sum(plainTick)), "the same UPDATE on the plain table");
  return { between };
}
