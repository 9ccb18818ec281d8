/**
 * A project that only installed the packed library (with drizzle-orm and PGlite from the registry):
 * declare a table, migrate, create, tick and read its history, through the package's own entry and
 * types. Type-checked against the shipped .d.ts, then run on Node (lib/temporal/tests/pack/run.ts).
 */
import assert from "node:assert/strict";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { sql } from "drizzle-orm";
import { serial, text } from "drizzle-orm/pg-core";
import { drizzle } from "drizzle-orm/pglite";
import {
  asOf,
  create,
  history,
  planTemporalMigration,
  StaleVclockError,
  temporalTable,
  tick,
  UnknownPropertyError,
  verify,
} from "@temporal-records/drizzle";

const friend = temporalTable(
  "friend",
  { id: serial("id").primaryKey(), name: text("name").notNull(), location: text("location") },
  { track: ["name", "location"] },
);

const lite = await PGlite.create({ extensions: { btree_gist } });
const db = drizzle(lite);
// The entity table as drizzle-kit generates it (temporalTable adds vclock and retired), then the library's plan.
await db.execute(
  sql.raw(
    `CREATE TABLE "friend" ("id" serial PRIMARY KEY, "name" text NOT NULL, "location" text, "vclock" integer DEFAULT 1 NOT NULL, "retired" boolean DEFAULT false NOT NULL)`,
  ),
);
const plan = planTemporalMigration([friend], null);
for (const statement of plan.statements) await db.execute(sql.raw(statement));
assert.deepEqual(planTemporalMigration([friend], plan.snapshot).statements, []);

const who = (reason: string) => ({ reason, actor: "pack-test" });
const rachel = await create(db, friend, { name: "Rachel", location: "New York" }, who("Met Rachel"));
assert.equal(rachel.vclock, 1);
const moved = await tick(db, friend, rachel.id, { location: "San Francisco" }, who("Moved for a new job"), { expectedVclock: 1 });
assert.deepEqual({ vclock: moved.vclock, changed: moved.changed }, { vclock: 2, changed: ["location"] });
await assert.rejects(tick(db, friend, rachel.id, { location: "Oakland" }, who("Stale"), { expectedVclock: 1 }), StaleVclockError);
// @ts-expect-error: the shipped types refuse a property the table does not have (and so does the library at run time).
await assert.rejects(tick(db, friend, rachel.id, { colour: "red" }, who("Typo")), UnknownPropertyError);

const then = await asOf(db, friend, rachel.id, { vclock: 1 });
assert.deepEqual(then?.record, { id: rachel.id, name: "Rachel", location: "New York", retired: false });
const { items } = await history(db, friend, rachel.id, "location");
assert.deepEqual(
  items.map((entry) => [entry.value, entry.vclock, entry.activity?.reason]),
  [
    ["San Francisco", { from: 2, to: null }, "Moved for a new job"],
    ["New York", { from: 1, to: 2 }, "Met Rachel"],
  ],
);
assert.deepEqual(await verify(db, friend), []);
await lite.close();
console.log("The packed library declared, migrated, ticked and read a table on PGlite.");
