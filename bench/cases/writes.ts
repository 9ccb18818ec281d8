/** Single-row writes: the tick helper, a plain Drizzle update in withActivity, and the same update on a plain table. */
import { eq } from "drizzle-orm";
import { asOf, createMany, tick, timeline, withActivity } from "@temporal-records/drizzle";
import { against, latency, type Ctx } from "../context";
import { item, makeRow, plain } from "../schema";
import { count, timeReps } from "../stats";

const activity = { reason: "Benchmark: single-row write", actor: "bench" };

/** The small table the first latency cases run on, in both the temporal and the plain copy. */
export async function seedSmall(ctx: Ctx): Promise<void> {
  const rows = Array.from({ length: ctx.cfg.small }, (_, i) => makeRow(i + 1));
  await createMany(ctx.db, item, rows, { reason: "Benchmark: small table", actor: "bench" });
  await ctx.db.insert(plain).values(rows);
  ctx.records = rows.length;
  ctx.hot = rows.slice(0, ctx.cfg.hot).map((r) => r.id);
  ctx.moments.push(new Date());
}

/**
 * Untimed writes and reads before anything is measured: PGlite's WebAssembly is
 * compiled lazily and runs about 4x slower for its first ~100 statements; on a server,
 * the first call per connection plans the trigger statements.
 */
export async function warmUp(ctx: Ctx): Promise<void> {
  const key = ctx.records;
  for (let i = 0; i < 100; i++) {
    await tick(ctx.db, item, key, { score: ctx.next() }, { reason: "Benchmark: warm-up", actor: "bench" });
    await asOf(ctx.db, item, key, { vclock: 1 });
    if (i % 10 === 0) await timeline(ctx.db, item, key, { limit: 50 });
    await ctx.db.update(plain).set({ score: ctx.next() }).where(eq(plain.id, key));
  }
}

const randomKey = (ctx: Ctx) => 1 + Math.floor(Math.random() * ctx.records);

/**
 * Single-row latency at the table's current size. `tick` cycles over the hot keys,
 * so after the large-table round each of them has a deep history for the reads.
 */
export async function singleRow(ctx: Ctx): Promise<void> {
  const { db, cfg } = ctx;
  const size = `${count(ctx.records)} records`;
  const reps = cfg.latencyReps;

  const ticks = await timeReps(reps, (i) => tick(db, item, ctx.hot[Math.abs(i) % ctx.hot.length]!, { score: ctx.next() }, activity));
  ctx.moments.push(new Date());
  const helper = latency(ctx, "tick (helper, own activity)", size, ticks, `keys cycle over ${ctx.hot.length} hot records`);

  const updates = await timeReps(reps, () =>
    withActivity(db, activity, (tx) =>
      tx
        .update(item)
        .set({ score: ctx.next() })
        .where(eq(item.id, randomKey(ctx))),
    ),
  );
  const drizzle = latency(ctx, "update in withActivity", size, updates, "Drizzle update by key, random keys");

  const bare = await timeReps(reps, () =>
    db
      .update(plain)
      .set({ score: ctx.next() })
      .where(eq(plain.id, randomKey(ctx))),
  );
  const plainBare = latency(ctx, "plain table: update", size, bare, "no history, autocommit");
  const inTx = await timeReps(reps, () =>
    db.transaction((tx) =>
      tx
        .update(plain)
        .set({ score: ctx.next() })
        .where(eq(plain.id, randomKey(ctx))),
    ),
  );
  const plainTx = latency(ctx, "plain table: update in a transaction", size, inTx, "no history, BEGIN/UPDATE/COMMIT");

  against(ctx, helper, plainBare, "plain UPDATE (autocommit, one round trip)");
  against(ctx, drizzle, plainTx, "plain UPDATE in a transaction");
}
