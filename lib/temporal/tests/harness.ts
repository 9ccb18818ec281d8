/**
 * The library's test databases: the fixture tables (or any schema and temporal tables) built by
 * drizzle-kit's DDL and the library's own migration plan, through the one test-database helper
 * (tests/database.ts: PGlite from a snapshot by default, or a new database on DATABASE_URL's server).
 */
import { sql } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import pg from "pg";
import { testDatabase, type TestDb, type TestSchema } from "../../../tests/database";
import { testDbPrefix } from "../../../tests/server";
import { planTemporalMigration, type AnyTemporalTable, type TemporalDb } from "../index";
import { fixtureSchema, fixtureTables } from "./fixtures";

export { withTestDb, type TestDb } from "../../../tests/database";

export type TestDbOptions = {
  /** Entity DDL written by hand, run after drizzle-kit's: drizzle-kit does not escape `"` in names. */
  entityDdl?: string[];
  /** Postgres only: the role that owns the database and migrates it (and that `db` connects as), not the superuser. */
  owner?: string;
};

/**
 * The fixture tables (or the given schema and temporal tables) as a test database's schema.
 *
 * @example
 * const t = withTestDb(librarySchema);
 * const u = withTestDb(() => librarySchema({ pet }, [pet]));
 */
export async function librarySchema(
  schema: Record<string, unknown> = fixtureSchema,
  tables: AnyTemporalTable[] = fixtureTables,
  options: TestDbOptions = {},
): Promise<TestSchema> {
  const entity = await generateMigration(generateDrizzleJson({}), generateDrizzleJson(schema));
  const statements = [
    'CREATE SCHEMA IF NOT EXISTS "audit"',
    ...entity,
    ...(options.entityDdl ?? []),
    ...planTemporalMigration(tables, null).statements,
  ];
  return {
    key: statements.join(";\n"),
    build: async (database) => {
      for (const statement of statements) await database.exec(statement);
    },
  };
}

/** A migrated database with the fixture tables (or the given schema), for a test that opens and closes its own. */
export async function testDb(
  schema: Record<string, unknown> = fixtureSchema,
  tables: AnyTemporalTable[] = fixtureTables,
  options: TestDbOptions = {},
): Promise<TestDb> {
  const built = await librarySchema(schema, tables, options);
  const server = process.env.DATABASE_URL;
  return options.owner && server ? ownedDatabase(server, options.owner, built) : testDatabase(built);
}

/** A new database owned by `owner` and built as that role (no template: a template's objects belong to its owner). */
async function ownedDatabase(server: string, owner: string, schema: TestSchema): Promise<TestDb> {
  const name = `${testDbPrefix()}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" OWNER "${owner}"`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  url.username = owner;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 12 });
  // DROP DATABASE ... WITH (FORCE) at close can reach a connection the pool is still closing.
  pool.on("error", () => {});
  const db = drizzlePg(pool) as unknown as TemporalDb;
  await schema.build({ db, kind: "postgres", close: async () => {}, exec: async (statement) => void (await pool.query(statement)) });
  return {
    db,
    kind: "postgres",
    url: url.toString(),
    close: async () => {
      await pool.end();
      const cleanup = new pg.Client({ connectionString: server });
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
