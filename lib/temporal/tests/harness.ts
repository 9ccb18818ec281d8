/**
 * Test databases: PGlite (in memory, from a migrated template) by default, or a
 * fresh database on the real server named by DATABASE_URL. Each test file gets
 * its own database; nothing is shared between files.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { sql } from "drizzle-orm";
import pg from "pg";
import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import { planTemporalMigration, type AnyTemporalTable, type TemporalDb } from "../index";
import { fixtureSchema, fixtureTables } from "./fixtures";

export type TestDb = { db: TemporalDb; kind: "pglite" | "postgres"; close: () => Promise<void>; url?: string };

export type TestDbOptions = {
  /** Entity DDL written by hand, run after drizzle-kit's: drizzle-kit does not escape `"` in names. */
  entityDdl?: string[];
  /** Postgres only: the role that owns the database and migrates it (and that `db` connects as), not the superuser. */
  owner?: string;
};

async function schemaStatements(schema: Record<string, unknown>, tables: AnyTemporalTable[], options: TestDbOptions): Promise<string[]> {
  const empty = generateDrizzleJson({});
  const current = generateDrizzleJson(schema);
  const entity = await generateMigration(empty, current);
  return [
    'CREATE SCHEMA IF NOT EXISTS "audit"',
    ...entity,
    ...(options.entityDdl ?? []),
    ...planTemporalMigration(tables, null).statements,
  ];
}

async function pgliteTemplate(statements: string[]): Promise<Blob> {
  const hash = String(
    statements
      .join("\n")
      .split("")
      .reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, 7) >>> 0,
  );
  const dir = join(tmpdir(), "temporal-test-templates");
  const file = join(dir, `${hash}.tar.gz`);
  if (existsSync(file)) return new Blob([readFileSync(file)]);
  const lite = await PGlite.create({ extensions: { btree_gist } });
  for (const statement of statements) await lite.exec(statement);
  const dump = await lite.dumpDataDir("gzip");
  await lite.close();
  mkdirSync(dir, { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, file);
  return dump;
}

/** A migrated database with the fixture tables (or the given schema). */
export async function testDb(
  schema: Record<string, unknown> = fixtureSchema,
  tables: AnyTemporalTable[] = fixtureTables,
  options: TestDbOptions = {},
): Promise<TestDb> {
  const statements = await schemaStatements(schema, tables, options);
  const url = process.env.DATABASE_URL;
  if (!url) {
    const lite = await PGlite.create({ extensions: { btree_gist }, loadDataDir: await pgliteTemplate(statements) });
    return { db: drizzlePglite(lite) as unknown as TemporalDb, kind: "pglite", close: () => lite.close() };
  }
  const name = `temporal_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"${options.owner ? ` OWNER "${options.owner}"` : ""}`);
  await admin.end();
  const dbUrl = new URL(url);
  dbUrl.pathname = `/${name}`;
  if (options.owner) dbUrl.username = options.owner;
  const pool = new pg.Pool({ connectionString: dbUrl.toString(), max: 12 });
  // DROP DATABASE ... WITH (FORCE) at close can reach a connection the pool is still closing: its
  // "terminating connection" must not surface as an unhandled error after every test has passed.
  pool.on("error", () => {});
  for (const statement of statements) await pool.query(statement);
  return {
    db: drizzlePg(pool) as unknown as TemporalDb,
    kind: "postgres",
    url: dbUrl.toString(),
    close: async () => {
      await pool.end();
      const cleanup = new pg.Client({ connectionString: url });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleanup.end();
    },
  };
}

/**
 * One database connection of `t` (the session a setting would live on, whose statistics it can flush): its own
 * client on a server, the one connection of PGlite (where `close` clears the session's activity setting).
 */
export async function oneConnection(t: TestDb): Promise<{ db: TemporalDb; close: () => Promise<void> }> {
  if (t.kind === "pglite") {
    return {
      db: t.db,
      close: async () => {
        await t.db.execute(sql`SELECT set_config('temporal.activity_id', '', false)`);
      },
    };
  }
  const client = new pg.Client({ connectionString: t.url });
  await client.connect();
  return { db: drizzlePg(client) as unknown as TemporalDb, close: () => client.end() };
}
