import { sql } from "drizzle-orm";
import { currentActivity, inActivity, type ActivityInput } from "./activity";
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

const recordRef = (meta: TemporalMeta, key: Key) => JSON.stringify([meta.name, meta.key.map((k) => String(key[k.prop]))]);
const propertyRef = (meta: TemporalMeta, key: Key, property: string) =>
  JSON.stringify([meta.name, meta.key.map((k) => String(key[k.prop])), property]);

type Plan = {
  meta: TemporalMeta;
  key: Key;
  firstTick: number;
  changes: Record<string, unknown>;
  touched: Set<string>;
  /** The activity created the record (undoing it retires the record). */
  created: boolean;
};

/** What reverting the activity means per record: each touched property back to its value before the activity. */
function planRevert(entries: ChangesetEntry[], metas: TemporalMeta[]): Map<string, Plan> {
  const plans = new Map<string, Plan>();
  const sorted = [...entries].sort((a, b) => a.vclock - b.vclock);
  for (const entry of sorted) {
    const meta = metas.find((m) => m.name === entry.table)!;
    const id = recordRef(meta, entry.key);
    let plan = plans.get(id);
    if (!plan) {
      plan = { meta, key: entry.key, firstTick: entry.vclock, changes: {}, touched: new Set(), created: false };
      plans.set(id, plan);
    }
    if (entry.kind === "created") {
      plan.changes = { retired: true };
      plan.created = true;
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
        const plan = plans.get(recordRef(meta, key));
        if (!plan?.touched.has(p.prop)) continue;
        conflicts.push({ table: meta.name, key, property: p.prop, changedAtVclock: Number(raw.tick), activityId: String(raw.activity_id) });
      }
    }
  }
  return conflicts;
}

/** What undoing an activity would do per record (each property back to its value before it), and which later changes it would overwrite. */
export type RevertActivityPlan = {
  /** One entry per record the activity touched: the values it would set (`retired` for records it created or retired). */
  records: { table: string; key: Key; changes: Record<string, unknown> }[];
  /** Later ticks by other activities that changed a property the revert would set back. */
  conflicts: RevertConflict[];
};

/**
 * How to settle a conflict of revertActivity: keep the property as it is `now`, or take the
 * `old` value (before the activity). `seenVclock` is the latest conflicting version the person
 * saw: a change after it is a new conflict, refused until settled again.
 */
export type RevertResolution = { table: string; key: KeyInput; property: string; take: "now" | "old"; seenVclock?: number };

async function planActivity(db: TemporalDb, id: string, metas: TemporalMeta[]) {
  const { entries, truncated } = await changeset(db, id, { tables: metas.map((m) => m.table as AnyTemporalTable), limit: 100_000 });
  if (truncated) throw new InvalidArgumentError("This activity touched more than 100,000 ticks in one table; revert it in parts.");
  const plans = planRevert(entries, metas);
  return { plans, conflicts: await findConflicts(db, id, plans) };
}

function parseActivityId(value: string | number | bigint): string {
  const id = String(value);
  if (!/^[0-9]{1,18}$/.test(id)) throw new InvalidArgumentError("An activity id is a whole number.");
  return id;
}

/**
 * What revertActivity would do, without writing: the values each record would get back, and
 * the later changes in the way (settle them with `resolve`, or overwrite them with `force`).
 *
 * @example
 * const { records, conflicts } = await planRevertActivity(db, "42");
 */
export async function planRevertActivity(
  db: TemporalDb,
  activityId: string | number | bigint,
  options: { tables?: AnyTemporalTable[] } = {},
): Promise<RevertActivityPlan> {
  const metas = options.tables ? options.tables.map(metaOf) : registeredTables();
  const { plans, conflicts } = await planActivity(db, parseActivityId(activityId), metas);
  return { records: [...plans.values()].map((p) => ({ table: p.meta.name, key: p.key, changes: { ...p.changes } })), conflicts };
}

/**
 * Applies the person's choices to the plans: "now" leaves the property out (for a record the
 * activity created, it keeps the record). Returns the conflicts no choice covers.
 */
function settle(plans: Map<string, Plan>, conflicts: RevertConflict[], resolutions: RevertResolution[], metas: TemporalMeta[]) {
  const chosen = new Map<string, { meta: TemporalMeta; key: Key; resolution: RevertResolution }>();
  for (const resolution of resolutions) {
    const meta = metas.find((m) => m.name === resolution.table);
    if (!meta) throw new InvalidArgumentError(`"${resolution.table}" is not a table this revert covers.`);
    if (!meta.properties.some((p) => p.prop === resolution.property)) {
      throw new UnknownPropertyError(
        meta.name,
        resolution.property,
        meta.properties.map((p) => p.prop),
      );
    }
    if (resolution.take !== "now" && resolution.take !== "old") throw new InvalidArgumentError('A resolution takes "now" or "old".');
    const key = normalizeKey(meta, resolution.key);
    chosen.set(propertyRef(meta, key, resolution.property), { meta, key, resolution });
  }
  const unresolved: RevertConflict[] = [];
  const matched = new Set<string>();
  for (const conflict of conflicts) {
    const meta = metas.find((m) => m.name === conflict.table)!;
    const ref = propertyRef(meta, conflict.key, conflict.property);
    const choice = chosen.get(ref);
    const seen = choice?.resolution.seenVclock;
    if (!choice || (seen !== undefined && conflict.changedAtVclock > seen)) unresolved.push(conflict);
    else matched.add(ref);
  }
  for (const [ref, { meta, key, resolution }] of chosen) {
    if (!matched.has(ref)) {
      throw new InvalidArgumentError(
        `${meta.name} ${JSON.stringify(key)}.${resolution.property} has no conflict to resolve: resolve only the conflicts the plan lists.`,
      );
    }
    if (resolution.take === "old") continue;
    const plan = plans.get(recordRef(meta, key));
    if (!plan) continue;
    if (plan.created) plans.delete(recordRef(meta, key));
    else {
      delete plan.changes[resolution.property];
      if (Object.keys(plan.changes).length === 0) plans.delete(recordRef(meta, key));
    }
  }
  return unresolved;
}

/**
 * Undoes everything one activity did, as new ticks under a new activity: each
 * property it changed goes back to its value before; records it created are
 * retired; records it retired are restored. Refuses with RevertConflictError when a
 * later activity changed the same property, unless `resolve` settles each such
 * conflict (keep it as it is now, or take the old value) or `force` takes the old value everywhere.
 *
 * @example
 * await revertActivity(db, "42", { reason: "Bulk edit applied to the wrong plan", actor: "ops" });
 * await revertActivity(db, "42", activity, { resolve: [{ table: "friend", key: 7, property: "location", take: "now" }] });
 */
export async function revertActivity(
  db: TemporalDb,
  activityId: string | number | bigint,
  activity?: ActivityInput,
  options: { force?: boolean; resolve?: RevertResolution[]; tables?: AnyTemporalTable[] } = {},
): Promise<{ activityId: string; reverted: { table: string; key: Key; vclock: number }[] }> {
  const id = parseActivityId(activityId);
  const metas = options.tables ? options.tables.map(metaOf) : registeredTables();
  return inActivity(db, activity, async (tx) => {
    const { plans, conflicts } = await planActivity(tx, id, metas);
    const unresolved = settle(plans, conflicts, options.resolve ?? [], metas);
    if (!options.force && unresolved.length > 0) throw new RevertConflictError(unresolved);
    const reverted: { table: string; key: Key; vclock: number }[] = [];
    for (const meta of new Set([...plans.values()].map((p) => p.meta))) {
      const forTable = [...plans.values()].filter((p) => p.meta === meta);
      const work = forTable.map((p) => ({ key: p.key, changes: p.changes }));
      const results = await tickManyWith(tx, meta.table as AnyTemporalTable, work as never, undefined, "revert");
      results.forEach((r, i) => reverted.push({ table: meta.name, key: work[i]!.key, vclock: r.vclock }));
    }
    return { activityId: currentActivity(tx)!.id, reverted };
  });
}
