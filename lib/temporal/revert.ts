import { sql } from "drizzle-orm";
import { inActivity, type ActivityInput } from "./activity";
import { rows, type TemporalDb } from "./db";
import { col } from "./names";
import { InvalidArgumentError, NotFoundError, RevertConflictError, UnknownPropertyError, type RevertConflict } from "./errors";
import { asOf } from "./read";
import { clockRef, decodeKey, historyRef, keyColumns, sameKey } from "./sql-parts";
import { metaOf, registeredTables, type AnyTemporalTable, type TemporalMeta } from "./table";
import { changeset, type ChangesetEntry } from "./timeline";
import { normalizeKey, type Key, type KeyInput } from "./values";
import { tick, tickManyWith, type TickResult, type TrackedOf } from "./write";

/**
 * Sets a record's properties back to their values at an earlier version, as a new
 * tick (history is never rewritten). Only `properties` when given.
 *
 * @example
 * await revert(db, friend, 1, { toVclock: 1, properties: ["location"] }, { reason: "Wrong city", actor: "ops" });
 */
export async function revert<T extends AnyTemporalTable>(
  db: TemporalDb,
  table: T,
  key: KeyInput,
  options: { toVclock: number; properties?: TrackedOf<T>[]; expectedVclock?: number },
  activity?: ActivityInput,
): Promise<TickResult<T>> {
  const meta = metaOf(table);
  const k = normalizeKey(meta, key);
  const then = await asOf(db, table, k, { vclock: options.toVclock });
  if (!then) throw new NotFoundError(meta.name, k, `version ${options.toVclock} of the record`);
  const names = options.properties ?? meta.tracked.map((p) => p.prop as TrackedOf<T>);
  const changes: Record<string, unknown> = {};
  for (const name of names) {
    if (!meta.tracked.some((p) => p.prop === name)) {
      throw new UnknownPropertyError(
        meta.name,
        name,
        meta.tracked.map((p) => p.prop),
        "tracked property",
      );
    }
    if (then.notTracked.includes(name)) continue;
    changes[name] = (then.record as Record<string, unknown>)[name];
  }
  return tick(db, table, k, changes as never, activity, { expectedVclock: options.expectedVclock });
}

type Plan = { meta: TemporalMeta; key: Key; firstTick: number; changes: Record<string, unknown>; touched: Set<string> };

/** What reverting the activity means per record: each touched property back to its value before the activity. */
function planRevert(entries: ChangesetEntry[], metas: TemporalMeta[]): Map<string, Plan> {
  const plans = new Map<string, Plan>();
  const sorted = [...entries].sort((a, b) => a.vclock - b.vclock);
  for (const entry of sorted) {
    const meta = metas.find((m) => m.name === entry.table)!;
    const id = JSON.stringify([entry.table, meta.key.map((k) => String(entry.key[k.prop]))]);
    let plan = plans.get(id);
    if (!plan) {
      plan = { meta, key: entry.key, firstTick: entry.vclock, changes: {}, touched: new Set() };
      plans.set(id, plan);
    }
    if (entry.kind === "created") {
      plan.changes = { retired: true };
      plan.touched = new Set(meta.properties.map((p) => p.prop));
      continue;
    }
    for (const change of entry.changes) {
      plan.touched.add(change.property);
      if (!(change.property in plan.changes) && plan.changes.retired !== true) plan.changes[change.property] = change.before;
    }
  }
  return plans;
}

async function findConflicts(db: TemporalDb, activityId: string, plans: Map<string, Plan>): Promise<RevertConflict[]> {
  const conflicts: RevertConflict[] = [];
  const metas = new Set([...plans.values()].map((p) => p.meta));
  for (const meta of metas) {
    for (const p of meta.properties) {
      const later = await rows(
        db,
        sql`WITH first AS (
              SELECT ${keyColumns(meta, "c")}, min(c."tick") AS "t" FROM ${clockRef(meta)} c
               WHERE c."activity_id" = ${activityId}::bigint GROUP BY ${sql.raw(meta.keyNames.map((k) => col("c", k)).join(", "))})
            SELECT ${sql.raw(meta.keyNames.map((_, i) => `f."k${i}"`).join(", "))}, lower(h."vclock") AS "tick", c2."activity_id"
              FROM first f
              JOIN ${historyRef(meta, p)} h ON ${sql.raw(meta.keyNames.map((k, i) => `${col("h", k)} = f."k${i}"`).join(" AND "))} AND lower(h."vclock") > f."t"
              JOIN ${clockRef(meta)} c2 ON ${sameKey(meta, "c2", "h")} AND c2."tick" = lower(h."vclock")
             WHERE c2."activity_id" <> ${activityId}::bigint
             ORDER BY lower(h."vclock")`,
      );
      for (const raw of later) {
        const key = decodeKey(meta, raw);
        const plan = plans.get(JSON.stringify([meta.name, meta.key.map((k) => String(key[k.prop]))]));
        if (!plan?.touched.has(p.prop)) continue;
        conflicts.push({ table: meta.name, key, property: p.prop, changedAtVclock: Number(raw.tick), activityId: String(raw.activity_id) });
      }
    }
  }
  return conflicts;
}

/**
 * Undoes everything one activity did, as new ticks under a new activity: each
 * property it changed goes back to its value before; records it created are
 * retired; records it retired are restored. Refuses with RevertConflictError when a
 * later activity changed the same property, unless `force` is set.
 *
 * @example
 * await revertActivity(db, "42", { reason: "Bulk edit applied to the wrong plan", actor: "ops" });
 */
export async function revertActivity(
  db: TemporalDb,
  activityId: string | number | bigint,
  activity?: ActivityInput,
  options: { force?: boolean; tables?: AnyTemporalTable[] } = {},
): Promise<{ reverted: { table: string; key: Key; vclock: number }[] }> {
  const id = String(activityId);
  if (!/^[0-9]{1,18}$/.test(id)) throw new InvalidArgumentError("An activity id is a whole number.");
  const metas = options.tables ? options.tables.map(metaOf) : registeredTables();
  return inActivity(db, activity, async (tx) => {
    const { entries, truncated } = await changeset(tx, id, { tables: metas.map((m) => m.table as AnyTemporalTable), limit: 100_000 });
    if (truncated) throw new InvalidArgumentError("This activity touched more than 100,000 ticks in one table; revert it in parts.");
    const plans = planRevert(entries, metas);
    if (!options.force) {
      const conflicts = await findConflicts(tx, id, plans);
      if (conflicts.length > 0) throw new RevertConflictError(conflicts);
    }
    const reverted: { table: string; key: Key; vclock: number }[] = [];
    for (const meta of new Set([...plans.values()].map((p) => p.meta))) {
      const forTable = [...plans.values()].filter((p) => p.meta === meta);
      const work = forTable.map((p) => ({ key: p.key, changes: p.changes }));
      const results = await tickManyWith(tx, meta.table as AnyTemporalTable, work as never, undefined, "revert");
      results.forEach((r, i) => reverted.push({ table: meta.name, key: work[i]!.key, vclock: r.vclock }));
    }
    return { reverted };
  });
}
