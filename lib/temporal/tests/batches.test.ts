/**
 * Keyset batches for exports: activityBatches and timelineBatches read the same rows as
 * paging listActivities / timeline by hand, in batches of at most batchSize, and a
 * recordedBefore bound keeps out everything written after it, back-dated or not.
 */
import { beforeAll, describe, expect, it } from "vitest";
import {
  activityBatches,
  create,
  InvalidArgumentError,
  listActivities,
  tick,
  timeline,
  timelineBatches,
  type ActivitySummary,
  type TimelineEntry,
} from "../index";
import { friend } from "./fixtures";
import { librarySchema, withTestDb } from "./harness";

const t = withTestDb(librarySchema);
let tid = 0;
/** A moment between the first writes and the later, back-dated ones. */
let bound: Date;
const on = (day: string) => new Date(`2003-${day}T09:00:00Z`);
const later = () => new Promise((resolve) => setTimeout(resolve, 5));

async function collect<T>(batches: AsyncIterable<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const batch of batches) out.push(batch);
  return out;
}

beforeAll(async () => {
  tid = (await create(t.db, friend, { name: "Batch", location: "L1" }, { reason: "Met Batch", actor: "ann", at: on("01-01") })).id;
  for (let i = 2; i <= 5; i += 1) {
    await tick(t.db, friend, tid, { location: `L${i}` }, { reason: `Move ${i}`, actor: i % 2 ? "ann" : "bo", at: on(`0${i}-01`) });
  }
  await later();
  bound = new Date();
  await later();
  // Written after the bound, but about a moment before it: a bound on `at` would let these in.
  await tick(t.db, friend, tid, { location: "L6" }, { reason: "Move 6 (back-dated)", actor: "ann", at: on("06-01") });
  await create(t.db, friend, { name: "Late", location: "Lx" }, { reason: "Met Late (back-dated)", actor: "bo", at: on("01-15") });
});

const reasons = (batches: ActivitySummary[][]) => batches.map((b) => b.map((a) => a.reason));
const vclocks = (batches: TimelineEntry[][]) => batches.map((b) => b.map((e) => e.vclock));

describe("activityBatches", () => {
  it("reads the whole filtered log newest first, in batches of at most batchSize", async () => {
    const batches = await collect(activityBatches(t.db, {}, { batchSize: 3 }));
    expect(reasons(batches)).toEqual([
      ["Met Late (back-dated)", "Move 6 (back-dated)", "Move 5"],
      ["Move 4", "Move 3", "Move 2"],
      ["Met Batch"],
    ]);
    // The same rows, tick counts included, as one page of listActivities.
    expect(batches.flat()).toEqual((await listActivities(t.db, { limit: 1000 })).items);
    expect(reasons(await collect(activityBatches(t.db, { actor: "bo" }, { batchSize: 1 })))).toEqual([
      ["Met Late (back-dated)"],
      ["Move 4"],
      ["Move 2"],
    ]);
  });

  it("leaves out activities recorded at or after recordedBefore, though their moment is earlier", async () => {
    const batches = await collect(activityBatches(t.db, { recordedBefore: bound }, { batchSize: 2 }));
    expect(reasons(batches)).toEqual([["Move 5", "Move 4"], ["Move 3", "Move 2"], ["Met Batch"]]);
    expect((await listActivities(t.db, { recordedBefore: bound, from: on("01-10") })).items.map((a) => a.reason)).toEqual([
      "Move 5",
      "Move 4",
      "Move 3",
      "Move 2",
    ]);
  });

  it("yields nothing for an empty listing; a row written while it reads is newer than its cursor, so never read, and none twice", async () => {
    expect(await collect(activityBatches(t.db, { actor: "nobody" }))).toEqual([]);
    const seen: string[] = [];
    let inserted = false;
    for await (const batch of activityBatches(t.db, {}, { batchSize: 2 })) {
      seen.push(...batch.map((a) => a.id));
      if (!inserted) {
        inserted = true;
        await create(t.db, friend, { name: "Mid", location: "Lm" }, { reason: "Written while reading", actor: "cy" });
      }
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect((await listActivities(t.db, { actor: "cy" })).items).toHaveLength(1);
  });

  it("checks batchSize before any query, and listActivities takes limits up to 1000", async () => {
    for (const batchSize of [0, 1001, 2.5]) {
      expect(() => activityBatches(t.db, {}, { batchSize })).toThrow(InvalidArgumentError);
      expect(() => timelineBatches(t.db, friend, tid, { batchSize })).toThrow(InvalidArgumentError);
    }
    await expect(listActivities(t.db, { limit: 1001 })).rejects.toThrow("limit must be a whole number from 1 to 1000.");
    expect((await listActivities(t.db, { limit: 1000 })).items.length).toBeGreaterThan(0);
  });
});

describe("timelineBatches", () => {
  it("reads every tick of a record newest first, in batches, as timeline pages them", async () => {
    const batches = await collect(timelineBatches(t.db, friend, tid, { batchSize: 3 }));
    expect(vclocks(batches)).toEqual([
      [6, 5, 4],
      [3, 2, 1],
    ]);
    expect(batches.flat()).toEqual((await timeline(t.db, friend, tid, { limit: 1000 })).items);
    expect(batches[1]![2]!.changes).toEqual([
      { property: "name", before: undefined, after: "Batch" },
      { property: "location", before: undefined, after: "L1" },
      { property: "retired", before: undefined, after: false },
    ]);
  });

  it("leaves out ticks recorded at or after recordedBefore (timeline takes the same bound)", async () => {
    expect(vclocks(await collect(timelineBatches(t.db, friend, tid, { recordedBefore: bound, batchSize: 2 })))).toEqual([
      [5, 4],
      [3, 2],
      [1],
    ]);
    const page = await timeline(t.db, friend, tid, { recordedBefore: bound, limit: 2, cursor: 5 });
    expect(page.items.map((e) => e.vclock)).toEqual([4, 3]);
    expect(page.nextCursor).toBe(3);
    expect(await collect(timelineBatches(t.db, friend, tid, { recordedBefore: on("01-01") }))).toEqual([]);
    await expect(timeline(t.db, friend, tid, { recordedBefore: new Date("nope") })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
