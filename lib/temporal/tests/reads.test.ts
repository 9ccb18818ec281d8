/**
 * The read engines: history, timeline, diff, changeset, changedIn, blame (tableAsOf has its own file).
 * Each test makes its own records, back-dated into a year no other test uses, so
 * dates are exact and table-wide reads see only that test's records.
 */
import { sql } from "drizzle-orm";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { beforeAll, describe, expect, it } from "vitest";
import {
  asOf,
  blame,
  changedIn,
  changeset,
  create,
  createMany,
  diff,
  history,
  InvalidArgumentError,
  lanes,
  NotFoundError,
  restore,
  retire,
  tick,
  timeline,
  UnknownPropertyError,
  withActivity,
  type ActivityInput,
  type TemporalDb,
} from "../index";
import { enrollment, friend } from "./fixtures";
import { librarySchema, withTestDb } from "./harness";

const t = withTestDb(librarySchema);

const d = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00.000Z` : iso);

/** A back-dated activity input. */
function on(day: string, actor = "vitest", reason = `Change on ${day}`, extra: Partial<ActivityInput> = {}): ActivityInput {
  return { reason, actor, at: d(day), ...extra };
}

/** Runs `fn` in its own activity and returns the activity's id. */
async function step(input: ActivityInput, fn: (tx: TemporalDb) => Promise<unknown>): Promise<string> {
  return withActivity(t.db, input, async (tx, activity) => {
    await fn(tx);
    return activity.id;
  });
}

/** The activity a read should report for a back-dated step. */
function activity(id: string, input: ActivityInput) {
  return {
    id,
    reason: input.reason,
    actor: input.actor,
    actorName: input.actorName ?? null,
    source: input.source ?? null,
    kind: input.kind ?? null,
    at: input.at,
    backdated: true,
    recordedAt: expect.any(Date),
  };
}

describe("history", () => {
  it("lists every value of one property newest first, with the activity that set it", async () => {
    const a1 = on("2001-01-01", "ann", "Met Hana");
    const a2 = on("2001-02-01", "bob", "Moved to Quito");
    const a3 = on("2001-03-01", "cid", "Spelling");
    const a4 = on("2001-04-01", "dee", "Moved to Bogota");
    let hid = 0;
    const id1 = await step(a1, async (tx) => (hid = (await create(tx, friend, { name: "Hana", location: "Lima" })).id));
    const id2 = await step(a2, (tx) => tick(tx, friend, hid, { location: "Quito" }));
    const id3 = await step(a3, (tx) => tick(tx, friend, hid, { name: "Hanna" }));
    const id4 = await step(a4, (tx) => tick(tx, friend, hid, { location: "Bogota" }));

    const { items, nextCursor } = await history(t.db, friend, hid, "location");
    expect(nextCursor).toBeNull();
    expect(items).toEqual([
      {
        value: "Bogota",
        vclock: { from: 4, to: null },
        effective: { from: d("2001-04-01"), to: null },
        activity: activity(id4, a4),
        trackingStarted: false,
      },
      {
        value: "Quito",
        vclock: { from: 2, to: 4 },
        effective: { from: d("2001-02-01"), to: d("2001-04-01") },
        activity: activity(id2, a2),
        trackingStarted: false,
      },
      {
        value: "Lima",
        vclock: { from: 1, to: 2 },
        effective: { from: d("2001-01-01"), to: d("2001-02-01") },
        activity: activity(id1, a1),
        trackingStarted: false,
      },
    ]);

    const names = await history(t.db, friend, hid, "name");
    expect(names.items.map((h) => [h.value, h.vclock, h.activity?.id])).toEqual([
      ["Hanna", { from: 3, to: null }, id3],
      ["Hana", { from: 1, to: 3 }, id1],
    ]);
    const retired = await history(t.db, friend, hid, "retired");
    expect(retired.items.map((h) => [h.value, h.vclock, h.activity?.id])).toEqual([[false, { from: 1, to: null }, id1]]);
  });

  it("pages with limit and nextCursor until the oldest value", async () => {
    let hid = 0;
    await step(on("2001-06-01"), async (tx) => (hid = (await create(tx, friend, { name: "Paco", location: "L1" })).id));
    for (const [i, day] of ["2001-06-02", "2001-06-03", "2001-06-04", "2001-06-05"].entries()) {
      await step(on(day), (tx) => tick(tx, friend, hid, { location: `L${i + 2}` }));
    }
    const first = await history(t.db, friend, hid, "location", { limit: 2 });
    expect(first.items.map((h) => [h.value, h.vclock.from])).toEqual([
      ["L5", 5],
      ["L4", 4],
    ]);
    expect(first.nextCursor).toBe(4);
    const second = await history(t.db, friend, hid, "location", { limit: 2, cursor: first.nextCursor });
    expect(second.items.map((h) => [h.value, h.vclock.from])).toEqual([
      ["L3", 3],
      ["L2", 2],
    ]);
    expect(second.nextCursor).toBe(2);
    const third = await history(t.db, friend, hid, "location", { limit: 2, cursor: second.nextCursor });
    expect(third.items.map((h) => [h.value, h.vclock.from])).toEqual([["L1", 1]]);
    expect(third.nextCursor).toBeNull();
    // A page that ends exactly at the oldest value has no next page.
    const exact = await history(t.db, friend, hid, "location", { limit: 5 });
    expect(exact.items).toHaveLength(5);
    expect(exact.nextCursor).toBeNull();
    const rest = await history(t.db, friend, hid, "location", { limit: 4, cursor: 5 });
    expect(rest.items.map((h) => h.value)).toEqual(["L4", "L3", "L2", "L1"]);
    expect(rest.nextCursor).toBeNull();
  });

  it("refuses a bad limit, a bad cursor and an unknown property", async () => {
    const row = await create(t.db, friend, { name: "Bad", location: "X" }, on("2001-07-01"));
    await expect(history(t.db, friend, row.id, "location", { limit: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(history(t.db, friend, row.id, "location", { limit: 1001 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(history(t.db, friend, row.id, "location", { cursor: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(history(t.db, friend, row.id, "nickname" as never)).rejects.toBeInstanceOf(UnknownPropertyError);
    expect(await history(t.db, friend, 987_654, "location")).toEqual({ items: [], nextCursor: null });
  });
});

describe("timeline", () => {
  it("lists ticks newest first as created, changed, retired and restored, with before → after", async () => {
    const a1 = on("2002-01-01", "ann", "Met Tess");
    const a2 = on("2002-02-01", "bob", "Renamed and moved");
    const a3 = on("2002-03-01", "cid", "Lost touch");
    const a4 = on("2002-04-01", "dee", "Found again");
    const a5 = on("2002-05-01", "eve", "Moved back");
    let tid = 0;
    const id1 = await step(a1, async (tx) => (tid = (await create(tx, friend, { name: "Tess", location: "Oslo" })).id));
    const id2 = await step(a2, (tx) => tick(tx, friend, tid, { name: "Tessa", location: "Bergen", nickname: "T" }));
    const id3 = await step(a3, (tx) => retire(tx, friend, tid));
    const id4 = await step(a4, (tx) => restore(tx, friend, tid));
    const id5 = await step(a5, (tx) => tick(tx, friend, tid, { location: "Oslo" }));

    const { items, nextCursor } = await timeline(t.db, friend, tid);
    expect(nextCursor).toBeNull();
    expect(items).toEqual([
      {
        vclock: 5,
        timestamp: d("2002-05-01"),
        kind: "changed",
        activity: activity(id5, a5),
        changes: [{ property: "location", before: "Bergen", after: "Oslo" }],
      },
      {
        vclock: 4,
        timestamp: d("2002-04-01"),
        kind: "restored",
        activity: activity(id4, a4),
        changes: [{ property: "retired", before: true, after: false }],
      },
      {
        vclock: 3,
        timestamp: d("2002-03-01"),
        kind: "retired",
        activity: activity(id3, a3),
        changes: [{ property: "retired", before: false, after: true }],
      },
      {
        vclock: 2,
        timestamp: d("2002-02-01"),
        kind: "changed",
        activity: activity(id2, a2),
        changes: [
          { property: "name", before: "Tess", after: "Tessa" },
          { property: "location", before: "Oslo", after: "Bergen" },
        ],
      },
      {
        vclock: 1,
        timestamp: d("2002-01-01"),
        kind: "created",
        activity: activity(id1, a1),
        changes: [
          { property: "name", before: undefined, after: "Tess" },
          { property: "location", before: undefined, after: "Oslo" },
          { property: "retired", before: undefined, after: false },
        ],
      },
    ]);
    // `before` is absent (undefined) at creation, not null.
    expect(items[4]!.changes.every((c) => c.before === undefined && "before" in c)).toBe(true);
  });

  it("pages with limit and nextCursor", async () => {
    let tid = 0;
    await step(on("2002-07-01"), async (tx) => (tid = (await create(tx, friend, { name: "Page", location: "P1" })).id));
    await step(on("2002-07-02"), (tx) => tick(tx, friend, tid, { location: "P2" }));
    await step(on("2002-07-03"), (tx) => tick(tx, friend, tid, { location: "P3" }));
    await step(on("2002-07-04"), (tx) => tick(tx, friend, tid, { location: "P4" }));
    await step(on("2002-07-05"), (tx) => tick(tx, friend, tid, { location: "P5" }));
    const pages: number[][] = [];
    let cursor: number | null = null;
    do {
      const page: Awaited<ReturnType<typeof timeline>> = await timeline(t.db, friend, tid, { limit: 2, cursor });
      pages.push(page.items.map((i) => i.vclock));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(pages).toEqual([[5, 4], [3, 2], [1]]);
    const second = await timeline(t.db, friend, tid, { limit: 2, cursor: 4 });
    expect(second.nextCursor).toBe(2);
    expect(second.items.map((i) => [i.vclock, i.timestamp, i.kind, i.changes])).toEqual([
      [3, d("2002-07-03"), "changed", [{ property: "location", before: "P2", after: "P3" }]],
      [2, d("2002-07-02"), "changed", [{ property: "location", before: "P1", after: "P2" }]],
    ]);
  });
});

describe("diff", () => {
  let did = 0;
  beforeAll(async () => {
    did = (await create(t.db, friend, { name: "Dina", location: "Rome" }, on("2003-01-01"))).id;
    await tick(t.db, friend, did, { location: "Paris" }, on("2003-02-01"));
    await tick(t.db, friend, did, { name: "Dinah" }, on("2003-03-01"));
    await tick(t.db, friend, did, { location: "Rome" }, on("2003-04-01"));
  });

  it("compares two versions", async () => {
    expect(await diff(t.db, friend, did, { vclock: 1 }, { vclock: 2 })).toEqual({
      from: { vclock: 1, timestamp: d("2003-01-01") },
      to: { vclock: 2, timestamp: d("2003-02-01") },
      changes: [{ property: "location", before: "Rome", after: "Paris" }],
    });
    expect(await diff(t.db, friend, did, { vclock: 2 }, { vclock: 4 })).toEqual({
      from: { vclock: 2, timestamp: d("2003-02-01") },
      to: { vclock: 4, timestamp: d("2003-04-01") },
      changes: [
        { property: "name", before: "Dina", after: "Dinah" },
        { property: "location", before: "Paris", after: "Rome" },
      ],
    });
    // Rome → Paris → Rome is no change between the ends.
    expect((await diff(t.db, friend, did, { vclock: 1 }, { vclock: 4 })).changes).toEqual([
      { property: "name", before: "Dina", after: "Dinah" },
    ]);
    expect((await diff(t.db, friend, did, { vclock: 3 }, { vclock: 3 })).changes).toEqual([]);
  });

  it("compares in reverse order", async () => {
    expect(await diff(t.db, friend, did, { vclock: 4 }, { vclock: 2 })).toEqual({
      from: { vclock: 4, timestamp: d("2003-04-01") },
      to: { vclock: 2, timestamp: d("2003-02-01") },
      changes: [
        { property: "name", before: "Dinah", after: "Dina" },
        { property: "location", before: "Rome", after: "Paris" },
      ],
    });
  });

  it("compares two moments, and a version with a moment", async () => {
    expect(await diff(t.db, friend, did, { at: d("2003-02-15") }, { at: d("2003-03-15") })).toEqual({
      from: { vclock: 2, timestamp: d("2003-02-01") },
      to: { vclock: 3, timestamp: d("2003-03-01") },
      changes: [{ property: "name", before: "Dina", after: "Dinah" }],
    });
    // A moment includes a tick made at that very millisecond, and excludes one a millisecond later.
    expect(await diff(t.db, friend, did, { at: d("2003-01-31T23:59:59.999Z") }, { at: d("2003-02-01") })).toEqual({
      from: { vclock: 1, timestamp: d("2003-01-01") },
      to: { vclock: 2, timestamp: d("2003-02-01") },
      changes: [{ property: "location", before: "Rome", after: "Paris" }],
    });
    expect(await diff(t.db, friend, did, { at: d("2003-12-31") }, { vclock: 1 })).toEqual({
      from: { vclock: 4, timestamp: d("2003-04-01") },
      to: { vclock: 1, timestamp: d("2003-01-01") },
      changes: [{ property: "name", before: "Dinah", after: "Dina" }],
    });
  });

  it("reports from: null when one side is before creation", async () => {
    expect(await diff(t.db, friend, did, { at: d("2002-12-31") }, { vclock: 2 })).toEqual({
      from: null,
      to: { vclock: 2, timestamp: d("2003-02-01") },
      changes: [
        { property: "name", before: undefined, after: "Dina" },
        { property: "location", before: undefined, after: "Paris" },
        { property: "retired", before: undefined, after: false },
      ],
    });
    expect(await diff(t.db, friend, did, { at: d("2003-03-15") }, { at: d("2002-06-01") })).toEqual({
      from: { vclock: 3, timestamp: d("2003-03-01") },
      to: null,
      changes: [
        { property: "name", before: "Dinah", after: undefined },
        { property: "location", before: "Paris", after: undefined },
        { property: "retired", before: false, after: undefined },
      ],
    });
    expect(await diff(t.db, friend, did, { at: d("2002-01-01") }, { at: d("2002-06-01") })).toEqual({ from: null, to: null, changes: [] });
    // A version that does not exist yet is "not there" as well.
    expect(await diff(t.db, friend, did, { vclock: 4 }, { vclock: 9 })).toMatchObject({ to: null });
  });

  it("refuses a bad point", async () => {
    await expect(diff(t.db, friend, did, { vclock: 0 }, { vclock: 1 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(diff(t.db, friend, did, { at: new Date("nope") }, { vclock: 1 })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe("changeset", () => {
  it("lists every record and property one activity touched, across tables", async () => {
    const setup = on("2004-01-01", "ann", "Setup");
    let [c2, c3] = [0, 0];
    await step(setup, async (tx) => {
      c2 = (await create(tx, friend, { name: "Cleo", location: "Nice" })).id;
      c3 = (await create(tx, friend, { name: "Cato", location: "Lyon" })).id;
      await create(tx, enrollment, { memberId: 7001, year: 2023, plan: "basic", premium: "100.00" });
    });
    const bulk = on("2004-06-01", "ops", "Bulk fix", { source: "admin-ui", kind: "bulk" });
    let c1 = 0;
    const bulkId = await step(bulk, async (tx) => {
      c1 = (await create(tx, friend, { name: "Cora", location: "Pisa" })).id;
      await tick(tx, friend, c2, { location: "Genoa", name: "Cleopatra" });
      await retire(tx, friend, c3);
      await tick(tx, enrollment, { memberId: 7001, year: 2023 }, { plan: "gold", premium: "150.50" });
      await create(tx, enrollment, { memberId: 7001, year: 2024, plan: "silver", premium: null });
    });

    const { activity: head, entries, truncated } = await changeset(t.db, bulkId);
    expect(truncated).toBe(false);
    expect(head).toEqual(activity(bulkId, bulk));
    const at = d("2004-06-01");
    const act = activity(bulkId, bulk);
    expect(entries).toEqual([
      {
        table: "friend",
        key: { id: c2 },
        vclock: 2,
        timestamp: at,
        kind: "changed",
        activity: act,
        changes: [
          { property: "name", before: "Cleo", after: "Cleopatra" },
          { property: "location", before: "Nice", after: "Genoa" },
        ],
      },
      {
        table: "friend",
        key: { id: c3 },
        vclock: 2,
        timestamp: at,
        kind: "retired",
        activity: act,
        changes: [{ property: "retired", before: false, after: true }],
      },
      {
        table: "friend",
        key: { id: c1 },
        vclock: 1,
        timestamp: at,
        kind: "created",
        activity: act,
        changes: [
          { property: "name", before: undefined, after: "Cora" },
          { property: "location", before: undefined, after: "Pisa" },
          { property: "retired", before: undefined, after: false },
        ],
      },
      {
        table: "enrollment",
        key: { memberId: 7001, year: 2023 },
        vclock: 2,
        timestamp: at,
        kind: "changed",
        activity: act,
        changes: [
          { property: "plan", before: "basic", after: "gold" },
          { property: "premium", before: "100.00", after: "150.50" },
        ],
      },
      {
        table: "enrollment",
        key: { memberId: 7001, year: 2024 },
        vclock: 1,
        timestamp: at,
        kind: "created",
        activity: act,
        changes: [
          { property: "plan", before: undefined, after: "silver" },
          { property: "premium", before: undefined, after: null },
          { property: "retired", before: undefined, after: false },
        ],
      },
    ]);

    const onlyEnrollment = await changeset(t.db, BigInt(bulkId), { tables: [enrollment] });
    expect(onlyEnrollment.entries.map((e) => [e.table, e.key, e.vclock])).toEqual([
      ["enrollment", { memberId: 7001, year: 2023 }, 2],
      ["enrollment", { memberId: 7001, year: 2024 }, 1],
    ]);
    const limited = await changeset(t.db, Number(bulkId), { limit: 1 });
    expect(limited.truncated).toBe(true);
    expect(limited.entries.map((e) => [e.table, e.key, e.vclock])).toEqual([
      ["friend", { id: c2 }, 2],
      ["enrollment", { memberId: 7001, year: 2023 }, 2],
    ]);
  });

  it("lists each tick when one (live) activity changed a record twice", async () => {
    const row = await create(t.db, friend, { name: "Twice", location: "One" }, { reason: "live", actor: "vitest" });
    const input = { reason: "Two edits", actor: "ops" };
    const id = await step(input, async (tx) => {
      await tick(tx, friend, row.id, { location: "Two" });
      await tick(tx, friend, row.id, { location: "Three", name: "Thrice" });
    });
    const { activity: head, entries } = await changeset(t.db, id);
    expect(head).toMatchObject({ id, reason: "Two edits", actor: "ops", backdated: false });
    expect(entries.map((e) => [e.table, e.key, e.vclock, e.kind, e.activity.id, e.changes])).toEqual([
      ["friend", { id: row.id }, 2, "changed", id, [{ property: "location", before: "One", after: "Two" }]],
      [
        "friend",
        { id: row.id },
        3,
        "changed",
        id,
        [
          { property: "name", before: "Twice", after: "Thrice" },
          { property: "location", before: "Two", after: "Three" },
        ],
      ],
    ]);
    expect(entries[0]!.timestamp.getTime()).toBeGreaterThanOrEqual(head.at.getTime());
    expect(entries[1]!.timestamp.getTime()).toBeGreaterThanOrEqual(entries[0]!.timestamp.getTime());
  });

  it("finds no activity that wrote nothing: it is not kept", async () => {
    const input = on("2004-07-01", "ann", "Looked only");
    const id = await step(input, async () => undefined);
    await expect(changeset(t.db, id)).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses an unknown activity with NotFoundError and a malformed id with InvalidArgumentError", async () => {
    await expect(changeset(t.db, "987654321")).rejects.toBeInstanceOf(NotFoundError);
    await expect(changeset(t.db, "42; DROP TABLE friend")).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

describe("changedIn", () => {
  it("lists the changes of one property within [from, to), oldest first", async () => {
    let [w1, w2] = [0, 0];
    const a1 = await step(on("2006-01-01"), async (tx) => (w1 = (await create(tx, friend, { name: "Wale", location: "Lagos" })).id));
    const a2 = await step(on("2006-02-01"), (tx) => tick(tx, friend, w1, { location: "Accra" }));
    const a3 = await step(on("2006-02-15"), async (tx) => (w2 = (await create(tx, friend, { name: "Wafa", location: "Cairo" })).id));
    const a4 = await step(on("2006-03-01"), (tx) => tick(tx, friend, w1, { name: "Wale O." }));
    const a5 = await step(on("2006-04-01"), (tx) => tick(tx, friend, w2, { location: "Tunis" }));
    const a6 = await step(on("2006-06-01"), (tx) => tick(tx, friend, w1, { location: "Dakar" }));

    const window = { from: d("2006-02-01"), to: d("2006-06-01") };
    expect(await changedIn(t.db, friend, "location", window)).toEqual([
      { key: { id: w1 }, vclock: 2, timestamp: d("2006-02-01"), activityId: a2, before: "Lagos", after: "Accra" },
      { key: { id: w2 }, vclock: 1, timestamp: d("2006-02-15"), activityId: a3, before: undefined, after: "Cairo" },
      { key: { id: w2 }, vclock: 2, timestamp: d("2006-04-01"), activityId: a5, before: "Cairo", after: "Tunis" },
    ]);
    expect(await changedIn(t.db, friend, "name", window)).toEqual([
      { key: { id: w2 }, vclock: 1, timestamp: d("2006-02-15"), activityId: a3, before: undefined, after: "Wafa" },
      { key: { id: w1 }, vclock: 3, timestamp: d("2006-03-01"), activityId: a4, before: "Wale", after: "Wale O." },
    ]);
    // Both ends: from is included to the millisecond, to is excluded to the millisecond.
    const whole = await changedIn(t.db, friend, "location", { from: d("2006-01-01"), to: d("2006-06-01T00:00:00.001Z") });
    expect(whole.map((c) => [c.key.id, c.vclock, c.activityId])).toEqual([
      [w1, 1, a1],
      [w1, 2, a2],
      [w2, 1, a3],
      [w2, 2, a5],
      [w1, 4, a6],
    ]);
    const after = await changedIn(t.db, friend, "location", { from: d("2006-01-01T00:00:00.001Z"), to: d("2006-02-01") });
    expect(after).toEqual([]);
    const limited = await changedIn(t.db, friend, "location", { ...window, limit: 1 });
    expect(limited.map((c) => c.activityId)).toEqual([a2]);
  });

  it("lists retirements as changes of retired", async () => {
    const row = await create(t.db, friend, { name: "Ret", location: "R" }, on("2006-07-01"));
    const id = await step(on("2006-08-01"), (tx) => retire(tx, friend, row.id));
    expect(await changedIn(t.db, friend, "retired", { from: d("2006-07-15"), to: d("2006-12-31") })).toEqual([
      { key: { id: row.id }, vclock: 2, timestamp: d("2006-08-01"), activityId: id, before: false, after: true },
    ]);
  });

  it("refuses an unknown property and a bad limit", async () => {
    await expect(changedIn(t.db, friend, "nickname" as never, { from: d("2006-01-01"), to: d("2007-01-01") })).rejects.toBeInstanceOf(
      UnknownPropertyError,
    );
    await expect(changedIn(t.db, friend, "name", { from: d("2006-01-01"), to: d("2007-01-01"), limit: 0 })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });
});

describe("blame", () => {
  it("says who set each current value, when and why", async () => {
    const a1 = on("2007-01-01", "ann", "Met Bea");
    const a2 = on("2007-02-01", "bob", "Moved");
    const a3 = on("2007-03-01", "cid", "Renamed");
    const a4 = on("2007-04-01", "dee", "Moved back");
    const a5 = on("2007-05-01", "eve", "Lost touch");
    let bid = 0;
    const id1 = await step(a1, async (tx) => (bid = (await create(tx, friend, { name: "Bea", location: "Turin" })).id));
    const id2 = await step(a2, (tx) => tick(tx, friend, bid, { location: "Milan" }));
    const id3 = await step(a3, (tx) => tick(tx, friend, bid, { name: "Beatrice" }));
    expect(await blame(t.db, friend, bid)).toEqual([
      { property: "name", vclock: 3, timestamp: d("2007-03-01"), activity: activity(id3, a3) },
      { property: "location", vclock: 2, timestamp: d("2007-02-01"), activity: activity(id2, a2) },
      { property: "retired", vclock: 1, timestamp: d("2007-01-01"), activity: activity(id1, a1) },
    ]);
    const id4 = await step(a4, (tx) => tick(tx, friend, bid, { location: "Turin" }));
    const id5 = await step(a5, (tx) => retire(tx, friend, bid));
    expect((await blame(t.db, friend, bid)).map((b) => [b.property, b.vclock, b.timestamp, b.activity.id, b.activity.actor])).toEqual([
      ["name", 3, d("2007-03-01"), id3, "cid"],
      ["location", 4, d("2007-04-01"), id4, "dee"],
      ["retired", 5, d("2007-05-01"), id5, "eve"],
    ]);
    expect(await blame(t.db, friend, 987_654)).toEqual([]);

    // At a version or a moment: who had set each value then.
    const atVersion3 = await blame(t.db, friend, bid, { vclock: 3 });
    expect(atVersion3.map((b) => [b.property, b.vclock, b.activity.id])).toEqual([
      ["name", 3, id3],
      ["location", 2, id2],
      ["retired", 1, id1],
    ]);
    expect(await blame(t.db, friend, bid, { at: d("2007-03-15") })).toEqual(atVersion3);
    expect((await blame(t.db, friend, bid, { at: d("2007-02-01") })).map((b) => [b.property, b.vclock])).toEqual([
      ["name", 1],
      ["location", 2],
      ["retired", 1],
    ]);
    expect(await blame(t.db, friend, bid, { at: d("2006-12-31") })).toEqual([]);
    expect(await blame(t.db, friend, bid, { vclock: 99 })).toEqual([]);
    await expect(blame(t.db, friend, bid, { vclock: 0 })).rejects.toThrow(InvalidArgumentError);
  });

  it("blames a composite-key record in another schema", async () => {
    const a1 = on("2007-06-01", "ann", "Enrolled");
    const a2 = on("2007-07-01", "bob", "Upgraded");
    const id1 = await step(a1, (tx) => create(tx, enrollment, { memberId: 7100, year: 2007, plan: "basic", premium: "10.00" }));
    const id2 = await step(a2, (tx) => tick(tx, enrollment, { memberId: 7100, year: 2007 }, { plan: "gold" }));
    expect((await blame(t.db, enrollment, { memberId: 7100, year: 2007 })).map((b) => [b.property, b.vclock, b.activity.id])).toEqual([
      ["plan", 2, id2],
      ["premium", 1, id1],
      ["retired", 1, id1],
    ]);
  });
});

describe("reads of live (not back-dated) changes", () => {
  it("read a tick as of its own timestamp", async () => {
    const row = await create(t.db, friend, { name: "Live", location: "Now" }, { reason: "live", actor: "vitest" });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await tick(t.db, friend, row.id, { location: "Later" }, { reason: "live", actor: "vitest" });
    const { items } = await timeline(t.db, friend, row.id);
    const [second, first] = items;
    expect(first!.activity.backdated).toBe(false);
    expect(second!.timestamp.getTime()).toBeGreaterThan(first!.timestamp.getTime());
    expect((await asOf(t.db, friend, row.id, { at: first!.timestamp }))?.vclock).toBe(1);
    expect((await asOf(t.db, friend, row.id, { at: second!.timestamp }))?.vclock).toBe(2);
    expect(await asOf(t.db, friend, row.id, { at: new Date(first!.timestamp.getTime() - 1) })).toBeNull();
    const moved = await changedIn(t.db, friend, "location", { from: second!.timestamp, to: new Date(second!.timestamp.getTime() + 1) });
    expect(moved).toEqual([
      { key: { id: row.id }, vclock: 2, timestamp: second!.timestamp, activityId: second!.activity.id, before: "Now", after: "Later" },
    ]);
    expect((await diff(t.db, friend, row.id, { at: first!.timestamp }, { at: second!.timestamp })).changes).toEqual([
      { property: "location", before: "Now", after: "Later" },
    ]);
  });
});

describe("asOf by time on a record with deep history", () => {
  /** The SQL a read sends, captured with a logger on the same connection, and its plan. */
  async function planOf(read: (db: TemporalDb) => Promise<unknown>): Promise<string> {
    const sent: { query: string; params: unknown[] }[] = [];
    const logger = { logQuery: (query: string, params: unknown[]) => sent.push({ query, params }) };
    const client = (t.db as unknown as { $client: { query: (q: string, p: unknown[]) => Promise<{ rows: Record<string, unknown>[] }> } })
      .$client;
    const logged = (t.kind === "pglite"
      ? drizzlePglite(client as never, { logger })
      : drizzlePg(client as never, { logger })) as unknown as TemporalDb;
    await read(logged);
    const { query, params } = sent.at(-1)!;
    const { rows } = await client.query(`EXPLAIN ${query}`, params);
    return rows.map((r) => r["QUERY PLAN"]).join("\n");
  }

  it("finds the tick at a moment from the clock's time index instead of walking the record's ticks", async () => {
    let id = 0;
    await step(on("2009-01-01"), async (tx) => (id = (await create(tx, friend, { name: "Deep", location: "L0" })).id));
    // Other records with a few ticks each, so the clock is not all one record's.
    await step(on("2009-01-02"), (tx) =>
      createMany(
        tx,
        friend,
        Array.from({ length: 1000 }, (_, i) => ({ name: `Shallow ${i}`, location: "S0" })),
      ),
    );
    await step(on("2009-01-03"), (tx) => tx.execute(sql`UPDATE "friend" SET "location" = 'S1' WHERE "name" LIKE 'Shallow %'`));
    // Live ticks in one activity, each in a millisecond of its own: a Date (what asOf is given) covers its whole
    // millisecond, and PGlite's clock counts milliseconds (two ticks within one would leave an empty range).
    await withActivity(t.db, { reason: "1,000 ticks", actor: "vitest" }, (tx) =>
      tx.execute(
        sql.raw(`DO $$ DECLARE last timestamptz; BEGIN FOR i IN 1..1000 LOOP
                   last := date_trunc('milliseconds', clock_timestamp());
                   WHILE date_trunc('milliseconds', clock_timestamp()) = last LOOP END LOOP;
                   UPDATE "friend" SET "location" = 'L' || i WHERE "id" = ${id};
                 END LOOP; END $$`),
      ),
    );
    await t.db.execute(sql`ANALYZE "friend_clock"`);
    const ticks = (await t.db.execute(
      sql`SELECT "tick", "timestamp" FROM "friend_clock" WHERE "friend_id" = ${id} ORDER BY "tick"`,
    )) as unknown as {
      rows: { tick: number; timestamp: string | Date }[];
    };
    expect(ticks.rows).toHaveLength(1001);
    for (const v of [1, 2, 500, 1000, 1001]) {
      const at = new Date(ticks.rows[v - 1]!.timestamp);
      const then = await asOf(t.db, friend, id, { at });
      expect([then?.vclock, then?.record.location]).toEqual([v, `L${v - 1}`]);
    }
    expect(await asOf(t.db, friend, id, { at: d("2008-12-31") })).toBeNull();
    const middle = new Date(ticks.rows[499]!.timestamp);
    expect((await diff(t.db, friend, id, { at: d("2009-01-02") }, { at: middle })).changes).toEqual([
      { property: "location", before: "L0", after: "L499" },
    ]);
    // The moment bounds the clock's index range (the (key, "timestamp") index, or "timestamp" alone when the planner
    // finds it as cheap): the tick is not found by walking the record's ticks newest first.
    const bounded = /Index Scan Backward using friend_clock_\w+ on friend_clock c\b[^\n]*\n\s*Index Cond: [^\n]*"timestamp" <=/;
    expect(await planOf((db) => asOf(db, friend, id, { at: middle }))).toMatch(bounded);
    expect(await planOf((db) => diff(db, friend, id, { at: d("2009-01-02") }, { at: middle }))).toMatch(bounded);
  });
});

describe("lanes and history windows", () => {
  it("reduce many values to one band per slot in the database, keeping the last, the count and the range", async () => {
    const key = { memberId: 7300, year: 1990 };
    await step(on("1990-01-01"), (tx) => create(tx, enrollment, { ...key, plan: "basic", premium: "10.00" }));
    await step(on("1990-02-01", "ann", "Raise"), (tx) => tick(tx, enrollment, key, { premium: "12.00" }));
    await step(on("1990-02-02", "bob", "Typo fixed"), (tx) => tick(tx, enrollment, key, { premium: "11.00" }));
    await step(on("1990-06-01", "cid", "Upgraded"), (tx) => tick(tx, enrollment, key, { plan: "gold" }));
    const window = { from: d("1990-01-01"), to: d("1991-01-01") };
    const [premium, plan] = await lanes(t.db, enrollment, key, { ...window, slots: 12, properties: ["premium", "plan"] });
    expect(premium!.property).toBe("premium");
    expect(premium!.bands.map((b) => [b.value, b.changes, b.vclock, b.min, b.max, b.activity.actor])).toEqual([
      ["10.00", 1, 1, "10.00", "10.00", "vitest"],
      ["11.00", 2, 3, "11.00", "12.00", "bob"],
    ]);
    expect(premium!.bands[1]!.from).toEqual(d("1990-02-01"));
    expect(premium).toMatchObject({ reduced: true, values: 3 });
    expect(plan!.bands.map((b) => [b.value, b.changes, b.from])).toEqual([
      ["basic", 1, d("1990-01-01")],
      ["gold", 1, d("1990-06-01")],
    ]);
    expect(plan!.bands[0]).not.toHaveProperty("min");
    expect(plan!.reduced).toBe(false);

    // Enough slots: every value its own band. A window starting mid-value opens with the value held then.
    const exact = await lanes(t.db, enrollment, key, { from: d("1990-01-15"), to: d("1990-03-01"), slots: 2000, properties: ["premium"] });
    expect(exact[0]!.bands.map((b) => [b.value, b.from])).toEqual([
      ["10.00", d("1990-01-15")],
      ["12.00", d("1990-02-01")],
      ["11.00", d("1990-02-02")],
    ]);
    // No window: from creation until now, every property and retired.
    const all = await lanes(t.db, enrollment, key);
    expect(all.map((l) => l.property)).toEqual(["plan", "premium", "retired"]);
    expect(all[1]!.bands.map((b) => [b.value, b.changes])).toEqual([["11.00", 3]]);

    const held = await history(t.db, enrollment, key, "premium", { from: d("1990-02-01T12:00:00Z"), to: d("1990-03-01") });
    expect(held.items.map((h) => h.value)).toEqual(["11.00", "12.00"]);
    expect((await history(t.db, enrollment, key, "premium", { to: d("1990-01-31") })).items.map((h) => h.value)).toEqual(["10.00"]);
  });

  it("start a window given as a tick's own (millisecond) time with the value that tick set", async () => {
    const key = { memberId: 7302, year: 1990 };
    const live = { reason: "Live change", actor: "vitest" };
    await withActivity(t.db, live, (tx) => create(tx, enrollment, { ...key, plan: "basic", premium: "10.00" }));
    await withActivity(t.db, live, (tx) => tick(tx, enrollment, key, { premium: "12.00" }));
    const second = (await timeline(t.db, enrollment, key)).items[0]!.timestamp;
    const held = await history(t.db, enrollment, key, "premium", { from: second });
    expect(held.items.map((h) => h.value)).toEqual(["12.00"]);
    const [lane] = await lanes(t.db, enrollment, key, { from: second, to: new Date(second.getTime() + 60_000), properties: ["premium"] });
    expect(lane!.bands.map((b) => [b.value, b.changes])).toEqual([["12.00", 1]]);
  });

  it("refuse a bad window, slot count or property", async () => {
    const key = { memberId: 7301, year: 1990 };
    await step(on("1990-01-01"), (tx) => create(tx, enrollment, { ...key, plan: "basic", premium: "10.00" }));
    await expect(lanes(t.db, enrollment, key, { slots: 0 })).rejects.toThrow(InvalidArgumentError);
    await expect(lanes(t.db, enrollment, key, { slots: 2.5 })).rejects.toThrow(InvalidArgumentError);
    await expect(lanes(t.db, enrollment, key, { from: d("1990-02-01"), to: d("1990-01-01") })).rejects.toThrow(/before its to/);
    await expect(lanes(t.db, enrollment, key, { properties: ["nope"] })).rejects.toThrow(UnknownPropertyError);
    await expect(history(t.db, enrollment, key, "plan", { from: d("1990-02-01"), to: d("1990-02-01") })).rejects.toThrow(
      InvalidArgumentError,
    );
    expect(await lanes(t.db, enrollment, { memberId: 7399, year: 1990 })).toEqual([
      { property: "plan", bands: [], reduced: false, values: 0 },
      { property: "premium", bands: [], reduced: false, values: 0 },
      { property: "retired", bands: [], reduced: false, values: 0 },
    ]);
  });
});
