/**
 * What db/read-replica.ts's check adds to a page, on a primary and its streaming replica (.ci/replica-pair):
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5441/postgres DATABASE_READ_URL=postgres://postgres@127.0.0.1:5442/postgres \
 *     npx tsx --conditions=react-server bench/read-replica.ts
 * Prints the median and p95 of: the check with no cookie and with a position already known replayed (no query),
 * the check of a save just made (one query, plus the wait for its replay), that query alone, and for scale a
 * primary-key read on the replica. Creates the database `replica_bench` on the primary and drops it at the end.
 */
import { loadavg } from "node:os";
import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import { createReadReplica, parseLsn } from "@/db/read-replica";
import type { TemporalDb } from "@temporal-records/drizzle";

const primaryServer = process.env.DATABASE_URL;
const replicaServer = process.env.DATABASE_READ_URL;
if (!primaryServer || !replicaServer) throw new Error("Set DATABASE_URL (a primary) and DATABASE_READ_URL (its streaming replica).");
const NAME = "replica_bench";
const on = (server: string) => {
  const url = new URL(server);
  url.pathname = `/${NAME}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 2 });
  pool.on("error", () => {}); // the DROP DATABASE at the end ends its idle connections on both servers
  return pool;
};

/** Times `once` `runs` times; `before` runs (untimed) before each. */
async function timed(label: string, runs: number, once: () => Promise<unknown>, before?: () => Promise<unknown>) {
  const took: number[] = [];
  for (let run = 0; run < runs; run++) {
    await before?.();
    const started = process.hrtime.bigint();
    await once();
    took.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  took.sort((a, b) => a - b);
  const at = (q: number) => took[Math.min(took.length - 1, Math.floor(q * took.length))]!.toFixed(3);
  console.log(`${label.padEnd(62)} median ${at(0.5).padStart(7)} ms   p95 ${at(0.95).padStart(7)} ms   (${runs} runs)`);
}

const admin = new pg.Client({ connectionString: primaryServer });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
await admin.query(`CREATE DATABASE ${NAME}`);
const primary = on(primaryServer);
const replicaPool = on(replicaServer);
try {
  await primary.query("CREATE TABLE counter (id int PRIMARY KEY, n int NOT NULL); INSERT INTO counter VALUES (1, 0)");
  const savedLsn = async () => parseLsn((await primary.query("SELECT pg_current_wal_lsn()::text AS lsn")).rows[0].lsn)!;
  const router = createReadReplica(drizzle(replicaPool) as unknown as TemporalDb, { waitMs: 2000 });
  const last = await savedLsn();
  // Until the replica has replayed the new database, only its server's own database can be asked.
  const replicaServerClient = new pg.Client({ connectionString: replicaServer });
  await replicaServerClient.connect();
  const replayed = async () => parseLsn((await replicaServerClient.query("SELECT pg_last_wal_replay_lsn()::text AS lsn")).rows[0].lsn)!;
  while ((await replayed()) < last) await new Promise((resolve) => setTimeout(resolve, 50));
  await replicaServerClient.end();

  console.log(
    `load average ${loadavg()
      .map((n) => n.toFixed(2))
      .join(" ")}`,
  );
  await timed("check, no cookie (no query)", 5000, () => router.ready(undefined));
  await timed("check, a position already known replayed (no query)", 5000, () => router.ready(1n));
  let saved = 0n;
  const save = async () => {
    await primary.query("UPDATE counter SET n = n + 1 WHERE id = 1");
    saved = await savedLsn();
  };
  const checkSaved = async () => {
    if (!(await router.ready(saved))) throw new Error("the replica did not replay a save within 2 s");
  };
  await timed("check right after a save (a query or more: the replay wait)", 300, checkSaved, save);
  await timed("the query alone: SELECT pg_last_wal_replay_lsn()", 500, () => replicaPool.query("SELECT pg_last_wal_replay_lsn()"));
  await timed("for scale: a primary-key read on the replica", 500, () => replicaPool.query("SELECT n FROM counter WHERE id = 1"));
} finally {
  await primary.end();
  await replicaPool.end();
  await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
  await admin.end();
}
