/** npm run db:migrate: builds or updates the database (DATABASE_URL, or the embedded PGlite) from the committed migrations. */
import { closeDatabase, getDatabase } from "@/db/client";
import { migrate } from "@/db/migrate";

const database = await getDatabase();
await migrate(database);
console.log(`Migrated the ${database.kind === "pglite" ? "embedded PGlite" : "Postgres"} database.`);
await closeDatabase();
