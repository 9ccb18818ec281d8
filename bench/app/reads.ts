/**
 * Workload 5 on the app's data set (100,000 members, 2,000,000 history rows): one-record reads
 * against reading the current row, the deep member's history and timeline, and a page of the
 * table as it was, sorted by a column, against the same page of current rows, and sorted by a sortable property
 * (read from its sort index) against the same page read without the index.
 */
import { asc, desc, eq, sql, type SQL } from "drizzle-orm";
import { member } from "@/db/schema";
import { asOf, blame, history, tableAsOf, timeline, type TemporalDb } from "@temporal-records/drizzle";
import { against, latency, type Sink } from "../context";
import { plansOf, type Plan } from "../plans";
import { timeReps } from "../stats";
import type { AppData } from "./data";

export async function appReads(sink: Sink, db: TemporalDb, data: AppData, reps: number, heavyReps: number): Promise<void> {
  const size = `${Math.round(data.members / 1000)}k members, ${(data.historyCount / 1e6).toFixed(2)}M history rows`;
  const someone = () => data.firstId + Math.floor(Math.random() * (data.lastId - data.firstId + 1));
  const moment = (i: number) => data.moments[1 + (Math.abs(i) % (data.moments.length - 1))] ?? data.moments[0]!;

  const current = latency(sink, "current row", size, await timeReps(reps, () => db.select().from(member).where(eq(member.id, someone()))));
  const byVersion = latency(
    sink,
    "asOf { vclock }",
    size,
    await timeReps(reps, () => asOf(db, member, someone(), { vclock: 1 + Math.floor(Math.random() * data.vclock) })),
    `a random member, a random version of ${data.vclock}`,
  );
  against(sink, byVersion, current, "SELECT the current row");
  const byTime = latency(
    sink,
    "asOf { at }",
    size,
    await timeReps(reps, (i) => asOf(db, member, someone(), { at: moment(i) })),
    "a random member, a moment between two bulk rounds",
  );
  against(sink, byTime, current, "SELECT the current row");

  const deep = `member with ${data.deepTicks.toLocaleString("en-US")} ticks`;
  latency(sink, "history (first 50)", deep, await timeReps(reps, () => history(db, member, data.deepId, "premium", { limit: 50 })));
  latency(
    sink,
    "history (a page deep in the past)",
    deep,
    await timeReps(reps, () =>
      history(db, member, data.deepId, "premium", { limit: 50, cursor: 2 + Math.floor(Math.random() * data.deepTicks) }),
    ),
    "cursor at a random version",
  );
  latency(sink, "timeline (first 50)", deep, await timeReps(reps, () => timeline(db, member, data.deepId, { limit: 50 })));
  latency(sink, "blame", deep, await timeReps(reps, () => blame(db, member, data.deepId)));
  const deepAt = latency(
    sink,
    "asOf { at } (deep member)",
    deep,
    await timeReps(reps, (i) => asOf(db, member, data.deepId, { at: moment(i) })),
  );
  const deepCurrent = latency(
    sink,
    "current row (deep)",
    deep,
    await timeReps(reps, () => db.select().from(member).where(eq(member.id, data.deepId))),
  );
  against(sink, deepAt, deepCurrent, "SELECT the current row");

  // A page of 50 sorted by a column: the table as it was at a moment between rounds, against the table now.
  const pages = Math.floor(data.members / 50);
  const offset = () => 50 * Math.floor(Math.random() * Math.min(100, pages));
  const currentPage = latency(
    sink,
    "current page (sorted by name)",
    size,
    await timeReps(reps, () => db.select().from(member).orderBy(asc(member.fullName), asc(member.id)).limit(50).offset(offset())),
  );
  const sorted = latency(
    sink,
    "tableAsOf (page of 50 sorted by name)",
    size,
    await timeReps(
      heavyReps,
      (i) => tableAsOf(db, member, moment(i), { orderBy: (t) => [asc(t.fullName), asc(t.id)], limit: 50, offset: offset(), count: false }),
      2,
    ),
    "a random page among the first 100, no count",
  );
  against(sink, sorted, currentPage, "the same page of current rows");
  const keyset = latency(
    sink,
    "tableAsOf (keyset page of 50)",
    size,
    await timeReps(reps, (i) => tableAsOf(db, member, moment(i), { after: someone(), limit: 50, count: false })),
    "key order, after a random member",
  );
  against(sink, keyset, currentPage, "the same page of current rows");
  await sortedReads(sink, db, data, heavyReps, size);
}

/**
 * Issue 12, item 3: the first page and a deep one (offset 2,500) of the table as of a moment sorted by a sortable
 * property (fullName: a sort index in its history table), both ways, against the same page read without the index:
 * the same order written `asc nulls last` / `desc nulls first` (what asc and desc mean), which tableAsOf does not
 * read from the index, so it takes the plan every unindexed property takes.
 */
async function sortedReads(sink: Sink, db: TemporalDb, data: AppData, reps: number, size: string): Promise<void> {
  const moment = (i: number) => data.moments[1 + (Math.abs(i) % (data.moments.length - 1))] ?? data.moments[0]!;
  const cases: [string, (t: typeof member) => SQL, (t: typeof member) => SQL, number][] = [
    ["first page", (t) => asc(t.fullName), (t) => sql`${t.fullName} asc nulls last`, 0],
    ["offset 2,500", (t) => asc(t.fullName), (t) => sql`${t.fullName} asc nulls last`, 2_500],
    ["descending, first page", (t) => desc(t.fullName), (t) => sql`${t.fullName} desc nulls first`, 0],
    ["descending, offset 2,500", (t) => desc(t.fullName), (t) => sql`${t.fullName} desc nulls first`, 2_500],
  ];
  for (const [what, indexed, unindexed, offset] of cases) {
    const read = (orderBy: (t: typeof member) => SQL) => (i: number) =>
      tableAsOf(db, member, moment(i), { orderBy, limit: 50, offset, count: false });
    const times = await timeReps(reps * 5, read(indexed), 3);
    const fast = latency(sink, `tableAsOf sorted by a sortable property: ${what}`, size, times, "fullName, page of 50, no count");
    const slow = latency(sink, "the same page without the index", size, await timeReps(reps, read(unindexed), 2));
    against(sink, fast, slow, "the same page without the sort index");
  }
  // The app's past table view counts every match (its pager shows the total): the count reads the retired flags only.
  latency(
    sink,
    "tableAsOf sorted by a sortable property: first page, counted",
    size,
    await timeReps(reps, (i) => tableAsOf(db, member, moment(i), { orderBy: (t) => asc(t.fullName), limit: 50 }), 2),
    "as the app's past table view reads it",
  );
}

/** The plans of the reads above on the app's data set (Postgres). */
export function appPlans(db: TemporalDb, data: AppData): Promise<Plan[]> {
  const id = data.firstId + Math.floor((data.lastId - data.firstId) / 2);
  const at = data.moments[Math.floor(data.moments.length / 2)]!;
  return plansOf(db, [
    [`asOf(member, ${id}, { vclock: ${data.vclock >> 1} })`, () => asOf(db, member, id, { vclock: data.vclock >> 1 })],
    [`asOf(member, ${id}, { at })`, () => asOf(db, member, id, { at })],
    [`history(member, ${data.deepId}, "premium", { limit: 50 })`, () => history(db, member, data.deepId, "premium", { limit: 50 })],
    [
      "tableAsOf(member, at, { orderBy: fullName, id; limit: 50, count: false })",
      () => tableAsOf(db, member, at, { orderBy: (t) => [asc(t.fullName), asc(t.id)], limit: 50, count: false }),
    ],
    [
      "tableAsOf(member, at, { orderBy: desc(fullName); limit: 50, offset: 2500, count: false }) (sort index)",
      () => tableAsOf(db, member, at, { orderBy: (t) => desc(t.fullName), limit: 50, offset: 2_500, count: false }),
    ],
    [
      "tableAsOf(member, at, { orderBy: fullName desc nulls first; limit: 50, offset: 2500, count: false }) (no index)",
      () => tableAsOf(db, member, at, { orderBy: (t) => sql`${t.fullName} desc nulls first`, limit: 50, offset: 2_500, count: false }),
    ],
  ]);
}
