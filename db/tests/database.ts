/** A fresh database built from the committed migrations: in-memory PGlite, or a new database on DATABASE_URL's server. */
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { Database } from "@/db/client";
import { migrate } from "@/db/migrate";
import type { TemporalDb } from "@/lib/temporal";

/** `url`: the new database's connection string, on a real server (none for PGlite). */
export async function migratedDatabase(): Promise<Database & { url?: string }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const lite = await PGlite.create({ extensions: { btree_gist } });
    const database: Database = { db: drizzlePglite(lite) as unknown as TemporalDb, kind: "pglite", close: () => lite.close() };
    await migrate(database);
    return database;
  }
  const name = `temporal_app_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: dbUrl.toString() });
  // DROP DATABASE ... WITH (FORCE) at close can reach a connection the pool is still closing: its
  // "terminating connection" must not surface as an unhandled error after every test has passed.
  pool.on("error", () => {});
  const database: Database & { url: string } = {
    url: dbUrl.toString(),
    db: drizzlePg(pool) as unknown as TemporalDb,
    kind: "postgres",
    close: async () => {
      await pool.end();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleanup.end();
    },
  };
  await migrate(database);
  return database;
}
