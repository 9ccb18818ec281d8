/**
 * The benchmark runner: `npm run bench` (full, 100,000-row scale) or `npm run bench -- --quick`.
 * PGlite by default; the real server when DATABASE_URL is set. Each run gets a fresh
 * database from the test harness, dropped at the end. Prints a table and writes
 * bench/results/<engine>-<date>.json. Exits 0 on WARN: benchmarks inform, they do not gate.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { testDb } from "../lib/temporal/tests/harness";
import { query, type Config, type Ctx, type Engine, type Result } from "./context";
import { bulkCases, createCases } from "./cases/bulk";
import { readCases } from "./cases/reads";
import { storageCase, verifyCase } from "./cases/storage";
import { seedSmall, singleRow, warmUp } from "./cases/writes";
import { benchSchema, item } from "./schema";
import { count, fmt } from "./stats";

const CONFIGS: Record<"quick" | "full", Config> = {
  quick: {
    name: "quick",
    small: 100,
    createMany: [1_000, 3_000],
    bulk: [
      { rows: 100, reps: 5 },
      { rows: 1_000, reps: 3 },
      { rows: 4_000, reps: 1 },
    ],
    latencyReps: 50,
    readReps: 20,
    heavyReadReps: 3,
    verifyReps: 1,
    hot: 5,
  },
  full: {
    name: "full",
    small: 100,
    createMany: [10_000, 100_000],
    bulk: [
      { rows: 1_000, reps: 5 },
      { rows: 10_000, reps: 3 },
      { rows: 100_000, reps: 2 },
    ],
    latencyReps: 200,
    readReps: 100,
    heavyReadReps: 3,
    verifyReps: 1,
    hot: 10,
  },
};

function parseArgs(argv: string[]): Config {
  const cfg = structuredClone(CONFIGS[argv.includes("--quick") ? "quick" : "full"]);
  const at = argv.indexOf("--max-rows");
  if (at >= 0) {
    // Scale the largest sizes down (e.g. for a slow engine): every size is capped at this many rows.
    const max = Number(argv[at + 1]);
    if (!Number.isInteger(max) || max < 1000) throw new Error("--max-rows expects a whole number of at least 1000.");
    cfg.createMany = cfg.createMany.map((n) => Math.min(n, max));
    cfg.bulk = cfg.bulk.map((b) => ({ ...b, rows: Math.min(b.rows, max) }));
  }
  return cfg;
}

function print(engine: Engine, results: Result[]): void {
  const header = ["engine", "case", "size", "reps", "median", "p95", "unit", "target", "status", "note"];
  const table = results.map((r) => [
    engine,
    r.case,
    r.size,
    String(r.reps),
    fmt(r.median),
    fmt(r.p95),
    r.unit,
    r.target ?? "",
    r.status ?? "",
    r.note ?? "",
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const right = new Set([3, 4, 5]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of table) console.log(line(row));
}

async function main(): Promise<void> {
  const cfg = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const { db, kind, close, url } = await testDb(benchSchema, [item]);
  let seq = 1_000_000;
  const ctx: Ctx = { db, engine: kind, cfg, results: [], records: 0, hot: [], moments: [], sample: () => {}, next: () => ++seq };
  const [server] = await query(db, sql`SELECT version() AS version, current_setting('shared_buffers') AS shared_buffers`);
  const largest = Math.max(...cfg.createMany, ...cfg.bulk.map((b) => b.rows));
  console.log(`bench: ${kind}, ${cfg.name} run (sizes up to ${count(largest)} rows), ${server!.version}`);
  console.log(
    `       shared_buffers ${server!.shared_buffers}, node ${process.version}, ${cpus().length} CPUs, ${Math.round(totalmem() / 2 ** 30)} GB RAM`,
  );
  const loadBefore = loadavg();
  console.log(`       load average ${loadBefore.map((l) => l.toFixed(2)).join(" ")} at start`);
  // Dropped at the end; an interrupted run leaves it behind (DROP DATABASE ... WITH (FORCE) by hand).
  if (url) console.log(`       database ${new URL(url).pathname.slice(1)}`);
  console.log("");

  const phases: [string, () => Promise<void>][] = [
    ["small table", () => seedSmall(ctx)],
    ["warm-up", () => warmUp(ctx)],
    ["single-row writes (small table)", () => singleRow(ctx)],
    ["createMany", () => createCases(ctx)],
    ["single-row writes (large table)", () => singleRow(ctx)],
    ["bulk writes", () => bulkCases(ctx)],
    ["reads", () => readCases(ctx)],
    ["verify", () => verifyCase(ctx)],
    ["storage", () => storageCase(ctx)],
  ];
  try {
    for (const [name, run] of phases) {
      const t = Date.now();
      await run();
      console.log(`  ${name}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }
  } finally {
    await close();
  }
  const seconds = (Date.now() - started) / 1000;
  const loadAfter = loadavg();
  console.log(`\ndone in ${seconds.toFixed(0)} s; load average ${loadAfter.map((l) => l.toFixed(2)).join(" ")} at the end`);
  // Load above the core count means other work competed for the CPUs (the 5-minute average covers most of a full run).
  if (Math.max(loadBefore[0]!, loadAfter[1]!) > cpus().length) {
    console.log(
      `NOTE: the machine was busy (load above ${cpus().length}): timings are inflated; the ratios to the plain table are steadier.`,
    );
  }
  console.log("");
  print(kind, ctx.results);

  const warned = ctx.results.filter((r) => r.status === "WARN").length;
  const stamp = new Date().toISOString().slice(0, 16).replace(":", "-");
  const dir = join(dirname(fileURLToPath(import.meta.url)), "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${kind}-${stamp}${cfg.name === "quick" ? "-quick" : ""}.json`);
  const load = { start: loadBefore, end: loadAfter };
  const meta = {
    engine: kind,
    run: cfg.name,
    config: cfg,
    server: server!.version,
    node: process.version,
    cpus: cpus().length,
    load,
    seconds,
  };
  writeFileSync(file, `${JSON.stringify({ ...meta, results: ctx.results }, null, 2)}\n`);
  console.log(`\n${warned} WARN of ${ctx.results.filter((r) => r.status).length} targets; results in ${file}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
