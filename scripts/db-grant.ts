/**
 * npm run db:grant -- --role <name>: grants the role the app connects as exactly what the app needs
 * (db/grants.ts), as the owner (MIGRATION_DATABASE_URL, else DATABASE_URL). Run it after db:migrate,
 * and again after a migration adds a table. The embedded PGlite has one role: nothing to grant.
 */
import { parseArgs } from "node:util";
import { sql } from "drizzle-orm";
import { closeDatabase, getOwnerDatabase } from "@/db/client";
import { appGrants } from "@/db/grants";

const { values } = parseArgs({ options: { role: { type: "string" } } });
if (!values.role || !/^[a-z_][a-z0-9_$]{0,62}$/.test(values.role)) {
  console.error("Give the app's role: npm run db:grant -- --role <name> (a plain Postgres role name, such as temporal_app).");
  process.exit(1);
}
const database = await getOwnerDatabase();
if (database.kind === "pglite") {
  console.log("The embedded PGlite database has one role: nothing to grant.");
} else {
  await database.db.transaction(async (tx) => {
    for (const statement of appGrants(values.role!)) await tx.execute(sql.raw(statement));
  });
  console.log(`Granted ${values.role} what the app needs.`);
}
await closeDatabase();
