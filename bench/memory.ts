/**
 * Workload 3's memory bound, measured alone: a fresh Node process that opens the database,
 * runs one tickMany of `rows` entries (keys from..from+rows-1 of the benchmark's item table)
 * and prints its peak resident set size as JSON. The runner spawns it (Postgres only: it
 * needs a second connection to the same database), so the figure is what an app process
 * doing this tickMany needs, not what earlier benchmark phases left on the heap.
 *   tsx bench/memory.ts <database url> <from> <rows>
 */
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { tickMany, type TemporalDb, type TickManyEntry } from "@temporal-records/drizzle";
import { item } from "./schema";
import { MB, rssSampler, timeOnce } from "./stats";

const [url, from, rows] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
if (!url || !Number.isInteger(from) || !Number.isInteger(rows)) throw new Error("usage: tsx bench/memory.ts <database url> <from> <rows>");
const pool = new pg.Pool({ connectionString: url, max: 1 });
const db = drizzle(pool) as unknown as TemporalDb;
await db.execute("SELECT 1");
const sampler = rssSampler();
const start = process.memoryUsage.rss();
const entries: TickManyEntry<typeof item>[] = [];
for (let id = from; id < from + rows; id++) entries.push({ key: id, changes: { score: 1_000_000 + id } });
const run = await timeOnce(() => tickMany(db, item, entries, { reason: "Benchmark: tickMany in a fresh process", actor: "bench" }));
sampler.sample();
const peak = sampler.stop();
await pool.end();
console.log(
  JSON.stringify({ peakMB: peak / MB, startMB: start / MB, ms: run.ms, changed: run.value.filter((r) => r.changed.length > 0).length }),
);
