/**
 * Where the bytes of a one-property tick go (issue 12, item 1, the storage target): the member-shaped
 * table of the peers' comparison, the same bulk rounds as `bench/cases/peers.ts` (every row ticked
 * through `tickMany`, then through an `UPDATE ... WHERE` in `withActivity`, twice), and the growth of
 * each relation after VACUUM split into the heap and each index, with pgstattuple's view of what is
 * live, dead and free in each. Postgres only; it creates its own database and drops it at the end.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/bytes.ts [--members N] [--vacuum-between] [--packed]
 *
 * `--vacuum-between` vacuums after each round, as autovacuum would on a table ticked over days: the
 * dead versions of closed rows are then reused, and what stays is the steady-state cost. `--packed`
 * measures before and after a VACUUM FULL (heap and indexes rebuilt): what the rows and entries
 * take with no free space but the indexes' build fillfactor. Findings: bench/BYTES.md.
 */
import { parseArgs } from "node:util";
import { loadavg } from "node:os";
import { and, getTableName, gte, lte, sql } from "drizzle-orm";
import { createMany, tickMany, withActivity, type TemporalDb } from "@temporal-records/drizzle";
import { testDb } from "../lib/temporal/tests/harness";
import { query } from "./context";
import { benchSchema, memberBench } from "./schema";

const { values } = parseArgs({
  options: { members: { type: "string" }, "vacuum-between": { type: "boolean" }, packed: { type: "boolean" } },
});
const members = Number(values.members ?? 100_000);
const rounds = 2;
const activity = (reason: string) => ({ reason, actor: "bench" });

/** The size of each relation and of each of its indexes, by name. */
async function sizes(db: TemporalDb, tables: string[]): Promise<Map<string, number>> {
  const rows = await query(
    db,
    sql`SELECT c.relname AS name, pg_relation_size(c.oid)::bigint AS bytes
          FROM pg_class c
         WHERE c.oid = ANY(${sql.param(tables)}::regclass[])
            OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid = ANY(${sql.param(tables)}::regclass[]))`,
  );
  return new Map(rows.map((r) => [String(r.name), Number(r.bytes)]));
}

async function main(): Promise<void> {
  if (!process.env.DATABASE_URL) throw new Error("bench/bytes.ts measures a Postgres server: set DATABASE_URL.");
  const { db, close } = await testDb(benchSchema, [memberBench]);
  try {
    await db.execute(sql`CREATE EXTENSION IF NOT EXISTS pgstattuple`);
    const clock = getTableName(memberBench.$temporal.clock);
    const history = getTableName(memberBench.$temporal.history.visits);
    const ids = Array.from({ length: members }, (_, i) => i + 1);
    await createMany(
      db,
      memberBench,
      ids.map((id) => ({
        id,
        memberNumber: `M${String(id).padStart(9, "0")}`,
        fullName: `Member ${id}`,
        dateOfBirth: "1980-01-01",
        plan: "basic",
        premium: "100.00",
        providerId: id % 40,
        coverage: { dental: id % 2 === 0 },
        tags: ["online"],
        renewsOn: "2027-01-01",
        visits: 0,
      })),
      activity("Bytes: the members"),
    );
    const vacuum = (full = false) => db.execute(sql.raw(`VACUUM ${full ? "FULL " : ""}"${clock}", "${history}"`));
    await vacuum(values.packed);
    const before = await sizes(db, [clock, history]);
    for (let round = 0; round < rounds; round++) {
      const entries = ids.map((id) => ({ key: id, changes: { visits: id * 10 + 2 * round + 1 } }));
      await tickMany(db, memberBench, entries, activity("Bytes: given values"));
      if (values["vacuum-between"]) await vacuum();
      await withActivity(db, activity("Bytes: UPDATE ... WHERE"), (tx) =>
        tx
          .update(memberBench)
          .set({ visits: sql`${memberBench.visits} + 1` })
          .where(and(gte(memberBench.id, 1), lte(memberBench.id, members))),
      );
      if (values["vacuum-between"]) await vacuum();
    }
    await vacuum(values.packed);
    const after = await sizes(db, [clock, history]);
    const ticks = members * rounds * 2;
    console.log(
      `bytes per one-property tick: ${ticks} ticks of ${members} members, ${values["vacuum-between"] ? "VACUUM after each round" : "VACUUM at the end"}${values.packed ? ", VACUUM FULL before and after" : ""}; load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    let total = 0;
    for (const [name, bytes] of [...after].sort(([a], [b]) => a.localeCompare(b))) {
      const grown = (bytes - (before.get(name) ?? 0)) / ticks;
      total += grown;
      const [stat] = await query(
        db,
        sql`SELECT tuple_count, tuple_len, dead_tuple_count, free_space FROM pgstattuple(${`"${name}"`}::regclass)`,
      );
      const live = Number(stat!.tuple_len);
      const count = Number(stat!.tuple_count);
      console.log(
        `  ${name.padEnd(44)} ${grown.toFixed(1).padStart(6)} B/tick   ${count} live of ${(live / Math.max(1, count)).toFixed(1)} B, ` +
          `${Math.round((100 * live) / Math.max(1, bytes))}% live, ${Math.round((100 * Number(stat!.free_space)) / Math.max(1, bytes))}% free, ${stat!.dead_tuple_count} dead`,
      );
    }
    console.log(`  ${"total".padEnd(44)} ${total.toFixed(1).padStart(6)} B/tick`);
  } finally {
    await close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
