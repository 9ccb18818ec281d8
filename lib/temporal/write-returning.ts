/**
 * What the write helpers' statements return and how it is read: the row's columns, one flag per tracked property
 * that says whether its value changed, and the current row when a write matched nothing (to say why).
 */
import { sql, type SQL } from "drizzle-orm";
import { rows, type TemporalDb } from "./db";
import { InvalidArgumentError } from "./errors";
import { ident } from "./names";
import { entityRef } from "./sql-parts";
import type { AnyTemporalTable, TemporalMeta } from "./table";
import { decodeRow, keyCondition, type Key } from "./values";
import type { Row, TickResult, TrackedOf } from "./write-types";

/** The column a set-based write returns each row's input position in. */
export const ORDER = "__temporal_ord";

/** Every column of the entity row under `alias`. */
export function selectList(meta: TemporalMeta, alias: string): SQL {
  return sql.join(
    meta.columns.map((c) => sql`${ident(alias)}.${ident(c.name)}`),
    sql`, `,
  );
}

/** Flags named by position: a property's own name could pass Postgres' 63-byte limit once prefixed. */
const aliases: string[] = [];
const changedAlias = (i: number) => (aliases[i] ??= `__temporal_changed_${i}`);

/** One boolean per tracked property: whether its value differs between the rows `after` and `before`. */
export function changedFlags(meta: TemporalMeta, after: string, before: string): SQL {
  return sql.join(
    meta.tracked.map(
      (p, i) => sql`(${sql.raw(p.compare(after))} IS DISTINCT FROM ${sql.raw(p.compare(before))}) AS ${ident(changedAlias(i))}`,
    ),
    sql`, `,
  );
}

/** A returned row (its columns and changed flags) as a tick's result. */
export function tickResult<T extends AnyTemporalTable>(meta: TemporalMeta, raw: Record<string, unknown>): TickResult<T> {
  const row = decodeRow(meta, raw);
  const changed: string[] = [];
  meta.tracked.forEach((p, i) => {
    if (raw[changedAlias(i)] === true) changed.push(p.prop);
  });
  return { vclock: row.vclock as number, changed: changed as TrackedOf<T>[], row: row as Row<T> };
}

/** The record as it is now, or undefined when there is none. */
export async function currentRow(db: TemporalDb, meta: TemporalMeta, key: Key): Promise<Record<string, unknown> | undefined> {
  const [raw] = await rows(db, sql`SELECT ${selectList(meta, "e")} FROM ${entityRef(meta)} e WHERE ${keyCondition(meta, key, "e")}`);
  return raw ? decodeRow(meta, raw) : undefined;
}

/** Refuses an `expectedVclock` that no record can have. */
export function checkExpectedVclock(expected: number | undefined): void {
  if (expected !== undefined && (!Number.isInteger(expected) || expected < 1)) {
    throw new InvalidArgumentError("expectedVclock must be a whole number of at least 1.");
  }
}
