/** Which columns of an aliased table a caller's SQL reads. Private to the library. */
import {
  Column,
  getTableName,
  getViewName,
  is,
  isSQLWrapper,
  Name,
  Param,
  Placeholder,
  SQL,
  StringChunk,
  Subquery,
  Table,
  View,
} from "drizzle-orm";

/** A whole-row or qualified use of the alias in raw text (`then.x`, `row_to_json(then)`), not the CASE keyword. */
const aliasInText = (alias: string) => new RegExp(`\\b${alias}\\s*[.)]|[(,]\\s*${alias}\\b`, "i");
const WORD = /[A-Za-z_][A-Za-z0-9_$]*/g;

/**
 * The names of the columns of `alias` that `expressions` read, found by walking Drizzle's SQL
 * chunks: columns of the alias, identifiers, and words of raw text that name one of `columns`
 * (an unqualified name in raw SQL resolves to the alias's column). Returns null when it cannot
 * tell: raw text that quotes an identifier or names the alias itself, or the alias as a table.
 * Callers then assume every column is read.
 *
 * @example
 * referencedColumns([eq(then.location, "Oslo"), desc(then.name)], "then", ["id", "name", "location"]) // Set { "location", "name" }
 */
export function referencedColumns(expressions: unknown[], alias: string, columns: string[]): Set<string> | null {
  const found = new Set<string>();
  const known = new Set(columns);
  const inText = aliasInText(alias);
  const name = (value: string) => {
    if (value === alias) return false;
    if (known.has(value)) found.add(value);
    return true;
  };
  const text = (value: string) => {
    if (value.includes('"') || inText.test(value)) return false;
    for (const word of value.match(WORD) ?? []) {
      // Unquoted identifiers fold to lower case; a column with capitals can only be named quoted.
      if (known.has(word.toLowerCase())) found.add(word.toLowerCase());
    }
    return true;
  };
  // Wrappers render through getSQL(), which may return an SQL holding the wrapper itself: each object is walked once.
  const seen = new WeakSet<object>();
  const walk = (chunk: unknown): boolean => {
    if (chunk === undefined || chunk === null || typeof chunk !== "object" || seen.has(chunk)) return true;
    seen.add(chunk);
    if (Array.isArray(chunk)) return chunk.every(walk);
    if (is(chunk, StringChunk)) return text(chunk.value.join(""));
    if (is(chunk, SQL)) return chunk.queryChunks.every(walk);
    if (is(chunk, Name)) return name(chunk.value);
    if (is(chunk, Column)) {
      if (getTableName(chunk.table) === alias) found.add(chunk.name);
      return true;
    }
    if (is(chunk, Table)) return getTableName(chunk) !== alias;
    if (is(chunk, View)) return getViewName(chunk) !== alias;
    if (is(chunk, Placeholder)) return true;
    if (is(chunk, Param)) return walk(chunk.value);
    if (is(chunk, SQL.Aliased)) return (chunk.fieldAlias === undefined || name(chunk.fieldAlias)) && walk(chunk.sql);
    if (is(chunk, Subquery)) return chunk._.isWith ? name(chunk._.alias) : walk(chunk._.sql);
    if (isSQLWrapper(chunk)) return walk(chunk.getSQL());
    // Any other object is a parameter value (a Date, a Buffer, a JSON document).
    return true;
  };
  return expressions.every(walk) ? found : null;
}
