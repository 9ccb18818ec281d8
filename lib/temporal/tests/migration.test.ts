import { sql } from "drizzle-orm";
import { integer, pgTable, serial, text, varchar } from "drizzle-orm/pg-core";
import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import { afterEach, describe, expect, it } from "vitest";
import {
  asOf,
  checkTemporalSchema,
  create,
  history,
  InvalidActivityError,
  planTemporalMigration,
  tick,
  timeline,
  translateError,
  verify,
  type AnyTemporalTable,
  type TemporalDb,
  type TemporalSnapshot,
} from "../index";
import { temporalTable } from "../index";
import { ACTIVITY_SETTING } from "../ddl";
import { enrollment } from "./fixtures";
import { testDb, type TestDb } from "./harness";

const who = { reason: "test", actor: "vitest" };

const v1 = temporalTable("pet", { id: serial("id").primaryKey(), name: text("name").notNull(), city: text("city") }, { track: ["name"] });
const v2 = temporalTable(
  "pet",
  { id: serial("id").primaryKey(), name: text("name").notNull(), city: text("city") },
  { track: ["name", "city"] },
);
const v3 = temporalTable(
  "pet",
  { id: serial("id").primaryKey(), name: text("name").notNull(), town: text("town") },
  { track: ["name", "town"] },
);
const v4 = temporalTable(
  "pet",
  { id: serial("id").primaryKey(), name: varchar("name", { length: 80 }).notNull(), town: text("town") },
  { track: ["name"] },
);

let t: TestDb | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

async function exec(db: TemporalDb, statements: string[]) {
  for (const statement of statements) await db.execute(sql.raw(statement));
}

/** Moves a database from one schema version to the next, as committed migrations would. */
async function evolve(
  db: TemporalDb,
  from: Record<string, unknown>,
  to: Record<string, unknown>,
  tables: AnyTemporalTable[],
  snapshot: TemporalSnapshot,
  renames?: Record<string, string>,
) {
  const entity = await generateMigration(generateDrizzleJson(from), generateDrizzleJson(to));
  const plan = planTemporalMigration(tables, snapshot, { renames });
  await exec(db, [...entity, ...plan.statements]);
  return plan;
}

describe("planning temporal migrations", () => {
  it("plans nothing when the snapshot is up to date", () => {
    const first = planTemporalMigration([v1], null);
    expect(first.statements.length).toBeGreaterThan(10);
    expect(planTemporalMigration([v1], first.snapshot).statements).toEqual([]);
  });

  it("starts tracking an existing column: one open row per record at its current vclock, not tracked before", async () => {
    t = await testDb({ v1 }, [v1]);
    const snapshot = planTemporalMigration([v1], null).snapshot;
    const rex = await create(t.db, v1, { name: "Rex", city: "Reno" }, who);
    await tick(t.db, v1, rex.id, { name: "Rex II" }, who);
    const before = new Date();
    await new Promise((resolve) => setTimeout(resolve, 5));

    const plan = await evolve(t.db, { v1 }, { v2 }, [v2], snapshot);
    expect(plan.statements.some((s) => s.includes('CREATE TABLE "pet_history_city"'))).toBe(true);

    const rows = await t.db.execute(
      sql`SELECT "city", lower("vclock") AS "from", upper("vclock") AS "to" FROM "pet_history_city" WHERE "pet_id" = ${rex.id}`,
    );
    expect((rows as unknown as { rows: unknown[] }).rows).toEqual([{ city: "Reno", from: 2, to: null }]);
    expect(await verify(t.db, v2)).toEqual([]);

    const atVersion1 = await asOf(t.db, v2, rex.id, { vclock: 1 });
    expect(atVersion1?.notTracked).toEqual(["city"]);
    expect(atVersion1?.record).toEqual({ id: rex.id, name: "Rex", retired: false });
    expect((await asOf(t.db, v2, rex.id, { at: before }))?.notTracked).toEqual(["city"]);
    expect((await asOf(t.db, v2, rex.id, { vclock: 2 }))?.record.city).toBe("Reno");

    await tick(t.db, v2, rex.id, { city: "Elko" }, who);
    const { items } = await history(t.db, v2, rex.id, "city");
    expect(items.map((i) => [i.value, i.vclock, i.trackingStarted])).toEqual([
      ["Elko", { from: 3, to: null }, false],
      ["Reno", { from: 2, to: 3 }, true],
    ]);
    const ticks = (await timeline(t.db, v2, rex.id)).items;
    expect(ticks.map((i) => [i.vclock, i.changes.map((c) => c.property)])).toEqual([
      [3, ["city"]],
      [2, ["name"]],
      [1, ["name", "retired"]],
    ]);
    expect(await verify(t.db, v2)).toEqual([]);
  });

  it("renames a tracked column and keeps its history", async () => {
    t = await testDb({ v2 }, [v2]);
    const snapshot = planTemporalMigration([v2], null).snapshot;
    const fido = await create(t.db, v2, { name: "Fido", city: "Boise" }, who);
    await tick(t.db, v2, fido.id, { city: "Provo" }, who);

    await t.db.execute(sql`ALTER TABLE "pet" RENAME COLUMN "city" TO "town"`);
    const plan = planTemporalMigration([v3], snapshot, { renames: { "pet.city": "town" } });
    await exec(t.db, plan.statements);
    expect(planTemporalMigration([v3], plan.snapshot).statements).toEqual([]);

    const { items } = await history(t.db, v3, fido.id, "town");
    expect(items.map((i) => i.value)).toEqual(["Provo", "Boise"]);
    await tick(t.db, v3, fido.id, { town: "Ogden" }, who);
    expect((await asOf(t.db, v3, fido.id, { vclock: 1 }))?.record.town).toBe("Boise");
    expect(await verify(t.db, v3)).toEqual([]);
    expect(await checkTemporalSchema(t.db, [v3])).toEqual([]);
  });

  it("stops tracking a property without dropping its history, and follows a type change", async () => {
    t = await testDb({ v3 }, [v3]);
    const snapshot = planTemporalMigration([v3], null).snapshot;
    const max = await create(t.db, v3, { name: "Max", town: "Taos" }, who);
    await tick(t.db, v3, max.id, { town: "Gallup" }, who);

    const plan = await evolve(t.db, { v3 }, { v4 }, [v4], snapshot);
    expect(plan.notices.join(" ")).toMatch(/history\.town is no longer tracked/);
    expect(plan.statements.some((s) => /ALTER TABLE "pet_history_name" ALTER COLUMN "name" TYPE varchar\(80\)/.test(s))).toBe(true);

    await tick(t.db, v4, max.id, { town: "Santa Fe", name: "Maximus" }, who);
    const kept = await t.db.execute(sql`SELECT "town" FROM "pet_history_town" WHERE "pet_id" = ${max.id} ORDER BY lower("vclock")`);
    expect((kept as unknown as { rows: { town: string }[] }).rows.map((r) => r.town)).toEqual(["Taos", "Gallup"]);
    expect(await verify(t.db, v4)).toEqual([]);
    expect((await asOf(t.db, v4, max.id, { vclock: 3 }))?.record.name).toBe("Maximus");
  });

  it("makes a plain table with rows temporal, opening history for every row", async () => {
    const plain = pgTable("shelter", { id: serial("id").primaryKey(), name: text("name").notNull(), capacity: integer("capacity") });
    const tracked = temporalTable(
      "shelter",
      { id: serial("id").primaryKey(), name: text("name").notNull(), capacity: integer("capacity") },
      { track: ["name", "capacity"] },
    );
    t = await testDb({ plain }, []);
    await t.db.execute(sql`INSERT INTO "shelter" ("name", "capacity") VALUES ('North', 10), ('South', NULL)`);
    await evolve(t.db, { plain }, { tracked }, [tracked], {
      version: 1,
      objects: Object.fromEntries(Object.entries(planTemporalMigration([], null).snapshot.objects)),
      tables: {},
    });
    expect(await verify(t.db, tracked)).toEqual([]);
    const activity = await t.db.execute(sql`SELECT "reason", "actor" FROM "temporal_activity"`);
    expect((activity as unknown as { rows: unknown[] }).rows).toEqual([
      { reason: "Tracking started for table shelter", actor: "migration" },
    ]);
    const south = await asOf(t.db, tracked, 2, { vclock: 1 });
    expect(south?.record).toEqual({ id: 2, name: "South", capacity: null, retired: false });
  });
});

describe("the clock's (key, timestamp) index", () => {
  const index = 'CREATE INDEX "pet_clock_key_timestamp_idx" ON "pet_clock" ("pet_id", "timestamp")';

  it("is created with a new table, after the opening history of its existing rows", () => {
    const { statements } = planTemporalMigration([v2], null);
    const created = statements.indexOf(index);
    expect(created).toBeGreaterThan(statements.findIndex((s) => s.startsWith('CREATE TABLE "pet_clock"')));
    expect(created).toBeGreaterThan(statements.findIndex((s) => s.includes("Tracking started for table pet")));
    expect(planTemporalMigration([enrollment], null).statements).toContain(
      'CREATE INDEX "enrollment_clock_key_timestamp_idx" ON "audit"."enrollment_clock" ("enrollment_member_id", "enrollment_year", "timestamp")',
    );
  });

  it("is added to a database made before it, and nothing else changes", async () => {
    t = await testDb({ v2 }, [v2]);
    const current = planTemporalMigration([v2], null).snapshot;
    // What a database migrated by the previous version of the library has: no such index, nor its snapshot entry.
    const before: TemporalSnapshot = structuredClone(current);
    delete before.objects["index:public.pet:clock.key_timestamp"];
    await t.db.execute(sql`DROP INDEX "pet_clock_key_timestamp_idx"`);
    expect(await checkTemporalSchema(t.db, [v2])).toEqual([
      { object: '"pet_clock_key_timestamp_idx"', problem: expect.stringMatching(/index is missing/) },
    ]);
    const rex = await create(t.db, v2, { name: "Rex", city: "Reno" }, who);
    await tick(t.db, v2, rex.id, { city: "Elko" }, who);

    const plan = planTemporalMigration([v2], before);
    expect(plan.statements).toEqual([index]);
    expect(plan.notices).toEqual([]);
    expect(plan.snapshot).toEqual(current);
    await exec(t.db, plan.statements);
    const found = await t.db.execute(sql`SELECT "indexdef" FROM pg_indexes WHERE "indexname" = 'pet_clock_key_timestamp_idx'`);
    expect((found as unknown as { rows: unknown[] }).rows).toEqual([
      { indexdef: 'CREATE INDEX pet_clock_key_timestamp_idx ON public.pet_clock USING btree (pet_id, "timestamp")' },
    ]);
    expect(planTemporalMigration([v2], plan.snapshot).statements).toEqual([]);
    expect((await asOf(t.db, v2, rex.id, { at: new Date() }))?.record.city).toBe("Elko");
    expect(await verify(t.db, v2)).toEqual([]);
    expect(await checkTemporalSchema(t.db, [v2])).toEqual([]);
  });
});

describe("checking a live database against the library", () => {
  it("reports disabled triggers and out-of-date trigger functions", async () => {
    t = await testDb({ v1 }, [v1]);
    expect(await checkTemporalSchema(t.db, [v1])).toEqual([]);
    await t.db.execute(sql`ALTER TABLE "pet" DISABLE TRIGGER "temporal_3_after_update"`);
    await t.db.execute(
      sql`CREATE OR REPLACE FUNCTION "pet_temporal_bump"() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
    );
    const problems = await checkTemporalSchema(t.db, [v1]);
    expect(problems).toEqual([
      { object: "pet_temporal_bump", problem: expect.stringMatching(/out of date/) },
      { object: "pet.temporal_3_after_update", problem: expect.stringMatching(/disabled/) },
    ]);
  });
});

describe("the activity table's checks", () => {
  const id = "table:temporal_activity";
  const whitespaceOnly = (snapshot: TemporalSnapshot): TemporalSnapshot => {
    const before = structuredClone(snapshot);
    // What the library checked before invisible characters counted as blank.
    before.objects[id]!.sql = before.objects[id]!.sql.replace(/ ~ '\[\^[^']*\]'/g, " ~ '[^[:space:]]'");
    return before;
  };

  it("are replaced on a database made before them, for the rows written from then on", async () => {
    t = await testDb({ v2 }, [v2]);
    const current = planTemporalMigration([v2], null).snapshot;
    const before = whitespaceOnly(current);
    expect(before.objects[id]!.sql).not.toBe(current.objects[id]!.sql);
    for (const [column, limit] of [
      ["reason", 2000],
      ["actor", 200],
    ] as const) {
      await t.db.execute(
        sql.raw(
          `ALTER TABLE "temporal_activity" DROP CONSTRAINT "temporal_activity_${column}_check", ADD CONSTRAINT "temporal_activity_${column}_check" CHECK ("${column}" ~ '[^[:space:]]' AND length("${column}") <= ${limit})`,
        ),
      );
    }
    // An activity written by hand (psql), with the pet it created: an activity under which nothing ticked is not kept.
    const insert = (reason: string) =>
      t!.db.execute(
        sql`WITH a AS (INSERT INTO "temporal_activity" ("reason", "actor", "at") VALUES (${reason}, 'psql', now())
                       RETURNING set_config(${ACTIVITY_SETTING}, "id"::text, true) AS "setting")
            INSERT INTO "pet" ("name") SELECT 'Rex' FROM a`,
      );
    await insert("\u200b");

    const plan = planTemporalMigration([v2], before);
    expect(plan.statements).toEqual([
      expect.stringMatching(
        /^ALTER TABLE "temporal_activity" DROP CONSTRAINT IF EXISTS "temporal_activity_reason_check", ADD CONSTRAINT "temporal_activity_reason_check" CHECK \(.*\) NOT VALID$/,
      ),
      expect.stringMatching(/^ALTER TABLE "temporal_activity" DROP CONSTRAINT IF EXISTS "temporal_activity_actor_check", ADD CONSTRAINT/),
    ]);
    expect(plan.snapshot).toEqual(current);
    await exec(t.db, plan.statements);
    const refused = await insert("\u200b\u200d").catch(translateError);
    expect(refused).toBeInstanceOf(InvalidActivityError);
    expect((refused as InvalidActivityError).field).toBe("reason");
    // The row written before stays as it was: history is not rewritten.
    const kept = await t.db.execute(sql`SELECT count(*)::int AS "n" FROM "temporal_activity" WHERE "reason" = ${"\u200b"}`);
    expect((kept as unknown as { rows: unknown[] }).rows).toEqual([{ n: 1 }]);
    expect(planTemporalMigration([v2], plan.snapshot).statements).toEqual([]);
  });

  it("are the only change of the activity table the generator makes by itself", () => {
    const current = planTemporalMigration([v2], null).snapshot;
    const before = whitespaceOnly(current);
    before.objects[id]!.sql = before.objects[id]!.sql.replace('"kind" text', '"kind" varchar(64)');
    expect(() => planTemporalMigration([v2], before)).toThrow(/cannot migrate by itself/);
  });
});
