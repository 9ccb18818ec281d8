/**
 * npm run db:check: fails when the schema and the committed migrations drift apart.
 *  1. drizzle-kit would generate nothing new for the entity tables;
 *  2. lib/temporal would generate nothing new (snapshot up to date, also after a library upgrade);
 *  3. the committed migrations, run on a fresh embedded database, produce exactly the
 *     triggers and functions the library expects.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import { drizzle } from "drizzle-orm/pglite";
import { checkTemporalSchema, planTemporalMigration, type TemporalDb } from "@temporal-records/drizzle";
import { migrate } from "@/db/migrate";
import * as schema from "@/db/schema";
import { readSnapshot, schemaTemporalTables } from "./temporal-schema";

const problems: string[] = [];

const journal = JSON.parse(readFileSync(resolve("db/migrations/meta/_journal.json"), "utf8")) as { entries: { idx: number }[] };
const last = journal.entries.at(-1)!;
const previous = JSON.parse(readFileSync(resolve(`db/migrations/meta/${String(last.idx).padStart(4, "0")}_snapshot.json`), "utf8"));
const pending = await generateMigration(previous, generateDrizzleJson(schema as Record<string, unknown>));
if (pending.length > 0) problems.push(`db/schema.ts has changes with no migration:\n  ${pending.join("\n  ")}`);

const tables = schemaTemporalTables();
const plan = planTemporalMigration(tables, readSnapshot());
if (plan.statements.length > 0)
  problems.push(
    `the temporal schema has ${plan.statements.length} statements with no migration (for example: ${plan.statements[0]!.split("\n")[0]})`,
  );

const lite = await PGlite.create({ extensions: { btree_gist } });
const db = drizzle(lite) as unknown as TemporalDb;
await migrate({ db, kind: "pglite", close: () => lite.close() });
for (const p of await checkTemporalSchema(db, tables)) problems.push(`after migrating a fresh database, ${p.object}: ${p.problem}`);
await lite.close();

if (problems.length > 0) {
  console.error(`Schema and migrations have drifted apart. Run npm run db:generate and commit the result.\n- ${problems.join("\n- ")}`);
  process.exit(1);
}
console.log("Schema, temporal triggers and committed migrations agree.");
