/**
 * The benchmark runner: `npm run bench` (full, 100,000-row scale) or `npm run bench -- --quick`,
 * against the Postgres server in DATABASE_URL (`--pglite` measures the embedded engine instead);
 * `-- --scale 10000,100000,1000000` follows the costs from size to size instead (bench/scale.ts).
 * Each run gets a fresh database, dropped at the end. Prints one markdown table (each figure
 * beside its no-history baseline and the ratio) and writes bench/results/<engine>-<date>.json;
 * a full run on Postgres also rewrites bench/RESULTS.md with the machine and the hot plans.
 * Exits 0 on WARN: benchmarks inform, they do not gate.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sql } from "drizzle-orm";
import { testDb } from "../lib/temporal/tests/harness";
import { query, type Config, type Ctx } from "./context";
import { bulkCases, createCases } from "./cases/bulk";
import { readCases } from "./cases/reads";
import { storageCase, verifyCase } from "./cases/storage";
import { seedSmall, singleRow, warmUp } from "./cases/writes";
import { deepCases } from "./cases/deep";
import { peerCases } from "./cases/peer";
import { peersCases } from "./cases/peers";
import { sortableCases } from "./cases/sortable";
import { hotPlans, plansMarkdown, type Plan } from "./plans";
import { benchSchema, benchTables } from "./schema";
import { appRun } from "./app";
import { scaleRun } from "./scale";
import { markdown, writeResults } from "./report";
import { count } from "./stats";

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

async function main(): Promise<void> {
  const cfg = parseArgs(process.argv.slice(2));
  if (process.argv.includes("--app") && process.argv.includes("--pglite")) {
    console.error("--app measures the app on a Postgres server (its production setting): leave out --pglite and set DATABASE_URL.");
    process.exit(2);
  }
  if (process.argv.includes("--app") && process.env.DATABASE_URL) return appRun(process.argv.slice(2));
  if (!process.env.DATABASE_URL && !process.argv.includes("--pglite")) {
    console.error(
      "npm run bench measures a Postgres server: set DATABASE_URL, e.g.\n" +
        "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench\n" +
        "(it creates its own database there and drops it at the end). To measure the embedded PGlite instead: npm run bench -- --pglite",
    );
    process.exit(2);
  }
  if (process.argv.includes("--pglite")) delete process.env.DATABASE_URL;
  if (process.argv.includes("--scale")) return scaleRun(process.argv.slice(2));
  const started = Date.now();
  const { db, kind, close, url } = await testDb(benchSchema, benchTables);
  let seq = 1_000_000;
  const ctx: Ctx = { db, url, engine: kind, cfg, results: [], records: 0, hot: [], moments: [], sample: () => {}, next: () => ++seq };
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
    ["peer comparison (W1-W3) and five-property tick", () => peerCases(ctx)],
    ["createMany", () => createCases(ctx)],
    ["single-row writes (large table)", () => singleRow(ctx)],
    ["bulk writes", () => bulkCases(ctx)],
    ["sort index: its write cost", () => sortableCases(ctx)],
    ["reads", () => readCases(ctx)],
    ["deep history", () => deepCases(ctx)],
    ["verify", () => verifyCase(ctx)],
    ["storage", () => storageCase(ctx)],
    ["peers: periods, JSONB audit trigger, temporal_tables", () => peersCases(ctx)],
    ["plans", async () => void (plans = await hotPlans(ctx))],
  ];
  let plans: Plan[] = [];
  // --only <word>: run the phases whose name contains it (the small table is always made), for quick iteration;
  // `--only peers` runs the comparison with the peers alone.
  const only = process.argv.includes("--only") ? process.argv[process.argv.indexOf("--only") + 1] : undefined;
  try {
    for (const [name, run] of phases.filter(([name], i) => i === 0 || name === "plans" || !only || name.includes(only))) {
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
  const table = markdown(ctx.results);
  console.log(table);
  // --plans: print the hot reads' plans too (a full run on Postgres writes them to bench/RESULTS.md).
  if (process.argv.includes("--plans")) for (const p of plans) console.log(`\n### ${p.name}\n${p.plan}`);

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
  if (kind === "postgres" && cfg.name === "full" && !only) {
    const machine = `${cpus().length} CPUs (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, node ${process.version}`;
    const when = new Date().toISOString().slice(0, 16).replace("T", " ");

    const section = `## Library workloads (\`npm run bench\`)

- **When**: ${when} UTC, ${Math.round(seconds)} s
- **Database**: ${server!.version}
- **Machine**: ${machine}; load average ${load.start.map((l) => l.toFixed(2)).join(" ")} at the start, ${load.end.map((l) => l.toFixed(2)).join(" ")} at the end

${table}

### Plans of the hot reads (EXPLAIN ANALYZE, BUFFERS)

${plansMarkdown(plans)}`;
    console.log(`wrote ${writeResults("library", section)}`);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
