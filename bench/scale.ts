/**
 * `npm run bench -- --scale 10000,100000,1000000`: how our costs grow with the number of records
 * (docs/SCALING.md). One database grows from size to size (bench/scale/grow.ts: every record
 * created and ticked once, set-based, so each size has the same shape); at each size the same
 * figures are measured (bench/scale/measure.ts). Before each size the run estimates its time
 * from the last one; a size that would pass `--budget` seconds (600 by default) is left out and
 * its figures are extrapolated from the slope of the last two sizes measured, marked ≈.
 * `--partitions N` hashes bench_item's clock and history tables by key into N partitions first.
 * Prints the growth table and the ratios to the same work without history, and writes
 * bench/results/scale-<date>.json; bench/RESULTS.md is left as it is.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { hashPartitionStatements } from "@temporal-records/drizzle";
import { testDb } from "../lib/temporal/tests/harness";
import { query, type Result, type Sink } from "./context";
import { grow } from "./scale/grow";
import { growthTable, ratioTable, sizeLabel } from "./scale/growth";
import { measure } from "./scale/measure";
import { benchSchema, benchTables, item } from "./schema";

type Stage = { records: number; added: number; loadMs: number; measureMs: number };

function options(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: { scale: { type: "string" }, budget: { type: "string" }, reps: { type: "string" }, partitions: { type: "string" } },
  });
  const sizes = String(values.scale ?? "10000,100000,1000000")
    .split(",")
    .map(Number);
  if (sizes.some((n, i) => !Number.isInteger(n) || n < 1_000 || (i > 0 && n <= sizes[i - 1]!))) {
    throw new Error("--scale expects increasing whole numbers of at least 1000, e.g. --scale 10000,100000,1000000.");
  }
  const budget = Number(values.budget ?? 600);
  const reps = Number(values.reps ?? 200);
  if (!(budget > 0)) throw new Error("--budget expects seconds, e.g. --budget 600.");
  if (!Number.isInteger(reps) || reps < 10) throw new Error("--reps expects a whole number of at least 10.");
  const partitions = values.partitions === undefined ? undefined : Number(values.partitions);
  return { sizes, budget, reps, partitions };
}

/** The next size's time by the last one: loading is linear in the rows added, measuring (verify) in the records. */
function estimate(last: Stage, records: number): number {
  const added = records - last.records;
  return 1.2 * (last.loadMs * (added / last.added) + last.measureMs * (records / last.records));
}

export async function scaleRun(argv: string[]): Promise<void> {
  const { sizes, budget, reps, partitions } = options(argv);
  const started = Date.now();
  const loadBefore = loadavg();
  const { db, kind, close, url } = await testDb(benchSchema, benchTables);
  const [server] = await query(db, sql`SELECT version() AS "version"`);
  // --partitions N: bench_item's clock and history tables hashed by key into N partitions (docs/SCALING.md).
  if (partitions !== undefined) for (const statement of hashPartitionStatements(item, { partitions })) await db.execute(sql.raw(statement));
  const layout = partitions === undefined ? "" : `, clock and history in ${partitions} hash partitions`;
  console.log(`bench --scale: ${kind}, ${sizes.map(sizeLabel).join(" → ")} records${layout}, budget ${budget} s, ${server!.version}`);
  console.log(
    `       ${cpus().length} CPUs, node ${process.version}, load average ${loadBefore.map((l) => l.toFixed(2)).join(" ")} at start`,
  );
  if (url) console.log(`       database ${new URL(url).pathname.slice(1)} (dropped at the end)`);
  const sink: Sink = { engine: kind, results: [] as Result[] };
  const stages: Stage[] = [];
  let seq = 10_000_000;
  try {
    for (const records of sizes) {
      const last = stages.at(-1);
      const left = budget * 1000 - (Date.now() - started);
      if (last && estimate(last, records) > left) {
        const s = Math.round(estimate(last, records) / 1000);
        console.log(`  ${sizeLabel(records)}: left out, about ${s} s by the last size, ${Math.round(left / 1000)} s left of the budget`);
        break;
      }
      const from = last?.records ?? 0;
      const size = `${sizeLabel(records)} records`;
      const t0 = Date.now();
      const { between } = await grow(sink, db, from + 1, records, size);
      const t1 = Date.now();
      await measure(sink, db, { records, size, reps, heavyReps: 3 }, between, () => ++seq);
      const stage = { records, added: records - from, loadMs: t1 - t0, measureMs: Date.now() - t1 };
      stages.push(stage);
      const l = loadavg()
        .map((x) => x.toFixed(2))
        .join(" ");
      console.log(
        `  ${size}: load ${(stage.loadMs / 1000).toFixed(1)} s, measure ${(stage.measureMs / 1000).toFixed(1)} s (load average ${l})`,
      );
    }
  } finally {
    await close();
  }
  const measured = stages.map((s) => s.records);
  const seconds = (Date.now() - started) / 1000;
  const loadAfter = loadavg();
  console.log(`\ndone in ${seconds.toFixed(0)} s; load average ${loadAfter.map((l) => l.toFixed(2)).join(" ")} at the end\n`);
  const growth = growthTable(sink.results, sizes, measured);
  const ratios = ratioTable(sink.results, measured);
  console.log(`${growth}\n\n${ratios}`);
  if (measured.length < sizes.length) console.log("\n≈: not measured in this run's budget; the last two sizes' slope, extrapolated.");
  const stamp = new Date().toISOString().slice(0, 16).replace(":", "-");
  const dir = join(dirname(fileURLToPath(import.meta.url)), "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `scale-${kind}${partitions === undefined ? "" : `-hash${partitions}`}-${stamp}.json`);
  const machine = {
    cpus: cpus().length,
    model: cpus()[0]?.model.trim(),
    memoryGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const load = { start: loadBefore, end: loadAfter };
  const meta = { engine: kind, server: server!.version, machine, sizes, measured, partitions, budget, stages, seconds, load };
  writeFileSync(file, `${JSON.stringify({ ...meta, results: sink.results }, null, 2)}\n`);
  console.log(`\nresults in ${file}`);
}
