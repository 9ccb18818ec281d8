/**
 * Time order in a bulk statement (more rows than a small one, 32): the capture first reads the clock's newest moment
 * and checks each record's last tick only when that moment could be later than the statement's tick. Both ways give
 * the same answer: a back-dated tick must follow every touched record's last one. A database of its own, so the clock's newest moment is what these tests wrote.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BackdateOrderError, createMany, tick, withActivity, type TemporalDb } from "../index";
import { friend } from "./fixtures";
import { testDb, type TestDb } from "./harness";

let t: TestDb;
beforeAll(async () => {
  t = await testDb();
});
afterAll(async () => t.close());

const who = { reason: "test", actor: "vitest" };
const BULK = 40;

async function ticksOf(ids: number[]): Promise<number> {
  const result = await t.db.execute(sql`SELECT count(*)::int AS "n" FROM "friend_clock" WHERE "friend_id" = ANY(${sql.param(ids)}::int[])`);
  return (result as unknown as { rows: { n: number }[] }).rows[0]!.n;
}

const updateAll = (db: TemporalDb, ids: number[], location: string) =>
  db.execute(sql`UPDATE "friend" SET "location" = ${location} WHERE "id" = ANY(${sql.param(ids)}::int[])`);

async function imported(at: string): Promise<number[]> {
  const rows = Array.from({ length: BULK }, (_, i) => ({ name: `Imported ${at} ${i}`, location: "A" }));
  return (await createMany(t.db, friend, rows, { ...who, at: new Date(at) })).map((r) => r.id);
}

describe("time order in a bulk statement", () => {
  it("refuses a back-dated bulk UPDATE before one record's last change or at it, writing nothing, and takes it later", async () => {
    const ids = await imported("2000-01-01T00:00:00Z");
    await tick(t.db, friend, ids[7]!, { location: "B" }, { ...who, at: new Date("2001-01-01T00:00:00Z") });
    const before = await ticksOf(ids);
    for (const at of ["2000-06-01T00:00:00Z", "2001-01-01T00:00:00Z"]) {
      const refused = withActivity(t.db, { ...who, at: new Date(at) }, (tx) => updateAll(tx, ids, "C"));
      await expect(refused, at).rejects.toBeInstanceOf(BackdateOrderError);
    }
    expect(await ticksOf(ids)).toBe(before);
    await withActivity(t.db, { ...who, at: new Date("2002-01-01T00:00:00Z") }, (tx) => updateAll(tx, ids, "C"));
    expect(await ticksOf(ids)).toBe(before + BULK);
  });

  it("takes two bulk UPDATEs of the same records in one activity, each at its own moment", async () => {
    const ids = await imported("2003-01-01T00:00:00Z");
    await withActivity(t.db, who, async (tx) => {
      await updateAll(tx, ids, "D");
      await updateAll(tx, ids, "E");
    });
    expect(await ticksOf(ids)).toBe(3 * BULK);
    const [moments] = (
      (await t.db.execute(
        sql`SELECT count(DISTINCT "timestamp")::int AS "n" FROM "friend_clock" WHERE "friend_id" = ANY(${sql.param(ids)}::int[]) AND "tick" > 1`,
      )) as unknown as { rows: { n: number }[] }
    ).rows;
    expect(moments!.n).toBe(2);
  });
});
