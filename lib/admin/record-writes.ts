/**
 * A record's edits and retirements as the app's actions write them: the library's tick,
 * retire and restore, with the checks a table needs beyond its values run first, in the
 * same transaction (the last active admin of staff cannot be demoted or retired).
 * Server-only: it holds the tables.
 */
import "server-only";
import { refuseLastAdmin } from "@/lib/auth/staff";
import type { Role } from "@/lib/auth/roles";
import { retire, restore, tick, withActivity, type ActivityInput, type Key, type TemporalDb } from "@temporal-records/drizzle";
import type { AdminTable } from "./registry";

type Change = { values?: Record<string, unknown>; retire?: boolean };
type Guard = (tx: TemporalDb, key: Key, change: Change) => Promise<void>;

/** Checks by table slug: each throws a typed error when the change must not happen. */
const GUARDS: Record<string, Guard> = {
  staff: (tx, key, change) => refuseLastAdmin(tx, String(key.id), { role: change.values?.role as Role | undefined, retire: change.retire }),
};

type Options = { expectedVclock: number };

/** Runs `write` after the table's guard, in one transaction with `activity`; without a guard, `write` alone. */
async function guarded<T>(
  db: TemporalDb,
  admin: AdminTable,
  key: Key,
  change: Change,
  activity: ActivityInput,
  write: (db: TemporalDb, activity?: ActivityInput) => Promise<T>,
) {
  const guard = GUARDS[admin.slug];
  if (!guard) return write(db, activity);
  return withActivity(db, activity, async (tx) => {
    await guard(tx, key, change);
    return write(tx);
  });
}

/** Saves a record's changed values as one tick, against the version the form was loaded at. */
export function tickRecord(
  db: TemporalDb,
  admin: AdminTable,
  key: Key,
  values: Record<string, unknown>,
  activity: ActivityInput,
  options: Options,
) {
  return guarded(db, admin, key, { values }, activity, (on, own) => tick(on, admin.table, key, values as never, own, options));
}

/** Retires (or restores) a record as one tick, against the version the form was loaded at. */
export function setRecordRetired(db: TemporalDb, admin: AdminTable, key: Key, retired: boolean, activity: ActivityInput, options: Options) {
  return guarded(db, admin, key, { retire: retired }, activity, (on, own) =>
    retired ? retire(on, admin.table, key, own, options) : restore(on, admin.table, key, own, options),
  );
}
