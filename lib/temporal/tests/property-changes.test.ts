/**
 * propertyChanges: every change of one property across a table, newest first, keyset-paged,
 * with who and why; and the actor filter changedIn shares with it. Each test back-dates its
 * records into a year of its own, so a window around that year sees only its changes.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  changedIn,
  create,
  InvalidArgumentError,
  propertyChanges,
  retire,
  tick,
  UnknownPropertyError,
  withActivity,
  type ActivityInput,
  type PropertyChangeEntry,
  type TemporalDb,
} from "../index";
import { enrollment, friend } from "./fixtures";
import { librarySchema, withTestDb } from "./harness";

const t = withTestDb(librarySchema);

const d = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00.000Z` : iso);

function on(day: string, actor = "vitest", reason = `Change on ${day}`): ActivityInput {
  return { reason, actor, at: d(day) };
}

async function step(input: ActivityInput, fn: (tx: TemporalDb) => Promise<unknown>): Promise<string> {
  return withActivity(t.db, input, async (tx, activity) => {
    await fn(tx);
    return activity.id;
  });
}

/** Every page, following nextCursor; fails if a page comes back empty before the end, or the pages never end. */
async function allPages<V>(read: (cursor: string | null) => Promise<{ items: V[]; nextCursor: string | null }>): Promise<V[][]> {
  const pages: V[][] = [];
  let cursor: string | null = null;
  for (;;) {
    expect(pages.length, "pages never end").toBeLessThan(50);
    const page = await read(cursor);
    pages.push(page.items);
    if (page.nextCursor === null) return pages;
    expect(page.items.length).toBeGreaterThan(0);
    cursor = page.nextCursor;
  }
}

const brief = (e: PropertyChangeEntry<unknown>) => [e.key, e.vclock, e.before, e.after, e.activity.actor];

describe("propertyChanges", () => {
  const ids: Record<string, number> = {};
  const acts: Record<string, string> = {};
  const window = { from: d("2011-01-01"), to: d("2012-01-01") };
  beforeAll(async () => {
    acts.created = await step(on("2011-01-10", "ann", "Met everyone"), async (tx) => {
      for (const [name, location] of [
        ["pc-a", "Lagos"],
        ["pc-b", "Accra"],
        ["pc-c", "Cairo"],
      ] as const) {
        ids[name] = (await create(tx, friend, { name, location })).id;
      }
    });
    // One activity, one moment, the same tick number in three records: only the key tells them apart.
    acts.bulk = await step(on("2011-02-01", "batch", "Everyone moved"), async (tx) => {
      await tick(tx, friend, ids["pc-a"]!, { location: "Abuja" });
      await tick(tx, friend, ids["pc-b"]!, { location: "Kumasi" });
      await tick(tx, friend, ids["pc-c"]!, { location: "Giza" });
    });
    acts.rename = await step(on("2011-03-01", "bob", "Renamed"), (tx) => tick(tx, friend, ids["pc-b"]!, { name: "pc-b2" }));
    acts.move = await step(on("2011-04-01", "bob", "Moved back"), (tx) => tick(tx, friend, ids["pc-a"]!, { location: "Lagos" }));
    acts.retire = await step(on("2011-05-01", "ann", "Lost touch"), (tx) => retire(tx, friend, ids["pc-c"]!));
  });
  const key = (name: string) => ({ id: ids[name] });

  it("lists the changes newest first, before → after, each with its activity", async () => {
    const { items, nextCursor } = await propertyChanges(t.db, friend, "location", window);
    expect(nextCursor).toBeNull();
    expect(items.map(brief)).toEqual([
      [key("pc-a"), 3, "Abuja", "Lagos", "bob"],
      [key("pc-c"), 2, "Cairo", "Giza", "batch"],
      [key("pc-b"), 2, "Accra", "Kumasi", "batch"],
      [key("pc-a"), 2, "Lagos", "Abuja", "batch"],
      [key("pc-c"), 1, undefined, "Cairo", "ann"],
      [key("pc-b"), 1, undefined, "Accra", "ann"],
      [key("pc-a"), 1, undefined, "Lagos", "ann"],
    ]);
    expect(items[0]).toEqual({
      key: key("pc-a"),
      vclock: 3,
      timestamp: d("2011-04-01"),
      activityId: acts.move,
      before: "Abuja",
      after: "Lagos",
      activity: {
        id: acts.move,
        reason: "Moved back",
        actor: "bob",
        actorName: null,
        source: null,
        kind: null,
        at: d("2011-04-01"),
        backdated: true,
        recordedAt: expect.any(Date),
      },
    });
    // The same changes changedIn lists, in the other order.
    const oldestFirst = await changedIn(t.db, friend, "location", window);
    expect(items.map(({ activity: _, ...event }) => event)).toEqual([...oldestFirst].reverse());
  });

  it("pages with a cursor through ties of one moment and one tick, never repeating or skipping a change", async () => {
    const whole = (await propertyChanges(t.db, friend, "location", window)).items;
    for (const limit of [1, 2, 3, 6, 7]) {
      const pages = await allPages((cursor) => propertyChanges(t.db, friend, "location", { ...window, limit, cursor }));
      expect(pages.flat()).toEqual(whole);
      expect(pages.map((p) => p.length)).toEqual(
        Array.from({ length: Math.ceil(whole.length / limit) }, (_, i) => Math.min(limit, whole.length - i * limit)),
      );
    }
  });

  it("keeps only one actor's changes, and pages them", async () => {
    const batch = await propertyChanges(t.db, friend, "location", { ...window, actor: "batch" });
    expect(batch.items.map(brief)).toEqual([
      [key("pc-c"), 2, "Cairo", "Giza", "batch"],
      [key("pc-b"), 2, "Accra", "Kumasi", "batch"],
      [key("pc-a"), 2, "Lagos", "Abuja", "batch"],
    ]);
    const pages = await allPages((cursor) => propertyChanges(t.db, friend, "location", { ...window, actor: "batch", limit: 2, cursor }));
    expect(pages).toEqual([batch.items.slice(0, 2), batch.items.slice(2)]);
    expect((await propertyChanges(t.db, friend, "name", { ...window, actor: "bob" })).items.map(brief)).toEqual([
      [key("pc-b"), 3, "pc-b", "pc-b2", "bob"],
    ]);
    expect(await propertyChanges(t.db, friend, "location", { ...window, actor: "nobody" })).toEqual({ items: [], nextCursor: null });
    // changedIn filters by actor the same way.
    expect((await changedIn(t.db, friend, "location", { ...window, actor: "bob" })).map((e) => e.activityId)).toEqual([acts.move]);
  });

  it("includes from and excludes to, to the millisecond, and reads without bounds", async () => {
    const at = (from: string, to: string) =>
      propertyChanges(t.db, friend, "location", { from: d(from), to: d(to) }).then((p) => p.items.map((e) => e.activityId));
    expect(await at("2011-02-01", "2011-04-01")).toEqual([acts.bulk, acts.bulk, acts.bulk]);
    expect(await at("2011-02-01T00:00:00.001Z", "2011-04-01T00:00:00.001Z")).toEqual([acts.move]);
    const since = await propertyChanges(t.db, friend, "location", { from: d("2011-03-15") });
    expect(since.items.map((e) => e.activityId)).toEqual([acts.move]);
    const until = await propertyChanges(t.db, friend, "location", { to: d("2011-01-11"), actor: "ann" });
    expect(until.items.map((e) => e.key)).toEqual([key("pc-c"), key("pc-b"), key("pc-a")]);
  });

  it("lists retirements as changes of retired", async () => {
    const { items } = await propertyChanges(t.db, friend, "retired", { from: d("2011-02-01"), to: window.to });
    expect(items.map(brief)).toEqual([[key("pc-c"), 3, false, true, "ann"]]);
    expect(items[0]!.activity.reason).toBe("Lost touch");
  });

  it("pages a composite key, in a table whose history is in another schema", async () => {
    const k = (memberId: number, year: number) => ({ memberId, year });
    await step(on("2011-06-01"), async (tx) => {
      for (const [memberId, year] of [
        [9101, 2025],
        [9101, 2024],
        [9100, 2025],
        [9102, 2024],
      ] as const) {
        await create(tx, enrollment, { ...k(memberId, year), plan: "gold", premium: "1.00" });
      }
    });
    await step(on("2011-07-01"), async (tx) => {
      for (const [memberId, year] of [
        [9101, 2024],
        [9101, 2025],
        [9100, 2025],
      ] as const) {
        await tick(tx, enrollment, k(memberId, year), { plan: "silver" });
      }
    });
    const range = { from: d("2011-06-01"), to: d("2011-08-01") };
    const whole = (await propertyChanges(t.db, enrollment, "plan", range)).items;
    expect(whole.map((e) => [e.key, e.vclock, e.after])).toEqual([
      [k(9101, 2025), 2, "silver"],
      [k(9101, 2024), 2, "silver"],
      [k(9100, 2025), 2, "silver"],
      [k(9102, 2024), 1, "gold"],
      [k(9101, 2025), 1, "gold"],
      [k(9101, 2024), 1, "gold"],
      [k(9100, 2025), 1, "gold"],
    ]);
    const pages = await allPages((cursor) => propertyChanges(t.db, enrollment, "plan", { ...range, limit: 2, cursor }));
    expect(pages.flat()).toEqual(whole);
  });

  it("refuses a cursor it did not make, an unknown property, a bad limit and an empty actor", async () => {
    const first = await propertyChanges(t.db, friend, "location", { ...window, limit: 1 });
    const [timestamp, tickNumber] = JSON.parse(Buffer.from(first.nextCursor!, "base64url").toString("utf8")) as [string, number];
    const forged = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString("base64url");
    for (const cursor of [
      "not a cursor",
      forged({}),
      forged([timestamp, tickNumber]),
      forged(["yesterday", tickNumber, "1"]),
      forged([timestamp, 0, "1"]),
      forged([timestamp, tickNumber, 1]),
      // Shaped right, but its key is no integer: refused as a cursor, not as a database failure.
      forged([timestamp, tickNumber, "one"]),
    ]) {
      await expect(propertyChanges(t.db, friend, "location", { ...window, cursor }), cursor).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    await expect(propertyChanges(t.db, friend, "nickname" as never)).rejects.toBeInstanceOf(UnknownPropertyError);
    for (const limit of [0, 1001, 1.5]) {
      await expect(propertyChanges(t.db, friend, "location", { limit })).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    await expect(propertyChanges(t.db, friend, "location", { actor: "" })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(propertyChanges(t.db, friend, "location", { from: new Date(Number.NaN) })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
