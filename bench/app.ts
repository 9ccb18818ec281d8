/**
 * `npm run bench -- --app`: the app's data set (workloads 5 and 7 of the performance issue).
 * Loads 100,000 members with 2,000,000 history rows into a database of its own on the
 * DATABASE_URL server (through the library, about 4 minutes), measures the reads on it, then
 * builds the app and measures its pages under `next start`. `--reuse` keeps the database for
 * the next run (and reuses a complete one); `--skip-build` reuses the last `next build`.
 * Sizes: `--members N` (history rows follow at 20 per member), `--quick` (5,000 members);
 * `--only reads` or `--only pages` runs one of the two measurements (`--only export` the pages' export alone, on a
 * fresh server); `--database <name>` names the database
 * (default temporal_bench_app), so two people's runs on one server do not drop each other's.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { cpus, loadavg, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { migrate } from "@/db/migrate";
import { authFor } from "@/lib/auth/server";
import type { TemporalDb } from "@temporal-records/drizzle";
import { existingAppData, loadAppData, type AppDataSize } from "./app/data";
import { appExport, appPages, startApp } from "./app/pages";
import { appPlans, appReads } from "./app/reads";
import type { Result, Sink } from "./context";
import { plansMarkdown, type Plan } from "./plans";
import { markdown, writeResults } from "./report";

const DEFAULT_DATABASE = "temporal_bench_app";

export async function appRun(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    strict: false,
    options: {
      quick: { type: "boolean" },
      members: { type: "string" },
      reuse: { type: "boolean" },
      "skip-build": { type: "boolean" },
      requests: { type: "string" },
      only: { type: "string" },
      database: { type: "string" },
    },
  });
  const databaseName = typeof values.database === "string" ? values.database : DEFAULT_DATABASE;
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(databaseName)) throw new Error("--database expects a lower-case name (letters, digits, _).");
  const quick = values.quick === true;
  const members = Number(values.members ?? (quick ? 5_000 : 100_000));
  const requests = Number(values.requests ?? (quick ? 50 : 200));
  if (!Number.isInteger(members) || members < 1_000) throw new Error("--members expects a whole number of at least 1000.");
  if (!Number.isInteger(requests) || requests < 10) throw new Error("--requests expects a whole number of at least 10.");
  const size: AppDataSize = { members, historyRows: members * 20, deepTicks: quick ? 1_000 : 10_000, corrections: quick ? 4_000 : 90_000 };
  const full = !quick && members === 100_000 && requests >= 200 && values.only === undefined;

  const server = new URL(process.env.DATABASE_URL!);
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  const [{ version }] = (await admin.query("SELECT version()")).rows as [{ version: string }];
  const exists = (await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [databaseName])).rowCount === 1;
  const started = Date.now();
  const loadBefore = loadavg();
  console.log(
    `bench --app: ${members.toLocaleString("en-US")} members, ${size.historyRows.toLocaleString("en-US")} history rows, ${version}`,
  );
  console.log(
    `       ${cpus().length} CPUs, node ${process.version}, load average ${loadBefore.map((l) => l.toFixed(2)).join(" ")} at start`,
  );
  const url = new URL(server);
  url.pathname = `/${databaseName}`;
  const open = () => {
    const pool = new pg.Pool({ connectionString: url.toString(), max: 4 });
    return { db: drizzle(pool) as unknown as TemporalDb, close: () => pool.end() };
  };
  // A fresh key each run: the server signs session cookies with it, this process signs in with it.
  process.env.BETTER_AUTH_SECRET = randomBytes(32).toString("base64url");

  let database = exists ? open() : undefined;
  let data = values.reuse && database ? await existingAppData(database.db, size) : undefined;
  const reused = data !== undefined;
  if (reused) console.log(`       reusing database ${databaseName} (--reuse)`);
  else {
    await database?.close();
    // Only ever this run's own database, on a server the caller named.
    await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await admin.query(`CREATE DATABASE "${databaseName}"`);
    database = open();
  }
  const { db } = database!;
  // A reused data set gets the migrations committed since it was loaded (a fresh one is migrated by the loader).
  if (reused) await migrate({ db, kind: "postgres", close: async () => {} });
  const auth = authFor(db);
  const results: Result[] = [];
  const sink: Sink = { engine: "postgres", results };
  const phase = async (name: string, fn: () => Promise<void>) => {
    const t = Date.now();
    await fn();
    console.log(`  ${name}: ${((Date.now() - t) / 1000).toFixed(1)} s`);
  };
  const port = 3210;
  let app: ReturnType<typeof startApp> | undefined;
  let plans: Plan[] = [];
  try {
    if (!data) await phase("load", async () => void (data = await loadAppData(db, auth, size, (line) => console.log(`    ${line}`))));
    const wanted = (name: string) => values.only === undefined || values.only === name;
    if (wanted("reads")) {
      await phase("reads", () => appReads(sink, db, data!, quick ? 30 : 200, quick ? 5 : 20));
      plans = await appPlans(db, data!);
    }
    if (wanted("pages"))
      await phase("pages", async () => {
        app = startApp(url.toString(), port, process.env.BETTER_AUTH_SECRET!, values["skip-build"] !== true);
        await appPages(sink, auth, data!, { port, server: app, requests });
      });
    if (values.only === "export")
      await phase("export", async () => {
        app = startApp(url.toString(), port, process.env.BETTER_AUTH_SECRET!, values["skip-build"] !== true);
        await appExport(sink, auth, data!, { port, server: app });
      });
  } finally {
    app?.kill("SIGTERM");
    await database!.close();
    if (!values.reuse) await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await admin.end();
  }

  const seconds = (Date.now() - started) / 1000;
  const loadAfter = loadavg();
  const table = markdown(results);
  console.log(`\ndone in ${seconds.toFixed(0)} s; load average ${loadAfter.map((l) => l.toFixed(2)).join(" ")} at the end\n`);
  console.log(table);
  const stamp = new Date().toISOString().slice(0, 16).replace(":", "-");
  const dir = join(dirname(fileURLToPath(import.meta.url)), "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `app-${stamp}${full ? "" : "-partial"}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ server: version, size, data, seconds, load: { start: loadBefore, end: loadAfter }, results }, null, 2)}\n`,
  );
  const warned = results.filter((r) => r.status === "WARN").length;
  console.log(`\n${warned} WARN of ${results.filter((r) => r.status).length} targets; results in ${file}`);
  if (full) {
    const when = new Date().toISOString().slice(0, 16).replace("T", " ");
    const machine = `${cpus().length} CPUs (${cpus()[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GB RAM, node ${process.version}`;
    const section = `## App data set (\`npm run bench -- --app\`)

- **When**: ${when} UTC, ${Math.round(seconds)} s${reused ? " (data set loaded by an earlier run)" : ""}
- **Data**: ${data!.members.toLocaleString("en-US")} members, ${data!.historyCount.toLocaleString("en-US")} history rows, member ${data!.deepId} with ${data!.deepTicks.toLocaleString("en-US")} ticks
- **Database**: ${version}
- **Machine**: ${machine}; load average ${loadBefore.map((l) => l.toFixed(2)).join(" ")} at the start, ${loadAfter.map((l) => l.toFixed(2)).join(" ")} at the end

${table}

### Plans of the reads on this data set (EXPLAIN ANALYZE, BUFFERS)

${plansMarkdown(plans)}`;
    console.log(`wrote ${writeResults("app", section)}`);
  }
}
