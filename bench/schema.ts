/** The benchmark's tables: one temporal table and a plain copy with the same columns, written the same way. */
import { boolean, date, integer, jsonb, numeric, pgTable, text, varchar } from "drizzle-orm/pg-core";
import { temporalTable } from "@temporal-records/drizzle";

export const item = temporalTable(
  "bench_item",
  {
    id: integer("id").primaryKey(),
    name: text("name").notNull(),
    status: text("status").notNull(),
    score: integer("score").notNull(),
    note: text("note"),
  },
  { track: ["name", "status", "score"] },
);

/** The same columns (vclock and retired included) with no history: the baseline for write overhead. */
export const plain = pgTable("bench_item_plain", {
  id: integer("id").primaryKey(),
  name: text("name").notNull(),
  status: text("status").notNull(),
  score: integer("score").notNull(),
  note: text("note"),
  vclock: integer("vclock").notNull().default(1),
  retired: boolean("retired").notNull().default(false),
});

export const STATUSES = ["active", "gold", "paused", "closed"] as const;

/** Row `id` of the generated data set, deterministic so both tables hold the same rows. */
export function makeRow(id: number) {
  return {
    id,
    name: `Item ${id}`,
    status: STATUSES[id % STATUSES.length]!,
    score: id % 1000,
    note: `created by the benchmark, batch ${Math.floor(id / 1000)}`,
  };
}

/** The peer comparison's table: the talk's friend, name and location tracked. */
export const friendBench = temporalTable(
  "bench_friend",
  { id: integer("id").primaryKey(), name: text("name").notNull(), location: text("location") },
  { track: ["name", "location"] },
);
export const friendPlain = pgTable("bench_friend_plain", {
  id: integer("id").primaryKey(),
  name: text("name").notNull(),
  location: text("location"),
  vclock: integer("vclock").notNull().default(1),
  retired: boolean("retired").notNull().default(false),
});

/** Five tracked properties, for a tick that changes all of them at once. */
export const wide = temporalTable(
  "bench_wide",
  { id: integer("id").primaryKey(), a: text("a"), b: text("b"), c: integer("c"), d: integer("d"), e: text("e") },
  { track: ["a", "b", "c", "d", "e"] },
);
export const widePlain = pgTable("bench_wide_plain", {
  id: integer("id").primaryKey(),
  a: text("a"),
  b: text("b"),
  c: integer("c"),
  d: integer("d"),
  e: text("e"),
  vclock: integer("vclock").notNull().default(1),
  retired: boolean("retired").notNull().default(false),
});

/**
 * The app's member row in plain column types, all ten columns tracked: the wide table of the
 * comparison with the peers (bench/cases/peers.ts), where a one-property change is the common case.
 */
export const memberBench = temporalTable(
  "bench_member",
  {
    id: integer("id").primaryKey(),
    memberNumber: varchar("member_number", { length: 12 }).notNull(),
    fullName: text("full_name").notNull(),
    dateOfBirth: date("date_of_birth", { mode: "string" }).notNull(),
    plan: text("plan").notNull(),
    premium: numeric("premium", { precision: 10, scale: 2 }).notNull(),
    providerId: integer("provider_id"),
    coverage: jsonb("coverage").notNull(),
    tags: text("tags").array().notNull(),
    renewsOn: date("renews_on", { mode: "string" }).notNull(),
    visits: integer("visits").notNull(),
  },
  { track: ["memberNumber", "fullName", "dateOfBirth", "plan", "premium", "providerId", "coverage", "tags", "renewsOn", "visits"] },
);

/** What a sort index costs a write (bench/cases/sortable.ts): the same table twice, `name` sortable in one. */
const itemColumns = () => ({
  id: integer("id").primaryKey(),
  name: text("name").notNull(),
  status: text("status").notNull(),
  score: integer("score").notNull(),
  note: text("note"),
});
export const sortedItem = temporalTable("bench_sorted", itemColumns(), { track: ["name", "status", "score"], sortable: ["name"] });
export const unsortedItem = temporalTable("bench_unsorted", itemColumns(), { track: ["name", "status", "score"] });

export const benchSchema = { item, plain, friendBench, friendPlain, wide, widePlain, memberBench, sortedItem, unsortedItem };
export const benchTables = [item, friendBench, wide, memberBench, sortedItem, unsortedItem];
