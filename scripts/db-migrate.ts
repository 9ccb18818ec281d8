/**
 * npm run db:migrate: builds or updates the database from the committed migrations, as its owner:
 * MIGRATION_DATABASE_URL when set, else DATABASE_URL, else the embedded PGlite.
 */
import { closeDatabase, getOwnerDatabase } from "@/db/client";
import { migrate } from "@/db/migrate";

const database = await getOwnerDatabase();
await migrate(database);
console.log(`Migrated the ${database.kind === "pglite" ? "embedded PGlite" : "Postgres"} database.`);
await closeDatabase();
