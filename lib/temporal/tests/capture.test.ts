import { eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { create, MissingActivityError, translateError, verify, withActivity } from "../index";
import { friend } from "./fixtures";
import { librarySchema, withTestDb } from "./harness";

const t = withTestDb(librarySchema);

const who = { reason: "test", actor: "vitest" };

async function locationHistory(id: number) {
  const result = await t.db.execute(
    sql`SELECT "location", lower("vclock") AS "from", upper("vclock") AS "to" FROM "friend_history_location" WHERE "friend_id" = ${id} ORDER BY lower("vclock")`,
  );
  return (result as unknown as { rows: { location: string | null; from: number; to: number | null }[] }).rows.map((r) => [
    r.location,
    Number(r.from),
    r.to === null ? null : Number(r.to),
  ]);
}

async function clockTicks(id: number) {
  const result = await t.db.execute(sql`SELECT "tick", "activity_id" FROM "friend_clock" WHERE "friend_id" = ${id} ORDER BY "tick"`);
  return (result as unknown as { rows: { tick: number; activity_id: string }[] }).rows.map((r) => Number(r.tick));
}

async function count(query: string): Promise<number> {
  const result = await t.db.execute(sql.raw(query));
  return Number((result as unknown as { rows: { n: number | string }[] }).rows[0]!.n);
}

describe("capture by the database", () => {
  it("records a plain Drizzle update inside withActivity", async () => {
    const row = await create(t.db, friend, { name: "Rachel", location: "New York" }, who);
    await withActivity(t.db, { reason: "Moved west", actor: "joey" }, async (tx) => {
      await tx.update(friend).set({ location: "San Francisco" }).where(eq(friend.id, row.id));
    });
    const [now] = await t.db.select().from(friend).where(eq(friend.id, row.id));
    expect(now!.vclock).toBe(2);
    expect(await locationHistory(row.id)).toEqual([
      ["New York", 1, 2],
      ["San Francisco", 2, null],
    ]);
    expect(await clockTicks(row.id)).toEqual([1, 2]);
  });

  it("does not tick when a write changes nothing tracked", async () => {
    const row = await create(t.db, friend, { name: "Will", location: "Oakland" }, who);
    await withActivity(t.db, who, async (tx) => {
      await tx.update(friend).set({ location: "Oakland" }).where(eq(friend.id, row.id));
      await tx.update(friend).set({ nickname: "W" }).where(eq(friend.id, row.id));
    });
    const [now] = await t.db.select().from(friend).where(eq(friend.id, row.id));
    expect(now).toMatchObject({ vclock: 1, nickname: "W" });
    expect(await clockTicks(row.id)).toEqual([1]);
  });

  it("records a raw set-based UPDATE over 10,000 rows as one activity", async () => {
    await withActivity(t.db, { reason: "Import", actor: "etl" }, async (tx) => {
      await tx.execute(sql`INSERT INTO "friend" ("name", "location") SELECT 'bulk-' || g, 'Tucson' FROM generate_series(1, 10000) g`);
    });
    const before = await count(`SELECT count(*) AS n FROM "friend_history_location"`);
    const activitiesBefore = await count(`SELECT count(*) AS n FROM "temporal_activity"`);
    await withActivity(t.db, { reason: "Everyone moves", actor: "ops" }, async (tx) => {
      await tx.execute(sql`UPDATE "friend" SET "location" = 'Phoenix' WHERE "name" LIKE 'bulk-%'`);
    });
    expect(await count(`SELECT count(*) AS n FROM "friend_history_location"`)).toBe(before + 10_000);
    expect(await count(`SELECT count(*) AS n FROM "temporal_activity"`)).toBe(activitiesBefore + 1);
    expect(
      await count(`SELECT count(*) AS n FROM "friend_history_location" h JOIN "friend" f ON f."id" = h."friend_id"
                    WHERE f."name" LIKE 'bulk-%' AND h."location" = 'Tucson' AND h."vclock" = int4range(1, 2)`),
    ).toBe(10_000);
    expect(
      await count(`SELECT count(*) AS n FROM "friend_history_location" h JOIN "friend" f ON f."id" = h."friend_id"
                    WHERE f."name" LIKE 'bulk-%' AND h."location" = 'Phoenix' AND h."vclock" = int4range(2, NULL)`),
    ).toBe(10_000);
    expect(
      await count(
        `SELECT count(DISTINCT "activity_id") AS n FROM "friend_clock" c JOIN "friend" f ON f."id" = c."friend_id" WHERE f."name" LIKE 'bulk-%' AND c."tick" = 2`,
      ),
    ).toBe(1);
    expect(await verify(t.db, friend)).toEqual([]);
  });

  it("refuses the same UPDATE without an activity and changes nothing", async () => {
    const error = await t.db.execute(sql`UPDATE "friend" SET "location" = 'Mars' WHERE "name" LIKE 'bulk-%'`).catch(translateError);
    expect(error).toBeInstanceOf(MissingActivityError);
    expect((error as Error).message).toMatch(/withActivity/);
    expect(await count(`SELECT count(*) AS n FROM "friend" WHERE "location" = 'Mars'`)).toBe(0);
    const insert = await t.db.insert(friend).values({ name: "Nobody" }).catch(translateError);
    expect(insert).toBeInstanceOf(MissingActivityError);
    expect(await count(`SELECT count(*) AS n FROM "friend" WHERE "name" = 'Nobody'`)).toBe(0);
  });

  it("records INSERT ... ON CONFLICT DO UPDATE as a create or a tick", async () => {
    const row = await create(t.db, friend, { name: "Dave", location: "Tucson" }, who);
    await withActivity(t.db, who, async (tx) => {
      await tx
        .insert(friend)
        .values([
          { id: row.id, name: "Dave", location: "Berkeley" },
          { id: 900_001, name: "Upserted", location: "Reno" },
        ])
        .onConflictDoUpdate({ target: friend.id, set: { location: sql`excluded."location"` } });
    });
    expect(await locationHistory(row.id)).toEqual([
      ["Tucson", 1, 2],
      ["Berkeley", 2, null],
    ]);
    expect(await locationHistory(900_001)).toEqual([["Reno", 1, null]]);
    expect(await verify(t.db, friend)).toEqual([]);
  });

  it("records raw SQL that changes a row twice in one transaction as two ticks", async () => {
    const row = await create(t.db, friend, { name: "Twice", location: "A" }, who);
    await withActivity(t.db, who, async (tx) => {
      await tx.execute(sql`UPDATE "friend" SET "location" = 'B' WHERE "id" = ${row.id}`);
      await tx.execute(sql`UPDATE "friend" SET "location" = 'C', "name" = 'Thrice' WHERE "id" = ${row.id}`);
    });
    expect(await locationHistory(row.id)).toEqual([
      ["A", 1, 2],
      ["B", 2, 3],
      ["C", 3, null],
    ]);
    expect(await clockTicks(row.id)).toEqual([1, 2, 3]);
    expect(await verify(t.db, friend)).toEqual([]);
  });

  it("records null as a value", async () => {
    const row = await create(t.db, friend, { name: "Nomad", location: "Lima" }, who);
    await withActivity(t.db, who, (tx) => tx.update(friend).set({ location: null }).where(eq(friend.id, row.id)));
    await withActivity(t.db, who, (tx) => tx.update(friend).set({ location: "Quito" }).where(eq(friend.id, row.id)));
    expect(await locationHistory(row.id)).toEqual([
      ["Lima", 1, 2],
      [null, 2, 3],
      ["Quito", 3, null],
    ]);
  });
});
