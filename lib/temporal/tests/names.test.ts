/**
 * Names: a table, a key, a column and a history schema whose names hold `"` and spaces
 * work end to end (every name is quoted by one helper), and names that cannot be used
 * safely are refused when the table is declared.
 */
import { asc, desc, eq, gt, sql } from "drizzle-orm";
import { integer, text } from "drizzle-orm/pg-core";
import { describe, expect, it } from "vitest";
import {
  asOf,
  blame,
  lanes,
  changedIn,
  changeset,
  checkTemporalSchema,
  create,
  diff,
  history,
  listActivities,
  planTemporalMigration,
  restore,
  retire,
  revert,
  revertActivity,
  tableAsOf,
  temporalTable,
  TemporalDefinitionError,
  tick,
  tickMany,
  timeline,
  verify,
  withActivity,
  type ActivityInput,
} from "../index";
import { fixtureSchema, fixtureTables, longNamed } from "./fixtures";
import { librarySchema, withTestDb } from "./harness";

const odd = temporalTable(
  'odd "table" name',
  {
    id: integer('the "id"').primaryKey(),
    label: text('the "label" col'),
    score: integer("a score"),
  },
  { track: ["label", "score"], schema: 'odd "audit" schema' },
);

/** Written by hand: drizzle-kit writes `"` inside a name unescaped. */
const entityDdl = [
  'CREATE SCHEMA "odd ""audit"" schema"',
  `CREATE TABLE "odd ""table"" name" (
  "the ""id""" integer PRIMARY KEY,
  "the ""label"" col" text,
  "a score" integer,
  "vclock" integer DEFAULT 1 NOT NULL,
  "retired" boolean DEFAULT false NOT NULL
)`,
];

const t = withTestDb(() => librarySchema(fixtureSchema, [...fixtureTables, odd], { entityDdl }));

const who = (reason: string): ActivityInput => ({ reason, actor: "vitest" });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a table, key, column and schema whose names hold `"` and spaces', () => {
  let created: Date;

  it("creates its clock and history tables under those names in the history schema", async () => {
    const { rows } = (await t.db.execute(
      sql`SELECT c.relname AS "name" FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = ${'odd "audit" schema'} AND c.relkind = 'r' ORDER BY 1`,
    )) as unknown as { rows: { name: string }[] };
    expect(rows.map((r) => r.name)).toEqual([
      'odd "table" name_clock',
      'odd "table" name_history_a score',
      'odd "table" name_history_retired',
      'odd "table" name_history_the "label" col',
    ]);
    expect(await checkTemporalSchema(t.db, [odd])).toEqual([]);
  });

  it("reports a disabled trigger and an out-of-date function of that table by their names", async () => {
    const problems = await t.db
      .transaction(async (tx) => {
        await tx.execute(sql.raw('ALTER TABLE "odd ""table"" name" DISABLE TRIGGER "temporal_2_bump"'));
        await tx.execute(
          sql.raw(
            'CREATE OR REPLACE FUNCTION "odd ""audit"" schema"."odd ""table"" name_temporal_after_insert"() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END;$$',
          ),
        );
        const found = await checkTemporalSchema(tx, [odd]);
        throw Object.assign(new Error("roll back"), { found });
      })
      .catch((error: { found?: unknown }) => error.found);
    expect(problems).toEqual([
      {
        object: 'odd "table" name_temporal_after_insert',
        problem: "function code is out of date: generate and run a migration (npm run db:generate, then db:migrate).",
      },
      { object: 'odd "table" name.temporal_2_bump', problem: "trigger is disabled: writes are not being recorded." },
    ]);
    expect(await checkTemporalSchema(t.db, [odd])).toEqual([]);
  });

  it("finds the functions of a table whose generated names are shortened", async () => {
    expect(await checkTemporalSchema(t.db, [longNamed])).toEqual([]);
  });

  it("plans nothing more once its migration has run", () => {
    const first = planTemporalMigration([odd], null);
    expect(planTemporalMigration([odd], first.snapshot).statements).toEqual([]);
  });

  it("creates and ticks records", async () => {
    expect(await create(t.db, odd, { id: 1, label: 'say "hi"', score: 10 }, who("one"))).toEqual({
      id: 1,
      label: 'say "hi"',
      score: 10,
      vclock: 1,
      retired: false,
    });
    await create(t.db, odd, { id: 2, label: "b", score: 20 }, who("two"));
    await create(t.db, odd, { id: 3, label: "c", score: 30 }, who("three"));
    created = (await asOf(t.db, odd, 3, { vclock: 1 }))!.timestamp;
    await sleep(5);

    const relabel = await tick(t.db, odd, 1, { label: 'say "bye"' }, who("relabel"), { expectedVclock: 1 });
    expect(relabel).toEqual({ vclock: 2, changed: ["label"], row: { id: 1, label: 'say "bye"', score: 10, vclock: 2, retired: false } });
    const both = await tick(t.db, odd, 2, { label: "a", score: 21 }, who("both"));
    expect([both.vclock, both.changed]).toEqual([2, ["label", "score"]]);
    // Plain Drizzle inside an activity is recorded too.
    await withActivity(t.db, who("plain"), (tx) => tx.update(odd).set({ score: 31 }).where(eq(odd.id, 3)));
  });

  it("reads a record as of a version and a moment", async () => {
    const then = await asOf(t.db, odd, 1, { vclock: 1 });
    expect([then!.vclock, then!.record, then!.notTracked]).toEqual([1, { id: 1, label: 'say "hi"', score: 10, retired: false }, []]);
    expect((await asOf(t.db, odd, 2, { at: created }))!.record).toEqual({ id: 2, label: "b", score: 20, retired: false });
  });

  it("lists a property's history, a record's timeline, blame and a diff", async () => {
    const { items } = await history(t.db, odd, 1, "label");
    expect(items.map((h) => [h.value, h.vclock, h.activity!.reason])).toEqual([
      ['say "bye"', { from: 2, to: null }, "relabel"],
      ['say "hi"', { from: 1, to: 2 }, "one"],
    ]);
    expect((await history(t.db, odd, 3, "score")).items.map((h) => [h.value, h.activity!.reason])).toEqual([
      [31, "plain"],
      [30, "three"],
    ]);

    const entries = (await timeline(t.db, odd, 2)).items;
    expect(entries.map((e) => [e.vclock, e.kind, e.activity.reason, e.changes])).toEqual([
      [
        2,
        "changed",
        "both",
        [
          { property: "label", before: "b", after: "a" },
          { property: "score", before: 20, after: 21 },
        ],
      ],
      [
        1,
        "created",
        "two",
        [
          { property: "label", before: undefined, after: "b" },
          { property: "score", before: undefined, after: 20 },
          { property: "retired", before: undefined, after: false },
        ],
      ],
    ]);

    expect((await blame(t.db, odd, 1)).map((b) => [b.property, b.vclock, b.activity.reason])).toEqual([
      ["label", 2, "relabel"],
      ["score", 1, "one"],
      ["retired", 1, "one"],
    ]);
    expect((await blame(t.db, odd, 1, { vclock: 1 })).map((b) => [b.property, b.vclock])).toEqual([
      ["label", 1],
      ["score", 1],
      ["retired", 1],
    ]);
    const [labelLane, scoreLane] = await lanes(t.db, odd, 1, { properties: ["label", "score"], slots: 2000 });
    expect(labelLane!.bands.map((b) => [b.value, b.vclock])).toEqual([
      ['say "hi"', 1],
      ['say "bye"', 2],
    ]);
    expect(scoreLane!.bands.map((b) => [b.value, b.min, b.max])).toEqual([[10, 10, 10]]);
    const window = await history(t.db, odd, 1, "label", { from: created, to: new Date(Date.now() + 1000) });
    expect(window.items.length).toBe(2);
    const changes = await diff(t.db, odd, 1, { vclock: 2 }, { vclock: 1 });
    expect([changes.from!.vclock, changes.to!.vclock, changes.changes]).toEqual([
      2,
      1,
      [{ property: "label", before: 'say "bye"', after: 'say "hi"' }],
    ]);
  });

  it("reads the table as of a moment, filtered and sorted by the quoted columns", async () => {
    const now = await tableAsOf(t.db, odd, new Date(Date.now() + 1000), { orderBy: (then) => desc(then.label) });
    expect(now.rows.map((r) => [r.id, r.label, r.score, r.vclock])).toEqual([
      [1, 'say "bye"', 10, 2],
      [3, "c", 31, 2],
      [2, "a", 21, 2],
    ]);
    expect(now.total).toBe(3);
    const then = await tableAsOf(t.db, odd, created, { where: (r) => gt(r.score, 10), orderBy: (r) => asc(r.label) });
    expect([then.rows.map((r) => [r.id, r.label, r.score, r.vclock]), then.total]).toEqual([
      [
        [2, "b", 20, 1],
        [3, "c", 30, 1],
      ],
      2,
    ]);
    const paged = await tableAsOf(t.db, odd, created, { after: 1, limit: 1, count: false });
    expect([paged.rows.map((r) => r.id), paged.hasMore]).toEqual([[2], true]);
  });

  it("lists every change of a property across the table", async () => {
    const events = await changedIn(t.db, odd, "label", { from: new Date(created.getTime() + 1), to: new Date(Date.now() + 1000) });
    expect(events.map((e) => [e.key, e.vclock, e.before, e.after])).toEqual([
      [{ id: 1 }, 2, 'say "hi"', 'say "bye"'],
      [{ id: 2 }, 2, "b", "a"],
    ]);
  });

  it("verifies, reverts a record and an activity, and writes many records at once", async () => {
    expect(await verify(t.db, odd)).toEqual([]);

    const reverted = await revert(t.db, odd, 1, { toVclock: 1, properties: ["label"] }, who("undo relabel"));
    expect([reverted.vclock, reverted.changed, reverted.row.label]).toEqual([3, ["label"], 'say "hi"']);

    const both = (await timeline(t.db, odd, 2)).items[0]!.activity.id;
    expect((await changeset(t.db, both)).entries.map((e) => [e.table, e.key, e.vclock])).toEqual([['odd "table" name', { id: 2 }, 2]]);
    const undone = await revertActivity(t.db, both, who("undo both"));
    expect(undone).toEqual({
      activityId: (await timeline(t.db, odd, 2)).items[0]!.activity.id,
      reverted: [{ table: 'odd "table" name', key: { id: 2 }, vclock: 3 }],
    });
    expect((await asOf(t.db, odd, 2, { vclock: 3 }))!.record).toEqual({ id: 2, label: "b", score: 20, retired: false });

    const many = await tickMany(
      t.db,
      odd,
      [
        { key: 1, changes: { score: 11 }, expectedVclock: 3 },
        { key: 3, changes: { label: 'c "2"' } },
      ],
      who("many"),
    );
    expect(many.map((r) => [r.row.id, r.vclock, r.changed])).toEqual([
      [1, 4, ["score"]],
      [3, 3, ["label"]],
    ]);
    await retire(t.db, odd, 3, who("retire"));
    await restore(t.db, odd, 3, who("restore"));
    expect((await history(t.db, odd, 3, "retired")).items.map((h) => h.value)).toEqual([false, true, false]);

    const { items } = await listActivities(t.db, { table: odd, limit: 3 });
    expect(items.map((a) => [a.reason, a.ticks['odd "table" name']])).toEqual([
      ["restore", 1],
      ["retire", 1],
      ["many", 2],
    ]);
    expect(await verify(t.db, odd)).toEqual([]);
    expect(await checkTemporalSchema(t.db, [odd])).toEqual([]);
  });
});

describe("names that cannot be used safely", () => {
  const declare = (name: string, column = "label", schema?: string) =>
    temporalTable(name, { id: integer("id").primaryKey(), label: text(column) }, { track: ["label"], schema });
  const refused = (fn: () => unknown): TemporalDefinitionError => {
    try {
      fn();
    } catch (error) {
      expect(error).toBeInstanceOf(TemporalDefinitionError);
      return error as TemporalDefinitionError;
    }
    throw new Error("expected a TemporalDefinitionError");
  };

  it("refuses a table, column or schema name over 63 bytes, counted in UTF-8", () => {
    expect(refused(() => declare("t".repeat(64))).message).toBe(
      `temporalTable("${"t".repeat(64)}"): the table name "${"t".repeat(64)}" is 64 bytes long; Postgres keeps only the first 63 bytes of a name (it would cut it silently): use a shorter name.`,
    );
    expect(refused(() => declare("é".repeat(32))).message).toContain("is 64 bytes long");
    expect(refused(() => declare("names_long_column", "c".repeat(64))).message).toContain('the column name "cccc');
    expect(refused(() => declare("names_long_schema", "label", "s".repeat(64))).message).toContain('the schema name "ssss');
  });

  it("accepts a name of exactly 63 bytes, its generated names shortened", () => {
    const table = declare("n".repeat(63), "c".repeat(63));
    expect(table.$temporal.tracked).toEqual(["label"]);
  });

  it("refuses a NUL character, an empty name, $temporal$, a colon in a table name and the reserved prefix", () => {
    expect(refused(() => declare("names\u0000nul")).message).toBe(
      'temporalTable("names\\u0000nul"): the table name "names\\u0000nul" contains a NUL character, which Postgres cannot store in a name: remove it.',
    );
    expect(refused(() => declare("names_nul_column", "a\u0000b")).message).toContain("contains a NUL character");
    expect(refused(() => declare("names_nul_schema", "label", "s\u0000")).message).toContain("the schema name");
    expect(refused(() => declare("")).message).toContain("is empty: give it a name.");
    expect(refused(() => declare("names_empty_schema", "label", "")).message).toContain("the schema name");
    expect(refused(() => declare("names_$temporal$_x")).message).toContain("contains $temporal$");
    expect(refused(() => declare("names_dollar_column", "x$temporal$")).message).toContain("contains $temporal$");
    expect(refused(() => declare("names:colon")).message).toContain("contains a colon");
    expect(refused(() => declare("names_reserved", "__temporal_total")).message).toContain("starts with __temporal");
  });

  it("accepts a colon or a dot in a column name and a dot in a table name", () => {
    expect(declare("names.dotted", "a:b.c").$temporal.tracked).toEqual(["label"]);
  });
});

describe("planning migrations for names with dots and colons", () => {
  const declare = (type: "text" | "integer", column = "x:y.z") =>
    temporalTable(
      "names.planned",
      { id: integer("id").primaryKey(), value: type === "text" ? text(column) : integer(column) },
      { track: ["value"] },
    );

  it("changes the type of a tracked column whose name holds a colon and a dot", () => {
    const before = planTemporalMigration([declare("text")], null);
    const { statements } = planTemporalMigration([declare("integer")], before.snapshot);
    expect(statements.slice(0, 2)).toEqual([
      'DROP TRIGGER IF EXISTS "temporal_close_only" ON "names.planned_history_x:y.z"',
      'ALTER TABLE "names.planned_history_x:y.z" ALTER COLUMN "x:y.z" TYPE integer USING "x:y.z"::integer',
    ]);
  });

  it("renames a tracked column of a table whose name holds a dot", () => {
    const before = planTemporalMigration([declare("text", "old name")], null);
    const { statements } = planTemporalMigration([declare("text", "new name")], before.snapshot, {
      renames: { "names.planned.old name": "new name" },
    });
    expect(statements.slice(0, 2)).toEqual([
      'ALTER TABLE "names.planned_history_old name" RENAME TO "names.planned_history_new name"',
      'ALTER TABLE "names.planned_history_new name" RENAME COLUMN "old name" TO "new name"',
    ]);
  });

  it("drops the capture triggers of that table, not of another, when it stops being temporal", () => {
    const before = planTemporalMigration([declare("text")], null);
    const { statements } = planTemporalMigration([], before.snapshot);
    expect(statements).toContain('DROP FUNCTION IF EXISTS "public"."names.planned_temporal_bump"()');
    expect(statements).toContain(
      `DO $temporal$ BEGIN IF to_regclass('"public"."names.planned"') IS NOT NULL THEN DROP TRIGGER IF EXISTS "temporal_2_bump" ON "public"."names.planned"; END IF; END $temporal$`,
    );
  });
});
