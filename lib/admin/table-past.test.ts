/**
 * The past table view's reads on the committed migrations with the talk's friends (db/seed/friends.ts):
 * the list's filters and order on the table then, compare mode's earlier rows and "only changed".
 * Friends' ticks are at 15:00 UTC on 2010-09-13 (Dave, Tucson), 2013-05-02 (Dave → San Francisco),
 * 2014-10-08 (Rachel, New York), 2015-09-22 (Will, San Francisco), 2016-01-08 (Rachel → San Francisco),
 * 2016-08-19 (Dave → Berkeley), 2016-09-29 (Will → Oakland).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { friend } from "@/db/schema";
import { seedFriends } from "@/db/seed/friends";
import { appSchema, withTestDb } from "@/db/tests/database";
import { create, retire } from "@temporal-records/drizzle";
import type { PastView } from "./as-of-params";
import { compareRows } from "./row-compare";
import { parseListQuery, pastFields, type ListQuery } from "./list-query";
import { adminTable } from "./registry";
import { listRecordsAsOf } from "./table-past";

const friends = adminTable("friend")!;
const database = withTestDb(appSchema);
beforeAll(async () => {
  await seedFriends(database.db);
});

const at = (iso: string) => new Date(`${iso}T00:00:00Z`);
const query = (params: Record<string, string> = {}): ListQuery => parseListQuery(friends, params, pastFields(friends));
const past = (asOf: string, compareTo?: string, changedOnly = false): PastView => ({
  kind: "past",
  asOf: at(asOf),
  compareTo: compareTo ? at(compareTo) : undefined,
  changedOnly,
});
const brief = (rows: Record<string, unknown>[]) => rows.map((r) => [r.name, r.location, r.vclock]);

describe("listRecordsAsOf", () => {
  it("lists the table as it was, sorted and filtered by the list's own parameters", async () => {
    const all = await listRecordsAsOf(database.db, friends, query(), past("2016-01-01"));
    expect(brief(all.rows)).toEqual([
      ["Dave", "San Francisco", 2],
      ["Rachel", "New York", 1],
      ["Will", "San Francisco", 1],
    ]);
    expect(all.total).toBe(3);
    expect(all.before).toBeUndefined();
    const inSf = await listRecordsAsOf(database.db, friends, query({ "f.location": "san", sort: "name", dir: "desc" }), past("2016-01-01"));
    expect(brief(inSf.rows)).toEqual([
      ["Will", "San Francisco", 1],
      ["Dave", "San Francisco", 2],
    ]);
    const early = await listRecordsAsOf(database.db, friends, query({ sort: "location" }), past("2012-01-01"));
    expect(brief(early.rows)).toEqual([["Dave", "Tucson", 1]]);
    expect(await listRecordsAsOf(database.db, friends, query(), past("2009-01-01"))).toMatchObject({ rows: [], total: 0 });
  });

  it("shows the last page for a page past the end", async () => {
    const result = await listRecordsAsOf(database.db, friends, query({ page: "7" }), past("2016-01-01"));
    expect(result.query.page).toBe(1);
    expect(result.rows).toHaveLength(3);
  });

  it("compares: the rows as of compareTo, each with its record as of asOf", async () => {
    const result = await listRecordsAsOf(database.db, friends, query(), past("2015-01-01", "2016-06-01"));
    expect(brief(result.rows)).toEqual([
      ["Dave", "San Francisco", 2],
      ["Rachel", "San Francisco", 2],
      ["Will", "San Francisco", 1],
    ]);
    const before = result.before!;
    expect([...before.keys()].sort()).toEqual(["1", "2"]);
    const kinds = result.rows.map((row) => {
      const { kind, changed } = compareRows(friends, row, before.get(String(row.id)));
      return [row.name, kind, changed.map((f) => f.prop)];
    });
    expect(kinds).toEqual([
      ["Dave", "unchanged", []],
      ["Rachel", "changed", ["location"]],
      ["Will", "added", []],
    ]);
    expect(before.get("2")).toMatchObject({ name: "Rachel", location: "New York", vclock: 1, retired: false });
  });

  it("with only changed rows, keeps the records created, changed or retired in between, retired ones included", async () => {
    const changed = await listRecordsAsOf(database.db, friends, query(), past("2015-01-01", "2016-06-01", true));
    expect(brief(changed.rows)).toEqual([
      ["Rachel", "San Francisco", 2],
      ["Will", "San Francisco", 1],
    ]);
    expect(changed.total).toBe(2);
    const activity = (day: string) => ({ reason: "A friend for the past view", actor: "vitest", at: at(day) });
    const gone = await create(database.db, friend, { name: "Gone", location: "Reno" }, activity("2017-01-01"));
    await retire(database.db, friend, gone.id, activity("2017-02-01"));
    // Retired at compareTo: hidden from the plain view (as the list hides retired rows), listed among the changes.
    const plain = await listRecordsAsOf(database.db, friends, query(), past("2017-01-15", "2017-03-01"));
    expect(brief(plain.rows).map(([name]) => name)).toEqual(["Dave", "Rachel", "Will"]);
    const onlyChanged = await listRecordsAsOf(database.db, friends, query(), past("2017-01-15", "2017-03-01", true));
    expect(brief(onlyChanged.rows)).toEqual([["Gone", "Reno", 2]]);
    const row = onlyChanged.rows[0]!;
    expect(compareRows(friends, row, onlyChanged.before!.get(String(row.id))).kind).toBe("retired");
  });
});
