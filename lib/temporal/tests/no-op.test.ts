/**
 * A write that changes no tracked value leaves no activity: the activity under which nothing
 * ticked is removed when its transaction commits, by any write path; everything that ticked keeps
 * its activity, append-only.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AlreadyRetiredError,
  changeset,
  create,
  getActivity,
  retire,
  restore,
  revert,
  tick,
  tickMany,
  timeline,
  verify,
  withActivity,
  type TemporalDb,
} from "../index";
import { enrollment, friend } from "./fixtures";
import { testDb, type TestDb } from "./harness";

let t: TestDb;
beforeAll(async () => {
  t = await testDb();
});
afterAll(async () => t.close());

const who = { reason: "test", actor: "vitest" };

async function activities(db: TemporalDb = t.db): Promise<string[]> {
  const result = await db.execute(sql`SELECT "id"::text AS "id" FROM "temporal_activity" ORDER BY "id"`);
  return (result as unknown as { rows: { id: string }[] }).rows.map((r) => r.id);
}

describe("a write that changes nothing", () => {
  it("leaves no activity: tick with equal values or none, tickMany, revert to the same values", async () => {
    const row = await create(t.db, friend, { name: "Ann", location: "Here" }, who);
    const before = await activities();
    expect(await tick(t.db, friend, row.id, { location: "Here" }, who)).toMatchObject({ vclock: 1, changed: [] });
    expect(await tick(t.db, friend, row.id, { location: "Here" }, who, { expectedVclock: 1 })).toMatchObject({ vclock: 1, changed: [] });
    expect(await tick(t.db, friend, row.id, {}, who)).toMatchObject({ vclock: 1, changed: [] });
    expect(await tick(t.db, friend, row.id, { nickname: "untracked" }, who)).toMatchObject({ vclock: 1, changed: [] });
    await tickMany(t.db, friend, [{ key: row.id, changes: { name: "Ann" } }], who);
    await tickMany(t.db, friend, [{ key: row.id, changes: {} }], who);
    await revert(t.db, friend, row.id, { toVclock: 1 }, who);
    await withActivity(t.db, who, async () => {});
    await withActivity(t.db, who, (tx) => tx.execute(sql`UPDATE "friend" SET "location" = "location" WHERE "id" = ${row.id}`));
    await withActivity(t.db, who, (tx) => tx.execute(sql`UPDATE "friend" SET "location" = 'Nowhere' WHERE false`));
    expect(await activities()).toEqual(before);
    expect((await timeline(t.db, friend, row.id)).items).toHaveLength(1);
  });

  it("leaves no activity when a retire or restore is refused, or its savepoint is rolled back", async () => {
    const row = await create(t.db, friend, { name: "Bo", location: "Here" }, who);
    await retire(t.db, friend, row.id, who);
    const before = await activities();
    await expect(retire(t.db, friend, row.id, who)).rejects.toBeInstanceOf(AlreadyRetiredError);
    await withActivity(t.db, who, async (tx) => {
      await tx
        .transaction(async (savepoint) => {
          await restore(savepoint, friend, row.id);
          throw new Error("changed my mind");
        })
        .catch(() => {});
    });
    expect(await activities()).toEqual(before);
    await restore(t.db, friend, row.id, who);
    expect((await activities()).length).toBe(before.length + 1);
  });

  it("keeps the activities that ticked, and drops a nested one that did not", async () => {
    const row = await create(t.db, friend, { name: "Cy", location: "Here" }, who);
    const other = await create(t.db, enrollment, { memberId: 1, year: 2030, plan: "gold" }, who);
    const before = await activities();
    const [outer, inner] = await withActivity(t.db, { ...who, reason: "outer" }, async (tx, outerCtx) => {
      await tick(tx, friend, row.id, { location: "There" });
      const innerCtx = await withActivity(tx, { ...who, reason: "inner" }, async (nested, ctx) => {
        await tick(nested, enrollment, { memberId: other.memberId, year: 2030 }, { plan: "gold" });
        return ctx;
      });
      return [outerCtx, innerCtx];
    });
    expect(await activities()).toEqual([...before, outer.id]);
    expect(await getActivity(t.db, inner.id)).toBeNull();
    expect((await changeset(t.db, outer.id)).entries.map((e) => e.key)).toEqual([{ id: row.id }]);

    const [first, second] = await withActivity(t.db, { ...who, reason: "first" }, async (tx, ctx) => {
      const nested = await withActivity(tx, { ...who, reason: "second" }, async (n, c) => {
        await tick(n, enrollment, { memberId: other.memberId, year: 2030 }, { plan: "silver" });
        return c;
      });
      return [ctx, nested];
    });
    expect(await activities()).toEqual([...before, outer.id, second.id]);
    expect(await getActivity(t.db, first.id)).toBeNull();
    expect(await verify(t.db, friend)).toEqual([]);
    expect(await verify(t.db, enrollment)).toEqual([]);
  });
});
