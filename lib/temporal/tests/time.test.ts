/**
 * Time cannot be forged: an activity's recorded_at is the server's clock whatever the INSERT says,
 * a back-dated `at` is never later than it, verify() reports ticks and activities in the future, and
 * a record whose last tick was recorded in the future (before this was enforced) refuses its next
 * tick with a FutureTickError instead of a range error.
 */
import { sql, type SQL } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  create,
  createMany,
  FutureTickError,
  InvalidActivityError,
  tick,
  translateError,
  verify,
  withActivity,
  type TemporalDb,
} from "../index";
import { friend } from "./fixtures";
import { testDb, type TestDb } from "./harness";

let t: TestDb;
beforeAll(async () => {
  t = await testDb();
});
afterAll(async () => t.close());

const who = { reason: "test", actor: "vitest" };

async function query<T = Record<string, unknown>>(q: SQL, db: TemporalDb = t.db): Promise<T[]> {
  return ((await db.execute(q)) as unknown as { rows: T[] }).rows;
}

async function inTransaction<T>(fn: (tx: TemporalDb) => Promise<T>): Promise<T> {
  try {
    return await t.db.transaction((tx) => fn(tx as unknown as TemporalDb));
  } catch (error) {
    throw translateError(error);
  }
}

/**
 * Writes a tick the way a forged clock could before activities were stamped: the stamping trigger
 * (and, for `at` after `recorded_at`, the CHECK) switched off by the owner, then put back.
 */
async function forgedTick(id: number, activity: { at: string; recordedAt: string; backdated: boolean }, location: string) {
  await t.db.execute(sql`ALTER TABLE "temporal_activity" DISABLE TRIGGER "temporal_stamp"`);
  await t.db.execute(sql`ALTER TABLE "temporal_activity" DROP CONSTRAINT "temporal_activity_at_check"`);
  await inTransaction(async (tx) => {
    await tx.execute(sql`WITH a AS (
        INSERT INTO "temporal_activity" ("reason", "actor", "at", "backdated", "recorded_at", "txid")
        VALUES ('Forged', 'mallory', ${activity.at}::timestamptz, ${activity.backdated}, ${activity.recordedAt}::timestamptz, txid_current())
        RETURNING "id")
      SELECT set_config('temporal.activity_id', "id"::text, true) FROM a`);
    await tx.execute(sql`UPDATE "friend" SET "location" = ${location} WHERE "id" = ${id}`);
  });
  await t.db.execute(
    sql`ALTER TABLE "temporal_activity" ADD CONSTRAINT "temporal_activity_at_check" CHECK ("at" <= "recorded_at") NOT VALID`,
  );
  await t.db.execute(sql`ALTER TABLE "temporal_activity" ENABLE TRIGGER "temporal_stamp"`);
}

describe("an activity's time", () => {
  it("stamps recorded_at and txid with the server's, whatever the INSERT says", async () => {
    const before = Date.now();
    const [row] = await inTransaction(async (tx) =>
      query<{ at: Date | string; recorded_at: Date | string; own: boolean; backdated: boolean }>(
        sql`INSERT INTO "temporal_activity" ("reason", "actor", "at", "backdated", "recorded_at", "txid")
            VALUES ('Raw', 'psql', '2100-01-01', false, '2100-01-01', 1)
            RETURNING "at", "recorded_at", "txid" = txid_current() AS "own", "backdated"`,
        tx,
      ),
    );
    const recorded = new Date(row!.recorded_at).getTime();
    expect(recorded).toBeGreaterThanOrEqual(before - 1000);
    expect(recorded).toBeLessThanOrEqual(Date.now() + 1000);
    expect(new Date(row!.at).getTime()).toBe(recorded);
    expect(row!.own).toBe(true);
    expect(row!.backdated).toBe(false);
  });

  it("refuses a back-dated moment later than when it is recorded, by any path", async () => {
    const raw = inTransaction((tx) =>
      tx.execute(
        sql`INSERT INTO "temporal_activity" ("reason", "actor", "at", "backdated", "recorded_at", "txid")
            VALUES ('Raw', 'psql', '2100-01-01', true, '2100-01-01', txid_current())`,
      ),
    );
    await expect(raw).rejects.toBeInstanceOf(InvalidActivityError);
    await expect(raw).rejects.toMatchObject({ field: "at" });
    const future = new Date(Date.now() + 60_000);
    await expect(withActivity(t.db, { ...who, at: future }, async () => {})).rejects.toBeInstanceOf(InvalidActivityError);
    const row = await create(t.db, friend, { name: "Ann", location: "Here" }, who);
    await expect(tick(t.db, friend, row.id, { location: "Later" }, { ...who, at: future })).rejects.toBeInstanceOf(InvalidActivityError);
  });
});

describe("ticks in the future (written before activities were stamped)", () => {
  it("are reported by verify, and the next tick is refused with FutureTickError, writing nothing", async () => {
    const row = await create(t.db, friend, { name: "Bo", location: "Here" }, who);
    await forgedTick(row.id, { at: "2100-01-01", recordedAt: "2100-01-01", backdated: true }, "Future");
    const found = (await verify(t.db, friend)).filter((v) => v.key.id === row.id);
    expect(found.map((v) => [v.kind, v.tick])).toEqual([
      ["future-tick", 2],
      ["activity-time", 2],
    ]);
    expect(found[1]!.message).toMatch(/recorded in the future/);

    const clock = await query(sql`SELECT count(*)::int AS "n" FROM "friend_clock" WHERE "friend_id" = ${row.id}`);
    for (const changes of [{ location: "Now" }, { name: "Bo B." }]) {
      const next = tick(t.db, friend, row.id, changes, who);
      await expect(next).rejects.toBeInstanceOf(FutureTickError);
      await expect(next).rejects.toThrow(/later than the server's clock/);
    }
    await expect(
      withActivity(t.db, who, (tx) => tx.execute(sql`UPDATE "friend" SET "name" = 'Bo C.' WHERE "id" = ${row.id}`)),
    ).rejects.toBeInstanceOf(FutureTickError);
    expect(await query(sql`SELECT count(*)::int AS "n" FROM "friend_clock" WHERE "friend_id" = ${row.id}`)).toEqual(clock);
  });

  it("reports an activity whose moment is after the moment it was recorded", async () => {
    const row = await withActivity(t.db, { ...who, at: new Date("2019-01-01T00:00:00Z") }, (tx) =>
      create(tx, friend, { name: "Cy", location: "Here" }),
    );
    await forgedTick(row.id, { at: "2020-01-02", recordedAt: "2020-01-01", backdated: true }, "There");
    const found = (await verify(t.db, friend)).filter((v) => v.key.id === row.id);
    expect(found.map((v) => [v.kind, v.tick, v.message.includes("after the moment it was recorded")])).toEqual([
      ["activity-time", 2, true],
    ]);
  });
});

/** More rows than a small statement (32): the capture plans its statements for their size and checks time in bulk. */
describe("ticks in the future, in a bulk statement", () => {
  it("refuses a bulk UPDATE of records one of which ticked in the future, writing nothing", async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ name: `Bulk ${i}`, location: "A" }));
    const ids = (await createMany(t.db, friend, rows, who)).map((r) => r.id);
    await forgedTick(ids[11]!, { at: "2100-01-01", recordedAt: "2100-01-01", backdated: true }, "Future");
    const ticks = sql`SELECT count(*)::int AS "n" FROM "friend_clock" WHERE "friend_id" = ANY(${sql.param(ids)}::int[])`;
    const before = await query(ticks);
    await expect(
      withActivity(t.db, who, (tx) => tx.execute(sql`UPDATE "friend" SET "location" = 'F' WHERE "id" = ANY(${sql.param(ids)}::int[])`)),
    ).rejects.toBeInstanceOf(FutureTickError);
    expect(await query(ticks)).toEqual(before);
  });
});
