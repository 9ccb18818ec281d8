/** The benchmark's tables: one temporal table and a plain copy with the same columns, written the same way. */
import { boolean, integer, pgTable, text } from "drizzle-orm/pg-core";
import { temporalTable } from "@/lib/temporal";

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

export const benchSchema = { item, plain, friendBench, friendPlain, wide, widePlain };
export const benchTables = [item, friendBench, wide];
