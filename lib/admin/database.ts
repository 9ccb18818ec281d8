import { getDb } from "@/db/client";
import type { TemporalDb } from "@/lib/temporal";
import { DATABASE_UNAVAILABLE, isDatabaseUnavailable } from "./unavailable";

/**
 * Runs a page's reads against the database. An outage is rethrown with a stable
 * digest, so app/error.tsx can say "the database is unavailable" in production too.
 *
 * @example
 * const counts = await readDatabase((db) => countRecords(db, adminTables()));
 */
export async function readDatabase<T>(read: (db: TemporalDb) => Promise<T>): Promise<T> {
  try {
    return await read(await getDb());
  } catch (error) {
    if (isDatabaseUnavailable(error) && error instanceof Error) Object.assign(error, { digest: DATABASE_UNAVAILABLE });
    throw error;
  }
}
