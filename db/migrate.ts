import { resolve } from "node:path";
import type { Database } from "./client";

/** The committed migrations, relative to the app root (the working directory of npm scripts and `next start`). */
export const MIGRATIONS_FOLDER = resolve(process.cwd(), "db/migrations");

/** Applies the committed migrations (drizzle-kit's and the temporal ones) in order. Idempotent. */
export async function migrate(database: Database, migrationsFolder = MIGRATIONS_FOLDER): Promise<void> {
  if (database.kind === "pglite") {
    const { migrate: run } = await import("drizzle-orm/pglite/migrator");
    await run(database.db as never, { migrationsFolder });
  } else {
    const { migrate: run } = await import("drizzle-orm/node-postgres/migrator");
    await run(database.db as never, { migrationsFolder });
  }
}
