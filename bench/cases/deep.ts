/**
 * One record with a deep history (issue workload 5: an entity with 10,000 ticks): the
 * per-record reads must stay index lookups, not scans of every version of the record.
 */
import { eq, sql } from "drizzle-orm";
import { asOf, blame, createMany, diff, history, tick, timeline } from "@temporal-records/drizzle";
import { against, latency, type Ctx } from "../context";
import { item, makeRow } from "../schema";
import { timeReps } from "../stats";

export const DEEP_ID = 5_000_000;

export async function deepCases(ctx: Ctx): Promise<void> {
  const { db, cfg } = ctx;
  const ticks = cfg.name === "quick" ? 1_000 : 10_000;
  await createMany(db, item, [makeRow(DEEP_ID)], { reason: "Benchmark: deep history", actor: "bench" });
  const moments: Date[] = [];
  for (let i = 0; i < ticks; i++) {
    await tick(db, item, DEEP_ID, { score: ctx.next() }, { reason: "Benchmark: deep history", actor: "bench" });
    if (i % 100 === 0) moments.push(new Date());
  }
  // Fresh planner statistics, as autovacuum would have after this many writes.
  await db.execute(sql`ANALYZE`);
  const size = `1 record, ${ticks.toLocaleString("en-US")} ticks`;
  const version = () => 1 + Math.floor(Math.random() * ticks);
  const moment = (i: number) => moments[Math.abs(i) % moments.length]!;
  const current = latency(
    ctx,
    "current row (deep)",
    size,
    await timeReps(cfg.readReps, () => db.select().from(item).where(eq(item.id, DEEP_ID))),
  );
  const byVersion = latency(
    ctx,
    "deep: asOf { vclock }",
    size,
    await timeReps(cfg.readReps, () => asOf(db, item, DEEP_ID, { vclock: version() })),
  );
  against(ctx, byVersion, current, "SELECT the current row");
  const byTime = latency(ctx, "deep: asOf { at }", size, await timeReps(cfg.readReps, (i) => asOf(db, item, DEEP_ID, { at: moment(i) })));
  against(ctx, byTime, current, "SELECT the current row");
  latency(ctx, "deep: history (first 50)", size, await timeReps(cfg.readReps, () => history(db, item, DEEP_ID, "score", { limit: 50 })));
  latency(ctx, "deep: timeline (first 50)", size, await timeReps(cfg.readReps, () => timeline(db, item, DEEP_ID, { limit: 50 })));
  latency(ctx, "deep: blame", size, await timeReps(cfg.readReps, () => blame(db, item, DEEP_ID)));
  latency(
    ctx,
    "deep: diff (two random versions)",
    size,
    await timeReps(cfg.readReps, () => diff(db, item, DEEP_ID, { vclock: version() }, { vclock: version() })),
  );
}
