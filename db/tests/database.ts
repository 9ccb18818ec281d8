/** The app's test databases: built from the committed migrations, through the one test-database helper (tests/database.ts). */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Database } from "@/db/client";
import { migrate, MIGRATIONS_FOLDER } from "@/db/migrate";
import { testDatabase, type TestSchema } from "@/tests/database";

export { withTestDb } from "@/tests/database";

function migrationFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** The committed migrations: a new migration (or an edited one) is a new schema. */
export const appSchema: TestSchema = {
  key: migrationFiles(MIGRATIONS_FOLDER)
    .map((file) => `${relative(MIGRATIONS_FOLDER, file)}\n${readFileSync(file, "utf8")}`)
    .join("\n"),
  build: (database) => migrate(database),
};

/** A fresh database built from the committed migrations, for a test that opens and closes its own. */
/** `url`: the database's connection string, on a real server (none for PGlite). */
export const migratedDatabase = (): Promise<Database & { url?: string }> => testDatabase(appSchema);

/**
 * Points the app's own client (db/client.ts) at a test database, so code that calls
 * `getDatabase()` (actions, route handlers, better-auth) uses it.
 */
export function serveAppFrom(database: Database): void {
  // db/client.ts keeps its cache object from import time: fill that one, never replace it.
  const client = globalThis as { __temporalDatabase?: { open?: Promise<Database> } };
  (client.__temporalDatabase ??= {}).open = Promise.resolve(database);
}
