/**
 * The after-update function of one temporal table: once per statement, from its transition tables, it checks that
 * every tick follows the record's last one in time, writes the clock rows, and closes and opens the history rows of
 * the properties that changed.
 */
import { MESSAGES, NO_MATCH_SETTING, SQLSTATE } from "./capture-settings";
import { keyJoin, tableNames } from "./history-tables";
import { col, quoteIdent as q, quoteLiteral } from "./names";
import { definer, list, markTicked, raise } from "./plpgsql";
import type { ColumnInfo, TemporalMeta } from "./table";

function entityKeyJoin(meta: TemporalMeta, a: string, b: string): string {
  return meta.key.map((k) => `${col(a, k.name)} = ${col(b, k.name)}`).join(" AND ");
}

const changed = (p: ColumnInfo, n = "n", o = "o") => `${p.compare(n)} IS DISTINCT FROM ${p.compare(o)}`;

/** Statements with placeholders for the activity, rendered static (small) or as EXECUTE (bulk). */
const TICK_AT = "\u0000tick_at\u0000";
const ACTIVITY = "\u0000activity\u0000";
const BACKDATED = "\u0000backdated\u0000";

function staticSql(statement: string): string {
  return statement.replaceAll(TICK_AT, "act.tick_at").replaceAll(ACTIVITY, "act.activity_id");
}

function dynamicSql(statement: string): string {
  return `EXECUTE ${quoteLiteral(statement.replaceAll(TICK_AT, "$1").replaceAll(ACTIVITY, "$2"))} USING act.tick_at, act.activity_id`;
}

/**
 * Transition tables range from one row to millions, and PL/pgSQL caches a plan
 * built for the first size it saw: a nested loop that is quadratic on a bulk
 * UPDATE. Small statements use the cached plan; bulk ones are planned for their
 * real size with EXECUTE.
 */
const BULK_ROWS = 32;

/** Where a statement's rows come from: each new row beside the old row of the same record. */
const pairsOf = (meta: TemporalMeta) => `new_rows n JOIN old_rows o ON ${entityKeyJoin(meta, "n", "o")}`;

/**
 * Whether any tick would not follow its record's last one in time: a back-dated tick must be later than the
 * record's last one; a tick at the server's time may share its moment (a coarse clock, as PGlite's), but never
 * precede it. An aggregate, not EXISTS: EXISTS is planned to stop at its first match (a nested loop over the two
 * transition tables), and on a bulk UPDATE, where nothing matches, that loop is quadratic (minutes at 100,000 rows).
 */
function lateTickQuery(meta: TemporalMeta): string {
  const clock = tableNames(meta).clock;
  return `SELECT coalesce(bool_or(c."timestamp" > ${TICK_AT} OR (c."timestamp" = ${TICK_AT} AND ${BACKDATED})), false) FROM ${pairsOf(meta)} JOIN ${clock} c ON ${keyJoin(meta, "n", "c")} AND c."tick" = o."vclock" WHERE n."vclock" <> o."vclock"`;
}

/** One clock row per record whose vclock moved. */
function clockInsert(meta: TemporalMeta): string {
  const keysN = meta.key.map((k) => col("n", k.name));
  return `INSERT INTO ${tableNames(meta).clock} (${list([...meta.keyNames.map(q), '"tick"', '"timestamp"', '"activity_id"'])}) SELECT ${list(keysN)}, n."vclock", ${TICK_AT}, ${ACTIVITY} FROM ${pairsOf(meta)} WHERE n."vclock" <> o."vclock"`;
}

/** Closing the open history row of every record whose property changed, then opening its next one. */
function historyWrites(meta: TemporalMeta, p: ColumnInfo): { close: string; open: string } {
  const h = tableNames(meta).history(p.prop);
  const keysN = meta.key.map((k) => col("n", k.name));
  const pairs = pairsOf(meta);
  return {
    // The changed rows are found first (OFFSET 0 keeps the planner from merging the subquery): transition tables
    // have no statistics, and joined directly every bulk statement read all open rows of every property.
    close: `UPDATE ${h} h SET "vclock" = int4range(lower(h."vclock"), n."vclock"), "effective" = tstzrange(lower(h."effective"), ${TICK_AT}) FROM (SELECT ${list([...keysN, 'n."vclock"'])} FROM ${pairs} WHERE ${changed(p)} OFFSET 0) n WHERE ${keyJoin(meta, "n", "h")} AND upper_inf(h."vclock")`,
    open: `INSERT INTO ${h} (${list([...meta.keyNames.map(q), q(p.name), '"vclock"', '"effective"'])}) SELECT ${list([...keysN, col("n", p.name)])}, int4range(n."vclock", NULL), tstzrange(${TICK_AT}, NULL) FROM ${pairs} WHERE ${changed(p)}`,
  };
}

/**
 * Which properties changed in any row, found in one pass: history statements run only for those
 * (a one-property tick on a ten-property table runs two history statements, not twenty).
 */
const flagNames = (meta: TemporalMeta) => meta.properties.map((_, i) => `changed_${i}`);
const changedQuery = (meta: TemporalMeta) =>
  `SELECT ${list(meta.properties.map((p) => `coalesce(bool_or(${changed(p)}), false)`))} FROM ${pairsOf(meta)}`;

/** The checks and writes of one statement's capture, with cached plans (`bulk` false) or planned per call. */
function captureBody(meta: TemporalMeta, bulk: boolean): string {
  const run = (statement: string) => (bulk ? dynamicSql(statement) : staticSql(statement));
  const late = lateTickQuery(meta);
  const flags = flagNames(meta);
  // In bulk, the clock's newest moment first (one read of its timestamp index): when no clock row is later than this
  // tick (or as late, for a back-dated one), no record's last tick can be, and the join over every row is skipped.
  const check = bulk
    ? `SELECT max(c."timestamp") INTO newest FROM ${tableNames(meta).clock} c;
    late := false;
    IF newest > act.tick_at OR (newest = act.tick_at AND act.backdated) THEN
      EXECUTE ${quoteLiteral(late.replaceAll(TICK_AT, "$1").replaceAll(BACKDATED, "$2"))} INTO late USING act.tick_at, act.backdated;
    END IF;`
    : `${staticSql(late).replaceAll(BACKDATED, "act.backdated")} INTO late;`;
  const which = bulk ? `EXECUTE ${quoteLiteral(changedQuery(meta))} INTO ${list(flags)};` : `${changedQuery(meta)} INTO ${list(flags)};`;
  const histories = meta.properties.map((p, i) => {
    const { close, open } = historyWrites(meta, p);
    return `    IF ${flags[i]} THEN\n      ${run(close)};\n      ${run(open)};\n    END IF;`;
  });
  // Every tick follows the record's last one in time: a back-dated import out of order is refused, and so is a
  // tick after one recorded in the future (by a forged clock, before activities were stamped), with its reason.
  return `    ${check}
    IF late THEN
      IF act.backdated THEN
        ${raise(SQLSTATE.backdateOrder, MESSAGES.backdateOrder)};
      END IF;
      ${raise(SQLSTATE.futureTick, MESSAGES.futureTick)};
    END IF;
    ${run(clockInsert(meta))};
    GET DIAGNOSTICS ticked = ROW_COUNT;
    IF ticked = 0 THEN
      RETURN NULL;
    END IF;
    ${markTicked("act.activity_id")}
    ${which}
${histories.join("\n")}`;
}

/** The after-statement trigger function of UPDATE: the capture of every tick the statement made. */
export function afterUpdateFunction(meta: TemporalMeta): string[] {
  return definer(
    tableNames(meta).afterUpdate,
    `DECLARE
  act record;
  ticked bigint;
  late boolean;
  newest timestamptz;
${flagNames(meta)
  .map((f) => `  ${f} boolean;`)
  .join("\n")}
BEGIN
  IF current_setting(${quoteLiteral(NO_MATCH_SETTING)}, true) = 'on' AND NOT EXISTS (SELECT 1 FROM new_rows) THEN
    RETURN NULL;
  END IF;
  SELECT * INTO act FROM temporal_current_activity();
  IF (SELECT count(*) FROM new_rows) <= ${BULK_ROWS} THEN
${captureBody(meta, false)}
  ELSE
${captureBody(meta, true)}
  END IF;
  RETURN NULL;
END;`,
  );
}
