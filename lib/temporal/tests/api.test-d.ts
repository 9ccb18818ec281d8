/**
 * The public API's types, checked by the compiler (vitest's typecheck, and `tsc --noEmit`): what
 * temporalTable infers, what the writes and reads return for a declared table, and what they refuse
 * at compile time. Nothing here runs; `db` is only declared.
 */
import { integer, numeric, serial, text } from "drizzle-orm/pg-core";
import { describe, expectTypeOf, it } from "vitest";
import {
  asOf,
  create,
  history,
  temporalTable,
  tick,
  tickMany,
  timeline,
  type AsOf,
  type HistoryEntry,
  type Page,
  type TemporalDb,
  type TickResult,
  type TimelineEntry,
} from "../index";

const pet = temporalTable(
  "pet",
  {
    id: serial("id").primaryKey(),
    name: text("name").notNull(),
    town: text("town"),
    weight: numeric("weight"),
    chip: integer("chip"),
  },
  { track: ["name", "town", "weight"] },
);

declare const db: TemporalDb;
const who = { reason: "types", actor: "vitest" };

type PetRow = {
  id: number;
  name: string;
  town: string | null;
  weight: string | null;
  chip: number | null;
  vclock: number;
  retired: boolean;
};

describe("temporalTable", () => {
  it("infers the tracked properties from track", () => {
    expectTypeOf(pet.$temporal.tracked).toEqualTypeOf<readonly ("name" | "town" | "weight")[]>();
    expectTypeOf(pet.$temporal.history).toHaveProperty("retired");
    expectTypeOf(pet.$temporal.history).toHaveProperty("town");
    expectTypeOf(pet.$temporal.history).not.toHaveProperty("chip");
  });

  it("is a Drizzle table whose rows have the columns plus vclock and retired", () => {
    expectTypeOf<typeof pet.$inferSelect>().toEqualTypeOf<PetRow>();
  });

  it("takes only tracked properties as sortable", () => {
    const sorted = temporalTable(
      "pet",
      { id: serial("id").primaryKey(), name: text("name").notNull(), chip: text("chip") },
      { track: ["name"], sortable: ["name"] },
    );
    expectTypeOf(sorted.$temporal.sortable).toEqualTypeOf<readonly "name"[]>();
    const columns = { id: serial("id").primaryKey(), name: text("name"), chip: text("chip") };
    // @ts-expect-error: chip is a column, but not tracked
    temporalTable("pet", columns, { track: ["name"], sortable: ["chip"] });
  });

  it("refuses a tracked property that is not a column", () => {
    // @ts-expect-error: "colour" is not a column of the table
    temporalTable("pet", { id: serial("id").primaryKey(), name: text("name") }, { track: ["name", "colour"] });
  });
});

describe("writes", () => {
  it("create returns the row, tick the new version, what changed and the row", async () => {
    expectTypeOf(await create(db, pet, { name: "Rex" }, who)).toEqualTypeOf<PetRow>();
    const ticked = await tick(db, pet, 1, { town: "Reno" }, who, { expectedVclock: 1 });
    expectTypeOf(ticked).toEqualTypeOf<TickResult<typeof pet>>();
    expectTypeOf(ticked.changed).toEqualTypeOf<("name" | "town" | "weight")[]>();
    expectTypeOf(ticked.row).toEqualTypeOf<PetRow>();
    expectTypeOf(await tickMany(db, pet, [{ key: 1, changes: { name: "Max" } }], who)).toEqualTypeOf<TickResult<typeof pet>[]>();
  });

  it("refuses unknown properties, wrong value types, and the columns the library manages", async () => {
    // @ts-expect-error: "colour" is not a column of the table
    await tick(db, pet, 1, { colour: "brown" }, who);
    // @ts-expect-error: town is text
    await tick(db, pet, 1, { town: 7 }, who);
    // @ts-expect-error: vclock is managed by the library
    await tick(db, pet, 1, { vclock: 3 }, who);
    // @ts-expect-error: a new record needs its name (NOT NULL, no default)
    await create(db, pet, { town: "Reno" }, who);
  });
});

describe("reads", () => {
  it("asOf returns the record then, typed by the table, or null", async () => {
    const then = await asOf(db, pet, 1, { at: new Date() });
    expectTypeOf(then).toEqualTypeOf<AsOf<typeof pet> | null>();
    expectTypeOf(then!.record.town).toEqualTypeOf<string | null>();
    expectTypeOf(then!.record.name).toEqualTypeOf<string>();
    expectTypeOf(then!.notTracked).toEqualTypeOf<("name" | "town" | "weight")[]>();
    // @ts-expect-error: asOf reads a version or a moment
    await asOf(db, pet, 1, { when: new Date() });
  });

  it("history returns pages of one property's values, typed by its column", async () => {
    expectTypeOf(await history(db, pet, 1, "town")).toEqualTypeOf<Page<HistoryEntry<string | null>>>();
    expectTypeOf(await history(db, pet, 1, "retired")).toEqualTypeOf<Page<HistoryEntry<boolean>>>();
    // @ts-expect-error: chip is a column, but not tracked
    await history(db, pet, 1, "chip");
    // @ts-expect-error: "colour" is not a property of the table
    await history(db, pet, 1, "colour");
  });

  it("timeline returns pages of ticks", async () => {
    expectTypeOf(await timeline(db, pet, 1, { limit: 20 })).toEqualTypeOf<Page<TimelineEntry>>();
  });
});
