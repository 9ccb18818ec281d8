import { beforeAll, describe, expect, it } from "vitest";
import {
  changeset,
  create,
  getActivity,
  listActivities,
  listActors,
  tickMany,
  ticksPerDay,
  withActivity,
  InvalidArgumentError,
} from "../index";
import { enrollment, friend } from "./fixtures";
import { librarySchema, withTestDb } from "./harness";

const t = withTestDb(librarySchema);
const ids: number[] = [];
let bulkId = "";
beforeAll(async () => {
  const at = (day: string) => new Date(`2019-03-${day}T12:00:00Z`);
  for (const [i, name] of ["Ann", "Bo", "Cy"].entries()) {
    const row = await create(
      t.db,
      friend,
      { name, location: "Lima" },
      { reason: `Met ${name}`, actor: i === 0 ? "ann@ops" : "bo@ops", at: at(`0${i + 1}`) },
    );
    ids.push(row.id);
  }
  await withActivity(
    t.db,
    { reason: "Everyone to Quito (100% renewal)", actor: "batch", at: at("10"), source: "job", kind: "bulk" },
    async (tx, activity) => {
      bulkId = activity.id;
      await tickMany(
        tx,
        friend,
        ids.map((id) => ({ key: id, changes: { location: "Quito" } })),
      );
      await create(tx, enrollment, { memberId: 1, year: 2019, plan: "gold" });
    },
  );
});

describe("the activity log", () => {
  it("lists activities newest first with tick counts per table", async () => {
    const { items, nextCursor } = await listActivities(t.db, { limit: 2 });
    expect(items.map((i) => i.reason)).toEqual(["Everyone to Quito (100% renewal)", "Met Cy"]);
    expect(items[0]!.ticks).toEqual({ friend: 3, enrollment: 1 });
    expect(items[1]!.ticks).toEqual({ friend: 1 });
    const next = await listActivities(t.db, { limit: 2, cursor: nextCursor });
    expect(next.items.map((i) => i.reason)).toEqual(["Met Bo", "Met Ann"]);
    expect(next.nextCursor).toBeNull();
  });

  it("filters by actor, reason text (with % taken literally), table and time", async () => {
    expect((await listActivities(t.db, { actor: "bo@ops" })).items.map((i) => i.reason)).toEqual(["Met Cy", "Met Bo"]);
    expect((await listActivities(t.db, { search: "100%" })).items.map((i) => i.reason)).toEqual(["Everyone to Quito (100% renewal)"]);
    expect((await listActivities(t.db, { search: "0% r" })).items).toHaveLength(1);
    expect((await listActivities(t.db, { search: "%" })).items).toHaveLength(1);
    expect((await listActivities(t.db, { table: enrollment })).items.map((i) => i.id)).toEqual([bulkId]);
    // [from, to): Cy at exactly `to` is left out.
    const window = await listActivities(t.db, { from: new Date("2019-03-02T00:00:00Z"), to: new Date("2019-03-03T12:00:00Z") });
    expect(window.items.map((i) => i.reason)).toEqual(["Met Bo"]);
    await expect(listActivities(t.db, { cursor: "abc" })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it("filters by one kind or any of several, exactly", async () => {
    expect((await listActivities(t.db, { kind: "bulk" })).items.map((i) => i.id)).toEqual([bulkId]);
    expect((await listActivities(t.db, { kind: ["nothing", "bulk"] })).items.map((i) => i.id)).toEqual([bulkId]);
    expect((await listActivities(t.db, { kind: "bul" })).items).toEqual([]);
    expect((await listActivities(t.db, { kind: [] })).items).toEqual([]);
  });

  it("lists the distinct actors", async () => {
    expect(await listActors(t.db)).toEqual([
      { actor: "ann@ops", name: null },
      { actor: "batch", name: null },
      { actor: "bo@ops", name: null },
    ]);
  });

  it("gets one activity with its counts, or null", async () => {
    const activity = await getActivity(t.db, bulkId);
    expect(activity).toMatchObject({
      id: bulkId,
      actor: "batch",
      source: "job",
      kind: "bulk",
      backdated: true,
      ticks: { friend: 3, enrollment: 1 },
    });
    expect(await getActivity(t.db, "999999")).toBeNull();
  });

  it("counts ticks per day in a time zone", async () => {
    const days = await ticksPerDay(t.db, {
      from: new Date("2019-03-01T00:00:00Z"),
      to: new Date("2019-04-01T00:00:00Z"),
      timeZone: "Pacific/Kiritimati",
    });
    expect(days).toEqual([
      { day: "2019-03-02", table: "friend", ticks: 1 },
      { day: "2019-03-03", table: "friend", ticks: 1 },
      { day: "2019-03-04", table: "friend", ticks: 1 },
      { day: "2019-03-11", table: "enrollment", ticks: 1 },
      { day: "2019-03-11", table: "friend", ticks: 3 },
    ]);
    await expect(ticksPerDay(t.db, { from: new Date(), to: new Date(), timeZone: "x'; drop" })).rejects.toBeInstanceOf(
      InvalidArgumentError,
    );
  });

  it("pages through one table of a change-set with limit and offset", async () => {
    const first = await changeset(t.db, bulkId, { tables: [friend], limit: 2 });
    const second = await changeset(t.db, bulkId, { tables: [friend], limit: 2, offset: 2 });
    expect(first.truncated).toBe(true);
    expect(second.truncated).toBe(false);
    expect([...first.entries, ...second.entries].map((e) => e.key.id)).toEqual(ids);
    expect(second.entries[0]!.changes).toEqual([{ property: "location", before: "Lima", after: "Quito" }]);
  });
});
