/**
 * `npm run reliability`: faults and load, on a throw-away Postgres cluster it creates and drops
 * (never the main one on 5432), with figures. (a) 32 clients × 200 ticks on one record, without and
 * with expectedVclock; (b) the production app under a bounded load of reads and edits while the
 * database stops and starts. Prints the figures and exits 1 on any violation. See docs/RELIABILITY.md.
 *
 * `--reuse-build` serves the last `next build` (CI, after the e2e step built it); `--clients`,
 * `--ticks` size (a). RELIABILITY_CLUSTER (reliability), RELIABILITY_PG_PORT (5499) and
 * RELIABILITY_APP_PORT (3199) name the cluster, its port and the app's; its databases are
 * <cluster>_ticks and <cluster>_app.
 */
import { existsSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { migrate } from "@/db/migrate";
import type { TemporalDb } from "@temporal-records/drizzle";
import { createCluster, dropCluster, logErrors, type Cluster } from "./cluster";
import { printRestart, printTicks } from "./print";
import { restartUnderLoad, stopApps } from "./restart";
import { tickStorm } from "./ticks";

const { values } = parseArgs({
  options: {
    "reuse-build": { type: "boolean", default: false },
    clients: { type: "string", default: "32" },
    ticks: { type: "string", default: "200" },
  },
});
const clients = Number(values.clients);
const ticks = Number(values.ticks);
if (!Number.isInteger(clients) || clients < 2 || !Number.isInteger(ticks) || ticks < 1) {
  console.error("--clients takes a whole number of at least 2, --ticks one of at least 1.");
  process.exit(2);
}
if (values["reuse-build"] && !existsSync(".next/BUILD_ID")) {
  console.error("--reuse-build: there is no build in .next to reuse. Leave the flag out to build first.");
  process.exit(2);
}
const name = process.env.RELIABILITY_CLUSTER ?? "reliability";
const pgPort = Number(process.env.RELIABILITY_PG_PORT ?? 5499);
const appPort = Number(process.env.RELIABILITY_APP_PORT ?? 3199);

/** A fresh, migrated database on the cluster, with a pool of `size` connections. */
async function database(cluster: Cluster, suffix: string, size: number) {
  const admin = new pg.Client({ connectionString: cluster.url("postgres") });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${cluster.name}_${suffix}"`);
  await admin.end();
  const url = cluster.url(`${cluster.name}_${suffix}`);
  const pool = new pg.Pool({ connectionString: url, max: size });
  // The restart ends idle connections too; the pool replaces them (counted in the figures as nothing: the app's matter).
  pool.on("error", () => {});
  const db = drizzle(pool) as unknown as TemporalDb;
  await migrate({ db, kind: "postgres", close: () => pool.end() });
  return { db, pool, url };
}

async function serverVersion(cluster: Cluster): Promise<string> {
  const admin = new pg.Client({ connectionString: cluster.url("postgres") });
  await admin.connect();
  const { rows } = await admin.query<{ version: string }>("SELECT version()");
  await admin.end();
  return rows[0]!.version.split(" on ")[0]!;
}

async function main(cluster: Cluster): Promise<string[]> {
  const violations: string[] = [];
  const version = await serverVersion(cluster);
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  console.log(`server: ${version}, cluster ${cluster.version}/${cluster.name} on port ${cluster.port}`);

  const ticksDb = await database(cluster, "ticks", clients + 1);
  for (const withVclock of [false, true]) {
    const from = logErrors(cluster).offset;
    const run = await tickStorm(ticksDb.db, ticksDb.pool, { clients, ticks, withVclock });
    printTicks(run, clients, ticks, logErrors(cluster, from).errors);
    violations.push(...run.violations.map((v) => `(a) ${run.mode}: ${v}`));
  }
  await ticksDb.pool.end();

  const appDb = await database(cluster, "app", 4);
  const options = {
    port: appPort,
    build: !values["reuse-build"],
    editors: 3,
    outageSavers: 2,
    readers: 3,
    warmMs: 5_000,
    outageMs: 3_000,
    afterMs: 5_000,
  };
  const restart = await restartUnderLoad(cluster, appDb, options);
  printRestart(restart, options);
  violations.push(...restart.violations.map((v) => `(b) ${v}`));
  await appDb.pool.end();
  return violations;
}

const cluster = createCluster(name, pgPort);
// An interrupted run still removes its cluster (the app and the browser end with this process).
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    stopApps();
    dropCluster(cluster);
    process.exit(130);
  });
}
let violations: string[] = [];
try {
  violations = await main(cluster);
} catch (error) {
  violations = [`the run stopped: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`];
} finally {
  dropCluster(cluster);
}
if (violations.length > 0) {
  console.error(
    `\nFAIL: ${violations.length} violation${violations.length === 1 ? "" : "s"}:\n${violations.map((v) => `  - ${v}`).join("\n")}`,
  );
  process.exit(1);
}
console.log("\nPASS: nothing lost, nothing phantom, the app served again without a restart.");
