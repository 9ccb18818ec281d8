/**
 * What the capture SQL and the library's TypeScript agree on: the SQLSTATEs its refusals raise (db.ts turns them
 * into typed errors), the transaction-local settings that carry the activity, and the refusals' messages.
 */
export const SQLSTATE = {
  missingActivity: "TM001",
  backdateOrder: "TM002",
  historyImmutable: "TM003",
  deleteRefused: "TM004",
  keyChange: "TM005",
  vclockManaged: "TM006",
  retired: "TM007",
  futureTick: "TM008",
} as const;

export const ACTIVITY_SETTING = "temporal.activity_id";
/**
 * Set (to `on`, transaction-locally) by a statement that may match no row, such as a single-statement tick with a
 * stale version: its UPDATE of no rows then passes without an activity, where any other is refused as a missing one.
 */
export const NO_MATCH_SETTING = "temporal.no_match_ok";
/**
 * The activities that ticked in this transaction (`,12,15,`), set transaction-locally by the capture
 * functions: at commit, an activity that is not listed and that no clock row points to is removed.
 */
export const TICKED_SETTING = "temporal.ticked";
/**
 * The search path of the SECURITY DEFINER functions: pg_temp last (unnamed, it would be searched
 * first), so a caller's temporary table or function can never stand in for one of ours.
 */
export const DEFINER_SEARCH_PATH = "pg_catalog, public, pg_temp";

export const MESSAGES = {
  missingActivity:
    "This write has no activity. Wrap it in withActivity(db, { reason, actor }, async (tx) => ...) so it is recorded with who and why.",
  foreignActivity:
    "The activity set for this write belongs to another transaction. Open a new one with withActivity(db, { reason, actor }, ...).",
  backdateOrder:
    "A back-dated activity must be later than the last change of every record it touches. Import history in time order, one activity per moment.",
  historyDirect: "History and clock rows are written only by the capture triggers. Change the record itself inside withActivity instead.",
  historyImmutable: "History is append-only: past rows cannot be changed or deleted. Record a new change (or a revert) instead.",
  activityImmutable: "Activities are append-only: they cannot be changed or deleted.",
  deleteRefused: "Temporal records are never deleted: use retire(db, table, key, activity) instead.",
  keyChange: "The key of a temporal record cannot change: its history is filed under it. Create a new record instead.",
  vclockManaged: "vclock and retired are managed by the library: insert new records without them and use retire/restore.",
  retired: "This record is retired: restore it before changing its values.",
  futureTick:
    "This record's last change is recorded at a moment later than the server's clock says it is now, so a new change cannot follow it: that change was written with a forged or wrong clock (before recorded_at was stamped by the server). Nothing was written. Find such ticks with verify(db, table) and have the database owner correct them.",
} as const;
