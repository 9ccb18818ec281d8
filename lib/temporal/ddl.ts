/**
 * Generates the SQL that makes the database record history: the activity table,
 * one clock and one history table per tracked property, exclusion constraints,
 * and the PL/pgSQL triggers that capture every write path (helpers, plain Drizzle,
 * raw SQL, set-based UPDATE ... WHERE, INSERT ... ON CONFLICT).
 *
 * Capture is set-based: row-level work is limited to a BEFORE UPDATE trigger that
 * bumps `vclock` (guarded by a WHEN clause, so unchanged rows never enter PL/pgSQL);
 * clock and history rows are written once per statement from transition tables.
 */
import { activityTableStatements } from "./activity-table";
import { col, qualified, quoteIdent as q, quoteLiteral, shortIdentifier } from "./names";
import { sortableObjects } from "./sortable";
import type { ColumnInfo, TemporalMeta } from "./table";

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
const TICKED_SETTING = "temporal.ticked";
/**
 * The search path of the SECURITY DEFINER functions: pg_temp last (unnamed, it would be searched
 * first), so a caller's temporary table or function can never stand in for one of ours.
 */
export const DEFINER_SEARCH_PATH = "pg_catalog, public, pg_temp";

const MESSAGES = {
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

/** One piece of the temporal schema. `once` objects are created and never replaced. */
export type DdlObject = {
  id: string;
  kind: "once" | "replace";
  order: number;
  statements: string[];
};

const raise = (code: string, message: string) =>
  `RAISE EXCEPTION USING ERRCODE = ${quoteLiteral(code)}, MESSAGE = ${quoteLiteral(message)}`;

/**
 * `definer`: runs as the function's owner (the role that migrates), with a pinned search path, so the
 * role the app connects as needs no write privilege on clock, history or activity rows. A definer
 * function is returned with the REVOKE that keeps anyone from attaching it to a table of their own.
 */
function plpgsql(name: string, returns: string, body: string, options: { definer?: boolean } = {}): string {
  const security = options.definer ? ` SECURITY DEFINER SET search_path = ${DEFINER_SEARCH_PATH}` : "";
  return `CREATE OR REPLACE FUNCTION ${name}(${returns === "trigger" ? "" : returns}) RETURNS ${returns === "trigger" ? "trigger" : "record"} LANGUAGE plpgsql${security} AS $temporal$\n${body}\n$temporal$`;
}

const definer = (name: string, body: string): string[] => [
  plpgsql(name, "trigger", body, { definer: true }),
  `REVOKE EXECUTE ON FUNCTION ${name}() FROM PUBLIC`,
];

/** Lists an activity as one that ticked in this transaction (see TICKED_SETTING), once. */
const markTicked = (id: string) => {
  const list = `current_setting(${quoteLiteral(TICKED_SETTING)}, true)`;
  return `IF strpos(coalesce(${list}, ''), ',' || ${id} || ',') = 0 THEN
    PERFORM set_config(${quoteLiteral(TICKED_SETTING)}, coalesce(nullif(${list}, ''), ',') || ${id} || ',', true);
  END IF;`;
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

const clockTimeIndexName = (meta: TemporalMeta) => shortIdentifier(`${meta.clockName}_key_timestamp_idx`);

/** Names of the objects generated for one table, shortened to fit Postgres' limit. */
export function tableNames(meta: TemporalMeta) {
  const base = meta.name;
  const fn = (suffix: string) => qualified(meta.historySchema ?? meta.schema, shortIdentifier(`${base}_temporal_${suffix}`));
  return {
    entity: qualified(meta.schema, meta.name),
    clock: qualified(meta.historySchema ?? meta.schema, meta.clockName),
    clockTimeIndex: qualified(meta.historySchema ?? meta.schema, clockTimeIndexName(meta)),
    history: (prop: string) => qualified(meta.historySchema ?? meta.schema, meta.history.get(prop)!.name),
    bump: fn("bump"),
    afterInsert: fn("after_insert"),
    afterUpdate: fn("after_update"),
  };
}

const list = (items: string[]) => items.join(", ");

/** `a.k1 = b.k1 AND ...` between an entity alias and a clock/history alias. */
export function keyJoin(meta: TemporalMeta, entityAlias: string, otherAlias: string): string {
  return meta.key.map((k, i) => `${col(otherAlias, meta.keyNames[i]!)} = ${col(entityAlias, k.name)}`).join(" AND ");
}

function entityKeyJoin(meta: TemporalMeta, a: string, b: string): string {
  return meta.key.map((k) => `${col(a, k.name)} = ${col(b, k.name)}`).join(" AND ");
}

const changed = (p: ColumnInfo, n = "n", o = "o") => `${p.compare(n)} IS DISTINCT FROM ${p.compare(o)}`;
const row = (items: string[]) => (items.length === 1 ? `(${items[0]})` : `ROW(${list(items)})`);

function historyTableStatements(meta: TemporalMeta, prop: ColumnInfo): string[] {
  const h = meta.history.get(prop.prop)!;
  const name = tableNames(meta).history(prop.prop);
  const keyCols = meta.key.map((k, i) => `  ${q(meta.keyNames[i]!)} ${k.sqlType} NOT NULL`);
  const keys = list(meta.keyNames.map((k) => `${q(k)} WITH =`));
  const named = (suffix: string) => q(shortIdentifier(`${h.name}_${suffix}`));
  return [
    `CREATE TABLE ${name} (
${keyCols.join(",\n")},
  ${q(prop.name)} ${prop.sqlType},
  "vclock" int4range NOT NULL,
  "effective" tstzrange NOT NULL,
  CONSTRAINT ${named("vclock_check")} CHECK (lower("vclock") >= 1 AND NOT isempty("vclock")),
  CONSTRAINT ${named("effective_check")} CHECK (lower("effective") IS NOT NULL AND NOT isempty("effective")),
  CONSTRAINT ${named("open_check")} CHECK (upper_inf("vclock") = upper_inf("effective")),
  CONSTRAINT ${named("vclock_excl")} EXCLUDE USING gist (${keys}, "vclock" WITH &&),
  CONSTRAINT ${named("effective_excl")} EXCLUDE USING gist (${keys}, "effective" WITH &&)
)`,
    `CREATE UNIQUE INDEX ${named("open_idx")} ON ${name} (${list(meta.keyNames.map(q))}) WHERE upper_inf("vclock")`,
  ];
}

function clockTableStatements(meta: TemporalMeta): string[] {
  const name = tableNames(meta).clock;
  const named = (suffix: string) => q(shortIdentifier(`${meta.clockName}_${suffix}`));
  const keyCols = meta.key.map((k, i) => `  ${q(meta.keyNames[i]!)} ${k.sqlType} NOT NULL`);
  return [
    `CREATE TABLE ${name} (
${keyCols.join(",\n")},
  "tick" integer NOT NULL,
  "timestamp" timestamptz NOT NULL,
  "activity_id" bigint NOT NULL REFERENCES "temporal_activity" ("id"),
  CONSTRAINT ${named("pkey")} PRIMARY KEY (${list([...meta.keyNames.map(q), '"tick"'])}),
  CONSTRAINT ${named("tick_check")} CHECK ("tick" >= 1)
)`,
    `CREATE INDEX ${named("timestamp_idx")} ON ${name} ("timestamp")`,
    `CREATE INDEX ${named("activity_idx")} ON ${name} ("activity_id")`,
  ];
}

/**
 * The last tick of one record at or before a moment: an index range read backwards. With only the
 * primary key (key, tick) and the table-wide ("timestamp") index, asOf by time walked the record's
 * ticks newest first. Its own object, so databases created before it get it from the next migration.
 */
function clockTimeIndex(meta: TemporalMeta): string {
  return `CREATE INDEX ${q(clockTimeIndexName(meta))} ON ${tableNames(meta).clock} (${list([...meta.keyNames.map(q), '"timestamp"'])})`;
}

const distinct = (items: ColumnInfo[]) =>
  `${row(items.map((c) => c.compare("NEW")))} IS DISTINCT FROM ${row(items.map((c) => c.compare("OLD")))}`;

function bumpFunction(meta: TemporalMeta): string {
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

function afterInsertFunction(meta: TemporalMeta): string[] {
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

function afterUpdateFunction(meta: TemporalMeta): string[] {
  const names = tableNames(meta);
  const keysN = meta.key.map((k) => col("n", k.name));
  const pairs = `new_rows n JOIN old_rows o ON ${entityKeyJoin(meta, "n", "o")}`;
  // A back-dated tick must be later than the record's last one; a tick at the server's time may share its moment
  // (a coarse clock, as PGlite's), but never precede it.
  // An aggregate, not EXISTS: EXISTS is planned to stop at its first match (a nested loop over the two transition
  // tables), and on a bulk UPDATE, where nothing matches, that loop is quadratic (minutes at 100,000 rows).
  const backdated = `SELECT coalesce(bool_or(c."timestamp" > ${TICK_AT} OR (c."timestamp" = ${TICK_AT} AND ${BACKDATED})), false) FROM ${pairs} JOIN ${names.clock} c ON ${keyJoin(meta, "n", "c")} AND c."tick" = o."vclock" WHERE n."vclock" <> o."vclock"`;
  const clock = `INSERT INTO ${names.clock} (${list([...meta.keyNames.map(q), '"tick"', '"timestamp"', '"activity_id"'])}) SELECT ${list(keysN)}, n."vclock", ${TICK_AT}, ${ACTIVITY} FROM ${pairs} WHERE n."vclock" <> o."vclock"`;
  const histories = meta.properties.flatMap((p) => {
    const h = names.history(p.prop);
    return [
      // The changed rows are found first (OFFSET 0 keeps the planner from merging the subquery): transition tables
      // have no statistics, and joined directly every bulk statement read all open rows of every property.
      `UPDATE ${h} h SET "vclock" = int4range(lower(h."vclock"), n."vclock"), "effective" = tstzrange(lower(h."effective"), ${TICK_AT}) FROM (SELECT ${list([...keysN, 'n."vclock"'])} FROM ${pairs} WHERE ${changed(p)} OFFSET 0) n WHERE ${keyJoin(meta, "n", "h")} AND upper_inf(h."vclock")`,
      `INSERT INTO ${h} (${list([...meta.keyNames.map(q), q(p.name), '"vclock"', '"effective"'])}) SELECT ${list([...keysN, col("n", p.name)])}, int4range(n."vclock", NULL), tstzrange(${TICK_AT}, NULL) FROM ${pairs} WHERE ${changed(p)}`,
    ];
  });
  // Which properties changed in any row, found in one pass: history statements run only for those
  // (a one-property tick on a ten-property table runs two history statements, not twenty).
  const flagNames = meta.properties.map((_, i) => `changed_${i}`);
  const flags = `SELECT ${list(meta.properties.map((p) => `coalesce(bool_or(${changed(p)}), false)`))} FROM ${pairs}`;
  const render = (bulk: boolean) => {
    const run = (statement: string) => (bulk ? dynamicSql(statement) : staticSql(statement));
    const check = bulk
      ? `EXECUTE ${quoteLiteral(backdated.replaceAll(TICK_AT, "$1").replaceAll(BACKDATED, "$2"))} INTO late USING act.tick_at, act.backdated;`
      : `${staticSql(backdated).replaceAll(BACKDATED, "act.backdated")} INTO late;`;
    const which = bulk ? `EXECUTE ${quoteLiteral(flags)} INTO ${list(flagNames)};` : `${flags} INTO ${list(flagNames)};`;
    // Every tick follows the record's last one in time: a back-dated import out of order is refused, and so is a
    // tick after one recorded in the future (by a forged clock, before activities were stamped), with its reason.
    return `    ${check}
    IF late THEN
      IF act.backdated THEN
        ${raise(SQLSTATE.backdateOrder, MESSAGES.backdateOrder)};
      END IF;
      ${raise(SQLSTATE.futureTick, MESSAGES.futureTick)};
    END IF;
    ${run(clock)};
    GET DIAGNOSTICS ticked = ROW_COUNT;
    IF ticked = 0 THEN
      RETURN NULL;
    END IF;
    ${markTicked("act.activity_id")}
    ${which}
${meta.properties
  .map((_, i) => `    IF ${flagNames[i]} THEN\n      ${run(histories[2 * i]!)};\n      ${run(histories[2 * i + 1]!)};\n    END IF;`)
  .join("\n")}`;
  };
  return definer(
    names.afterUpdate,
    `DECLARE
  act record;
  ticked bigint;
  late boolean;
${flagNames.map((f) => `  ${f} boolean;`).join("\n")}
BEGIN
  IF current_setting(${quoteLiteral(NO_MATCH_SETTING)}, true) = 'on' AND NOT EXISTS (SELECT 1 FROM new_rows) THEN
    RETURN NULL;
  END IF;
  SELECT * INTO act FROM temporal_current_activity();
  IF (SELECT count(*) FROM new_rows) <= ${BULK_ROWS} THEN
${render(false)}
  ELSE
${render(true)}
  END IF;
  RETURN NULL;
END;`,
  );
}

function refuse(code: string, message: string): string {
  return `temporal_refuse(${quoteLiteral(code)}, ${quoteLiteral(message)})`;
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

function triggerStatements(meta: TemporalMeta): string[] {
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
function historyGuardStatements(meta: TemporalMeta, p: ColumnInfo): string[] {
  const h = tableNames(meta).history(p.prop);
  return [
    `CREATE OR REPLACE TRIGGER "temporal_direct_write" BEFORE INSERT OR UPDATE ON ${h} FOR EACH STATEMENT WHEN (pg_trigger_depth() < 1) EXECUTE FUNCTION ${refuse(SQLSTATE.historyImmutable, MESSAGES.historyDirect)}`,
    `CREATE OR REPLACE TRIGGER "temporal_immutable" BEFORE DELETE OR TRUNCATE ON ${h} FOR EACH STATEMENT EXECUTE FUNCTION ${refuse(SQLSTATE.historyImmutable, MESSAGES.historyImmutable)}`,
    `CREATE OR REPLACE TRIGGER "temporal_close_only" BEFORE UPDATE ON ${h} FOR EACH ROW WHEN ((${closeOnlyCondition(meta, p)}) IS NOT TRUE) EXECUTE FUNCTION ${refuse(SQLSTATE.historyImmutable, MESSAGES.historyImmutable)}`,
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

/**
 * Opens history for rows that existed before tracking started (a table made temporal,
 * or a property added to tracking): one clock tick or history row per entity at its
 * current vclock, under one activity that says tracking started. Runs before the
 * guard triggers exist.
 */
export function backfillStatements(meta: TemporalMeta, properties: ColumnInfo[], withClock: boolean): string {
  const names = tableNames(meta);
  const keysE = meta.key.map((k) => col("e", k.name));
  const what = withClock ? `table ${meta.name}` : `${meta.name}.${properties.map((p) => p.name).join(", ")}`;
  const inserts = properties.map(
    (p) => `    INSERT INTO ${names.history(p.prop)} (${list([...meta.keyNames.map(q), q(p.name), '"vclock"', '"effective"'])})
    SELECT ${list([...keysE, col("e", p.name)])}, int4range(e."vclock", NULL), tstzrange(ts, NULL) FROM ${names.entity} e;`,
  );
  const clock = withClock
    ? `    INSERT INTO ${names.clock} (${list([...meta.keyNames.map(q), '"tick"', '"timestamp"', '"activity_id"'])})
    SELECT ${list(keysE)}, e."vclock", ts, aid FROM ${names.entity} e;\n`
    : "";
  return `DO $temporal$
DECLARE
  ts timestamptz := clock_timestamp();
  aid bigint;
BEGIN
  IF EXISTS (SELECT 1 FROM ${names.entity}) THEN
    INSERT INTO "temporal_activity" ("reason", "actor", "kind", "at", "recorded_at", "txid")
    VALUES (${quoteLiteral(`Tracking started for ${what}`)}, 'migration', 'migration', ts, ts, txid_current())
    RETURNING "id" INTO aid;
    ${markTicked("aid")}
${clock}${inserts.join("\n")}
  END IF;
END
$temporal$`;
}
