import { resolve } from "node:path";
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import type { Database } from "./client";

/** The committed migrations, relative to the app root (the working directory of npm scripts and `next start`). */
export const MIGRATIONS_FOLDER = resolve(process.cwd(), "db/migrations");

/** Applies the committed migrations (drizzle-kit's and the temporal ones) in order. Idempotent. Run it as the owner. */
export async function migrate(database: Database, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  if (database.kind === "pglite") {
    const { migrate: run } = await import("drizzle-orm/pglite/migrator");
    await run(database.db as never, { migrationsFolder });
  } else {
    const { migrate: run } = await import("drizzle-orm/node-postgres/migrator");
    await run(database.db as never, { migrationsFolder });
  }
}

async function first<T>(database: Database, query: ReturnType<typeof sql>): Promise<T | undefined> {
  const result = (await database.db.execute(query)) as unknown as { rows: T[] };
  return result.rows[0];
}

/**
 * Whether this connection may migrate: the schema is not there yet, or its role owns it (PGlite has
 * one role). The app's least-privilege role owns nothing, and a migration would fail half-way as it.
 */
export async function ownsSchema(database: Database): Promise<boolean> {
  if (database.kind === "pglite") return true;
  const row = await first<{ owns: boolean }>(
    database,
    sql`SELECT coalesce(pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = to_regclass('temporal_activity')), 'USAGE'), true) AS "owns"`,
  );
  return row?.owns === true;
}

/** How many committed migrations the database has not run (from drizzle's journal, which the app's role may read). */
export async function pendingMigrations(database: Database, migrationsFolder = MIGRATIONS_FOLDER): Promise<number> {
  const migrations = readMigrationFiles({ migrationsFolder });
  const journal = await first<{ exists: boolean }>(
    database,
    sql`SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL AS "exists"`,
  );
  if (!journal?.exists) return migrations.length;
  const last = await first<{ at: string | null }>(
    database,
    sql`SELECT max("created_at")::text AS "at" FROM "drizzle"."__drizzle_migrations"`,
  );
  const lastMillis = last?.at ? Number(last.at) : 0;
  return migrations.filter((m) => m.folderMillis > lastMillis).length;
}

/**
 * At the server's boot: migrate when this connection owns the schema; otherwise only check that it is
 * current, and say what to run if not (the app keeps serving what it can).
 */
export async function migrateOrCheck(database: Database): Promise<void> {
  if (await ownsSchema(database)) return migrate(database);
  const pending = await pendingMigrations(database);
  if (pending > 0) {
    console.error(
      `The database is ${pending} migration${pending === 1 ? "" : "s"} behind this app, and the app's role does not own the schema, so it does not migrate it: run npm run db:migrate with MIGRATION_DATABASE_URL set to the owner's connection (then npm run db:grant -- --role <app role>).`,
    );
  }
}
