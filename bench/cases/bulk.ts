/** Set-based writes: createMany, UPDATE ... WHERE over many rows in one activity, and tickMany; with peak RSS. */
import { spawnSync } from "node:child_process";
import { and, gte, lte, sql } from "drizzle-orm";
import { createMany, tickMany, withActivity, type TickManyEntry } from "@temporal-records/drizzle";
import { against, latency, query, rate, value, type Ctx } from "../context";
import { item, makeRow, plain } from "../schema";
import { MB, count, rssSampler, timeOnce, timeReps } from "../stats";

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
  await floorCases(ctx);
}

/**
 * The floor under one tick (workload 1): the same writes as the capture triggers make (an
 * activity row, the entity row, a clock row, closing and opening a history row) in one
 * PL/pgSQL call, one round trip, on the floor tables of floorCases; against the plain
 * autocommit UPDATE of workload 1. (The copies have no foreign key to the activity: a
 * floor, slightly below what any capture could cost.)
 */
async function singleTickFloor(ctx: Ctx): Promise<void> {
  await ctx.db.execute(
    sql.raw(`CREATE FUNCTION bench_floor_tick(k int, s int) RETURNS void LANGUAGE plpgsql AS $$
DECLARE a bigint; v int; ts timestamptz := clock_timestamp();
BEGIN
  INSERT INTO temporal_activity (reason, actor, at, recorded_at, txid) VALUES ('Benchmark: floor of a tick', 'bench', ts, ts, txid_current()) RETURNING id INTO a;
  PERFORM set_config('temporal.ticked', ',' || a || ',', true);
  UPDATE bench_floor_entity SET score = s, vclock = vclock + 1 WHERE id = k RETURNING vclock INTO v;
  INSERT INTO bench_floor_clock VALUES (k, v, ts, a);
  UPDATE bench_floor_history SET vclock = int4range(lower(vclock), v), effective = tstzrange(lower(effective), ts) WHERE bench_item_id = k AND upper_inf(vclock);
  INSERT INTO bench_floor_history VALUES (k, s, int4range(v, NULL), tstzrange(ts, NULL));
END $$`),
  );
  const keys = Math.min(1_000, ctx.records);
  const reps = ctx.cfg.latencyReps * 5;
  const floor = latency(
    ctx,
    "floor: a tick's writes in one call",
    `${count(keys)} records`,
    await timeReps(reps, (i) => ctx.db.execute(sql`SELECT bench_floor_tick(${1 + (Math.abs(i) % keys)}, ${ctx.next()})`)),
    "activity, entity, clock, close + open history; one PL/pgSQL call, no triggers",
  );
  const bare = latency(
    ctx,
    "plain table: UPDATE (floor)",
    `${count(keys)} records`,
    await timeReps(reps, (i) => ctx.db.execute(sql`UPDATE ${plain} SET "score" = ${ctx.next()} WHERE "id" = ${1 + (Math.abs(i) % keys)}`)),
  );
  against(ctx, floor, bare, "plain UPDATE (autocommit, one round trip)");
  await ctx.db.execute(sql`DROP FUNCTION bench_floor_tick(int, int)`);
}

/**
 * The floor under tickMany: the writes capture must make for a one-property tick of `rows`
 * records (the entity row, a clock row, closing the open history row and opening the next),
 * as bare set-based SQL on copies of the same tables (same columns, constraints and indexes;
 * no triggers), against the plain UPDATE ... FROM. Then the same without the two GiST
 * exclusion indexes, to show what they cost. Postgres only (PGlite is measured elsewhere).
 */
export async function floorCases(ctx: Ctx): Promise<void> {
  if (ctx.engine !== "postgres") return;
  const rows = Math.min(Math.max(...ctx.cfg.bulk.map((b) => b.rows)), ctx.records);
  const label = count(rows);
  await ctx.db.execute(sql`CREATE TABLE bench_floor_entity (LIKE bench_item_plain INCLUDING ALL)`);
  await ctx.db.execute(sql`CREATE TABLE bench_floor_clock (LIKE bench_item_clock INCLUDING ALL)`);
  await ctx.db.execute(sql`CREATE TABLE bench_floor_history (LIKE bench_item_history_score INCLUDING ALL)`);
  // The temporal table's rows (their vclock matches the open history rows copied next).
  await ctx.db.execute(
    sql`INSERT INTO bench_floor_entity ("id", "name", "status", "score", "note", "vclock", "retired")
        SELECT "id", "name", "status", "score", "note", "vclock", "retired" FROM ${item}`,
  );
  await ctx.db.execute(sql`INSERT INTO bench_floor_history SELECT * FROM bench_item_history_score WHERE upper_inf("vclock")`);
  await ctx.db.execute(sql`VACUUM ANALYZE bench_floor_entity, bench_floor_history`);
  const [activity] = await query(ctx.db, sql`SELECT max("id") AS id FROM "temporal_activity"`);
  await singleTickFloor(ctx);
  const run = async (): Promise<number> => {
    const ids = Array.from({ length: rows }, (_, i) => i + 1);
    const scores = ids.map(() => ctx.next());
    const values = sql`(SELECT unnest(${sql.param(ids)}::int[]) AS "id", unnest(${sql.param(scores)}::int[]) AS "score")`;
    const t = await timeOnce(() =>
      ctx.db.transaction(async (tx) => {
        await tx.execute(sql`CREATE TEMP TABLE v ON COMMIT DROP AS
          SELECT v."id", v."score", e."vclock" + 1 AS "tick" FROM ${values} v JOIN bench_floor_entity e ON e."id" = v."id"`);
        await tx.execute(sql`UPDATE bench_floor_entity e SET "score" = v."score", "vclock" = v."tick" FROM v WHERE e."id" = v."id"`);
        await tx.execute(sql`INSERT INTO bench_floor_clock SELECT "id", "tick", now(), ${activity!.id} FROM v`);
        await tx.execute(sql`UPDATE bench_floor_history h SET "vclock" = int4range(lower(h."vclock"), v."tick"), "effective" = tstzrange(lower(h."effective"), now())
                               FROM v WHERE h."bench_item_id" = v."id" AND upper_inf(h."vclock")`);
        await tx.execute(sql`INSERT INTO bench_floor_history SELECT "id", "score", int4range("tick", NULL), tstzrange(now(), NULL) FROM v`);
      }),
    );
    ctx.sample();
    return t.ms;
  };
  const plainTimes: number[] = [];
  const withGist: number[] = [];
  for (let rep = 0; rep < 2; rep++) {
    withGist.push(await run());
    const ids = Array.from({ length: rows }, (_, i) => i + 1);
    const scores = ids.map(() => ctx.next());
    const p = await timeOnce(() =>
      ctx.db.execute(
        sql`UPDATE ${plain} AS p SET "score" = v."score"
              FROM (SELECT unnest(${sql.param(ids)}::int[]) AS "id", unnest(${sql.param(scores)}::int[]) AS "score") v
             WHERE p."id" = v."id"`,
      ),
    );
    plainTimes.push(p.ms);
  }
  const base = rate(ctx, "plain table: UPDATE ... FROM (floor)", label, rows, plainTimes);
  const floor = rate(
    ctx,
    "floor: capture's writes as bare SQL",
    label,
    rows,
    withGist,
    "entity, clock row, close + open history row; no triggers",
  );
  against(ctx, floor, base, "plain set-based UPDATE ... FROM (unnest)");
  const excl = await query(
    ctx.db,
    sql`SELECT conname FROM pg_constraint WHERE conrelid = 'bench_floor_history'::regclass AND contype = 'x'`,
  );
  for (const c of excl) await ctx.db.execute(sql`ALTER TABLE bench_floor_history DROP CONSTRAINT ${sql.identifier(String(c.conname))}`);
  const noGist = [await run(), await run()];
  const bare = rate(ctx, "floor without the GiST exclusion indexes", label, rows, noGist, "the same writes; btree indexes only");
  against(ctx, bare, base, "plain set-based UPDATE ... FROM (unnest)");
  for (const name of ["bench_floor_history", "bench_floor_clock", "bench_floor_entity"])
    await ctx.db.execute(sql`DROP TABLE ${sql.identifier(name)}`);
}
