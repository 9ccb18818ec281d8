/**
 * The reads and the write behind the revert screens, on a database migrated from the
 * committed migrations: the preview of a record revert, the preview and the write of an
 * undo with the person's choices, and the links both ways read back from the activities' kind.
 */
import { count, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { friend, staff } from "@/db/schema";
import { appSchema, withTestDb } from "@/db/tests/database";
import {
  create,
  getActivity,
  revert,
  RevertConflictError,
  temporalActivity,
  tick,
  timeline,
  withActivity,
  type TemporalDb,
} from "@temporal-records/drizzle";
import { adminTable } from "./registry";
import { activityRevertLinks, loadRecordRevert, tickRevertLinks } from "./revert";
import { applyUndo, loadUndoPreview, NothingToUndoError, roleFor } from "./revert-activity";
import { parseRevertKind, revertKind, revertReason } from "./revert-kind";

const database = withTestDb(appSchema);
let db: TemporalDb;
beforeAll(async () => {
  db = database.db;
});

const who = (reason: string, kind?: string) => ({ reason, actor: "vitest", actorName: "Vitest", kind });
const friends = adminTable("friend")!;
const field = (prop: string) => friends.fields.find((f) => f.prop === prop)!;
const activities = async () => (await db.select({ n: count() }).from(temporalActivity))[0]!.n;
async function step(reason: string, fn: (tx: TemporalDb) => Promise<unknown>): Promise<string> {
  return withActivity(db, who(reason), async (tx, activity) => {
    await fn(tx);
    return activity.id;
  });
}
async function row(id: number): Promise<Record<string, unknown>> {
  const [current] = await db.select().from(friend).where(eq(friend.id, id));
  return current!;
}

describe("revert kinds", () => {
  it("writes and reads back what a revert reverted, and nothing else", () => {
    expect(revertKind({ activity: "42" })).toBe("revert:activity:42");
    expect(revertKind({ version: 3 })).toBe("revert:version:3");
    expect(parseRevertKind("revert:activity:42")).toEqual({ activity: "42" });
    expect(parseRevertKind("revert:version:3")).toEqual({ version: 3 });
    for (const other of [null, undefined, "import", "revert:activity:", "revert:activity:4x", "revert:record:1"]) {
      expect(parseRevertKind(other)).toBeNull();
    }
    expect(revertReason({ record: "Rita", version: 2 }, 2000)).toBe("Reverts Rita to version 2");
    expect(revertReason({ activity: "7", reason: "Bulk move" }, 2000)).toBe("Reverts activity #7: Bulk move");
    expect(revertReason({ activity: "7", reason: "x".repeat(3000) }, 2000)).toHaveLength(2000);
  });
});

describe("a record revert's preview", () => {
  it("lists every tracked property now and then, which differ, and the reason it starts with", async () => {
    const { id } = await create(db, friend, { name: "Rita", location: "Reno" }, who("Met"));
    await tick(db, friend, id, { location: "Sparks" }, who("Moved"));
    await tick(db, friend, id, { name: "Rita B" }, who("Married"));
    const current = await row(id);
    const preview = await loadRecordRevert(db, friends, { id }, current, "Rita B", 2);
    expect(preview).toMatchObject({
      state: "ready",
      toVclock: 2,
      latest: 3,
      retiredNow: false,
      defaultReason: "Reverts Rita B to version 2",
    });
    expect(preview.state === "ready" && preview.fields).toEqual([
      { field: field("name"), now: "Rita B", then: "Rita", differs: true, notTracked: false },
      { field: field("location"), now: "Sparks", then: "Sparks", differs: false, notTracked: false },
    ]);
    expect(await loadRecordRevert(db, friends, { id }, current, "Rita B", 3)).toEqual({ state: "is-current", latest: 3 });
    expect(await loadRecordRevert(db, friends, { id }, current, "Rita B", 9)).toEqual({ state: "no-such-version", latest: 3 });
  });
});

describe("links both ways", () => {
  it("marks a record revert on its tick and on the ticks it set back, and on its change set", async () => {
    const { id } = await create(db, friend, { name: "Paul", location: "Perth" }, who("Met"));
    await tick(db, friend, id, { location: "Porto" }, who("Moved"));
    await tick(db, friend, id, { name: "Pablo" }, who("Renamed"));
    await revert(db, friend, id, { toVclock: 1, properties: ["name"] }, who("Reverts Pablo to version 1", revertKind({ version: 1 })));
    const { items } = await timeline(db, friend, id, { limit: 10 });
    const undo = items[0]!.activity;
    const links = await tickRevertLinks(db, items);
    expect(links).toEqual({
      4: { reverts: { version: 1 }, revertedBy: [] },
      // Tick 3 changed the name, which the revert set back; tick 2 changed only the location, which it left.
      3: { reverts: null, revertedBy: [undo.id] },
      2: { reverts: null, revertedBy: [] },
      1: { reverts: null, revertedBy: [] },
    });
    const summary = (await getActivity(db, undo.id))!;
    expect(await activityRevertLinks(db, summary)).toEqual({
      reverts: { version: 1, record: { title: "Paul", href: `/t/friend/${id}` } },
      revertedBy: [],
    });
  });

  it("marks an undo on its ticks and change set, and the undone activity's", async () => {
    const { id } = await create(db, friend, { name: "Olga", location: "Oslo" }, who("Met"));
    const moved = await step("Moved", (tx) => tick(tx, friend, id, { location: "Odessa" }));
    const { activityId: undo } = await applyUndo(db, moved, who("Reverts activity", revertKind({ activity: moved })), []);
    const { items } = await timeline(db, friend, id, { limit: 10 });
    expect(await tickRevertLinks(db, items)).toEqual({
      3: { reverts: { activity: moved }, revertedBy: [] },
      2: { reverts: null, revertedBy: [undo] },
      1: { reverts: null, revertedBy: [] },
    });
    expect(await activityRevertLinks(db, (await getActivity(db, moved))!)).toEqual({
      reverts: null,
      revertedBy: [{ id: undo, reason: "Reverts activity" }],
    });
    expect(await activityRevertLinks(db, (await getActivity(db, undo))!)).toEqual({ reverts: { activity: moved }, revertedBy: [] });
  });
});

describe("undoing an activity", () => {
  /** One activity creates x and moves and renames y; a later one moves both again. */
  async function scenario() {
    const y = (await create(db, friend, { name: "Yann", location: "Lille" }, who("Met Yann"))).id;
    let x = 0;
    const bulk = await step("Bulk", async (tx) => {
      x = (await create(tx, friend, { name: "Xia", location: "Xiamen" })).id;
      await tick(tx, friend, y, { name: "Yann B", location: "Paris" });
    });
    const later = await step("Later moves", async (tx) => {
      await tick(tx, friend, y, { location: "Nice" });
      await tick(tx, friend, x, { location: "Xian" });
    });
    return { x, y, bulk, later };
  }

  it("previews each record and property: what the activity set, now, after the undo, and the conflicts", async () => {
    const { x, y, bulk, later } = await scenario();
    const preview = (await loadUndoPreview(db, bulk))!;
    expect(preview).toMatchObject({ recordCount: 2, conflictCount: 2, role: "editor", defaultReason: `Reverts activity #${bulk}: Bulk` });
    expect(preview.tables).toHaveLength(1);
    const [table] = preview.tables;
    expect(table).toMatchObject({ slug: "friend", label: friends.label, hidden: 0 });
    expect(table!.records).toEqual([
      {
        id: String(x),
        title: "Xia",
        href: `/t/friend/${x}`,
        effect: "retire",
        properties: [
          { field: field("retired"), set: false, now: false, old: true, conflict: null },
          { field: field("location"), set: "Xiamen", now: "Xian", old: undefined, conflict: { seenVclock: 2, activityIds: [later] } },
        ],
      },
      {
        id: String(y),
        title: "Yann B",
        href: `/t/friend/${y}`,
        effect: "change",
        properties: [
          { field: field("name"), set: "Yann B", now: "Yann B", old: "Yann", conflict: null },
          { field: field("location"), set: "Paris", now: "Nice", old: "Lille", conflict: { seenVclock: 3, activityIds: [later] } },
        ],
      },
    ]);
    expect(await loadUndoPreview(db, "987654321")).toBeUndefined();
  });

  it("undoes with the person's choices as one new activity, and refuses a change made since the preview", async () => {
    const { x, y, bulk } = await scenario();
    const keepY = { table: "friend", key: { id: y }, property: "location", take: "now" as const, seenVclock: 3 };
    const oldX = { table: "friend", key: { id: x }, property: "location", take: "old" as const, seenVclock: 2 };
    await tick(db, friend, y, { location: "Nantes" }, who("Moved once more"));
    const before = await activities();
    await expect(applyUndo(db, bulk, who("Undo"), [keepY, oldX])).rejects.toBeInstanceOf(RevertConflictError);
    expect(await activities()).toBe(before);

    const done = await applyUndo(db, bulk, who("Undo"), [{ ...keepY, seenVclock: 4 }, oldX]);
    expect(done.records).toBe(2);
    expect(await activities()).toBe(before + 1);
    expect(await row(y)).toMatchObject({ name: "Yann", location: "Nantes", vclock: 5 });
    expect(await row(x)).toMatchObject({ location: "Xian", retired: true, vclock: 3 });
  });

  it("writes nothing, not even the activity, when every choice keeps what is now", async () => {
    const { id } = await create(db, friend, { name: "Nia", location: "Nairobi" }, who("Met"));
    const moved = await step("Moved", (tx) => tick(tx, friend, id, { location: "Nakuru" }));
    await tick(db, friend, id, { location: "Mombasa" }, who("Moved again"));
    const before = await activities();
    const keep = { table: "friend", key: { id }, property: "location", take: "now" as const, seenVclock: 3 };
    await expect(applyUndo(db, moved, who("Undo"), [keep])).rejects.toBeInstanceOf(NothingToUndoError);
    expect(await activities()).toBe(before);
  });

  it("needs the role of the most guarded table the activity touched", async () => {
    const person = await create(
      db,
      staff,
      { id: "revert-test-person", email: "revert@test.example", name: "Pat", role: "editor" },
      who("Hired"),
    );
    const activity = (await getActivity(db, (await timeline(db, staff, person.id, { limit: 1 })).items[0]!.activity.id))!;
    expect(roleFor(activity)).toBe("admin");
    expect(roleFor({ ticks: { friend: 3 } })).toBe("editor");
    expect(roleFor({ ticks: {} })).toBe("editor");
  });
});
