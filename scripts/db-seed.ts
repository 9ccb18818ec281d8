/**
 * npm run db:seed [-- --members 1000]: migrates (as the owner, see db:migrate), then loads the
 * deterministic demo data into the empty database as DATABASE_URL's role.
 */
import { parseArgs } from "node:util";
import { closeDatabase, getDatabase, getOwnerDatabase } from "@/db/client";
import { migrate } from "@/db/migrate";
import { seed } from "@/db/seed";
import { createDemoPeople } from "@/lib/auth/demo-people";

const { values } = parseArgs({ options: { members: { type: "string", default: "1000" } } });
const members = Number(values.members);
if (!Number.isInteger(members) || members < 12) {
  console.error("--members must be a whole number of at least 12.");
  process.exit(1);
}
const started = Date.now();
await migrate(await getOwnerDatabase());
const database = await getDatabase();
const result = await seed(database.db, { members, people: createDemoPeople, log: (line) => console.log(`  ${line}`) });
console.log(
  result.skipped
    ? "The database already has data: nothing seeded."
    : `Seeded ${result.members} members, ${result.providers} providers and the talk's friends in ${((Date.now() - started) / 1000).toFixed(1)} s.`,
);
await closeDatabase();
