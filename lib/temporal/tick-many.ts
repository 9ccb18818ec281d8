/** tickMany: many records' changes in one set-based UPDATE under one activity. */
import { sql, type SQL } from "drizzle-orm";
import { inActivity, type ActivityInput } from "./activity";
import { arrayLiteral, toSqlText } from "./columns";
import { rows, type TemporalDb } from "./db";
import { InvalidArgumentError, NotFoundError, StaleVclockError } from "./errors";
import { col, ident, quoteIdent } from "./names";
import { entityRef } from "./sql-parts";
import { metaOf, type AnyTemporalTable, type ColumnInfo, type TemporalMeta } from "./table";
import { checkChanges, decodeRow, normalizeKey, type Key } from "./values";
import { changedFlags, checkExpectedVclock, currentRow, ORDER, selectList, tickResult } from "./write-returning";
import type { TickManyEntry, TickResult } from "./write-types";

type Entry = { key: Key; changes: Map<ColumnInfo, unknown>; expectedVclock: number | null };

const keyId = (meta: TemporalMeta, key: Record<string, unknown>) => JSON.stringify(meta.key.map((k) => String(key[k.prop])));

/** The entries checked and normalized; a key listed twice is refused. */
function checkEntries<T extends AnyTemporalTable>(meta: TemporalMeta, entries: TickManyEntry<T>[], purpose: "change" | "revert"): Entry[] {
  if (!Array.isArray(entries)) throw new InvalidArgumentError("tickMany expects an array of { key, changes }.");
  const checked = entries.map((entry) => {
    checkExpectedVclock(entry.expectedVclock);
    return {
      key: normalizeKey(meta, entry.key),
      changes: new Map(checkChanges(meta, entry.changes as Record<string, unknown>, purpose)),
      expectedVclock: entry.expectedVclock ?? null,
    };
  });
  const seen = new Set<string>();
  const single = meta.key.length === 1 ? meta.key[0]!.prop : null;
  for (const entry of checked) {
    const id = single === null ? keyId(meta, entry.key) : String(entry.key[single]);
    if (seen.has(id))
      throw new InvalidArgumentError(`tickMany lists the key ${keyId(meta, entry.key)} twice: merge its changes into one entry.`);
    seen.add(id);
  }
  return checked;
}

/**
 * The entries as one row each (`v`): one text[] per column (sent as one array literal), cast on the server to the column's type, keeps the
 * statement count constant. Key `k<i>`, changed column `c<i>` with `h<i>` (whether the entry has it), the expected
 * version `ev` and the input position `ord`.
 */
function entryRows(meta: TemporalMeta, entries: Entry[], columns: ColumnInfo[]): SQL {
  const arrays: SQL[] = [];
  const fields: string[] = [];
  const typed: string[] = [];
  meta.key.forEach((k, i) => {
    arrays.push(sql`${arrayLiteral(entries.map((e) => toSqlText(k.column, e.key[k.prop])))}::text[]`);
    fields.push(`k${i}`);
    typed.push(`u."k${i}"::${k.sqlType} AS "k${i}"`);
  });
  columns.forEach((c, i) => {
    arrays.push(sql`${arrayLiteral(entries.map((e) => (e.changes.has(c) ? toSqlText(c.column, e.changes.get(c)) : null)))}::text[]`);
    arrays.push(sql`${arrayLiteral(entries.map((e) => e.changes.has(c)))}::boolean[]`);
    fields.push(`c${i}`, `h${i}`);
    typed.push(`u."c${i}"::${c.sqlType} AS "c${i}"`, `u."h${i}" AS "h${i}"`);
  });
  arrays.push(sql`${arrayLiteral(entries.map((e) => e.expectedVclock))}::integer[]`);
  arrays.push(sql`${arrayLiteral(entries.map((_, i) => i))}::integer[]`);
  fields.push("ev", "ord");
  typed.push(`u."ev" AS "ev"`, `u."ord" AS "ord"`);
  return sql`SELECT ${sql.raw(typed.join(", "))} FROM unnest(${sql.join(arrays, sql`, `)}) AS u(${sql.raw(fields.map(quoteIdent).join(", "))})`;
}

/**
 * Locks the rows in key order (no deadlock with another tickMany), then updates those at their expected version.
 * The locked rows (`prev`) carry their entry's fields, so the UPDATE joins them alone: one join of the input, not
 * two and a sort by position (a third of the statement's time at 100,000 rows). The fields are renamed (`__v_k0`…)
 * so they cannot meet a column of the table.
 */
function tickManyStatement(meta: TemporalMeta, entries: Entry[], columns: ColumnInfo[]): SQL {
  const fields = [...meta.key.map((_, i) => `k${i}`), ...columns.flatMap((_, i) => [`c${i}`, `h${i}`]), "ev", "ord"];
  const carried = fields.map((f) => `v.${quoteIdent(f)} AS ${quoteIdent(`__v_${f}`)}`).join(", ");
  const field = (f: string) => `prev.${quoteIdent(`__v_${f}`)}`;
  const keyMatch = meta.key.map((k, i) => `${col("e", k.name)} = ${field(`k${i}`)}`).join(" AND ");
  const assignments = columns.map(
    (c, i) => `${quoteIdent(c.name)} = CASE WHEN ${field(`h${i}`)} THEN ${field(`c${i}`)} ELSE ${col("e", c.name)} END`,
  );
  // Every entry empty: still lock, check keys and expectedVclock, and return the rows (a no-op, like tick with {}).
  if (assignments.length === 0) assignments.push(`${quoteIdent(meta.vclock.name)} = ${col("e", meta.vclock.name)}`);
  const entryKey = meta.key.map((k, i) => `${col("e", k.name)} = v."k${i}"`).join(" AND ");
  return sql`WITH v AS (${entryRows(meta, entries, columns)}),
          prev AS (SELECT e.*, ${sql.raw(carried)} FROM ${entityRef(meta)} e JOIN v ON ${sql.raw(entryKey)}
                   ORDER BY ${sql.raw(meta.key.map((k) => col("e", k.name)).join(", "))} FOR UPDATE OF e)
          UPDATE ${entityRef(meta)} AS e SET ${sql.raw(assignments.join(", "))}
            FROM prev
           WHERE ${sql.raw(keyMatch)} AND (${sql.raw(field("ev"))} IS NULL OR prev.${sql.raw(quoteIdent(meta.vclock.name))} = ${sql.raw(field("ev"))})
       RETURNING ${selectList(meta, "e")}, ${sql.raw(field("ord"))} AS ${ident(ORDER)}, ${changedFlags(meta, "e", "prev")}`;
}

/** Throws why some entries updated no row: an unknown key, a key listed twice in two spellings, or a stale version. */
async function refuseShortfall(tx: TemporalDb, meta: TemporalMeta, entries: Entry[], result: Record<string, unknown>[]): Promise<never> {
  const done = new Set(result.map((r) => Number(r[ORDER])));
  const missing = entries.find((_, i) => !done.has(i))!;
  const current = await currentRow(tx, meta, missing.key);
  if (!current) throw new NotFoundError(meta.name, missing.key);
  // Two spellings of one key (a UUID in upper case, "07" for 7) get past the duplicate check at the top: the row was updated by the other entry.
  const sameKey = (row: Record<string, unknown>) => meta.key.every((k) => String(row[k.prop]) === String(current[k.prop]));
  if (result.some((raw) => sameKey(decodeRow(meta, raw, meta.key)))) {
    throw new InvalidArgumentError(`tickMany lists the key ${keyId(meta, current)} twice: merge its changes into one entry.`);
  }
  throw new StaleVclockError(missing.expectedVclock!, current.vclock as number, current);
}

/**
 * Changes many records in one set-based UPDATE (a constant number of statements,
 * whatever the count) under one activity. All or nothing: an unknown key or a
 * stale `expectedVclock` refuses the whole call.
 *
 * @example
 * await tickMany(db, member, [{ key: 1, changes: { plan: "gold" } }, { key: 2, changes: { premium: "120.00" } }],
 *   { reason: "2027 renewals", actor: "ops@clover" });
 */
export function tickMany<T extends AnyTemporalTable>(
  db: TemporalDb,
  table: T,
  entries: TickManyEntry<T>[],
  activity?: ActivityInput,
): Promise<TickResult<T>[]> {
  return tickManyWith(db, table, entries, activity, "change");
}

/** tickMany's engine; reverts may also set `retired`. */
export async function tickManyWith<T extends AnyTemporalTable>(
  db: TemporalDb,
  table: T,
  entries: TickManyEntry<T>[],
  activity: ActivityInput | undefined,
  purpose: "change" | "revert",
): Promise<TickResult<T>[]> {
  const meta = metaOf(table);
  const checked = checkEntries(meta, entries, purpose);
  if (checked.length === 0) return [];
  const columns: ColumnInfo[] = meta.columns.filter((c) => checked.some((e) => e.changes.has(c)));
  return inActivity(db, activity, async (tx) => {
    const result = await rows(tx, tickManyStatement(meta, checked, columns));
    if (result.length !== checked.length) return refuseShortfall(tx, meta, checked, result);
    const ordered: TickResult<T>[] = new Array(checked.length);
    for (const raw of result) ordered[Number(raw[ORDER])] = tickResult<T>(meta, raw);
    return ordered;
  });
}
