/**
 * Sortable properties: a sort index in the property's history table, declared in temporalTable, planned by the
 * migration, checked by checkTemporalSchema, and read by tableAsOf. The same table is declared twice, with the
 * option and without it, so each read is compared with today's plan (every record's value then, sorted) on the
 * same rows.
 */
import { randomBytes } from "node:crypto";
import { asc, desc, inArray, isNotNull, like, sql, type SQL } from "drizzle-orm";
import { integer, json, PgDialect, primaryKey, serial, text } from "drizzle-orm/pg-core";
import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  checkTemporalSchema,
  create,
  createMany,
  InvalidValueError,
  planTemporalMigration,
  restore,
  retire,
  tableAsOf,
  temporalTable,
  TemporalDefinitionError,
  tick,
  withActivity,
  type ActivityInput,
  type TableAsOfOptions,
  type TemporalDb,
} from "../index";
import { librarySchema, testDb, withTestDb, type TestDb } from "./harness";

const petColumns = () => ({
  id: serial("id").primaryKey(),
  name: text("name").notNull(),
  city: text("city"),
  score: integer("score"),
  note: text("note"),
});
const sortedPet = temporalTable("sorted_pet", petColumns(), { track: ["name", "city", "score"], sortable: ["name", "city", "score"] });
/** The same table without the option: read by today's plan. */
const plainPet = temporalTable("sorted_pet", petColumns(), { track: ["name", "city", "score"] });

const pairColumns = () => ({ a: integer("a").notNull(), b: integer("b").notNull(), label: text("label") });
const sortedPair = temporalTable("sorted_pair", pairColumns(), {
  track: ["label"],
  sortable: ["label"],
  extraConfig: (t) => [primaryKey({ columns: [t.a, t.b] })],
});
const plainPair = temporalTable("sorted_pair", pairColumns(), {
  track: ["label"],
  extraConfig: (t) => [primaryKey({ columns: [t.a, t.b] })],
});

const t = withTestDb(() => librarySchema({ sortedPet, sortedPair }, [sortedPet, sortedPair]));

const d = (iso: string) => new Date(`${iso}T00:00:00.000Z`);
const on = (day: string): ActivityInput => ({ reason: `Changes on ${day}`, actor: "vitest", at: d(day) });

const NAMES = ["Bo", "Ada", "Cy", "Ada", "Dee", "Bo", "Eve"];
const CITIES = ["Oslo", "Lima", "Bern", "Lima"];

/** Records `db`'s statements, to see which plan a read took. */
function recording(db: TemporalDb): { db: TemporalDb; statements: string[] } {
  const statements: string[] = [];
  const dialect = new PgDialect();
  const proxy = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop !== "execute") return Reflect.get(target, prop, receiver) as unknown;
      return (query: SQL) => {
        statements.push(dialect.sqlToQuery(query).sql);
        return target.execute(query);
      };
    },
  });
  return { db: proxy, statements };
}

describe("tableAsOf sorted by a sortable property", () => {
  const ids: number[] = [];
  beforeAll(async () => {
    await withActivity(t.db, on("2010-01-01"), async (tx) => {
      const rows = Array.from({ length: 60 }, (_, i) => ({
        name: NAMES[i % NAMES.length]!,
        city: i % 5 === 0 ? null : CITIES[i % CITIES.length]!,
        score: i % 6 === 0 ? null : (i * 37) % 11,
      }));
      ids.push(...(await createMany(tx, sortedPet, rows)).map((r) => r.id));
      await createMany(
        tx,
        sortedPair,
        Array.from({ length: 30 }, (_, i) => ({ a: i % 3, b: 30 - i, label: i % 7 === 0 ? null : `L${i % 4}` })),
      );
    });
    await withActivity(t.db, on("2010-02-01"), async (tx) => {
      for (let i = 0; i < 60; i += 3)
        await tick(tx, sortedPet, ids[i]!, { name: `${NAMES[(i + 3) % NAMES.length]}`, city: i % 2 ? null : "Accra" });
      // One write per record and activity: a back-dated activity cannot tick a record twice at its moment.
      for (const i of [1, 11, 25, 43, 53]) await retire(tx, sortedPet, ids[i]!);
      await tx.execute(sql`UPDATE ${sortedPair} SET "label" = NULL WHERE "a" = 1 AND "b" > 20`);
    });
    await withActivity(t.db, on("2010-03-01"), async (tx) => {
      const more = Array.from({ length: 20 }, (_, i) => ({
        name: NAMES[(i * 3) % NAMES.length]!,
        city: i % 4 ? "Oslo" : null,
        score: i % 3,
      }));
      ids.push(...(await createMany(tx, sortedPet, more)).map((r) => r.id));
      for (const i of [1, 25]) await restore(tx, sortedPet, ids[i]!);
      for (let i = 2; i < 60; i += 4) await tick(tx, sortedPet, ids[i]!, { score: (i * 7) % 5 });
      await tx.execute(sql`UPDATE ${sortedPair} SET "label" = 'L9' WHERE "a" = 2`);
    });
    await withActivity(t.db, on("2010-04-01"), async (tx) => {
      for (let i = 5; i < 80; i += 9) await tick(tx, sortedPet, ids[i]!, { city: null, name: "Ada" });
      await retire(tx, sortedPet, ids[7]!);
    });
  });

  const moments = ["2009-12-31", "2010-02-01", "2010-03-15", "2010-05-01"].map(d);
  const pages = [
    { limit: 10, offset: 0 },
    { limit: 10, offset: 7 },
    { limit: 25, offset: 33 },
    { limit: 5, offset: 68 },
    { limit: 10, offset: 100 },
  ];
  type Options = TableAsOfOptions<typeof sortedPet>;
  const orders: [string, Options["orderBy"]][] = [
    ["name ascending", (then) => asc(then.name)],
    ["name descending", (then) => desc(then.name)],
    ["city ascending (nulls last)", (then) => asc(then.city)],
    ["city descending (nulls first)", (then) => desc(then.city)],
    ["score ascending, then the key", (then) => [asc(then.score), asc(then.id)]],
  ];
  const filters: [string, Options][] = [
    ["no filter", {}],
    ["retired records too", { includeRetired: true }],
    ["a filter on another property", { where: (then) => inArray(then.name, ["Ada", "Bo"]) }],
    ["a filter on the sorted property", { where: (then) => isNotNull(then.city) }],
    ["only records changed since", { changedSince: d("2010-01-20") }],
    ["without the count", { count: false }],
  ];

  it.each(orders)("gives today's pages sorted by %s", async (_, orderBy) => {
    const { db, statements } = recording(t.db);
    for (const [m, at] of moments.entries()) {
      for (const [f, [what, options]] of filters.entries()) {
        // Two of the pages for each moment and filter, a different two each time: every page meets every filter.
        for (const page of [pages[(m + f) % pages.length]!, pages[(m + f + 2) % pages.length]!]) {
          const read = { ...options, ...page, orderBy };
          statements.length = 0;
          const got = await tableAsOf(db, sortedPet, at, read);
          const expected = await tableAsOf(t.db, plainPet, at, read as TableAsOfOptions<typeof plainPet>);
          expect(got, `${at.toISOString()}, ${what}, offset ${page.offset}`).toEqual(expected);
          // Every record then has a row of each property: a page with rows is read from the index, in one query.
          expect(statements[0]).toMatch(/ FROM "sorted_pet_history_(name|city|score)" "h\d" /);
          if (expected.rows.length > 0) expect(statements).toHaveLength(1);
        }
      }
    }
  });

  it("gives today's pages of a table with a composite key, ties in key order both ways", async () => {
    for (const at of [d("2010-01-15"), d("2010-02-15"), d("2010-05-01")]) {
      for (const orderBy of [(then: typeof sortedPair) => asc(then.label), (then: typeof sortedPair) => desc(then.label)]) {
        for (const page of [...pages, { limit: 30, offset: 0 }]) {
          const got = await tableAsOf(t.db, sortedPair, at, { ...page, orderBy });
          expect(got).toEqual(await tableAsOf(t.db, plainPair, at, { ...page, orderBy }));
        }
      }
    }
    const all = await tableAsOf(t.db, sortedPair, d("2010-02-15"), { orderBy: (then) => desc(then.label), limit: 30 });
    // Nulls first descending, each value's records by (a, b).
    expect(all.rows.slice(0, 4).map((r) => [r.label, r.a, r.b])).toEqual([
      [null, 0, 9],
      [null, 0, 30],
      [null, 1, 2],
      [null, 1, 23],
    ]);
  });

  it("refuses a value too large for a sort index entry as an InvalidValueError", async () => {
    const huge = randomBytes(6_000).toString("base64");
    const write = tick(t.db, sortedPet, ids[0]!, { name: huge }, { reason: "Too long to index", actor: "vitest" });
    await expect(write).rejects.toBeInstanceOf(InvalidValueError);
    await expect(write).rejects.toThrow(/too large for the sort index "?sorted_pet_history_name_sort_idx"? of a sortable property/);
  });

  it("reads any other order without the index", async () => {
    const { db, statements } = recording(t.db);
    const others: Options["orderBy"][] = [
      (then) => sql`${then.name} asc nulls first`,
      (then) => [asc(then.name), asc(then.city)],
      (then) => [asc(then.name), desc(then.id)],
      (then) => asc(then.note),
    ];
    for (const orderBy of others) {
      statements.length = 0;
      const got = await tableAsOf(db, sortedPet, d("2010-03-15"), { orderBy, limit: 10 });
      expect(got).toEqual(await tableAsOf(t.db, plainPet, d("2010-03-15"), { orderBy, limit: 10 }));
      expect(statements).toHaveLength(1);
      expect(statements[0]).toMatch(/ FROM "sorted_pet" e /);
    }
  });
});

describe("declaring sortable properties", () => {
  const columns = () => ({ id: serial("id").primaryKey(), name: text("name").notNull(), chip: text("chip") });

  it("refuses a property that is not tracked, one listed twice, or one Postgres cannot sort", () => {
    const declare =
      (sortable: string[], track: string[] = ["name"]) =>
      () =>
        temporalTable("sortable_pet", columns(), { track: track as "name"[], sortable: sortable as "name"[] });
    expect(declare(["chip"])).toThrow(TemporalDefinitionError);
    expect(declare(["chip"])).toThrow(
      'temporalTable("sortable_pet"): cannot make "chip" sortable: only tracked properties have a history to index. Add it to track, or leave it out of sortable.',
    );
    expect(declare(["retired"])).toThrow(/cannot make "retired" sortable/);
    expect(declare(["name", "name"])).toThrow('temporalTable("sortable_pet"): a property is listed twice in sortable.');
    const unordered = () =>
      temporalTable("sortable_doc", { id: serial("id").primaryKey(), body: json("body") }, { track: ["body"], sortable: ["body"] });
    expect(unordered).toThrow('temporalTable("sortable_doc"): cannot make "body" sortable: Postgres cannot sort its type (json).');
    expect(temporalTable("sortable_pet", columns(), { track: ["name", "chip"], sortable: ["chip"] }).$temporal.sortable).toEqual(["chip"]);
  });
});

describe("the sort index in migrations and the schema check", () => {
  const v1 = temporalTable(
    "spet",
    { id: serial("id").primaryKey(), name: text("name").notNull(), city: text("city") },
    { track: ["name"] },
  );
  const v2 = temporalTable(
    "spet",
    { id: serial("id").primaryKey(), name: text("name").notNull(), city: text("city") },
    { track: ["name", "city"], sortable: ["city"] },
  );
  const v2Plain = temporalTable(
    "spet",
    { id: serial("id").primaryKey(), name: text("name").notNull(), city: text("city") },
    { track: ["name", "city"] },
  );
  const dropIndex = 'DROP INDEX IF EXISTS "spet_history_city_sort_idx"';
  const createIndex =
    'CREATE INDEX "spet_history_city_sort_idx" ON "spet_history_city" ("city", "spet_id") INCLUDE ("vclock", "effective")';
  let db: TestDb | undefined;
  afterEach(async () => {
    await db?.close();
    db = undefined;
  });
  const exec = async (statements: string[]) => {
    for (const statement of statements) await db!.db.execute(sql.raw(statement));
  };

  it("is created with a new table, after the opening history of its rows", () => {
    const { statements } = planTemporalMigration([v2], null);
    expect(statements.indexOf(createIndex)).toBe(statements.indexOf(dropIndex) + 1);
    expect(statements.indexOf(dropIndex)).toBeGreaterThan(statements.findIndex((s) => s.includes("Tracking started for table spet")));
  });

  it("is added when a property becomes sortable, dropped when it stops being, and checked", async () => {
    db = await testDb({ v1 }, [v1]);
    const first = planTemporalMigration([v1], null).snapshot;
    const entity = await generateMigration(generateDrizzleJson({ v1 }), generateDrizzleJson({ v2 }));
    await createMany(db.db, v1, [{ name: "Rex", city: "Reno" }, { name: "Max", city: "Elko" }, { name: "Ace" }], {
      reason: "Before city was tracked",
      actor: "vitest",
    });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const beforeTracking = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));
    const plan = planTemporalMigration([v2], first);
    expect(plan.statements.filter((s) => s.includes("_sort_idx"))).toEqual([dropIndex, createIndex]);
    expect(plan.statements[plan.statements.indexOf(dropIndex) + 1]).toBe(createIndex);
    expect(plan.statements.findIndex((s) => s.includes("Tracking started for spet.city"))).toBeLessThan(plan.statements.indexOf(dropIndex));
    await exec([...entity, ...plan.statements]);
    expect(await checkTemporalSchema(db.db, [v2])).toEqual([]);
    expect(planTemporalMigration([v2], plan.snapshot).statements).toEqual([]);

    // Before tracking started, the records had no city row: each reads as null, as today's plan says. A record
    // imported since, back-dated to before then, has one: the city rows then are not all the records then.
    const imported = new Date(beforeTracking.getTime() - 1);
    await create(db.db, v2, { name: "Old", city: "Oslo" }, { reason: "Imported", actor: "vitest", at: imported });
    for (const orderBy of [(then: typeof v2) => desc(then.city), (then: typeof v2) => asc(then.city)]) {
      for (const at of [beforeTracking, new Date()]) {
        for (const page of [{}, { where: (then: typeof v2) => like(then.name, "%"), limit: 2, offset: 1 }]) {
          const read = { orderBy, ...page };
          expect(await tableAsOf(db.db, v2, at, read)).toEqual(await tableAsOf(db.db, v2Plain, at, read));
        }
      }
    }
    const then = await tableAsOf(db.db, v2, beforeTracking, { orderBy: (t) => desc(t.city) });
    expect(then.rows.map((r) => [r.name, r.city])).toEqual([
      ["Rex", null],
      ["Max", null],
      ["Ace", null],
      ["Old", "Oslo"],
    ]);
    expect((await tableAsOf(db.db, v2, new Date(), { orderBy: (t) => desc(t.city) })).rows.map((r) => r.city)).toEqual([
      null,
      "Reno",
      "Oslo",
      "Elko",
    ]);

    await db.db.execute(sql.raw(dropIndex));
    expect(await checkTemporalSchema(db.db, [v2])).toEqual([
      {
        object: '"spet_history_city_sort_idx"',
        problem: expect.stringMatching(/^index is missing: a table as of a moment sorted by city/),
      },
    ]);
    await exec([createIndex]);

    const unsorted = planTemporalMigration([v2Plain], plan.snapshot);
    expect(unsorted.statements).toEqual([dropIndex, 'DROP INDEX IF EXISTS "spet_history_retired_key_idx"']);
    expect(unsorted.notices).toEqual([]);
    expect(Object.keys(unsorted.snapshot.objects).filter((id) => id.includes("sortable"))).toEqual([]);
    await exec(unsorted.statements);
    expect(await checkTemporalSchema(db.db, [v2Plain])).toEqual([]);
    expect(planTemporalMigration([v2Plain], unsorted.snapshot).statements).toEqual([]);
  });
});
