/**
 * tableAsOf: every record of a table as it was at a moment, filtered, sorted and paged in the
 * database. Each test makes its own records, back-dated into a year no other test uses, with a
 * name prefix its reads filter on, so table-wide reads see only that test's records.
 */
import { and, asc, desc, eq, inArray, isNotNull, like, lt, sql, type SQL } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import {
  asOf,
  create,
  InvalidArgumentError,
  restore,
  retire,
  tableAsOf,
  tick,
  withActivity,
  type ActivityInput,
  type AnyTemporalTable,
  type TableAsOfOptions,
  type TemporalDb,
} from "../index";
import { enrollment, friend, sink } from "./fixtures";
import { librarySchema, withTestDb } from "./harness";

const t = withTestDb(librarySchema);

const d = (iso: string) => new Date(iso.length === 10 ? `${iso}T00:00:00.000Z` : iso);

function on(day: string): ActivityInput {
  return { reason: `Change on ${day}`, actor: "vitest", at: d(day) };
}

async function step(input: ActivityInput, fn: (tx: TemporalDb) => Promise<unknown>): Promise<void> {
  await withActivity(t.db, input, async (tx) => {
    await fn(tx);
  });
}

describe("tableAsOf", () => {
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    await step(on("2005-01-01"), async (tx) => {
      for (const [name, location] of [
        ["tao-a", "Austin"],
        ["tao-b", "Boston"],
        ["tao-c", "Chicago"],
        ["tao-d", "Denver"],
        ["tao-e", "Boston"],
      ] as const) {
        ids[name] = (await create(tx, friend, { name, location })).id;
      }
    });
    await step(on("2005-03-01"), async (tx) => {
      await tick(tx, friend, ids["tao-b"]!, { location: "Austin" });
      await retire(tx, friend, ids["tao-c"]!);
      // Untracked: its past is not kept, so tableAsOf shows null.
      await tick(tx, friend, ids["tao-a"]!, { nickname: "A" });
    });
    await step(on("2005-05-01"), async (tx) => {
      await tick(tx, friend, ids["tao-d"]!, { name: "tao-d2" });
      ids["tao-f"] = (await create(tx, friend, { name: "tao-f", location: "Fresno" })).id;
    });
  });

  const row = (name: string, location: string, vclock: number, retired = false, id = name) => ({
    id: ids[id],
    name,
    location,
    nickname: null,
    vclock,
    retired,
  });
  const tao = (then: typeof friend) => like(then.name, "tao-%");

  it("lists the records as they were, hiding retired ones, with the total", async () => {
    expect(await tableAsOf(t.db, friend, d("2005-02-01"), { where: tao })).toEqual({
      rows: [
        row("tao-a", "Austin", 1),
        row("tao-b", "Boston", 1),
        row("tao-c", "Chicago", 1),
        row("tao-d", "Denver", 1),
        row("tao-e", "Boston", 1),
      ],
      total: 5,
      hasMore: false,
    });
    expect(await tableAsOf(t.db, friend, d("2005-04-01"), { where: tao })).toEqual({
      rows: [row("tao-a", "Austin", 1), row("tao-b", "Austin", 2), row("tao-d", "Denver", 1), row("tao-e", "Boston", 1)],
      total: 4,
      hasMore: false,
    });
    expect(await tableAsOf(t.db, friend, d("2004-12-31T23:59:59.999Z"), { where: tao })).toEqual({ rows: [], total: 0, hasMore: false });
  });

  it("includes retired records when asked", async () => {
    expect(await tableAsOf(t.db, friend, d("2005-04-01"), { where: tao, includeRetired: true })).toEqual({
      rows: [
        row("tao-a", "Austin", 1),
        row("tao-b", "Austin", 2),
        row("tao-c", "Chicago", 2, true),
        row("tao-d", "Denver", 1),
        row("tao-e", "Boston", 1),
      ],
      total: 5,
      hasMore: false,
    });
  });

  it("filters on past values", async () => {
    const inAustin = (at: string) =>
      tableAsOf(t.db, friend, d(at), { where: (then) => sql`${tao(then)} AND ${eq(then.location, "Austin")}` });
    expect(await inAustin("2005-02-01")).toEqual({ rows: [row("tao-a", "Austin", 1)], total: 1, hasMore: false });
    expect(await inAustin("2005-03-01")).toEqual({
      rows: [row("tao-a", "Austin", 1), row("tao-b", "Austin", 2)],
      total: 2,
      hasMore: false,
    });
    const renamed = await tableAsOf(t.db, friend, d("2005-06-01"), { where: (then) => eq(then.name, "tao-d") });
    expect(renamed).toEqual({ rows: [], total: 0, hasMore: false });
  });

  it("sorts and pages in the database, counting every match", async () => {
    const byName = await tableAsOf(t.db, friend, d("2005-06-01"), { where: tao, orderBy: (then) => desc(then.name), limit: 2, offset: 1 });
    expect(byName).toEqual({ rows: [row("tao-e", "Boston", 1), row("tao-d2", "Denver", 2, false, "tao-d")], total: 5, hasMore: true });
    const byPlace = await tableAsOf(t.db, friend, d("2005-06-01"), { where: tao, orderBy: (then) => [asc(then.location), desc(then.id)] });
    expect(byPlace.rows.map((r) => r.name)).toEqual(["tao-b", "tao-a", "tao-e", "tao-d2", "tao-f"]);
    expect(byPlace.total).toBe(5);
    const last = await tableAsOf(t.db, friend, d("2005-06-01"), { where: tao, limit: 2, offset: 4 });
    expect(last).toEqual({ rows: [row("tao-f", "Fresno", 1)], total: 5, hasMore: false });
    // A page past the end is empty, but the total still counts every match.
    const beyond = await tableAsOf(t.db, friend, d("2005-06-01"), { where: tao, limit: 2, offset: 6 });
    expect(beyond).toEqual({ rows: [], total: 5, hasMore: false });
  });

  it("pages without counting: the same rows, with hasMore instead of a total", async () => {
    const at = d("2005-06-01");
    const counted = await tableAsOf(t.db, friend, at, { where: tao, includeRetired: true });
    const pages = [];
    for (let offset = 0; ; offset += 2) {
      const page = await tableAsOf(t.db, friend, at, { where: tao, includeRetired: true, limit: 2, offset, count: false });
      expect(page.total).toBeNull();
      pages.push(page);
      if (!page.hasMore) break;
    }
    expect(pages.map((p) => p.rows.length)).toEqual([2, 2, 2]);
    expect(pages.flatMap((p) => p.rows)).toEqual(counted.rows);
    // Keyset pages (after the last key shown) are the same pages.
    const keyset = [];
    let after: number | undefined;
    for (;;) {
      const page = await tableAsOf(t.db, friend, at, { where: tao, includeRetired: true, limit: 2, after, count: false });
      keyset.push(page.rows);
      if (!page.hasMore) break;
      after = page.rows.at(-1)!.id;
    }
    expect(keyset).toEqual(pages.map((p) => p.rows));
    await expect(tableAsOf(t.db, friend, at, { after: 1, orderBy: (then) => asc(then.name) })).rejects.toBeInstanceOf(InvalidArgumentError);
    // Records created after the moment are not there; past values, not current ones.
    const early = await tableAsOf(t.db, friend, d("2005-02-01"), { where: tao, count: false, limit: 10 });
    expect(early).toEqual({
      rows: [
        row("tao-a", "Austin", 1),
        row("tao-b", "Boston", 1),
        row("tao-c", "Chicago", 1),
        row("tao-d", "Denver", 1),
        row("tao-e", "Boston", 1),
      ],
      total: null,
      hasMore: false,
    });
  });

  it("keeps only the records ticked between changedSince and the moment, in either order", async () => {
    const changed = (at: string, since: string, options: TableAsOfOptions<typeof friend> = {}) =>
      tableAsOf(t.db, friend, d(at), { where: tao, changedSince: d(since), ...options });
    // tao-b moved and tao-c was retired on 2005-03-01 (hidden, as retired records are, unless asked).
    expect(await changed("2005-04-01", "2005-02-01")).toEqual({ rows: [row("tao-b", "Austin", 2)], total: 1, hasMore: false });
    expect(await changed("2005-04-01", "2005-02-01", { includeRetired: true })).toEqual({
      rows: [row("tao-b", "Austin", 2), row("tao-c", "Chicago", 2, true)],
      total: 2,
      hasMore: false,
    });
    // Created in the window counts; the earlier moment may come second; sorting and paging still apply.
    const later = await changed("2005-06-01", "2005-04-01", { orderBy: (then) => desc(then.name) });
    expect(later).toEqual({ rows: [row("tao-f", "Fresno", 1), row("tao-d2", "Denver", 2, false, "tao-d")], total: 2, hasMore: false });
    expect(await changed("2005-04-01", "2005-06-01", { orderBy: (then) => desc(then.name) })).toEqual({
      rows: [row("tao-d", "Denver", 1)],
      total: 1,
      hasMore: false,
    });
    expect(await changed("2005-06-01", "2005-02-01", { limit: 1, offset: 1 })).toEqual({
      rows: [row("tao-d2", "Denver", 2, false, "tao-d")],
      total: 3,
      hasMore: true,
    });
    // Each moment covers its whole millisecond: a tick at the earlier moment is not between, one a millisecond later is.
    expect(await changed("2005-04-01", "2005-03-01")).toEqual({ rows: [], total: 0, hasMore: false });
    expect((await changed("2005-04-01", "2005-02-28T23:59:59.999Z")).rows.map((r) => r.name)).toEqual(["tao-b"]);
    expect(await changed("2005-03-01", "2005-03-01")).toEqual({ rows: [], total: 0, hasMore: false });
    await expect(changed("2005-04-01", "2005-02-01", { changedSince: new Date(Number.NaN) })).rejects.toBeInstanceOf(InvalidArgumentError);
  });

  it("refuses a bad limit or offset", async () => {
    await expect(tableAsOf(t.db, friend, d("2005-06-01"), { limit: 0 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(tableAsOf(t.db, friend, d("2005-06-01"), { offset: -1 })).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(tableAsOf(t.db, friend, new Date(Number.NaN))).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

type Rec = Record<string, unknown>;
type Compare = (a: Rec, b: Rec) => number;

/** SQL's order for one column: ascending puts nulls last, descending puts them first. */
function by(prop: string, direction: "asc" | "desc" = "asc"): Compare {
  return (a, b) => {
    const [x, y] = [a[prop], b[prop]] as [string | number | boolean | null, string | number | boolean | null];
    if (x === y) return 0;
    if (x === null) return direction === "asc" ? 1 : -1;
    if (y === null) return direction === "asc" ? -1 : 1;
    return (x < y ? -1 : 1) * (direction === "asc" ? 1 : -1);
  };
}

type Expectation = { where?: (r: Rec) => boolean; order?: Compare[]; includeRetired?: boolean; limit?: number; offset?: number };

/**
 * What tableAsOf should return, worked out from another engine: asOf of each record at that
 * moment, filtered, sorted (then by the key) and paged here.
 */
async function fromAsOf(
  table: AnyTemporalTable,
  keys: Rec[],
  at: Date,
  e: Expectation & { keyOrder: Compare[]; untracked?: Rec },
): Promise<{ rows: Rec[]; total: number; hasMore: boolean }> {
  const records: Rec[] = [];
  for (const key of keys) {
    const then = await asOf(t.db, table, key, { at });
    if (then) records.push({ ...e.untracked, ...then.record, vclock: then.vclock });
  }
  const order = [...(e.order ?? []), ...e.keyOrder];
  const matches = records
    .filter((r) => (e.includeRetired || r.retired === false) && (e.where?.(r) ?? true))
    .sort((a, b) => order.reduce((c, compare) => c || compare(a, b), 0));
  const offset = e.offset ?? 0;
  const rows = matches.slice(offset, offset + (e.limit ?? 100));
  return { rows, total: matches.length, hasMore: offset + rows.length < matches.length };
}

describe("tableAsOf sorted by a column", () => {
  const ids: Record<string, number> = {};
  beforeAll(async () => {
    await step(on("2008-01-01"), async (tx) => {
      for (const [name, location] of [
        ["tas-1", "Oslo"],
        ["tas-2", "Lima"],
        ["tas-3", "Oslo"],
        ["tas-4", null],
        ["tas-5", "Bern"],
        ["tas-6", "Lima"],
      ] as const) {
        ids[name] = (await create(tx, friend, { name, location })).id;
      }
    });
    await step(on("2008-02-01"), async (tx) => {
      await tick(tx, friend, ids["tas-2"]!, { location: "Accra" });
      await tick(tx, friend, ids["tas-4"]!, { location: "Zurich" });
      await retire(tx, friend, ids["tas-5"]!);
    });
    await step(on("2008-03-01"), async (tx) => {
      ids["tas-7"] = (await create(tx, friend, { name: "tas-7", location: "Accra" })).id;
      await tick(tx, friend, ids["tas-1"]!, { location: null });
      await restore(tx, friend, ids["tas-5"]!);
    });
  });

  const row = (name: string, location: string | null, vclock: number, retired = false) => ({
    id: ids[name],
    name,
    location,
    nickname: null,
    vclock,
    retired,
  });
  const tas = (then: typeof friend) => like(then.name, "tas-%");
  const read = (at: string, options: TableAsOfOptions<typeof friend> = {}) =>
    tableAsOf(t.db, friend, d(at), { ...options, where: (then) => and(tas(then), options.where?.(then)) });
  const names = (result: { rows: { name: string }[] }) => result.rows.map((r) => r.name);

  it("sorts by a past value: nulls last ascending and first descending, ties broken by the key", async () => {
    expect(await read("2008-01-15", { orderBy: (then) => asc(then.location) })).toEqual({
      rows: [
        row("tas-5", "Bern", 1),
        row("tas-2", "Lima", 1),
        row("tas-6", "Lima", 1),
        row("tas-1", "Oslo", 1),
        row("tas-3", "Oslo", 1),
        row("tas-4", null, 1),
      ],
      total: 6,
      hasMore: false,
    });
    expect(names(await read("2008-01-15", { orderBy: (then) => desc(then.location) }))).toEqual([
      "tas-4",
      "tas-1",
      "tas-3",
      "tas-2",
      "tas-6",
      "tas-5",
    ]);
    expect(await read("2008-03-15", { orderBy: (then) => asc(then.location), count: false })).toEqual({
      rows: [
        row("tas-2", "Accra", 2),
        row("tas-7", "Accra", 1),
        row("tas-5", "Bern", 3),
        row("tas-6", "Lima", 1),
        row("tas-3", "Oslo", 1),
        row("tas-4", "Zurich", 2),
        row("tas-1", null, 2),
      ],
      total: null,
      hasMore: false,
    });
  });

  it("pages a sort with ties without repeating or skipping a row, with or without the count", async () => {
    const all = await read("2008-01-15", { orderBy: (then) => asc(then.location) });
    for (const count of [true, false]) {
      const pages = [];
      for (const offset of [0, 2, 4])
        pages.push(await read("2008-01-15", { orderBy: (then) => asc(then.location), limit: 2, offset, count }));
      expect(pages.map((p) => [p.total, p.hasMore])).toEqual(
        count
          ? [
              [6, true],
              [6, true],
              [6, false],
            ]
          : [
              [null, true],
              [null, true],
              [null, false],
            ],
      );
      expect(pages.flatMap((p) => p.rows)).toEqual(all.rows);
    }
    // An untracked column is null then for every record: all ties, so the key decides.
    const byNickname = await read("2008-01-15", { orderBy: (then) => [asc(then.nickname)], limit: 4, offset: 1 });
    expect(byNickname).toEqual({ ...(await read("2008-01-15", { limit: 4, offset: 1 })), total: 6 });
    expect(names(byNickname)).toEqual(["tas-2", "tas-3", "tas-4", "tas-5"]);
  });

  it("filters on one property and sorts by another, counting only the matches", async () => {
    const placed = (then: typeof friend) => inArray(then.location, ["Oslo", "Lima", "Accra"]);
    expect(await read("2008-02-15", { where: placed, orderBy: (then) => desc(then.name), limit: 2, offset: 1 })).toEqual({
      rows: [row("tas-3", "Oslo", 1), row("tas-2", "Accra", 2)],
      total: 4,
      hasMore: true,
    });
    expect(await read("2008-02-15", { where: placed, orderBy: (then) => desc(then.name), limit: 2, offset: 10 })).toEqual({
      rows: [],
      total: 4,
      hasMore: false,
    });
    expect(await read("2008-02-15", { where: (then) => lt(then.location, "M"), orderBy: (then) => asc(then.location) })).toEqual({
      rows: [row("tas-2", "Accra", 2), row("tas-6", "Lima", 1)],
      total: 2,
      hasMore: false,
    });
  });

  it("leaves out records created after the moment, and retired ones unless asked, wherever they sort", async () => {
    const byPlace = { orderBy: (then: typeof friend) => asc(then.location) };
    expect(await read("2008-02-15", { ...byPlace, includeRetired: true })).toEqual({
      rows: [
        row("tas-2", "Accra", 2),
        row("tas-5", "Bern", 2, true),
        row("tas-6", "Lima", 1),
        row("tas-1", "Oslo", 1),
        row("tas-3", "Oslo", 1),
        row("tas-4", "Zurich", 2),
      ],
      total: 6,
      hasMore: false,
    });
    expect(names(await read("2008-02-15", byPlace))).toEqual(["tas-2", "tas-6", "tas-1", "tas-3", "tas-4"]);
    expect(names(await read("2008-03-01", byPlace))).toEqual(["tas-2", "tas-7", "tas-5", "tas-6", "tas-3", "tas-4", "tas-1"]);
    expect((await read("2008-01-01", byPlace)).total).toBe(6);
    expect(await read("2007-12-31T23:59:59.999Z", byPlace)).toEqual({ rows: [], total: 0, hasMore: false });
  });

  it("gives the same rows when the filter or the order reads vclock or cannot be analysed", async () => {
    const oslo = await read("2008-01-15", { where: (then) => eq(then.location, "Oslo") });
    expect(names(oslo)).toEqual(["tas-1", "tas-3"]);
    // Raw SQL naming the column quoted, unqualified, or as identifiers: looked up with every property, or found by name.
    expect(await read("2008-01-15", { where: () => sql`"then"."location" = 'Oslo'` })).toEqual(oslo);
    expect(await read("2008-01-15", { where: () => sql`location = 'Oslo'` })).toEqual(oslo);
    expect(await read("2008-01-15", { where: () => sql`${sql.identifier("then")}.${sql.identifier("location")} = 'Oslo'` })).toEqual(oslo);
    expect(names(await read("2008-03-15", { orderBy: (then) => desc(then.vclock) }))).toEqual([
      "tas-5",
      "tas-1",
      "tas-2",
      "tas-4",
      "tas-3",
      "tas-6",
      "tas-7",
    ]);
    const nullsFirst = (then: typeof friend) => [sql`CASE WHEN ${then.location} IS NULL THEN 0 ELSE 1 END`, desc(then.name)];
    expect(names(await read("2008-03-15", { orderBy: nullsFirst }))).toEqual([
      "tas-1",
      "tas-7",
      "tas-6",
      "tas-5",
      "tas-4",
      "tas-3",
      "tas-2",
    ]);
  });

  it("agrees with asOf of each record at every moment, for every filter, order and page", async () => {
    const keys = Object.values(ids).map((id) => ({ id }));
    const cases: [TableAsOfOptions<typeof friend>, Expectation][] = [
      [{}, {}],
      [{ orderBy: (then) => asc(then.location) }, { order: [by("location")] }],
      [
        { orderBy: (then) => desc(then.location), limit: 2, offset: 1 },
        { order: [by("location", "desc")], limit: 2, offset: 1 },
      ],
      [
        { where: (then) => isNotNull(then.location), orderBy: (then) => desc(then.vclock), includeRetired: true },
        { where: (r) => r.location !== null, order: [by("vclock", "desc")], includeRetired: true },
      ],
      [
        { where: (then) => sql`${then.location} < 'M'`, orderBy: (then) => [desc(then.name)], limit: 3 },
        { where: (r) => r.location !== null && (r.location as string) < "M", order: [by("name", "desc")], limit: 3 },
      ],
      [
        { where: () => sql`"then"."location" IN ('Oslo', 'Lima')`, orderBy: (then) => asc(then.location), offset: 1 },
        { where: (r) => r.location === "Oslo" || r.location === "Lima", order: [by("location")], offset: 1 },
      ],
      [
        { includeRetired: true, orderBy: (then) => [desc(then.retired), asc(then.location)], limit: 4, offset: 2 },
        { includeRetired: true, order: [by("retired", "desc"), by("location")], limit: 4, offset: 2 },
      ],
      [
        { where: () => sql`(location IS NULL OR location = 'Accra')`, orderBy: (then) => asc(then.name) },
        { where: (r) => r.location === null || r.location === "Accra", order: [by("name")] },
      ],
    ];
    const moments = ["2007-12-31", "2008-01-01", "2008-01-15", "2008-02-01", "2008-02-15", "2008-03-01", "2008-03-15"];
    for (const at of moments) {
      for (const [options, expectation] of cases) {
        const expected = await fromAsOf(friend, keys, d(at), { ...expectation, keyOrder: [by("id")], untracked: { nickname: null } });
        expect(await read(at, options)).toEqual(expected);
        expect(await read(at, { ...options, count: false })).toEqual({ ...expected, total: null });
      }
    }
  });

  it("with changedSince, agrees with asOf: the records whose version differs between the two moments", async () => {
    const keys = Object.values(ids).map((id) => ({ id }));
    const moments = ["2007-12-31", "2008-01-01", "2008-01-15", "2008-02-01", "2008-03-01", "2008-03-15"];
    for (const at of moments) {
      for (const since of moments) {
        const before = new Map<unknown, number>();
        for (const key of keys) {
          const then = await asOf(t.db, friend, key, { at: d(since) });
          if (then) before.set(key.id, then.vclock);
        }
        for (const includeRetired of [false, true]) {
          const expected = await fromAsOf(friend, keys, d(at), {
            where: (r) => before.get(r.id) !== r.vclock,
            order: [by("location")],
            includeRetired,
            keyOrder: [by("id")],
            untracked: { nickname: null },
          });
          expect(
            await read(at, { changedSince: d(since), orderBy: (then) => asc(then.location), includeRetired }),
            `${since} → ${at}`,
          ).toEqual(expected);
        }
      }
    }
  });

  it("breaks ties by every column of a composite key, in a table whose history is in another schema", async () => {
    const key = (memberId: number, year: number) => ({ memberId, year });
    await step(on("2008-06-01"), async (tx) => {
      await create(tx, enrollment, { ...key(8101, 2025), plan: "silver", premium: "10.00" });
      await create(tx, enrollment, { ...key(8101, 2024), plan: "gold", premium: "10.00" });
      await create(tx, enrollment, { ...key(8102, 2024), plan: "gold", premium: null });
      await create(tx, enrollment, { ...key(8100, 2025), plan: "bronze", premium: "12.50" });
    });
    await step(on("2008-07-01"), (tx) => tick(tx, enrollment, key(8100, 2025), { premium: "10.00" }));
    const mine = (then: typeof enrollment) => sql`${then.memberId} BETWEEN 8100 AND 8102`;
    const read = (at: string, orderBy: (then: typeof enrollment) => SQL | SQL[]) =>
      tableAsOf(t.db, enrollment, d(at), { where: mine, orderBy });
    const keysOf = (result: { rows: { memberId: number; year: number }[] }) => result.rows.map((r) => [r.memberId, r.year]);
    expect(keysOf(await read("2008-06-15", (then) => asc(then.premium)))).toEqual([
      [8101, 2024],
      [8101, 2025],
      [8100, 2025],
      [8102, 2024],
    ]);
    const july = await read("2008-07-15", (then) => [asc(then.premium)]);
    expect(july.rows[0]).toEqual({ ...key(8100, 2025), plan: "bronze", premium: "10.00", vclock: 2, retired: false });
    expect(keysOf(july)).toEqual([
      [8100, 2025],
      [8101, 2024],
      [8101, 2025],
      [8102, 2024],
    ]);
    const keys = [key(8100, 2025), key(8101, 2024), key(8101, 2025), key(8102, 2024)];
    for (const at of ["2008-06-15", "2008-07-15"]) {
      expect(await read(at, (then) => desc(then.plan))).toEqual(
        await fromAsOf(enrollment, keys, d(at), { order: [by("plan", "desc")], keyOrder: [by("memberId"), by("year")] }),
      );
    }
  });

  it("reads a table with many properties, looking up the ones the page does not sort or filter on for its rows only", async () => {
    const keys: Rec[] = [];
    await step(on("2008-08-01"), async (tx) => {
      for (const [label, count] of [
        ["b", 1],
        ["a", 2],
        [null, 2],
      ] as const) {
        keys.push({ id: (await create(tx, sink, { label, count, code: "c" })).id });
      }
    });
    await step(on("2008-09-01"), async (tx) => {
      await tick(tx, sink, keys[0]!.id as string, { label: "c", count: 3, mood: "ok" });
      await retire(tx, sink, keys[2]!.id as string);
    });
    const cases: [TableAsOfOptions<typeof sink>, Expectation][] = [
      [{}, {}],
      [{ orderBy: (then) => desc(then.count) }, { order: [by("count", "desc")] }],
      [
        { where: () => sql`"then"."label" IS NOT NULL`, includeRetired: true },
        { where: (r) => r.label !== null, includeRetired: true },
      ],
      [
        { orderBy: (then) => [asc(then.label), desc(then.count), asc(then.code), asc(then.mood)], includeRetired: true, limit: 2 },
        { order: [by("label"), by("count", "desc"), by("code"), by("mood")], includeRetired: true, limit: 2 },
      ],
    ];
    for (const at of ["2008-08-15", "2008-09-15"]) {
      for (const [options, expectation] of cases) {
        const expected = await fromAsOf(sink, keys, d(at), { ...expectation, keyOrder: [by("id")], untracked: { note: null } });
        expect(await tableAsOf(t.db, sink, d(at), options)).toEqual(expected);
      }
    }
  });
});
