/**
 * Sortable properties (TemporalTableOptions.sortable): the sort index in a property's history table, its place in
 * the migration plan and in the schema check, and what tableAsOf needs to read a sorted page from it. Private.
 *
 * The index is a btree on (value, key) that INCLUDEs the row's ranges: walked in value order, it yields the rows
 * that hold at a moment in the order the page wants, and checks the moment without visiting the table.
 */
import { Column, getTableName, is, sql, SQL, StringChunk } from "drizzle-orm";
import type { DdlObject } from "./ddl";
import { qualified, quoteIdent as q, shortIdentifier } from "./names";
import type { ColumnInfo, TemporalMeta } from "./table";

const sortIndexName = (meta: TemporalMeta, p: ColumnInfo) => shortIdentifier(`${meta.history.get(p.prop)!.name}_sort_idx`);
const sortIndexRef = (meta: TemporalMeta, p: ColumnInfo) => qualified(meta.historySchema ?? meta.schema, sortIndexName(meta, p));
const SORT_INDEX_ID = /^index:.*:sortable\./;

/**
 * The sort index of each sortable property, built after the opening history of existing rows (order 12: an index
 * is built faster over rows than kept up row by row). Dropped first, so a changed definition is rebuilt.
 */
export function sortableObjects(meta: TemporalMeta): DdlObject[] {
  if (meta.sortable.length === 0) return [];
  // The retired flag of each record the walk meets: a btree on the key that holds the ranges, read without the
  // table (the GiST exclusion indexes hold the key too, but each lookup there visits the table for the flag).
  // The retired history is written only when records are created, retired or restored.
  const retired = meta.history.get(meta.retired.prop)!;
  const keyIndex = shortIdentifier(`${retired.name}_key_idx`);
  const retiredKey: DdlObject = {
    id: `index:${meta.schema ?? "public"}.${meta.name}:sortable.${meta.retired.name}.key`,
    kind: "replace",
    order: 12,
    statements: [
      `DROP INDEX IF EXISTS ${qualified(meta.historySchema ?? meta.schema, keyIndex)}`,
      `CREATE INDEX ${q(keyIndex)} ON ${qualified(meta.historySchema ?? meta.schema, retired.name)} (${meta.keyNames.map(q).join(", ")}) INCLUDE ("retired", "vclock", "effective")`,
    ],
  };
  const sortIndexes = meta.sortable.map((p): DdlObject => {
    const history = qualified(meta.historySchema ?? meta.schema, meta.history.get(p.prop)!.name);
    return {
      id: `index:${meta.schema ?? "public"}.${meta.name}:sortable.${p.name}`,
      kind: "replace",
      order: 12,
      statements: [
        `DROP INDEX IF EXISTS ${sortIndexRef(meta, p)}`,
        `CREATE INDEX ${q(sortIndexName(meta, p))} ON ${history} (${[p.name, ...meta.keyNames].map(q).join(", ")}) INCLUDE ("vclock", "effective")`,
      ],
    };
  });
  return [...sortIndexes, retiredKey];
}

/** For a sort index no longer declared (`sql` as the snapshot stored it): the statement that drops it. */
export function sortIndexDrop(id: string, stored: string): string | undefined {
  if (!SORT_INDEX_ID.test(id)) return undefined;
  const [drop] = stored.split(";\n");
  return drop?.startsWith("DROP INDEX IF EXISTS ") ? drop : undefined;
}

/** The sort index of each sortable property (qualified, as SQL text), for the schema check. */
export function sortIndexes(meta: TemporalMeta): { property: ColumnInfo; index: string }[] {
  return meta.sortable.map((property) => ({ property, index: sortIndexRef(meta, property) }));
}

/** One term of an order: a column of `then`, ascending (`asc`, or no direction) or descending. */
function orderTerm(order: unknown): { column: string; desc: boolean } | undefined {
  const columns: Column[] = [];
  let text = "";
  const walk = (chunk: unknown): boolean => {
    if (is(chunk, SQL)) return chunk.queryChunks.every(walk);
    if (is(chunk, StringChunk)) {
      text += chunk.value.join("");
      return true;
    }
    if (is(chunk, Column)) {
      columns.push(chunk);
      return true;
    }
    return false;
  };
  if (!walk(order) || columns.length !== 1 || getTableName(columns[0]!.table) !== "then") return undefined;
  const direction = text.trim().toLowerCase();
  if (direction !== "" && direction !== "asc" && direction !== "desc") return undefined;
  return { column: columns[0]!.name, desc: direction === "desc" };
}

/**
 * The sortable property a tableAsOf order sorts by, when the order is that property alone (`asc(then.x)`,
 * `desc(then.x)`), optionally followed by the key ascending (which breaks ties anyway). Anything else (another
 * expression, `nulls first`, a second property) is read without the index. Either direction reads it: ascending
 * with nulls last, as the index holds them; descending backwards, ties put back in key order as they come.
 */
export function sortedBy(meta: TemporalMeta, orders: SQL[]): ColumnInfo | undefined {
  const [first, ...rest] = orders.map(orderTerm);
  const property = first ? meta.sortable.find((p) => p.name === first.column) : undefined;
  if (rest.length > meta.key.length || rest.some((term, i) => !term || term.desc || term.column !== meta.key[i]!.name)) return undefined;
  return property;
}

/**
 * Whether every record that existed at `moment` has a row of its properties then, so the sorted property's rows
 * then are the records then. Not when a property began to be tracked after the moment: the migration opened its
 * history at that time (ddl.ts, backfillStatements: an activity by `migration` saying "Tracking started for
 * <table>.<columns>"), and the records before it have no row (their value then reads as null). Without back-dated
 * writes the property then has no row at all (and the read falls back anyway); a record imported since with an
 * earlier moment has one, so its rows then are some of the records, not all.
 */
export function historyCompleteAt(meta: TemporalMeta, moment: SQL): SQL {
  const pattern = `Tracking started for ${meta.name.replace(/[\\%_]/g, (c) => `\\${c}`)}.%`;
  return sql`NOT EXISTS (SELECT 1 FROM "temporal_activity" "a" WHERE "a"."actor" = 'migration' AND "a"."kind" = 'migration' AND "a"."at" > ${moment} AND "a"."reason" LIKE ${pattern})`;
}
