/** The clock and history tables of one temporal table: the names of its generated objects and their CREATE statements. */
import { col, qualified, quoteIdent as q, shortIdentifier } from "./names";
import { list } from "./plpgsql";
import type { ColumnInfo, TemporalMeta } from "./table";

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

/** `a.k1 = b.k1 AND ...` between an entity alias and a clock/history alias. */
export function keyJoin(meta: TemporalMeta, entityAlias: string, otherAlias: string): string {
  return meta.key.map((k, i) => `${col(otherAlias, meta.keyNames[i]!)} = ${col(entityAlias, k.name)}`).join(" AND ");
}

export function historyTableStatements(meta: TemporalMeta, prop: ColumnInfo): string[] {
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

export function clockTableStatements(meta: TemporalMeta): string[] {
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
export function clockTimeIndex(meta: TemporalMeta): string {
  return `CREATE INDEX ${q(clockTimeIndexName(meta))} ON ${tableNames(meta).clock} (${list([...meta.keyNames.map(q), '"timestamp"'])})`;
}
