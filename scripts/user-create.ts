/**
 * npm run user:create -- --email ada@example.com --role admin [--name "Ada Lovelace"] [--password ...]
 *
 * Adds a person who can sign in (the first admin, typically). Without --password a
 * strong one is generated and printed once. Recorded as an activity like any change.
 */
import { randomBytes } from "node:crypto";
import { userInfo } from "node:os";
import { parseArgs } from "node:util";
import { closeDatabase, getDatabase } from "@/db/client";
import { migrate } from "@/db/migrate";
import { isRole, ROLES } from "@/lib/auth/roles";
import { authFor } from "@/lib/auth/server";
import { createStaff } from "@/lib/auth/staff";
import { TemporalError } from "@temporal-records/drizzle";

const { values } = parseArgs({
  options: {
    email: { type: "string" },
    role: { type: "string" },
    name: { type: "string" },
    password: { type: "string" },
    reason: { type: "string" },
  },
});

if (!values.email || !isRole(values.role)) {
  console.error(
    `Usage: npm run user:create -- --email <email> --role <${ROLES.join("|")}> [--name <name>] [--password <password>] [--reason <why>]`,
  );
  process.exit(1);
}

const password = values.password ?? randomBytes(12).toString("base64url");
const database = await getDatabase();
try {
  await migrate(database);
  const person = await createStaff(
    database.db,
    authFor(database.db),
    { email: values.email, name: values.name ?? values.email.split("@")[0]!, role: values.role, password },
    {
      reason: values.reason ?? "Account created from the command line (npm run user:create)",
      actor: `cli:${userInfo().username}`,
      actorName: "Command line",
    },
  );
  console.log(`Added ${person.name} <${person.email}> as ${person.role}.`);
  if (!values.password) console.log(`Their password (shown once): ${password}`);
} catch (error) {
  console.error(error instanceof TemporalError ? error.message : error);
  process.exitCode = 1;
} finally {
  await closeDatabase();
}
