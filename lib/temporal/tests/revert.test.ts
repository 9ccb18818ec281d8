/**
 * revert and revertActivity: undoing is always a new tick (history is never
 * rewritten), conflicts with later activities are refused unless forced, and a
 * revert inside an outer withActivity is part of that activity.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import {
  changeset,
  create,
  MissingActivityError,
  InvalidArgumentError,
  NotFoundError,
  planRevertActivity,
  retire,
  revert,
  revertActivity,
  RevertConflictError,
  StaleVclockError,
  tick,
  timeline,
  UnknownPropertyError,
  verify,
  withActivity,
  type ActivityInput,
  type TemporalDb,
} from "../index";
import { enrollment, friend } from "./fixtures";
import { librarySchema, withTestDb } from "./harness";

const t = withTestDb(librarySchema);

const who = (reason: string, actor = "vitest"): ActivityInput => ({ reason, actor });

async function query<R>(q: ReturnType<typeof sql>): Promise<R[]> {
  return ((await t.db.execute(q)) as unknown as { rows: R[] }).rows;
}

/** Every history row of a friend property, as text, oldest first. */
async function historyRows(id: number, column: "name" | "location" | "retired") {
  const rows = await query<{ value: string | null; vclock: string; effective: string; from: string; to: string | null }>(
    sql`SELECT ${sql.identifier(column)}::text AS "value", "vclock"::text AS "vclock", "effective"::text AS "effective",
               lower("effective")::text AS "from", upper("effective")::text AS "to"
          FROM ${sql.identifier(`friend_history_${column}`)} WHERE "friend_id" = ${id} ORDER BY lower("vclock")`,
  );
  return rows.map((r) => ({ ...r }));
}

async function clockTimestamp(id: number, tickNo: number) {
  const [row] = await query<{ ts: string }>(
    sql`SELECT "timestamp"::text AS "ts" FROM "friend_clock" WHERE "friend_id" = ${id} AND "tick" = ${tickNo}`,
  );
  return row!.ts;
}

async function clock(id: number) {
  const rows = await query<{ tick: number; activity_id: string | number }>(
    sql`SELECT "tick", "activity_id" FROM "friend_clock" WHERE "friend_id" = ${id} ORDER BY "tick"`,
  );
  return rows.map((r) => [Number(r.tick), String(r.activity_id)]);
}

async function current(id: number) {
  const [row] = await query<{ name: string; location: string | null; vclock: number; retired: boolean }>(
    sql`SELECT "name", "location", "vclock", "retired" FROM "friend" WHERE "id" = ${id}`,
  );
  return row && { ...row, vclock: Number(row.vclock) };
}

async function currentEnrollment(memberId: number, year: number) {
  const [row] = await query<{ plan: string; premium: string | null; vclock: number; retired: boolean }>(
    sql`SELECT "plan", "premium"::text AS "premium", "vclock", "retired" FROM "enrollment" WHERE "member_id" = ${memberId} AND "year" = ${year}`,
  );
  return row && { ...row, vclock: Number(row.vclock) };
}

async function counts() {
  const [row] = await query<{ activities: string | number; ticks: string | number; enrollment_ticks: string | number }>(
    sql`SELECT (SELECT count(*) FROM "temporal_activity") AS "activities", (SELECT count(*) FROM "friend_clock") AS "ticks",
               (SELECT count(*) FROM "audit"."enrollment_clock") AS "enrollment_ticks"`,
  );
  return { activities: Number(row!.activities), ticks: Number(row!.ticks), enrollmentTicks: Number(row!.enrollment_ticks) };
}

/** Runs `fn` in its own activity and returns the activity's id. */
async function step(input: ActivityInput, fn: (tx: TemporalDb) => Promise<unknown>): Promise<string> {
  return withActivity(t.db, input, async (tx, activity) => {
    await fn(tx);
    return activity.id;
  });
}

describe("revert", () => {
  it("sets every tracked property back to an earlier version as ONE new tick", async () => {
    const { id } = await create(t.db, friend, { name: "Rita", location: "Reno", nickname: "R" }, who("Met Rita"));
    await tick(t.db, friend, id, { location: "Sparks" }, who("Moved"));
    await tick(t.db, friend, id, { name: "Rita B", location: "Elko", nickname: "RB" }, who("Married, moved"));
    const before = { name: await historyRows(id, "name"), location: await historyRows(id, "location"), clock: await clock(id) };

    const undoId = await step(who("Undo everything", "ops"), async (tx) => {
      const result = await revert(tx, friend, id, { toVclock: 1 });
      expect(result).toEqual({
        vclock: 4,
        changed: ["name", "location"],
        row: { id, name: "Rita", location: "Reno", nickname: "RB", vclock: 4, retired: false },
      });
    });

    expect(await current(id)).toEqual({ name: "Rita", location: "Reno", vclock: 4, retired: false });
    expect(await clock(id)).toEqual([...before.clock, [4, undoId]]);
    // The past rows are untouched; the open row is only closed at tick 4, and one row is appended.
    const location = await historyRows(id, "location");
    expect(location.slice(0, 2)).toEqual(before.location.slice(0, 2));
    expect(location.map((r) => [r.value, r.vclock])).toEqual([
      ["Reno", "[1,2)"],
      ["Sparks", "[2,3)"],
      ["Elko", "[3,4)"],
      ["Reno", "[4,)"],
    ]);
    expect(before.location[2]).toMatchObject({ vclock: "[3,)", to: null });
    expect(location[2]).toEqual({ ...before.location[2], vclock: "[3,4)", effective: expect.any(String), to: await clockTimestamp(id, 4) });
    expect(location[3]).toMatchObject({ from: await clockTimestamp(id, 4), to: null });
    const name = await historyRows(id, "name");
    expect(name.slice(0, 1)).toEqual(before.name.slice(0, 1));
    expect(name.map((r) => [r.value, r.vclock])).toEqual([
      ["Rita", "[1,3)"],
      ["Rita B", "[3,4)"],
      ["Rita", "[4,)"],
    ]);
    const [latest] = (await timeline(t.db, friend, id, { limit: 1 })).items;
    expect(latest).toMatchObject({
      vclock: 4,
      kind: "changed",
      activity: { id: undoId, reason: "Undo everything", actor: "ops" },
      changes: [
        { property: "name", before: "Rita B", after: "Rita" },
        { property: "location", before: "Elko", after: "Reno" },
      ],
    });
    expect(await verify(t.db, friend)).toEqual([]);
  });

  it("reverts only the given properties", async () => {
    const { id } = await create(t.db, friend, { name: "Paul", location: "Perth" }, who("Met Paul"));
    await tick(t.db, friend, id, { name: "Pablo", location: "Porto" }, who("Renamed, moved"));
    const result = await revert(t.db, friend, id, { toVclock: 1, properties: ["location"] }, who("Wrong city"));
    expect(result).toMatchObject({ vclock: 3, changed: ["location"], row: { name: "Pablo", location: "Perth" } });
    expect((await historyRows(id, "name")).map((r) => [r.value, r.vclock])).toEqual([
      ["Paul", "[1,2)"],
      ["Pablo", "[2,)"],
    ]);
    expect((await historyRows(id, "location")).map((r) => [r.value, r.vclock])).toEqual([
      ["Perth", "[1,2)"],
      ["Porto", "[2,3)"],
      ["Perth", "[3,)"],
    ]);
  });

  it("does not tick when the record already holds those values", async () => {
    const { id } = await create(t.db, friend, { name: "Same", location: "Here" }, who("Met"));
    await tick(t.db, friend, id, { location: "There" }, who("Moved"));
    await tick(t.db, friend, id, { location: "Here" }, who("Moved back"));
    const result = await revert(t.db, friend, id, { toVclock: 1 }, who("Undo"));
    expect(result).toMatchObject({ vclock: 3, changed: [] });
    expect((await clock(id)).map(([tickNo]) => tickNo)).toEqual([1, 2, 3]);
  });

  it("refuses a stale expectedVclock, a version that never existed and an unknown property, writing nothing", async () => {
    const { id } = await create(t.db, friend, { name: "Stale", location: "A" }, who("Met"));
    await tick(t.db, friend, id, { location: "B" }, who("Moved"));
    const before = await counts();
    const stale = await revert(t.db, friend, id, { toVclock: 1, expectedVclock: 1 }, who("Undo")).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(StaleVclockError);
    expect(stale).toMatchObject({ expectedVclock: 1, currentVclock: 2 });
    await expect(revert(t.db, friend, id, { toVclock: 7 }, who("Undo"))).rejects.toBeInstanceOf(NotFoundError);
    await expect(revert(t.db, friend, id, { toVclock: 1, properties: ["nickname" as never] }, who("Undo"))).rejects.toBeInstanceOf(
      UnknownPropertyError,
    );
    await expect(revert(t.db, friend, id, { toVclock: 1 })).rejects.toBeInstanceOf(MissingActivityError);
    expect(await counts()).toEqual(before);
    expect(await current(id)).toMatchObject({ location: "B", vclock: 2 });
  });
});

describe("revertActivity", () => {
  it("undoes a multi-record activity as new ticks under a new activity", async () => {
    let [y, z] = [0, 0];
    await step(who("Setup"), async (tx) => {
      y = (await create(tx, friend, { name: "Yuri", location: "York" })).id;
      z = (await create(tx, friend, { name: "Zoe", location: "Zurich" })).id;
      await create(tx, enrollment, { memberId: 8001, year: 2024, plan: "basic", premium: "50.00" });
    });
    let x = 0;
    const bulk = await step(who("Bulk edit on the wrong plan", "ops"), async (tx) => {
      x = (await create(tx, friend, { name: "Xena", location: "Xian" })).id;
      await tick(tx, friend, y, { location: "Yalta" });
      await tick(tx, friend, y, { location: "Yonkers", name: "Yuri K" });
      await retire(tx, friend, z);
      await tick(tx, enrollment, { memberId: 8001, year: 2024 }, { plan: "gold" });
    });
    const bulkChanges = await changeset(t.db, bulk);
    const before = await counts();

    const { reverted } = await revertActivity(t.db, bulk, who("Undo the bulk edit", "lead"));

    const sorted = [...reverted].sort((a, b) => (a.table + JSON.stringify(a.key)).localeCompare(b.table + JSON.stringify(b.key)));
    expect(sorted).toEqual(
      [
        { table: "enrollment", key: { memberId: 8001, year: 2024 }, vclock: 3 },
        { table: "friend", key: { id: x }, vclock: 2 },
        { table: "friend", key: { id: y }, vclock: 4 },
        { table: "friend", key: { id: z }, vclock: 3 },
      ].sort((a, b) => (a.table + JSON.stringify(a.key)).localeCompare(b.table + JSON.stringify(b.key))),
    );
    expect(await current(x)).toEqual({ name: "Xena", location: "Xian", vclock: 2, retired: true });
    expect(await current(y)).toEqual({ name: "Yuri", location: "York", vclock: 4, retired: false });
    expect(await current(z)).toEqual({ name: "Zoe", location: "Zurich", vclock: 3, retired: false });
    expect(await currentEnrollment(8001, 2024)).toEqual({ plan: "basic", premium: "50.00", vclock: 3, retired: false });
    // One new activity; one new tick per record; nothing of the bulk activity rewritten.
    expect(await counts()).toEqual({
      activities: before.activities + 1,
      ticks: before.ticks + 3,
      enrollmentTicks: before.enrollmentTicks + 1,
    });
    expect(await changeset(t.db, bulk)).toEqual(bulkChanges);
    expect((await historyRows(y, "location")).map((r) => [r.value, r.vclock])).toEqual([
      ["York", "[1,2)"],
      ["Yalta", "[2,3)"],
      ["Yonkers", "[3,4)"],
      ["York", "[4,)"],
    ]);

    const undoId = (await clock(y)).at(-1)![1]!;
    expect(undoId).not.toBe(bulk);
    const undo = await changeset(t.db, undoId);
    expect(undo.activity).toMatchObject({ id: undoId, reason: "Undo the bulk edit", actor: "lead" });
    expect(undo.entries.map((e) => [e.table, e.key, e.vclock, e.kind, e.changes])).toEqual([
      [
        "friend",
        { id: y },
        4,
        "changed",
        [
          { property: "name", before: "Yuri K", after: "Yuri" },
          { property: "location", before: "Yonkers", after: "York" },
        ],
      ],
      ["friend", { id: z }, 3, "restored", [{ property: "retired", before: true, after: false }]],
      ["friend", { id: x }, 2, "retired", [{ property: "retired", before: false, after: true }]],
      ["enrollment", { memberId: 8001, year: 2024 }, 3, "changed", [{ property: "plan", before: "gold", after: "basic" }]],
    ]);
    expect(await verify(t.db, friend)).toEqual([]);
    expect(await verify(t.db, enrollment)).toEqual([]);
  });

  it("refuses with RevertConflictError when a later activity changed the same property, and writes nothing", async () => {
    let [y, w] = [0, 0];
    await step(who("Setup"), async (tx) => {
      y = (await create(tx, friend, { name: "Yves", location: "Lyon" })).id;
      w = (await create(tx, friend, { name: "Wim", location: "Ghent" })).id;
    });
    let x = 0;
    const bulk = await step(who("Bulk"), async (tx) => {
      x = (await create(tx, friend, { name: "Xavi", location: "Vigo" })).id;
      await tick(tx, friend, y, { location: "Paris" });
      await tick(tx, friend, w, { name: "Willem" });
    });
    const later = await step(who("Later move"), async (tx) => {
      await tick(tx, friend, y, { location: "Nantes" });
      await tick(tx, friend, x, { location: "Leon" });
    });
    // A later change to a property the bulk activity did not touch is no conflict.
    await tick(t.db, friend, y, { name: "Yves M" }, who("Renamed"));
    await tick(t.db, friend, w, { location: "Bruges" }, who("Moved"));
    const before = await counts();

    const error = await revertActivity(t.db, bulk, who("Undo")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RevertConflictError);
    expect((error as RevertConflictError).conflicts).toEqual([
      { table: "friend", key: { id: x }, property: "location", changedAtVclock: 2, activityId: later },
      { table: "friend", key: { id: y }, property: "location", changedAtVclock: 3, activityId: later },
    ]);
    expect((error as Error).message).toMatch(/force: true/);
    expect(await counts()).toEqual(before);
    expect(await current(x)).toEqual({ name: "Xavi", location: "Leon", vclock: 2, retired: false });
    expect(await current(y)).toEqual({ name: "Yves M", location: "Nantes", vclock: 4, retired: false });
    expect(await current(w)).toEqual({ name: "Willem", location: "Bruges", vclock: 3, retired: false });

    const { reverted } = await revertActivity(t.db, bulk, who("Undo anyway"), { force: true });
    expect(reverted).toHaveLength(3);
    expect(await current(x)).toEqual({ name: "Xavi", location: "Leon", vclock: 3, retired: true });
    expect(await current(y)).toEqual({ name: "Yves M", location: "Lyon", vclock: 5, retired: false });
    expect(await current(w)).toEqual({ name: "Wim", location: "Bruges", vclock: 4, retired: false });
    expect(await counts()).toEqual({ ...before, activities: before.activities + 1, ticks: before.ticks + 3 });
  });

  it("joins an outer withActivity instead of opening its own", async () => {
    const { id } = await create(t.db, friend, { name: "Olga", location: "Oslo" }, who("Met"));
    const bulk = await step(who("Move"), (tx) => tick(tx, friend, id, { location: "Odessa" }));
    const other = await create(t.db, friend, { name: "Omar", location: "Oran" }, who("Met"));
    await tick(t.db, friend, other.id, { name: "Omar B" }, who("Renamed"));
    const before = await counts();

    const outer = await withActivity(t.db, who("Cleanup", "lead"), async (tx, activity) => {
      await revertActivity(tx, bulk);
      await revert(tx, friend, other.id, { toVclock: 1 });
      return activity.id;
    });
    expect(await counts()).toEqual({ ...before, activities: before.activities + 1, ticks: before.ticks + 2 });
    expect((await clock(id)).at(-1)).toEqual([3, outer]);
    expect((await clock(other.id)).at(-1)).toEqual([3, outer]);
    expect(await current(id)).toMatchObject({ location: "Oslo", vclock: 3 });
    expect(await current(other.id)).toMatchObject({ name: "Omar", vclock: 3 });
  });

  it("rolls back with the outer activity when it fails", async () => {
    const { id } = await create(t.db, friend, { name: "Ugo", location: "Udine" }, who("Met"));
    const bulk = await step(who("Move"), (tx) => tick(tx, friend, id, { location: "Urbino" }));
    const before = await counts();
    const error = await withActivity(t.db, who("Cleanup"), async (tx) => {
      await revertActivity(tx, bulk);
      throw new Error("changed my mind");
    }).catch((e: unknown) => e);
    expect((error as Error).message).toBe("changed my mind");
    expect(await counts()).toEqual(before);
    expect(await current(id)).toMatchObject({ location: "Urbino", vclock: 2 });
  });

  it("refuses an activity that does not exist and a call without an activity", async () => {
    await expect(revertActivity(t.db, "987654321", who("Undo"))).rejects.toBeInstanceOf(NotFoundError);
    const { id } = await create(t.db, friend, { name: "Nia", location: "Nairobi" }, who("Met"));
    const bulk = await step(who("Move"), (tx) => tick(tx, friend, id, { location: "Nakuru" }));
    await expect(revertActivity(t.db, bulk)).rejects.toBeInstanceOf(MissingActivityError);
    expect(await current(id)).toMatchObject({ location: "Nakuru", vclock: 2 });
  });
});

describe("planRevertActivity and settling conflicts one property at a time", () => {
  /** An activity that created one friend and moved and renamed another; later, both were moved again by someone else. */
  async function scenario() {
    const y = (await create(t.db, friend, { name: "Yann", location: "Lille" }, who("Met Yann"))).id;
    let x = 0;
    const bulk = await step(who("Bulk", "ops"), async (tx) => {
      x = (await create(tx, friend, { name: "Xia", location: "Xiamen" })).id;
      await tick(tx, friend, y, { name: "Yann B", location: "Paris" });
    });
    const later = await step(who("Later moves"), async (tx) => {
      await tick(tx, friend, y, { location: "Nice" });
      await tick(tx, friend, x, { location: "Xi'an" });
    });
    return { x, y, bulk, later };
  }

  it("lists what undoing would set and which later changes are in the way, writing nothing", async () => {
    const { x, y, bulk, later } = await scenario();
    const before = await counts();
    const plan = await planRevertActivity(t.db, bulk);
    expect(plan).toEqual({
      records: [
        { table: "friend", key: { id: x }, changes: { retired: true } },
        { table: "friend", key: { id: y }, changes: { name: "Yann", location: "Lille" } },
      ],
      conflicts: [
        { table: "friend", key: { id: x }, property: "location", changedAtVclock: 2, activityId: later },
        { table: "friend", key: { id: y }, property: "location", changedAtVclock: 3, activityId: later },
      ],
    });
    expect(await counts()).toEqual(before);
    await expect(planRevertActivity(t.db, "987654321")).rejects.toBeInstanceOf(NotFoundError);
    await expect(planRevertActivity(t.db, "x1")).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it("keeps a property as it is now where the person says so, undoing the rest, and returns the new activity's id", async () => {
    const { x, y, bulk } = await scenario();
    const before = await counts();
    const result = await revertActivity(t.db, bulk, who("Undo the bulk, keep the later moves", "lead"), {
      resolve: [
        { table: "friend", key: { id: y }, property: "location", take: "now", seenVclock: 3 },
        { table: "friend", key: x, property: "location", take: "now" },
      ],
    });
    expect(result.reverted).toEqual([{ table: "friend", key: { id: y }, vclock: 4 }]);
    expect(await current(y)).toEqual({ name: "Yann", location: "Nice", vclock: 4, retired: false });
    // Keeping a later change to a record the activity created keeps the record.
    expect(await current(x)).toEqual({ name: "Xia", location: "Xi'an", vclock: 2, retired: false });
    expect((await clock(y)).at(-1)).toEqual([4, result.activityId]);
    expect(await counts()).toEqual({ ...before, activities: before.activities + 1, ticks: before.ticks + 1 });
    expect((await changeset(t.db, result.activityId)).activity).toMatchObject({
      reason: "Undo the bulk, keep the later moves",
      actor: "lead",
    });
  });

  it("takes the old value where the person says so", async () => {
    const { x, y, bulk } = await scenario();
    await revertActivity(t.db, bulk, who("Undo all of it"), {
      resolve: [
        { table: "friend", key: y, property: "location", take: "old", seenVclock: 3 },
        { table: "friend", key: x, property: "location", take: "old", seenVclock: 2 },
      ],
    });
    expect(await current(y)).toEqual({ name: "Yann", location: "Lille", vclock: 4, retired: false });
    expect(await current(x)).toEqual({ name: "Xia", location: "Xi'an", vclock: 3, retired: true });
  });

  it("refuses conflicts left unsettled, and a change made after the one the person saw, writing nothing", async () => {
    const { x, y, bulk, later } = await scenario();
    const before = await counts();
    const partly = await revertActivity(t.db, bulk, who("Undo"), {
      resolve: [{ table: "friend", key: y, property: "location", take: "old" }],
    }).catch((e: unknown) => e);
    expect(partly).toBeInstanceOf(RevertConflictError);
    expect((partly as RevertConflictError).conflicts).toEqual([
      { table: "friend", key: { id: x }, property: "location", changedAtVclock: 2, activityId: later },
    ]);

    // Someone moves y again after the person looked at version 3.
    const again = await step(who("Moved once more"), (tx) => tick(tx, friend, y, { location: "Nantes" }));
    const afterMove = await counts();
    const stale = await revertActivity(t.db, bulk, who("Undo"), {
      resolve: [
        { table: "friend", key: y, property: "location", take: "old", seenVclock: 3 },
        { table: "friend", key: x, property: "location", take: "old", seenVclock: 2 },
      ],
    }).catch((e: unknown) => e);
    expect(stale).toBeInstanceOf(RevertConflictError);
    expect((stale as RevertConflictError).conflicts).toEqual([
      { table: "friend", key: { id: y }, property: "location", changedAtVclock: 4, activityId: again },
    ]);
    expect(await counts()).toEqual({ ...before, activities: before.activities + 1, ticks: before.ticks + 1 });
    expect(await counts()).toEqual(afterMove);
    expect(await current(y)).toEqual({ name: "Yann B", location: "Nantes", vclock: 4, retired: false });
  });

  it("refuses a resolution of something that is no conflict, of an unknown property or table, writing nothing", async () => {
    const { x, y, bulk } = await scenario();
    const before = await counts();
    const settleBoth = [
      { table: "friend", key: y, property: "location", take: "now" as const },
      { table: "friend", key: x, property: "location", take: "now" as const },
    ];
    await expect(
      revertActivity(t.db, bulk, who("Undo"), { resolve: [...settleBoth, { table: "friend", key: y, property: "name", take: "now" }] }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(
      revertActivity(t.db, bulk, who("Undo"), { resolve: [...settleBoth, { table: "friend", key: y, property: "nickname", take: "now" }] }),
    ).rejects.toBeInstanceOf(UnknownPropertyError);
    await expect(
      revertActivity(t.db, bulk, who("Undo"), { resolve: [...settleBoth, { table: "nope", key: y, property: "name", take: "now" }] }),
    ).rejects.toBeInstanceOf(InvalidArgumentError);
    expect(await counts()).toEqual(before);
    expect(await current(y)).toMatchObject({ name: "Yann B", location: "Nice", vclock: 3 });
  });
});
