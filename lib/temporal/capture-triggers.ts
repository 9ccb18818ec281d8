/**
 * The capture triggers of one temporal table, but the after-update function (capture-update.ts): the row-level bump
 * of vclock, the after-insert function that opens a new record's history, and the guards on the entity, clock and
 * history tables.
 */
import { MESSAGES, SQLSTATE } from "./capture-settings";
import { tableNames } from "./history-tables";
import { col, quoteIdent as q } from "./names";
import { definer, list, markTicked, plpgsql, raise, refuse } from "./plpgsql";
import type { ColumnInfo, TemporalMeta } from "./table";

const row = (items: string[]) => (items.length === 1 ? `(${items[0]})` : `ROW(${list(items)})`);

const distinct = (items: ColumnInfo[]) =>
  `${row(items.map((c) => c.compare("NEW")))} IS DISTINCT FROM ${row(items.map((c) => c.compare("OLD")))}`;

export function bumpFunction(meta: TemporalMeta): string {
  const keyCompare = distinct(meta.key);
  const tracked = distinct(meta.properties);
  return plpgsql(
    tableNames(meta).bump,
    "trigger",
    `BEGIN
  IF ${keyCompare} THEN
    ${raise(SQLSTATE.keyChange, MESSAGES.keyChange)};
  END IF;
  IF ${tracked} THEN
    IF OLD."retired" AND NEW."retired" THEN
      ${raise(SQLSTATE.retired, MESSAGES.retired)};
    END IF;
    NEW."vclock" := OLD."vclock" + 1;
  ELSE
    NEW."vclock" := OLD."vclock";
  END IF;
  RETURN NEW;
END;`,
  );
}

export function afterInsertFunction(meta: TemporalMeta): string[] {
  const names = tableNames(meta);
  const keysN = meta.key.map((k) => col("n", k.name));
  const histories = meta.properties.map(
    (p) => `  INSERT INTO ${names.history(p.prop)} (${list([...meta.keyNames.map(q), q(p.name), '"vclock"', '"effective"'])})
  SELECT ${list([...keysN, col("n", p.name)])}, int4range(1, NULL), tstzrange(act.tick_at, NULL) FROM new_rows n;`,
  );
  return definer(
    names.afterInsert,
    `DECLARE
  act record;
  ticked bigint;
BEGIN
  SELECT * INTO act FROM temporal_current_activity();
  IF EXISTS (SELECT 1 FROM new_rows WHERE "vclock" <> 1 OR "retired") THEN
    ${raise(SQLSTATE.vclockManaged, MESSAGES.vclockManaged)};
  END IF;
  INSERT INTO ${names.clock} (${list([...meta.keyNames.map(q), '"tick"', '"timestamp"', '"activity_id"'])})
  SELECT ${list(keysN)}, 1, act.tick_at, act.activity_id FROM new_rows n;
  GET DIAGNOSTICS ticked = ROW_COUNT;
  IF ticked = 0 THEN
    RETURN NULL;
  END IF;
  ${markTicked("act.activity_id")}
${histories.join("\n")}
  RETURN NULL;
END;`,
  );
}

/** A closing update may only end an open range, at a later tick and moment; nothing else may change. */
function closeOnlyCondition(meta: TemporalMeta, p: ColumnInfo): string {
  const same = [
    ...meta.keyNames.map((n) => `NEW.${q(n)} IS NOT DISTINCT FROM OLD.${q(n)}`),
    `${p.compare("NEW")} IS NOT DISTINCT FROM ${p.compare("OLD")}`,
  ];
  return [
    'upper_inf(OLD."vclock")',
    'NOT upper_inf(NEW."vclock")',
    'lower(NEW."vclock") = lower(OLD."vclock")',
    'NOT isempty(NEW."vclock")',
    'upper_inf(OLD."effective")',
    'NOT upper_inf(NEW."effective")',
    'lower(NEW."effective") = lower(OLD."effective")',
    'NOT isempty(NEW."effective")',
    ...same,
  ].join(" AND ");
}

export function triggerStatements(meta: TemporalMeta): string[] {
  const names = tableNames(meta);
  const e = names.entity;
  return [
    // No BEFORE STATEMENT check of the activity: the after-statement triggers below refuse any INSERT or UPDATE
    // (even of no rows, unless it set NO_MATCH_SETTING) without one, and a statement may set its activity in a CTE
    // (the one-statement tick).
    `DROP TRIGGER IF EXISTS "temporal_1_require_activity" ON ${e}`,
    `CREATE OR REPLACE TRIGGER "temporal_1_refuse_delete" BEFORE DELETE OR TRUNCATE ON ${e} FOR EACH STATEMENT EXECUTE FUNCTION ${refuse(SQLSTATE.deleteRefused, MESSAGES.deleteRefused)}`,
    // No WHEN clause: one naming columns would block ALTER COLUMN ... TYPE on the entity table.
    `CREATE OR REPLACE TRIGGER "temporal_2_bump" BEFORE UPDATE ON ${e} FOR EACH ROW EXECUTE FUNCTION ${names.bump}()`,
    `CREATE OR REPLACE TRIGGER "temporal_3_after_insert" AFTER INSERT ON ${e} REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${names.afterInsert}()`,
    `CREATE OR REPLACE TRIGGER "temporal_3_after_update" AFTER UPDATE ON ${e} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION ${names.afterUpdate}()`,
    `CREATE OR REPLACE TRIGGER "temporal_direct_write" BEFORE INSERT ON ${names.clock} FOR EACH STATEMENT WHEN (pg_trigger_depth() < 1) EXECUTE FUNCTION ${refuse(SQLSTATE.historyImmutable, MESSAGES.historyDirect)}`,
    `CREATE OR REPLACE TRIGGER "temporal_immutable" BEFORE UPDATE OR DELETE OR TRUNCATE ON ${names.clock} FOR EACH STATEMENT EXECUTE FUNCTION ${refuse(SQLSTATE.historyImmutable, MESSAGES.historyImmutable)}`,
  ];
}

/** Guards of one history table: written only by capture, and only ever by closing an open range. */
export function historyGuardStatements(meta: TemporalMeta, p: ColumnInfo): string[] {
  const h = tableNames(meta).history(p.prop);
  return [
    `CREATE OR REPLACE TRIGGER "temporal_direct_write" BEFORE INSERT OR UPDATE ON ${h} FOR EACH STATEMENT WHEN (pg_trigger_depth() < 1) EXECUTE FUNCTION ${refuse(SQLSTATE.historyImmutable, MESSAGES.historyDirect)}`,
    `CREATE OR REPLACE TRIGGER "temporal_immutable" BEFORE DELETE OR TRUNCATE ON ${h} FOR EACH STATEMENT EXECUTE FUNCTION ${refuse(SQLSTATE.historyImmutable, MESSAGES.historyImmutable)}`,
    // AFTER, not BEFORE: a BEFORE ROW trigger locks every row it is checked on (WHEN or not), a write of its own per
    // closed row; an AFTER ROW trigger whose WHEN is false queues nothing. The refusal aborts the statement alike.
    `CREATE OR REPLACE TRIGGER "temporal_close_only" AFTER UPDATE ON ${h} FOR EACH ROW WHEN ((${closeOnlyCondition(meta, p)}) IS NOT TRUE) EXECUTE FUNCTION ${refuse(SQLSTATE.historyImmutable, MESSAGES.historyImmutable)}`,
  ];
}
