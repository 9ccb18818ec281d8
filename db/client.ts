/**
 * The database client: node-postgres when DATABASE_URL is set, else embedded
 * PGlite in ./data/pglite. Opened lazily on first use (never at import, so
 * `next build` does not touch it) and cached on globalThis (one instance across
 * dev hot reloads). A pid lock keeps a second process off the PGlite directory:
 * two PGlite instances on one directory lose commits silently. Configuration
 * (DATABASE_URL, MIGRATION_DATABASE_URL, DATABASE_POOL_SIZE, PGLITE_DIR) comes from lib/env.ts; the read
 * replica (DATABASE_READ_URL) is db/read-replica.ts's.
 */
import "server-only";
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { env } from "@/lib/env";
import type { TemporalDb } from "@temporal-records/drizzle";
import { markUnavailable } from "./health";
import { closeReadReplica, readFrom, type ReadFrom } from "./read-replica";
import { DATABASE_UNAVAILABLE, isDatabaseUnavailable } from "./unavailable";

export type Database = { db: TemporalDb; kind: "postgres" | "pglite"; close: () => Promise<void> };

type Cache = { open?: Promise<Database>; owner?: Promise<Database> };
const cache = globalThis as typeof globalThis & { __temporalDatabase?: Cache };
const state: Cache = (cache.__temporalDatabase ??= {});

export function pgliteDirectory(): string {
  return resolve(/*turbopackIgnore: true*/ process.cwd(), env().PGLITE_DIR);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function takeLock(dir: string): () => void {
  const lock = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lock, "wx");
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lock, { force: true });
    } catch {
      const holder = Number(readFileSync(lock, "utf8"));
      if (holder === process.pid) return () => rmSync(lock, { force: true });
      if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
        throw new Error(
          `The embedded database at ${dir} is in use by process ${holder}. Stop it first, or set DATABASE_URL to use a Postgres server.`,
        );
      }
      rmSync(lock, { force: true });
    }
  }
  throw new Error(`Could not lock ${dir}.`);
}

async function openPglite(): Promise<Database> {
  const dir = pgliteDirectory();
  mkdirSync(/*turbopackIgnore: true*/ dirname(dir), { recursive: true });
  const release = takeLock(dir);
  const [{ PGlite }, { btree_gist }, { drizzle }] = await Promise.all([
    import("@electric-sql/pglite"),
    import("@electric-sql/pglite/contrib/btree_gist"),
    import("drizzle-orm/pglite"),
  ]);
  const client = await PGlite.create({ dataDir: dir, extensions: { btree_gist } });
  const db = drizzle(client) as unknown as TemporalDb;
  return {
    db,
    kind: "pglite",
    close: async () => {
      await client.close();
      release();
    },
  };
}

async function openPostgres(url: string): Promise<Database> {
  const [{ default: pg }, { drizzle }] = await Promise.all([import("pg"), import("drizzle-orm/node-postgres")]);
  const pool = new pg.Pool({ connectionString: url, max: env().DATABASE_POOL_SIZE });
  pool.on("error", () => {
    // An idle client lost its connection (server restart): the pool replaces it on next use.
  });
  return { db: drizzle(pool) as unknown as TemporalDb, kind: "postgres", close: () => pool.end() };
}

/** The process-wide database, opened on first call. */
export function getDatabase(): Promise<Database> {
  if (!state.open) {
    const url = env().DATABASE_URL;
    state.open = (url ? openPostgres(url) : openPglite()).catch((error: unknown) => {
      state.open = undefined;
      throw error;
    });
  }
  return state.open;
}

/**
 * The database as its owner, for migrating and granting: MIGRATION_DATABASE_URL when set (the app's
 * own role owns nothing then), else the process-wide database.
 */
export function getOwnerDatabase(): Promise<Database> {
  const url = env().MIGRATION_DATABASE_URL;
  if (!url) return getDatabase();
  state.owner ??= openPostgres(url).catch((error: unknown) => {
    state.owner = undefined;
    throw error;
  });
  return state.owner;
}

export async function getDb(): Promise<TemporalDb> {
  return (await getDatabase()).db;
}

export async function closeDatabase(): Promise<void> {
  const opened = [state.open, state.owner];
  state.open = state.owner = undefined;
  for (const open of opened) if (open) await (await open).close();
  await closeReadReplica();
}

/**
 * Runs a page's reads against the database: on the read replica when DATABASE_READ_URL is set (db/read-replica.ts:
 * never inside a server action, and after the person's own save only once the replica has it), else on the primary.
 * An outage is rethrown with a stable digest, so app/error.tsx can say "the database is unavailable" in production too.
 *
 * @example
 * const counts = await readDatabase((db) => countRecords(db, adminTables()));
 * const staff = await readDatabase((db) => activeStaff(db, id), { from: "primary" });
 */
export async function readDatabase<T>(read: (db: TemporalDb) => Promise<T>, options?: ReadFrom): Promise<T> {
  try {
    return await readFrom(await getDb(), read, options);
  } catch (error) {
    if (isDatabaseUnavailable(error)) {
      markUnavailable();
      if (error instanceof Error) Object.assign(error, { digest: DATABASE_UNAVAILABLE });
    }
    throw error;
  }
}
