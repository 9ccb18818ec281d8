/**
 * The peer comparison, exactly (issue workload 6), which is also workload 1 (10,000
 * single ticks over 1,000 entities, one connection) and workload 2 (a tick of five
 * properties), each beside the same work on a plain table with no history.
 *  W1: create 1,000 friends (name and location tracked), one activity each;
 *  W2: for each friend, 10 sequential ticks of location, each its own transaction and activity;
 *  W3: 1,000 random as-of reads by (entity, vclock) and by (entity, timestamp).
 */
import { eq } from "drizzle-orm";
import { asOf, create, tick } from "@temporal-records/drizzle";
import { against, latency, type Ctx } from "../context";
import { friendBench, friendPlain, wide, widePlain } from "../schema";
import { timeReps } from "../stats";

const FRIENDS = 1_000;
const TICKS_EACH = 10;
const READS = 1_000;

/** Runs `fn` for each i in order, with no warm-up (each workload runs once, as specified); returns each call's ms. */
const each = (n: number, fn: (i: number) => Promise<unknown>) => timeReps(n, fn, 0);

const total = (times: number[]) => times.reduce((sum, t) => sum + t, 0);
const opsPerSecond = (times: number[]) => (times.length / total(times)) * 1000;

/** One figure beside its baseline (same run, same connection), with the ratio of their mean times per operation. */
function compare(ctx: Ctx, name: string, size: string, temporal: number[], plain: number[], baseline: string) {
  const result = latency(ctx, name, size, temporal, `${Math.round(opsPerSecond(temporal)).toLocaleString("en-US")} ops/s`);
  // The ratio of the whole workload's time (of means), not of medians.
  return against(ctx, result, latency(ctx, baseline, size, plain), baseline, total(temporal) / total(plain));
}

export async function peerCases(ctx: Ctx): Promise<void> {
  const { db } = ctx;
  const size = `${FRIENDS.toLocaleString("en-US")} friends`;
  const activity = (reason: string) => ({ reason, actor: "bench" });

  // Warm both paths up on rows outside the measured range (plans, caches, connections).
  for (let i = 0; i < 50; i++) {
    const id = 1_000_000 + i;
    await create(db, friendBench, { id, name: `Warm ${i}`, location: "Nowhere" }, activity("warm-up"));
    await tick(db, friendBench, id, { location: `Somewhere ${i}` }, activity("warm-up"));
    await asOf(db, friendBench, id, { vclock: 1 });
    await db.insert(friendPlain).values({ id, name: `Warm ${i}`, location: "Nowhere" });
    await db.transaction((tx) =>
      tx
        .update(friendPlain)
        .set({ location: `Somewhere ${i}` })
        .where(eq(friendPlain.id, id)),
    );
    await db.select().from(friendPlain).where(eq(friendPlain.id, id));
  }

  // W1: one create per activity, against one INSERT per transaction.
  const w1 = await each(FRIENDS, (i) =>
    create(db, friendBench, { id: i + 1, name: `Friend ${i + 1}`, location: "New York" }, activity(`Met friend ${i + 1}`)),
  );
  const w1Plain = await each(FRIENDS, (i) =>
    db.transaction((tx) => tx.insert(friendPlain).values({ id: i + 1, name: `Friend ${i + 1}`, location: "New York" })),
  );
  compare(ctx, "W1 create (own activity)", size, w1, w1Plain, "INSERT in a transaction");

  // W2: entity by entity, ten sequential ticks of location, each its own activity and transaction.
  const moments: { id: number; vclock: number; at: Date }[] = [];
  const w2 = await each(FRIENDS * TICKS_EACH, async (i) => {
    const id = Math.floor(i / TICKS_EACH) + 1;
    const done = await tick(db, friendBench, id, { location: `City ${i}` }, activity(`Moved to City ${i}`));
    if (i % 10 === 3) moments.push({ id, vclock: done.vclock, at: new Date() });
  });
  const w2Plain = await each(FRIENDS * TICKS_EACH, (i) =>
    db.transaction((tx) =>
      tx
        .update(friendPlain)
        .set({ location: `City ${i}` })
        .where(eq(friendPlain.id, Math.floor(i / TICKS_EACH) + 1)),
    ),
  );
  const autocommit = await each(FRIENDS * TICKS_EACH, (i) =>
    db
      .update(friendPlain)
      .set({ location: `Town ${i}` })
      .where(eq(friendPlain.id, Math.floor(i / TICKS_EACH) + 1)),
  );
  const ticks = `${(FRIENDS * TICKS_EACH).toLocaleString("en-US")} ticks`;
  compare(ctx, "W2 tick of one property (own activity)", ticks, w2, autocommit, "plain UPDATE (autocommit, one round trip)");
  compare(ctx, "W2 tick, against a transaction", ticks, w2, w2Plain, "plain UPDATE in a transaction");

  // W3: random as-of reads of the ticked friends, by version and by time, against reading the current row.
  const pick = () => moments[Math.floor(Math.random() * moments.length)]!;
  const byVclock = await each(READS, () => {
    const m = pick();
    return asOf(db, friendBench, m.id, { vclock: m.vclock });
  });
  const byTime = await each(READS, () => {
    const m = pick();
    return asOf(db, friendBench, m.id, { at: m.at });
  });
  const current = await each(READS, () => db.select().from(friendPlain).where(eq(friendPlain.id, pick().id)));
  compare(ctx, "W3 asOf { vclock }", `${READS} reads`, byVclock, current, "SELECT the current row");
  compare(ctx, "W3 asOf { at }", `${READS} reads`, byTime, current, "SELECT the current row");

  // Workload 2: one tick that changes five tracked properties, against a plain UPDATE of the five columns.
  for (let id = 1; id <= 100; id++) {
    const row = { id, a: "a", b: "b", c: 0, d: 0, e: "e" };
    await create(db, wide, row, activity("wide row"));
    await db.insert(widePlain).values(row);
  }
  const five = (i: number) => ({ a: `a${i}`, b: `b${i}`, c: i, d: -i, e: `e${i}` });
  const wideTicks = await each(2_000, (i) => tick(db, wide, (i % 100) + 1, five(i), activity("five at once")));
  const widePlainTimes = await each(2_000, (i) =>
    db.transaction((tx) =>
      tx
        .update(widePlain)
        .set(five(i))
        .where(eq(widePlain.id, (i % 100) + 1)),
    ),
  );
  compare(ctx, "tick of five properties", "2,000 ticks", wideTicks, widePlainTimes, "UPDATE of 5 columns in a transaction");
}
