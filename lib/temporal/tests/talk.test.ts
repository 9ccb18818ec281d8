/**
 * The example from the PyCon 2017 talk: three friends move around the Bay Area,
 * imported as back-dated activities in time order. The friend, clock and history
 * tables must come out exactly as on the slides.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { asOf, create, tableAsOf, tick, verify } from "../index";
import { friend } from "./fixtures";
import { librarySchema, withTestDb } from "./harness";

const t = withTestDb(librarySchema);
/** Friend number on the slides → serial id in this test's own database. */
const id: Record<1 | 2 | 3, number> = { 1: 0, 2: 0, 3: 0 };

const at = (day: string) => ({ reason: `Talk example, ${day}`, actor: "pycon-2017", at: new Date(`${day}T00:00:00.000Z`) });

/** A timestamptz as UTC text with microseconds, the same on PGlite and node-postgres. */
const utc = (expr: string) => `to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US')`;
const day = (d: string) => `${d}T00:00:00.000000`;

async function query<R>(text: string): Promise<R[]> {
  const result = await t.db.execute(sql.raw(text));
  return (result as unknown as { rows: R[] }).rows;
}

/** Slide number of a serial id. */
function slide(serial: number): number {
  const found = (Object.entries(id) as [string, number][]).find(([, v]) => v === serial);
  if (!found) throw new Error(`friend ${serial} is not one of the talk's friends`);
  return Number(found[0]);
}

beforeAll(async () => {
  // In time order: a back-dated activity must be later than each touched record's last change.
  id[1] = (await create(t.db, friend, { name: "Dave", location: "Tucson" }, at("2010-09-13"))).id;
  await tick(t.db, friend, id[1], { location: "San Francisco" }, at("2013-05-02"));
  id[2] = (await create(t.db, friend, { name: "Rachel", location: "New York" }, at("2014-10-08"))).id;
  id[3] = (await create(t.db, friend, { name: "Will", location: "San Francisco" }, at("2015-09-22"))).id;
  await tick(t.db, friend, id[2], { location: "San Francisco" }, at("2016-01-08"));
  await tick(t.db, friend, id[1], { location: "Berkeley" }, at("2016-08-19"));
  await tick(t.db, friend, id[3], { location: "Oakland" }, at("2016-09-29"));
});

describe("the PyCon 2017 talk example", () => {
  it("leaves the friend table at each friend's latest values and version", async () => {
    const friends = await query<{ id: number; name: string; location: string; vclock: number; retired: boolean }>(
      `SELECT "id", "name", "location", "vclock", "retired" FROM "friend" ORDER BY "id"`,
    );
    expect(friends.map((f) => [slide(Number(f.id)), f.name, f.location, Number(f.vclock), f.retired])).toEqual([
      [1, "Dave", "Berkeley", 3, false],
      [2, "Rachel", "San Francisco", 2, false],
      [3, "Will", "Oakland", 2, false],
    ]);
  });

  it("records one clock tick per change, dated by its activity", async () => {
    const clock = await query<{ friend_id: number; tick: number; ts: string; backdated: boolean; at: string }>(
      `SELECT c."friend_id", c."tick", ${utc('c."timestamp"')} AS "ts", a."backdated", ${utc('a."at"')} AS "at"
         FROM "friend_clock" c JOIN "temporal_activity" a ON a."id" = c."activity_id"
        ORDER BY c."friend_id", c."tick"`,
    );
    expect(clock.map((c) => [slide(Number(c.friend_id)), Number(c.tick), c.ts])).toEqual([
      [1, 1, day("2010-09-13")],
      [1, 2, day("2013-05-02")],
      [1, 3, day("2016-08-19")],
      [2, 1, day("2014-10-08")],
      [2, 2, day("2016-01-08")],
      [3, 1, day("2015-09-22")],
      [3, 2, day("2016-09-29")],
    ]);
    expect(clock.every((c) => c.backdated === true && c.at === c.ts)).toBe(true);
    const activities = await query<{ n: string | number }>(`SELECT count(*) AS "n" FROM "temporal_activity"`);
    expect(Number(activities[0]!.n)).toBe(7);
  });

  it("keeps every location with its version range and effective dates", async () => {
    const rows = await query<{ friend_id: number; location: string; vf: number; vt: number | null; ef: string; et: string | null }>(
      `SELECT "friend_id", "location", lower("vclock") AS "vf", upper("vclock") AS "vt",
              ${utc('lower("effective")')} AS "ef", ${utc('upper("effective")')} AS "et"
         FROM "friend_history_location" ORDER BY "friend_id", lower("vclock")`,
    );
    expect(rows.map((r) => [slide(Number(r.friend_id)), r.location, Number(r.vf), r.vt === null ? null : Number(r.vt)])).toEqual([
      [1, "Tucson", 1, 2],
      [1, "San Francisco", 2, 3],
      [1, "Berkeley", 3, null],
      [2, "New York", 1, 2],
      [2, "San Francisco", 2, null],
      [3, "San Francisco", 1, 2],
      [3, "Oakland", 2, null],
    ]);
    expect(rows.map((r) => [slide(Number(r.friend_id)), r.location, r.ef, r.et])).toEqual([
      [1, "Tucson", day("2010-09-13"), day("2013-05-02")],
      [1, "San Francisco", day("2013-05-02"), day("2016-08-19")],
      [1, "Berkeley", day("2016-08-19"), null],
      [2, "New York", day("2014-10-08"), day("2016-01-08")],
      [2, "San Francisco", day("2016-01-08"), null],
      [3, "San Francisco", day("2015-09-22"), day("2016-09-29")],
      [3, "Oakland", day("2016-09-29"), null],
    ]);
  });

  it("keeps one open name row per friend from its creation", async () => {
    const rows = await query<{ friend_id: number; name: string; vf: number; vt: number | null; ef: string; et: string | null }>(
      `SELECT "friend_id", "name", lower("vclock") AS "vf", upper("vclock") AS "vt",
              ${utc('lower("effective")')} AS "ef", ${utc('upper("effective")')} AS "et"
         FROM "friend_history_name" ORDER BY "friend_id", lower("vclock")`,
    );
    expect(rows.map((r) => [slide(Number(r.friend_id)), r.name, Number(r.vf), r.vt, r.ef, r.et])).toEqual([
      [1, "Dave", 1, null, day("2010-09-13"), null],
      [2, "Rachel", 1, null, day("2014-10-08"), null],
      [3, "Will", 1, null, day("2015-09-22"), null],
    ]);
    const retired = await query<{ friend_id: number; retired: boolean; vf: number; vt: number | null }>(
      `SELECT "friend_id", "retired", lower("vclock") AS "vf", upper("vclock") AS "vt" FROM "friend_history_retired" ORDER BY "friend_id"`,
    );
    expect(retired.map((r) => [slide(Number(r.friend_id)), r.retired, Number(r.vf), r.vt])).toEqual([
      [1, false, 1, null],
      [2, false, 1, null],
      [3, false, 1, null],
    ]);
  });

  it("reads Rachel in New York in mid-2015 and not at all before she was added", async () => {
    const mid2015 = await asOf(t.db, friend, id[2], { at: new Date("2015-06-01") });
    expect(mid2015).toMatchObject({
      vclock: 1,
      retired: false,
      notTracked: [],
      record: { id: id[2], name: "Rachel", location: "New York" },
    });
    expect(mid2015!.timestamp).toEqual(new Date("2014-10-08T00:00:00.000Z"));
    expect(await asOf(t.db, friend, id[2], { at: new Date("2014-10-07T23:59:59.999Z") })).toBeNull();
    expect(await asOf(t.db, friend, id[2], { at: new Date("2014-10-01") })).toBeNull();
    const firstMoment = await asOf(t.db, friend, id[2], { at: new Date("2014-10-08T00:00:00.000Z") });
    expect(firstMoment?.record.location).toBe("New York");
    const moved = await asOf(t.db, friend, id[2], { at: new Date("2016-01-08T00:00:00.000Z") });
    expect(moved).toMatchObject({ vclock: 2, record: { location: "San Francisco" } });
  });

  it("reads Dave's whole past by version", async () => {
    const locations = [];
    for (const vclock of [1, 2, 3]) locations.push((await asOf(t.db, friend, id[1], { vclock }))?.record.location);
    expect(locations).toEqual(["Tucson", "San Francisco", "Berkeley"]);
    expect(await asOf(t.db, friend, id[1], { vclock: 4 })).toBeNull();
  });

  it("lists the whole table as it was on 2016-01-01", async () => {
    const { rows, total } = await tableAsOf(t.db, friend, new Date("2016-01-01"));
    expect(total).toBe(3);
    expect(rows).toEqual([
      { id: id[1], name: "Dave", location: "San Francisco", nickname: null, vclock: 2, retired: false },
      { id: id[2], name: "Rachel", location: "New York", nickname: null, vclock: 1, retired: false },
      { id: id[3], name: "Will", location: "San Francisco", nickname: null, vclock: 1, retired: false },
    ]);
    const before = await tableAsOf(t.db, friend, new Date("2012-01-01"));
    expect(before).toEqual({
      rows: [{ id: id[1], name: "Dave", location: "Tucson", nickname: null, vclock: 1, retired: false }],
      total: 1,
      hasMore: false,
    });
  });

  it("passes verify", async () => {
    expect(await verify(t.db, friend)).toEqual([]);
  });
});
