import { sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import { rows, type TemporalDb } from "./db";
import { InvalidArgumentError } from "./errors";
import { referencedColumns } from "./sql-columns";
import { col, ident, quoteIdent } from "./names";
import { historyCompleteAt, sortedBy } from "./sortable";
import { clockRef, historyRef, lateral, momentEnd } from "./sql-parts";
import { metaOf, type AnyTemporalTable, type ColumnInfo, type TemporalMeta } from "./table";
import { decodeRow, normalizeKey, type Key, type KeyInput } from "./values";
import type { Row } from "./write";

export type TableAsOfOptions<T extends AnyTemporalTable> = {
  /** A filter over the table as it was then, e.g. `(t) => eq(t.location, "Oakland")`. */
  where?: (then: T) => SQL | undefined;
  /**
   * Sort order (default: the primary key, which pages fastest). Ties are broken by the primary key.
   * `asc(then.x)` or `desc(then.x)` of a sortable property (TemporalTableOptions.sortable) is read from its sort
   * index: a page costs what its offset and limit cover, not the property's whole history.
   */
  orderBy?: (then: T) => SQL | SQL[];
  limit?: number;
  offset?: number;
  /** Include records that were retired at that moment (hidden by default). */
  includeRetired?: boolean;
  /**
   * Keyset paging: start after this key (the last row of the previous page), so every
   * page costs what the first does. Only with the default order (the primary key).
   */
  after?: KeyInput;
  /**
   * Count every match (default true). Counting visits every record as it was then (looking
   * up only the properties `where` reads); with `count: false` a page sorted by the primary
   * key reads only the records it shows (plus one, for `hasMore`), so it stays fast at any
   * table size. A page sorted by a property reads that property's history for every record, unless
   * the property is sortable.
   */
  count?: boolean;
  /**
   * Only records ticked between this moment and `at`, in either order: created, changed, retired or
   * restored in between (a value changed and changed back counts). Found per record in the clock's
   * (key, timestamp) index. Retired records are still hidden unless `includeRetired`.
   */
  changedSince?: Date;
};

export type TableAsOf<T extends AnyTemporalTable> = {
  rows: (Row<T> & { vclock: number })[];
  /** Every match, or null when `count: false`. */
  total: number | null;
  /** Whether a page after this one has rows. */
  hasMore: boolean;
};

/**
 * Up to this many history tables are joined in the first stage, so the planner may read
 * each in one scan (a hash join) when every record is needed; beyond it each is looked up
 * per record (LATERAL), which keeps planning time flat for tables with many properties.
 */
const JOINED = 4;

const aliasOf = (meta: TemporalMeta, p: ColumnInfo) => (p === meta.retired ? "r" : `h${meta.properties.indexOf(p)}`);
/** The version a property's row then started at, carried from the first stage to the page (quoted). */
const since = (meta: TemporalMeta, p: ColumnInfo) => quoteIdent(`__temporal_vclock_${meta.properties.indexOf(p)}`);
const TOTAL = "__temporal_total";
const list = (parts: SQL[]) => sql.join(parts, sql`, `);

/** The SQL of the record's key column `i` in the first stage. */
type KeyRef = (i: number) => string;

type Query = {
  meta: TemporalMeta;
  moment: SQL;
  /** Properties looked up for every record: those the filter and the order read, and `retired`. */
  first: ColumnInfo[];
  /** The other properties, looked up for the page's rows only. */
  rest: ColumnInfo[];
  after: Key | undefined;
  /** The condition that keeps only records ticked in the `changedSince` window. */
  changed: ((key: KeyRef) => SQL) | undefined;
  /**
   * A sortable property the page is sorted by: the records are its rows then, read in value order from its sort
   * index, instead of every row of the entity table.
   */
  driver?: ColumnInfo;
};

/** Properties the caller's filter and order read; all of them when the expressions cannot be analysed. */
function firstStage(meta: TemporalMeta, expressions: unknown[]): ColumnInfo[] {
  const read = referencedColumns(
    expressions,
    "then",
    meta.columns.map((c) => c.name),
  );
  if (!read || read.has(meta.vclock.name)) return meta.properties;
  return meta.properties.filter((p) => p === meta.retired || read.has(p.name));
}

/**
 * The table as it was then, narrowed to the keys, the first-stage properties and the untracked
 * columns (null: their past is not kept). Records are never deleted, so every record that
 * existed then is in the entity table; the retired flag's row then says it existed. With a
 * driver, the records are the driver's rows then instead (each record then has one, unless
 * historyCompleteAt says otherwise: then there are none), walked in its sort index's order.
 */
function thenTable(q: Query): SQL {
  const { meta, moment, driver } = q;
  const source = driver ? aliasOf(meta, driver) : "e";
  const key: KeyRef = (i) => col(source, driver ? meta.keyNames[i]! : meta.key[i]!.name);
  const byEntity = (x: string) => sql.raw(meta.key.map((_, i) => `${col(x, meta.keyNames[i]!)} = ${key(i)}`).join(" AND "));
  const atMoment = (x: string) => sql`${byEntity(x)} AND ${ident(x)}."effective" @> ${moment}`;
  const select = meta.columns.flatMap((c): SQL[] => {
    if (meta.key.includes(c)) return [sql.raw(`${key(meta.key.indexOf(c))} AS ${quoteIdent(c.name)}`)];
    if (q.first.includes(c)) {
      const a = aliasOf(meta, c);
      return [sql.raw(`${col(a, c.name)} AS ${quoteIdent(c.name)}, lower(${a}."vclock") AS ${since(meta, c)}`)];
    }
    if (meta.properties.includes(c)) return [];
    if (c === meta.vclock) {
      if (q.rest.length > 0) return [];
      return [sql.raw(`GREATEST(${meta.properties.map((p) => `lower(${aliasOf(meta, p)}."vclock")`).join(", ")}) AS "vclock"`)];
    }
    return [sql.raw(`NULL::${c.sqlType} AS ${quoteIdent(c.name)}`)];
  });
  const others = q.first.filter((p) => p !== meta.retired && p !== driver);
  // Walking a sort index, each record's retired flag then is one lookup: ordered by the key, so that it is read
  // from the retired history's key index (sortable.ts), a btree that holds the ranges, not a GiST index and the table.
  const retiredByKey = sql.raw(meta.keyNames.map((k) => col('"r_x"', k)).join(", "));
  const retired = driver
    ? sql`JOIN LATERAL (SELECT "r_x".* FROM ${historyRef(meta, meta.retired)} "r_x" WHERE ${atMoment("r_x")} ORDER BY ${retiredByKey} LIMIT 1) r ON true`
    : undefined;
  const joins =
    q.first.length <= JOINED
      ? [
          retired ?? sql`JOIN ${historyRef(meta, meta.retired)} r ON ${atMoment("r")}`,
          ...others.map((p) => sql`LEFT JOIN ${historyRef(meta, p)} ${ident(aliasOf(meta, p))} ON ${atMoment(aliasOf(meta, p))}`),
        ]
      : [
          retired ??
            sql`JOIN LATERAL (SELECT "r_x".* FROM ${historyRef(meta, meta.retired)} "r_x" WHERE ${atMoment("r_x")} LIMIT 1) r ON true`,
          ...others.map((p) => lateral(historyRef(meta, p), aliasOf(meta, p), atMoment)),
        ];
  const after = q.after;
  const conditions = [
    driver ? sql`${ident(source)}."effective" @> ${moment} AND ${historyCompleteAt(meta, moment)}` : undefined,
    after
      ? sql`(${sql.raw(meta.key.map((_, i) => key(i)).join(", "))}) > (${sql.join(
          meta.key.map((k) => sql`${sql.param(after[k.prop], k.column)}::${sql.raw(k.sqlType)}`),
          sql`, `,
        )})`
      : undefined,
    q.changed?.(key),
  ].filter((c): c is SQL => c !== undefined);
  const where = conditions.length > 0 ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
  const from = driver ? sql`${historyRef(meta, driver)} ${ident(source)}` : sql`${meta.table} e`;
  return sql`SELECT ${list(select)} FROM ${from} ${sql.join(joins, sql` `)} ${where}`;
}

/**
 * `e` has a tick after the earlier moment and at or before the later one: what reading as of the
 * later moment sees and reading as of the earlier one does not (each covers its whole millisecond).
 */
function tickedBetween(meta: TemporalMeta, a: Date, b: Date): (key: KeyRef) => SQL {
  momentEnd(a); // a valid Date, or InvalidArgumentError before getTime() could fail
  const [earlier, later] = a.getTime() <= b.getTime() ? [a, b] : [b, a];
  return (key) => {
    const byEntity = sql.raw(meta.key.map((_, i) => `${col("c", meta.keyNames[i]!)} = ${key(i)}`).join(" AND "));
    return sql`EXISTS (SELECT 1 FROM ${clockRef(meta)} c WHERE ${byEntity} AND c."timestamp" > ${momentEnd(earlier)} AND c."timestamp" <= ${momentEnd(later)})`;
  };
}

/** The page's columns in table order: first-stage values from the page, the others from their lookups. */
function pageColumns(q: Query): SQL {
  const { meta } = q;
  return list(
    meta.columns.map((c) => {
      if (q.rest.includes(c)) return sql.raw(`${col(aliasOf(meta, c), c.name)} AS ${quoteIdent(c.name)}`);
      if (c !== meta.vclock || q.rest.length === 0) return sql.raw(`${col('"then"', c.name)} AS ${quoteIdent(c.name)}`);
      const lowers = [...q.first.map((p) => `"then".${since(meta, p)}`), ...q.rest.map((p) => `lower(${aliasOf(meta, p)}."vclock")`)];
      return sql.raw(`GREATEST(${lowers.join(", ")}) AS "vclock"`);
    }),
  );
}

function pageLookups(q: Query): SQL {
  const { meta, moment } = q;
  const byPage = (x: string) => sql.raw(meta.key.map((k, i) => `${col(x, meta.keyNames[i]!)} = ${col('"then"', k.name)}`).join(" AND "));
  return sql.join(
    q.rest.map((p) => lateral(historyRef(meta, p), aliasOf(meta, p), (x) => sql`${byPage(x)} AND ${ident(x)}."effective" @> ${moment}`)),
    sql` `,
  );
}

/**
 * Every record of a table as it was at a moment, filtered, sorted and paged in
 * the database. Untracked columns are null (their past is not kept).
 *
 * Two stages: the properties the filter and the order read are found for every record
 * (in key order the walk stops at the page; sorted by a value, the planner may read each
 * of those history tables in one scan; sorted by a sortable property, the walk follows its
 * sort index and stops at the page), the page is cut, and only then are the other
 * properties looked up, for the page's rows alone.
 *
 * @example
 * const { rows, total } = await tableAsOf(db, friend, new Date("2016-01-01"), { where: (t) => eq(t.location, "San Francisco") });
 */
export async function tableAsOf<T extends AnyTemporalTable>(
  db: TemporalDb,
  table: T,
  at: Date,
  options: TableAsOfOptions<T> = {},
): Promise<TableAsOf<T>> {
  const meta = metaOf(table);
  const limit = options.limit ?? 100;
  const offset = options.offset ?? 0;
  const counting = options.count ?? true;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
    throw new InvalidArgumentError("limit must be a whole number from 1 to 10000.");
  if (!Number.isInteger(offset) || offset < 0) throw new InvalidArgumentError("offset must be a whole number of at least 0.");
  if (options.after !== undefined && options.orderBy) {
    throw new InvalidArgumentError("after pages in primary-key order: leave orderBy out, or page with offset.");
  }
  const moment = momentEnd(at);
  const changed = options.changedSince === undefined ? undefined : tickedBetween(meta, options.changedSince, at);
  const after = options.after === undefined ? undefined : normalizeKey(meta, options.after);
  const then = alias(table, "then") as unknown as T;
  const where = options.where?.(then);
  const order = options.orderBy?.(then);
  const orders = order === undefined ? [] : Array.isArray(order) ? order : [order];
  const stage = (expressions: unknown[]): Query => {
    const first = firstStage(meta, expressions);
    return { meta, moment, first, rest: meta.properties.filter((p) => !first.includes(p)), after, changed };
  };
  const q = stage([where, ...orders]);

  const conditions = [options.includeRetired ? undefined : sql`NOT "then"."retired"`, where].filter(Boolean) as SQL[];
  const filter = conditions.length ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
  // The count reads only what the filter reads: sorted by one property, counting does not look it up for every
  // record. A CTE of its own, so a column the analysis missed is an error rather than a reference to the page.
  const matches = sql`SELECT count(*) AS ${ident(TOTAL)} FROM (${thenTable(stage([where]))}) "then" ${filter}`;
  // The key breaks ties, so the order is the same on every call and pages neither repeat nor skip rows.
  const orderSql = list([...orders, sql.raw(meta.key.map((k) => col('"then"', k.name)).join(", "))]);
  const read = (query: Query) =>
    rows(
      db,
      sql`WITH "then" AS (${thenTable(query)})${counting ? sql`, "matches" AS (${matches})` : sql``}
        SELECT ${pageColumns(query)}${counting ? sql`, "matches".${ident(TOTAL)}` : sql``}
          FROM (SELECT "then".* FROM "then" ${filter} ORDER BY ${orderSql} LIMIT ${limit + 1} OFFSET ${offset}) "then"
          ${counting ? sql`CROSS JOIN "matches"` : sql``}
          ${pageLookups(query)}
         ORDER BY ${orderSql}`,
    );
  // Sorted by a sortable property, the page is read from its sort index. That read finds no row when a record
  // then may have had no row of the property (see historyCompleteAt), or when the page is past the end: the
  // page is then read from every record.
  const sorted = sortedBy(meta, orders);
  const fromIndex = sorted ? await read({ ...q, driver: sorted }) : [];
  const result = fromIndex.length > 0 ? fromIndex : await read(q);
  const page = result.slice(0, limit).map((raw) => decodeRow(meta, raw) as Row<T> & { vclock: number });
  if (!counting) return { rows: page, total: null, hasMore: result.length > limit };
  // A page past the end has no row to carry the count: count the matches on their own.
  const [counted] = result.length === 0 && offset > 0 ? await rows(db, matches) : result;
  const total = counted ? Number(counted[TOTAL]) : 0;
  return { rows: page, total, hasMore: result.length > limit };
}
