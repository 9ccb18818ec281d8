/** Reads at scale: per-record reads on hot (deep history) and ordinary keys, table-wide reads, the activity log. */
import { eq, gt, inArray, sql } from "drizzle-orm";
import { asOf, blame, changedIn, changeset, diff, history, listActivities, tableAsOf, timeline } from "@temporal-records/drizzle";
import { against, latency, query, type Ctx } from "../context";
import { item } from "../schema";
import { count, timeReps } from "../stats";

type Sample = { id: number; vclock: number };

/** Half hot keys (deep histories), half random keys, with their current vclock. */
async function sampleKeys(ctx: Ctx, n: number): Promise<Sample[]> {
  const ids = Array.from({ length: n }, (_, i) =>
    i % 2 === 0 ? ctx.hot[i % ctx.hot.length]! : 1 + Math.floor(Math.random() * ctx.records),
  );
  const found = await ctx.db.select({ id: item.id, vclock: item.vclock }).from(item).where(inArray(item.id, ids));
  const byId = new Map(found.map((r) => [r.id, r.vclock]));
  return ids.map((id) => ({ id, vclock: byId.get(id)! }));
}

export async function readCases(ctx: Ctx): Promise<void> {
  const { db, cfg } = ctx;
  // Fresh planner statistics, as autovacuum would have after a bulk load (PGlite has no autovacuum).
  await db.execute(sql`ANALYZE`);
  const size = `${count(ctx.records)} records`;
  const [ticks] = await query(
    db,
    sql`SELECT avg(vclock)::float AS avg, (avg(vclock) FILTER (WHERE id = ANY(${sql.param(ctx.hot)}::int[])))::float AS hot FROM bench_item`,
  );
  const depth = `${Number(ticks!.avg).toFixed(1)} ticks/record, hot keys ${Number(ticks!.hot).toFixed(0)}`;
  const keys = await sampleKeys(ctx, cfg.readReps + 3);
  const key = (i: number) => keys[(i + keys.length) % keys.length]!;
  const moment = (i: number) => ctx.moments[Math.abs(i) % ctx.moments.length]!;
  const mixed = `half hot keys, half random; ${depth}`;

  // The baseline of a one-record read: the current row, by key.
  const currentRow = async () =>
    latency(
      ctx,
      "current row",
      size,
      await timeReps(cfg.readReps, (i) =>
        db
          .select()
          .from(item)
          .where(eq(item.id, key(i).id)),
      ),
    );
  const asOfVclock = latency(
    ctx,
    "asOf { vclock }",
    size,
    await timeReps(cfg.readReps, (i) => asOf(db, item, key(i).id, { vclock: Math.max(1, key(i).vclock >> 1) })),
    mixed,
  );
  against(ctx, asOfVclock, await currentRow(), "SELECT the current row");
  const asOfAt = latency(
    ctx,
    "asOf { at }",
    size,
    await timeReps(cfg.readReps, (i) => asOf(db, item, key(i).id, { at: moment(i) })),
    mixed,
  );
  against(ctx, asOfAt, await currentRow(), "SELECT the current row");
  latency(
    ctx,
    "history (limit 50)",
    size,
    await timeReps(cfg.readReps, (i) => history(db, item, key(i).id, "score", { limit: 50 })),
    mixed,
  );
  latency(ctx, "timeline (limit 50)", size, await timeReps(cfg.readReps, (i) => timeline(db, item, key(i).id, { limit: 50 })), mixed);
  latency(
    ctx,
    "diff (vclock 1 → now)",
    size,
    await timeReps(cfg.readReps, (i) => diff(db, item, key(i).id, { vclock: 1 }, { at: new Date() })),
    mixed,
  );
  latency(ctx, "blame", size, await timeReps(cfg.readReps, (i) => blame(db, item, key(i).id)), mixed);

  const heavy = cfg.heavyReadReps;
  const late = ctx.moments[ctx.moments.length - 1]!;
  let total: number | null = 0;
  const page = await timeReps(
    heavy,
    async () => {
      total = (await tableAsOf(db, item, late, { limit: 50 })).total;
    },
    1,
  );
  latency(ctx, "tableAsOf (first 50)", size, page, `total ${total} (counted)`);
  const filtered = await timeReps(
    heavy,
    async () => {
      total = (await tableAsOf(db, item, late, { limit: 50, where: (t) => eq(t.status, "gold") })).total;
    },
    1,
  );
  latency(ctx, "tableAsOf (where status, 50)", size, filtered, `total ${total} (counted)`);
  // Without the count, a page in key order reads only its own records.
  const early = ctx.moments[Math.floor(ctx.moments.length / 2)]!;
  const offsets = Array.from({ length: cfg.readReps + 10 }, () => 50 * Math.floor(Math.random() * 100));
  const pageThen = latency(
    ctx,
    "tableAsOf (page of 50, no count)",
    size,
    await timeReps(cfg.readReps, (i) => tableAsOf(db, item, early, { limit: 50, offset: offsets[Math.abs(i)]!, count: false })),
    "key order, a random page among the first 100",
  );
  const pageNow = latency(
    ctx,
    "current page",
    size,
    await timeReps(cfg.readReps, (i) => db.select().from(item).orderBy(item.id).limit(51).offset(offsets[Math.abs(i)]!)),
  );
  against(ctx, pageThen, pageNow, "the same page of current rows");
  // Keyset pages (after the previous page's last key) cost what the first page does, anywhere in the table.
  const afters = Array.from({ length: cfg.readReps + 10 }, () => Math.floor(Math.random() * (ctx.records - 100)));
  const keysetThen = latency(
    ctx,
    "tableAsOf (keyset page of 50)",
    size,
    await timeReps(cfg.readReps, (i) => tableAsOf(db, item, early, { limit: 50, after: afters[Math.abs(i)]!, count: false })),
    "after a random key anywhere in the table, no count",
  );
  const keysetNow = latency(
    ctx,
    "current keyset page",
    size,
    await timeReps(cfg.readReps, (i) =>
      db
        .select()
        .from(item)
        .where(gt(item.id, afters[Math.abs(i)]!))
        .orderBy(item.id)
        .limit(51),
    ),
  );
  against(ctx, keysetThen, keysetNow, "the same page of current rows");
  latency(
    ctx,
    "tableAsOf (where status, 50, no count)",
    size,
    await timeReps(cfg.readReps, () => tableAsOf(db, item, early, { limit: 50, where: (t) => eq(t.status, "gold"), count: false })),
    "key order, first page",
  );

  let found = 0;
  const day = await timeReps(
    heavy,
    async () => {
      found = (await changedIn(db, item, "score", { from: new Date(Date.now() - 86_400_000), to: new Date() })).length;
    },
    1,
  );
  latency(ctx, "changedIn (one day)", size, day, `${found} changes returned (default limit 10,000)`);

  let entries = 0;
  const bulk = await timeReps(
    heavy,
    async () => {
      entries = (await changeset(db, ctx.bulkActivity!, { tables: [item], limit: 1000 })).entries.length;
    },
    1,
  );
  latency(ctx, "changeset of a bulk activity", size, bulk, `${entries} entries of the largest bulk UPDATE`);

  latency(
    ctx,
    "listActivities (limit 50)",
    size,
    await timeReps(cfg.readReps, () => listActivities(db, { limit: 50 }, { tables: [item] })),
  );
}
