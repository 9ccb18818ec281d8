/**
 * The one test-database helper. Each test file gets a database of its own, built from a
 * `TestSchema`: on PGlite (the default), a new in-memory instance loaded from a snapshot of the
 * built database, made once per schema and kept in node_modules/.cache; on the server named by
 * DATABASE_URL, a new database copied from a template database, made once per schema and test
 * run and dropped when the run ends (tests/global-setup.ts). Files share only those read-only
 * copies, so building a schema costs once, not once per file.
 */
import { createHash } from "node:crypto";
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import type { TemporalDb } from "@temporal-records/drizzle";
import { testDbPrefix, withClient } from "./server";

export type TestDb = { db: TemporalDb; kind: "pglite" | "postgres"; close: () => Promise<void>; url?: string };

/** A database being built: `exec` runs one statement as text (the simple protocol, as psql would). */
export type TestDbBuild = TestDb & { exec: (statement: string) => Promise<void> };

/** What a test database holds. Same `key`, same contents: `build` runs once per key. */
export type TestSchema = { key: string; build: (database: TestDbBuild) => Promise<void> };

declare module "vitest" {
  export interface ProvidedContext {
    /** Names this run's template databases (tests/global-setup.ts drops them at the end). */
    testRunId: string;
  }
}

const digest = (text: string) => createHash("sha256").update(text).digest("hex");
const SNAPSHOTS = join(process.cwd(), "node_modules", ".cache", "test-databases");
/** A snapshot is a PGlite data directory: another PGlite version may not read it. */
const PGLITE_VERSION = (
  JSON.parse(readFileSync(join(process.cwd(), "node_modules/@electric-sql/pglite/package.json"), "utf8")) as { version: string }
).version;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The snapshot file of a schema, built by the first process that asks; the others wait for it. */
async function pgliteSnapshot(schema: TestSchema): Promise<Buffer> {
  const file = join(SNAPSHOTS, `${digest(`${PGLITE_VERSION}\n${schema.key}`)}.tar.gz`);
  mkdirSync(SNAPSHOTS, { recursive: true });
  const lock = `${file}.lock`;
  for (;;) {
    if (existsSync(file)) return readFileSync(file);
    try {
      closeSync(openSync(lock, "wx"));
      writeFileSync(lock, String(process.pid));
      break;
    } catch {
      const holder = Number(readFileSync(lock, "utf8") || 0);
      if (holder > 0 && !alive(holder)) rmSync(lock, { force: true });
      await sleep(100);
    }
  }
  try {
    const lite = await PGlite.create({ extensions: { btree_gist } });
    const db = drizzlePglite(lite) as unknown as TemporalDb;
    await schema.build({ db, kind: "pglite", close: () => lite.close(), exec: async (statement) => void (await lite.exec(statement)) });
    const dump = Buffer.from(await (await lite.dumpDataDir("gzip")).arrayBuffer());
    await lite.close();
    writeFileSync(`${file}.${process.pid}.tmp`, dump);
    renameSync(`${file}.${process.pid}.tmp`, file);
    return dump;
  } finally {
    rmSync(lock, { force: true });
  }
}

const databaseUrl = (server: string, name: string) => {
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
};

/** A pool that tolerates DROP DATABASE … WITH (FORCE) reaching a connection it is still closing. */
function pool(url: string, max = 12): pg.Pool {
  const created = new pg.Pool({ connectionString: url, max });
  created.on("error", () => {});
  return created;
}

/** This run's template database of a schema on the server, built once under an advisory lock. */
async function postgresTemplate(server: string, schema: TestSchema): Promise<string> {
  const name = `${testDbPrefix()}_tpl_${digest(schema.key).slice(0, 12)}_${inject("testRunId")}`;
  return withClient(server, async (admin) => {
    await admin.query("SELECT pg_advisory_lock(hashtext($1))", [name]);
    const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) {
      // Built under another name and renamed when complete: a crash never leaves a half-built template.
      const building = `${name}_new`;
      await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
      await admin.query(`CREATE DATABASE "${building}"`);
      const builder = pool(databaseUrl(server, building), 1);
      const db = drizzlePg(builder) as unknown as TemporalDb;
      await schema.build({ db, kind: "postgres", close: async () => {}, exec: async (statement) => void (await builder.query(statement)) });
      await builder.end();
      await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
    }
    await admin.query("SELECT pg_advisory_unlock(hashtext($1))", [name]);
    return name;
  });
}

/** A new database holding `schema`, for one test file. Close it when done. */
export async function testDatabase(schema: TestSchema): Promise<TestDb> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    const lite = await PGlite.create({ extensions: { btree_gist }, loadDataDir: new Blob([new Uint8Array(await pgliteSnapshot(schema))]) });
    return { db: drizzlePglite(lite) as unknown as TemporalDb, kind: "pglite", close: () => lite.close() };
  }
  const name = `${testDbPrefix()}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  // Outside Vitest (the benchmarks) there is no test run to own a template: build this one database directly.
  const template = process.env.VITEST ? await postgresTemplate(server, schema) : undefined;
  await withClient(server, (admin) =>
    admin.query(template ? `CREATE DATABASE "${name}" TEMPLATE "${template}"` : `CREATE DATABASE "${name}"`),
  );
  const url = databaseUrl(server, name);
  const connections = pool(url);
  if (!template) {
    const db = drizzlePg(connections) as unknown as TemporalDb;
    await schema.build({
      db,
      kind: "postgres",
      close: async () => {},
      exec: async (statement) => void (await connections.query(statement)),
    });
  }
  return {
    db: drizzlePg(connections) as unknown as TemporalDb,
    kind: "postgres",
    url,
    close: async () => {
      await connections.end();
      await withClient(server, (admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

/**
 * A database of this file's own (or this describe block's): made before its first test, dropped
 * after its last. Read its fields inside tests and hooks only.
 *
 * @example
 * const t = withTestDb(librarySchema);
 * it("creates", async () => expect(await create(t.db, friend, { name: "Ann" }, who)).toMatchObject({ vclock: 1 }));
 */
export function withTestDb(schema: TestSchema | (() => Promise<TestSchema>)): TestDb {
  let current: TestDb | undefined;
  beforeAll(async () => {
    current = await testDatabase(typeof schema === "function" ? await schema() : schema);
  });
  afterAll(async () => current?.close());
  const open = (): TestDb => {
    if (!current) throw new Error("withTestDb: the database opens in beforeAll; read it inside a test or hook.");
    return current;
  };
  return {
    get db() {
      return open().db;
    },
    get kind() {
      return open().kind;
    },
    get url() {
      return open().url;
    },
    close: () => open().close(),
  };
}
