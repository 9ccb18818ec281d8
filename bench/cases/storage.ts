/** verify over the whole table, and the bytes history takes per tick compared with copying whole rows. */
import { getTableName, sql } from "drizzle-orm";
import { verify } from "@temporal-records/drizzle";
import { latency, query, value, type Ctx } from "../context";
import { item } from "../schema";
import { count, timeReps } from "../stats";

export async function verifyCase(ctx: Ctx): Promise<void> {
  let violations = 0;
  const times = await timeReps(
    ctx.cfg.verifyReps,
    async () => {
      violations = (await verify(ctx.db, item)).length;
    },
    0,
  );
  latency(ctx, "verify (whole table)", `${count(ctx.records)} records`, times, `${violations} violations`);
}

const historyTables = () => [getTableName(item.$temporal.clock), ...Object.values(item.$temporal.history).map((t) => getTableName(t))];

/** Total bytes (heap, TOAST, indexes) of the clock and history tables, and the indexes' share. */
async function historyBytes(ctx: Ctx): Promise<{ total: number; indexes: number }> {
  const names = sql.join(
    historyTables().map((n) => sql`${n}`),
    sql`, `,
  );
  const [row] = await query(
    ctx.db,
    sql`SELECT sum(pg_total_relation_size(c.oid))::bigint AS total, sum(pg_indexes_size(c.oid))::bigint AS indexes
          FROM pg_class c WHERE c.relkind = 'r' AND c.relname IN (${names})`,
  );
  return { total: Number(row!.total), indexes: Number(row!.indexes) };
}

/**
 * Bytes per tick of the clock and history tables against a whole-row-copy design:
 * per tick a copy of the entity row plus an activity id and a validity range, with a
 * line pointer and a (key, version) B-tree entry. The estimate leaves out page
 * overhead, dead tuples and any index on time, so it favours the row copy.
 */
export async function storageCase(ctx: Ctx): Promise<void> {
  const clock = getTableName(item.$temporal.clock);
  const [stats] = await query(
    ctx.db,
    sql`SELECT (SELECT count(*) FROM ${sql.identifier(clock)})::bigint AS ticks,
               (SELECT avg(pg_column_size(e.*)) FROM bench_item e)::float AS row_bytes,
               pg_column_size(tstzrange(now(), now() + interval '1 day'))::int AS range_bytes`,
  );
  const ticks = Number(stats!.ticks);
  const rowBytes = Number(stats!.row_bytes);
  const rowCopy = rowBytes + 8 + Number(stats!.range_bytes) + 4 + 20;
  const size = `${count(ticks)} ticks`;
  const share = (b: { total: number; indexes: number }) => `${Math.round((100 * b.indexes) / b.total)}% in indexes`;
  const written = await historyBytes(ctx);
  value(ctx, "storage: bytes per tick (as written)", size, "B/tick", written.total / ticks, `clock + 4 history tables; ${share(written)}`);
  for (const name of historyTables()) await ctx.db.execute(sql`VACUUM FULL ${sql.identifier(name)}`);
  const compact = await historyBytes(ctx);
  value(
    ctx,
    "storage: bytes per tick (VACUUM FULL)",
    size,
    "B/tick",
    compact.total / ticks,
    `dead versions of closed rows removed; ${share(compact)}`,
  );
  value(
    ctx,
    "storage: whole-row copy estimate",
    size,
    "B/tick",
    rowCopy,
    `row ${rowBytes.toFixed(0)} B + activity + range + item pointer + index entry`,
  );
  value(ctx, "storage: ratio vs whole-row copy", size, "x", compact.total / ticks / rowCopy, "compacted bytes per tick / estimate");
}
