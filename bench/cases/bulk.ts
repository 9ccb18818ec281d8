/** Set-based writes: createMany, UPDATE ... WHERE over many rows in one activity, and tickMany; with peak RSS. */
import { spawnSync } from "node:child_process";
import { and, gte, lte, sql } from "drizzle-orm";
import { createMany, tickMany, withActivity, type TickManyEntry } from "@/lib/temporal";
import { against, rate, value, type Ctx } from "../context";
import { item, makeRow, plain } from "../schema";
import { MB, count, rssSampler, timeOnce } from "../stats";

/** Runs a phase with an RSS sampler and records its peak. */
async function withPeak(ctx: Ctx, phase: string, fn: () => Promise<void>): Promise<void> {
  const before = process.memoryUsage.rss();
  const sampler = rssSampler();
  ctx.sample = sampler.sample;
  try {
    await fn();
  } finally {
    ctx.sample = () => {};
  }
  const peak = sampler.stop();
  value(ctx, "peak RSS (bench process)", phase, "MB", peak / MB, `+${Math.round((peak - before) / MB)} MB over the phase start`);
}

/**
 * Workload 3's memory bound: tickMany of the largest bulk size in a fresh Node process
 * (bench/memory.ts), so earlier phases' heap is not counted. Postgres only.
 */
function tickManyAlone(ctx: Ctx): void {
  if (!ctx.url) return;
  const rows = Math.min(Math.max(...ctx.cfg.bulk.map((b) => b.rows)), ctx.records);
  const child = spawnSync("node_modules/.bin/tsx", ["bench/memory.ts", ctx.url, "1", String(rows)], { encoding: "utf8" });
  if (child.status !== 0) throw new Error(`bench/memory.ts failed: ${child.stderr}`);
  const run = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as { peakMB: number; startMB: number; ms: number; changed: number };
  if (run.changed !== rows) throw new Error(`tickMany in a fresh process changed ${run.changed} of ${rows} rows.`);
  const seconds = (run.ms / 1000).toFixed(1);
  value(
    ctx,
    "peak RSS (node process)",
    `tickMany ${count(rows)}`,
    "MB",
    run.peakMB,
    `a fresh process: ${Math.round(run.startMB)} MB before, tickMany took ${seconds} s`,
  );
}

/** createMany at each configured size (appended to the table), and the same rows inserted into the plain table. */
export async function createCases(ctx: Ctx): Promise<void> {
  await withPeak(ctx, "createMany", async () => {
    for (const size of ctx.cfg.createMany) {
      const rows = Array.from({ length: size }, (_, i) => makeRow(ctx.records + i + 1));
      const temporal = await timeOnce(() => createMany(ctx.db, item, rows, { reason: "Benchmark: createMany", actor: "bench" }));
      ctx.sample();
      const bare = await timeOnce(async () => {
        // The same chunking createMany uses (30,000 parameters per INSERT), in one transaction.
        const chunk = Math.floor(30_000 / 5);
        await ctx.db.transaction(async (tx) => {
          for (let i = 0; i < rows.length; i += chunk) {
            await tx
              .insert(plain)
              .values(rows.slice(i, i + chunk))
              .returning();
          }
        });
      });
      ctx.sample();
      ctx.records += size;
      const label = count(size);
      const a = rate(ctx, "createMany", label, size, [temporal.ms], `one activity; table now ${count(ctx.records)}`);
      const b = rate(ctx, "plain table: insert", label, size, [bare.ms], "same rows and chunks, RETURNING *");
      against(ctx, a, b, "plain multi-row INSERT");
    }
  });
  ctx.moments.push(new Date());
}

function range(ctx: Ctx, rows: number, rep: number): [number, number] {
  const span = Math.max(1, ctx.records - rows + 1);
  const lo = 1 + ((rep * rows) % span);
  return [lo, lo + rows - 1];
}

/** Bulk UPDATE ... WHERE in one activity vs. the plain table, and tickMany, at each configured size. */
export async function bulkCases(ctx: Ctx): Promise<void> {
  await withPeak(ctx, "bulk UPDATE + tickMany", async () => {
    for (const bulk of ctx.cfg.bulk) {
      const { reps } = bulk;
      const rows = Math.min(bulk.rows, ctx.records);
      const label = count(rows);
      const temporal: number[] = [];
      const bare: number[] = [];
      const many: number[] = [];
      const manyBare: number[] = [];
      for (let rep = 0; rep < reps; rep++) {
        const [lo, hi] = range(ctx, rows, rep);
        const t = await timeOnce(() =>
          withActivity(ctx.db, { reason: `Benchmark: bulk update of ${label}`, actor: "bench" }, async (tx, act) => {
            await tx
              .update(item)
              .set({ score: sql`${item.score} + 1` })
              .where(and(gte(item.id, lo), lte(item.id, hi)));
            return act.id;
          }),
        );
        ctx.sample();
        temporal.push(t.ms);
        ctx.bulkActivity = t.value;
        ctx.moments.push(new Date());

        const p = await timeOnce(() =>
          ctx.db.transaction((tx) =>
            tx
              .update(plain)
              .set({ score: sql`${plain.score} + 1` })
              .where(and(gte(plain.id, lo), lte(plain.id, hi))),
          ),
        );
        ctx.sample();
        bare.push(p.ms);

        const entries: TickManyEntry<typeof item>[] = [];
        for (let id = lo; id <= hi; id++) entries.push({ key: id, changes: { score: ctx.next() } });
        const m = await timeOnce(() => tickMany(ctx.db, item, entries, { reason: `Benchmark: tickMany of ${label}`, actor: "bench" }));
        ctx.sample();
        many.push(m.ms);
        ctx.moments.push(new Date());

        // The same new values in one plain set-based UPDATE ... FROM (the rows as arrays, unnested).
        const ids = entries.map((e) => e.key as number);
        const scores = entries.map((e) => e.changes.score as number);
        const s = await timeOnce(() =>
          ctx.db.execute(
            sql`UPDATE ${plain} AS p SET "score" = v."score"
                  FROM (SELECT unnest(${sql.param(ids)}::int[]) AS "id", unnest(${sql.param(scores)}::int[]) AS "score") v
                 WHERE p."id" = v."id"`,
          ),
        );
        ctx.sample();
        manyBare.push(s.ms);
      }
      const a = rate(ctx, "bulk UPDATE ... WHERE", label, rows, temporal, "one activity, SET score = score + 1");
      const b = rate(ctx, "plain table: bulk UPDATE", label, rows, bare, "same statement, in a transaction");
      against(ctx, a, b, "same UPDATE on the plain table");
      const c = rate(ctx, "tickMany", label, rows, many, "one activity, a new score per row");
      const d = rate(ctx, "plain table: UPDATE ... FROM", label, rows, manyBare, "same values, one statement");
      against(ctx, c, d, "plain set-based UPDATE ... FROM (unnest)");
    }
  });
  tickManyAlone(ctx);
}
