/**
 * The SQL that makes the database record history, as the migration planner's objects: the activity table and the
 * functions every temporal table shares (here), and per table its clock and history tables with their exclusion
 * constraints (history-tables.ts), the triggers that capture every write path: helpers, plain Drizzle, raw SQL,
 * set-based UPDATE ... WHERE, INSERT ... ON CONFLICT (capture-triggers.ts, capture-update.ts), and the opening
 * history of rows that existed before tracking started (backfill.ts).
 *
 * Capture is set-based: row-level work is limited to a BEFORE UPDATE trigger that bumps `vclock`; clock and history
 * rows are written once per statement from transition tables.
 */
import { activityTableStatements } from "./activity-table";
import { afterInsertFunction, bumpFunction, historyGuardStatements, triggerStatements } from "./capture-triggers";
import { afterUpdateFunction } from "./capture-update";
import { ACTIVITY_SETTING, MESSAGES, SQLSTATE, TICKED_SETTING } from "./capture-settings";
import { clockTableStatements, clockTimeIndex, historyTableStatements } from "./history-tables";
import { quoteIdent as q, quoteLiteral } from "./names";
import { definer, plpgsql, raise, refuse } from "./plpgsql";
import { sortableObjects } from "./sortable";
import type { TemporalMeta } from "./table";

export { ACTIVITY_SETTING, DEFINER_SEARCH_PATH, NO_MATCH_SETTING, SQLSTATE } from "./capture-settings";
export { tableNames, keyJoin } from "./history-tables";
export { backfillStatements } from "./backfill";

/** One piece of the temporal schema. `once` objects are created and never replaced. */
export type DdlObject = {
  id: string;
  kind: "once" | "replace";
  order: number;
  statements: string[];
};

/** Objects shared by every temporal table. */
export function sharedObjects(): DdlObject[] {
  const activity = q("temporal_activity");
  return [
    { id: "extension:btree_gist", kind: "once", order: 0, statements: ["CREATE EXTENSION IF NOT EXISTS btree_gist"] },
    {
      id: "table:temporal_activity",
      kind: "once",
      order: 1,
      statements: activityTableStatements(),
    },
    {
      id: "function:temporal_refuse",
      kind: "replace",
      order: 2,
      statements: [
        plpgsql(
          "temporal_refuse",
          "trigger",
          `BEGIN
  RAISE EXCEPTION USING ERRCODE = TG_ARGV[0], MESSAGE = TG_ARGV[1], SCHEMA = TG_TABLE_SCHEMA, TABLE = TG_TABLE_NAME;
END;`,
        ),
      ],
    },
    {
      id: "function:temporal_current_activity",
      kind: "replace",
      order: 2,
      statements: [
        plpgsql(
          "temporal_current_activity",
          "OUT activity_id bigint, OUT tick_at timestamptz, OUT backdated boolean",
          `DECLARE
  raw text := current_setting(${quoteLiteral(ACTIVITY_SETTING)}, true);
BEGIN
  IF raw IS NULL OR raw !~ '^[0-9]{1,18}$' THEN
    ${raise(SQLSTATE.missingActivity, MESSAGES.missingActivity)};
  END IF;
  SELECT a."id", CASE WHEN a."backdated" THEN a."at" ELSE clock_timestamp() END, a."backdated"
    INTO activity_id, tick_at, backdated
    FROM ${activity} a
   WHERE a."id" = raw::bigint AND a."txid" = txid_current();
  IF NOT FOUND THEN
    ${raise(SQLSTATE.missingActivity, MESSAGES.foreignActivity)};
  END IF;
END;`,
        ),
      ],
    },
    {
      id: "function:temporal_require_activity",
      kind: "replace",
      order: 2,
      statements: [
        plpgsql(
          "temporal_require_activity",
          "trigger",
          `BEGIN
  PERFORM temporal_current_activity();
  RETURN NULL;
END;`,
        ),
      ],
    },
    {
      id: "trigger:temporal_activity:immutable",
      kind: "replace",
      order: 3,
      statements: [
        `CREATE OR REPLACE TRIGGER "temporal_immutable" BEFORE UPDATE OR TRUNCATE ON ${activity} FOR EACH STATEMENT EXECUTE FUNCTION ${refuse(SQLSTATE.historyImmutable, MESSAGES.activityImmutable)}`,
        // Only the transaction that made an activity may remove it (nobody else has seen it), and only while no
        // clock row points to it (the foreign keys): that is how an activity under which nothing ticked goes.
        `CREATE OR REPLACE TRIGGER "temporal_immutable_rows" BEFORE DELETE ON ${activity} FOR EACH ROW WHEN (OLD."txid" <> txid_current()) EXECUTE FUNCTION ${refuse(SQLSTATE.historyImmutable, MESSAGES.activityImmutable)}`,
      ],
    },
    {
      id: "function:temporal_stamp_activity",
      kind: "replace",
      order: 2,
      statements: [
        plpgsql(
          "temporal_stamp_activity",
          "trigger",
          `BEGIN
  NEW."recorded_at" := clock_timestamp();
  NEW."txid" := txid_current();
  IF NEW."at" IS NULL OR NOT NEW."backdated" THEN
    NEW."at" := NEW."recorded_at";
    NEW."backdated" := false;
  END IF;
  RETURN NEW;
END;`,
        ),
      ],
    },
    {
      // recorded_at is always the server's clock and txid the inserting transaction, whatever the INSERT says;
      // the table's CHECK keeps a back-dated at at or before recorded_at (no skew allowed).
      id: "trigger:temporal_activity:stamp",
      kind: "replace",
      order: 3,
      statements: [
        `CREATE OR REPLACE TRIGGER "temporal_stamp" BEFORE INSERT ON ${activity} FOR EACH ROW EXECUTE FUNCTION temporal_stamp_activity()`,
      ],
    },
    {
      id: "function:temporal_drop_unticked",
      kind: "replace",
      order: 2,
      statements: definer(
        "temporal_drop_unticked",
        `BEGIN
  IF strpos(coalesce(current_setting(${quoteLiteral(TICKED_SETTING)}, true), ''), ',' || NEW."id" || ',') > 0 THEN
    RETURN NULL;
  END IF;
  BEGIN
    DELETE FROM ${activity} WHERE "id" = NEW."id";
  EXCEPTION WHEN foreign_key_violation THEN
    -- A tick that did not list it (a migration's backfill) points to it: it stays.
    NULL;
  END;
  RETURN NULL;
END;`,
      ),
    },
    {
      // At commit: an activity under which nothing ticked (a no-op write) is not kept.
      id: "trigger:temporal_activity:drop_unticked",
      kind: "replace",
      order: 3,
      statements: [
        `DROP TRIGGER IF EXISTS "temporal_drop_unticked" ON ${activity}`,
        `CREATE CONSTRAINT TRIGGER "temporal_drop_unticked" AFTER INSERT ON ${activity} DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION temporal_drop_unticked()`,
      ],
    },
  ];
}

/** The persistent objects of one temporal table, in creation order. */
export function tableObjects(meta: TemporalMeta): DdlObject[] {
  const id = (kind: string, name: string) => `${kind}:${meta.schema ?? "public"}.${meta.name}:${name}`;
  return [
    { id: id("table", "clock"), kind: "once", order: 10, statements: clockTableStatements(meta) },
    // After the backfill (order > 11): an index is built faster over existing rows than kept up row by row.
    { id: id("index", "clock.key_timestamp"), kind: "once", order: 12, statements: [clockTimeIndex(meta)] },
    ...sortableObjects(meta),
    ...meta.properties.map((p): DdlObject => ({
      id: id("table", `history.${p.name}`),
      kind: "once",
      order: 11,
      statements: historyTableStatements(meta, p),
    })),
    { id: id("function", "bump"), kind: "replace", order: 20, statements: [bumpFunction(meta)] },
    { id: id("function", "after_insert"), kind: "replace", order: 20, statements: afterInsertFunction(meta) },
    { id: id("function", "after_update"), kind: "replace", order: 20, statements: afterUpdateFunction(meta) },
    { id: id("triggers", "entity"), kind: "replace", order: 30, statements: triggerStatements(meta) },
    ...meta.properties.map((p): DdlObject => ({
      id: id("triggers", `history.${p.name}`),
      kind: "replace",
      order: 30,
      statements: historyGuardStatements(meta, p),
    })),
  ];
}
