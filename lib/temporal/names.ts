/**
 * Identifiers and literals for generated SQL. Private to the library. Every name that reaches SQL
 * goes through `ident` (Drizzle SQL) or `quoteIdent` (SQL built as text: DDL, raw fragments), so a
 * name with a double quote or a space is one identifier, never a piece of SQL.
 */
import { sql } from "drizzle-orm";

/** Postgres truncates identifiers silently at 63 bytes; two long names could then collide. */
export const MAX_IDENTIFIER_BYTES = 63;

/** FNV-1a, 32 bit: small, deterministic, and the same on every platform. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, "0");
}

/**
 * Returns `name` when it fits in 63 bytes, else a readable prefix plus a hash of the
 * whole name, so the result is deterministic and distinct names stay distinct.
 *
 * @example
 * shortIdentifier("friend_history_location") // "friend_history_location"
 * shortIdentifier("a".repeat(80))           // "aaaa…aaaa_3c4e9a0b" (63 bytes)
 */
export function shortIdentifier(name: string): string {
  const encoder = new TextEncoder();
  if (encoder.encode(name).length <= MAX_IDENTIFIER_BYTES) return name;
  const suffix = `_${fnv1a(name)}`;
  const budget = MAX_IDENTIFIER_BYTES - suffix.length;
  let prefix = "";
  for (const char of name) {
    if (encoder.encode(prefix + char).length > budget) break;
    prefix += char;
  }
  return prefix + suffix;
}

/** Double-quotes an identifier for SQL built as text, doubling any `"` inside it. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** An identifier in Drizzle SQL (Drizzle quotes it the same way). */
export const ident = (name: string) => sql.identifier(name);

/** `alias."column"` as text; `alias` is one of the library's own (unquoted) aliases. */
export const col = (alias: string, name: string): string => `${alias}.${quoteIdent(name)}`;

/** The names in a (possibly qualified) identifier as `quoteIdent`/`qualified` wrote it: `"a"."b ""c"""` → ["a", 'b "c"']. */
export function unquoteIdents(text: string): string[] {
  return [...text.matchAll(/"((?:[^"]|"")*)"|([A-Za-z0-9_]+)/g)].map((m) => (m[1] === undefined ? m[2]! : m[1].replaceAll('""', '"')));
}

/** `"schema"."name"` or `"name"`. */
export function qualified(schema: string | undefined, name: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(name)}` : quoteIdent(name);
}

/** A single-quoted SQL string literal. */
export function quoteLiteral(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** Names the library reserves for its own columns in generated SQL. */
export const RESERVED_PREFIX = "__temporal";

/**
 * Why `name` cannot be used as a table, column or schema name of a temporal table, or
 * undefined when it can. Quotes and spaces are fine (every name is quoted); what is refused
 * is what Postgres would change or reject, or what would break the generated SQL.
 *
 * @example
 * nameProblem("column", 'say "hi"') // undefined
 * nameProblem("table", "a".repeat(64)) // "is 64 bytes long; …"
 */
export function nameProblem(kind: "table" | "column" | "schema", name: string): string | undefined {
  if (typeof name !== "string" || name === "") return "is empty: give it a name.";
  if (name.includes("\u0000")) return "contains a NUL character, which Postgres cannot store in a name: remove it.";
  const bytes = new TextEncoder().encode(name).length;
  if (bytes > MAX_IDENTIFIER_BYTES) {
    return `is ${bytes} bytes long; Postgres keeps only the first ${MAX_IDENTIFIER_BYTES} bytes of a name (it would cut it silently): use a shorter name.`;
  }
  if (name.includes("$temporal$")) return "contains $temporal$, which delimits the library's trigger functions: rename it.";
  if (kind === "table" && name.includes(":"))
    return "contains a colon, which separates the parts of the migration snapshot's ids: rename it.";
  if (kind === "column" && name.startsWith(RESERVED_PREFIX)) {
    return `starts with ${RESERVED_PREFIX}, which the library reserves for the columns it adds to its queries: rename it.`;
  }
  return undefined;
}
