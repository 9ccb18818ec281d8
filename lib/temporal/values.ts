import { is, sql, type SQL } from "drizzle-orm";
import { PgArray, PgEnumColumn, PgNumeric, PgVarchar, PgChar, type PgColumn } from "drizzle-orm/pg-core";
import { toSqlText } from "./columns";
import { InvalidKeyError, InvalidValueError, UnknownPropertyError } from "./errors";
import { ident } from "./names";
import { SYSTEM_COLUMNS, type ColumnInfo, type TemporalMeta } from "./table";

/** A record's key: the value itself for a one-column key, or an object of key properties. */
export type KeyInput = string | number | bigint | Date | Record<string, unknown>;
export type Key = Record<string, unknown>;

/** Turns a key input into `{ prop: value }` for every key column, refusing anything incomplete. */
export function normalizeKey(meta: TemporalMeta, input: unknown): Key {
  const props = meta.key.map((k) => k.prop);
  const isObject = typeof input === "object" && input !== null && !(input instanceof Date);
  if (!isObject) {
    if (props.length !== 1) {
      throw new InvalidKeyError(`"${meta.name}" has a composite key: pass an object with ${props.join(", ")}.`);
    }
    if (input === undefined || input === null || input === "") {
      throw new InvalidKeyError(`A key for "${meta.name}" is missing: pass its ${props[0]}.`);
    }
    return { [props[0]!]: input };
  }
  const object = input as Record<string, unknown>;
  for (const name of Object.keys(object)) {
    if (!props.includes(name)) throw new InvalidKeyError(`"${name}" is not part of the key of "${meta.name}" (${props.join(", ")}).`);
  }
  const key: Key = {};
  for (const prop of props) {
    const value = object[prop];
    if (value === undefined || value === null) throw new InvalidKeyError(`The key of "${meta.name}" needs ${prop}.`);
    key[prop] = value;
  }
  return key;
}

/** `alias."col" = $1 AND ...` for a key, with values encoded by their columns. */
export function keyCondition(meta: TemporalMeta, key: Key, alias: string, names: "entity" | "history" = "entity"): SQL {
  const parts = meta.key.map((k, i) => {
    const name = names === "entity" ? k.name : meta.keyNames[i]!;
    return sql`${ident(alias)}.${ident(name)} = ${sql.param(key[k.prop], k.column)}::${sql.raw(k.sqlType)}`;
  });
  return sql.join(parts, sql` AND `);
}

function typeError(column: ColumnInfo, expected: string, value: unknown): InvalidValueError {
  const shown = typeof value === "string" ? JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value) : String(value);
  return new InvalidValueError(`"${column.prop}" expects ${expected}, got ${shown}.`, column.prop);
}

const NUMERIC = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Checks one value against its column before any SQL runs, so errors name the property. */
export function checkValue(column: ColumnInfo, value: unknown): void {
  const c: PgColumn = column.column;
  if (value === null) {
    if (c.notNull) throw new InvalidValueError(`"${column.prop}" cannot be empty.`, column.prop);
    return;
  }
  if (is(c, PgEnumColumn)) {
    if (!c.enumValues.includes(value as string)) throw typeError(column, `one of ${c.enumValues.join(", ")}`, value);
    return;
  }
  if (is(c, PgNumeric)) {
    const ok =
      (typeof value === "number" && Number.isFinite(value)) ||
      typeof value === "bigint" ||
      (typeof value === "string" && NUMERIC.test(value.trim()));
    if (!ok) throw typeError(column, "a number", value);
    return;
  }
  switch (c.dataType) {
    case "string":
      if (typeof value !== "string") throw typeError(column, "text", value);
      if (value.includes("\0")) throw nulError(column, "");
      if ((is(c, PgVarchar) || is(c, PgChar)) && c.length !== undefined) {
        // Postgres counts characters (code points), not UTF-16 units: an emoji is one character.
        const characters = [...value].length;
        if (characters > c.length) {
          throw new InvalidValueError(`"${column.prop}" holds at most ${c.length} characters; this value has ${characters}.`, column.prop);
        }
      }
      return;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) throw typeError(column, "a number", value);
      if (["PgInteger", "PgSmallInt", "PgSerial", "PgSmallSerial"].includes(c.columnType) && !Number.isInteger(value)) {
        throw typeError(column, "a whole number", value);
      }
      return;
    case "bigint":
      if (typeof value !== "bigint") throw typeError(column, "a bigint", value);
      return;
    case "boolean":
      if (typeof value !== "boolean") throw typeError(column, "true or false", value);
      return;
    case "date":
      if (!(value instanceof Date) || Number.isNaN(value.getTime())) throw typeError(column, "a valid Date", value);
      return;
    case "json":
      checkJson(column, value);
      return;
    case "array":
      if (!Array.isArray(value)) throw typeError(column, "an array", value);
      if (is(c, PgArray)) {
        const base = { ...column, prop: `${column.prop}[]`, column: c.baseColumn };
        for (const item of value as unknown[]) checkValue(base, item);
      }
      return;
    default:
      return;
  }
}

/** Postgres text (and jsonb) cannot hold U+0000: the server would refuse the whole statement with a bare encoding error. */
function nulError(column: ColumnInfo, where: string): InvalidValueError {
  return new InvalidValueError(
    `"${column.prop}" holds a NUL character (U+0000)${where}, which Postgres cannot store in text: remove it (or store the bytes in a bytea column).`,
    column.prop,
  );
}

/**
 * JSON.stringify throws a bare TypeError on a circular value or a BigInt and writes NaN and ±Infinity as null:
 * each is refused here, naming the column and where in the value it is (`$.a[2]`).
 */
function checkJson(column: ColumnInfo, value: unknown): void {
  const ancestors: object[] = [];
  // json keeps its text as sent (\u0000 included); jsonb decodes it and cannot hold U+0000.
  const jsonb = column.column.getSQLType() === "jsonb";
  const refuse = (what: string, where: string, fix: string) =>
    new InvalidValueError(`"${column.prop}" holds ${what} at ${where}, which JSON cannot represent: ${fix}.`, column.prop);
  const visit = (node: unknown, where: string): void => {
    if (typeof node === "bigint") throw refuse(`the BigInt ${node}`, where, "store it as a number or a string");
    if (jsonb && typeof node === "string" && node.includes("\0")) throw nulError(column, ` at ${where}`);
    if (typeof node === "number" && !Number.isFinite(node)) throw refuse(String(node), where, "use null or a finite number");
    if (typeof node !== "object" || node === null || typeof (node as { toJSON?: unknown }).toJSON === "function") return;
    if (ancestors.includes(node)) throw refuse("a reference to itself (a circular value)", where, "store a copy without the cycle");
    ancestors.push(node);
    for (const [key, child] of Object.entries(node)) {
      if (jsonb && key.includes("\0")) throw nulError(column, ` in a key at ${where}`);
      visit(child, Array.isArray(node) ? `${where}[${key}]` : `${where}.${key}`);
    }
    ancestors.pop();
  };
  visit(value, "$");
}

/** At least as many bytes as the value takes as text (a UTF-16 unit is at most 6 bytes, as a JSON escape), cheaply. */
function sizeBound(value: unknown, seen?: Set<object>): number {
  if (typeof value === "string") return 6 * value.length + 2;
  if (value instanceof Uint8Array) return value.byteLength;
  if (typeof value !== "object" || value === null || value instanceof Date) return 40;
  // Made only for objects: this runs for every value of a 100,000-row tickMany.
  seen ??= new Set<object>();
  if (seen.has(value)) return Infinity;
  seen.add(value);
  let total = 2;
  for (const [key, child] of Object.entries(value)) total += 6 * key.length + 4 + sizeBound(child, seen);
  return total;
}

/** Refuses a value larger than the table's maxValueBytes (as the bytes sent: UTF-8 text, JSON, an array literal). */
function checkSize(meta: TemporalMeta, column: ColumnInfo, value: unknown): void {
  if (value === null || sizeBound(value) <= meta.maxValueBytes) return;
  const bytes = value instanceof Uint8Array ? value.byteLength : Buffer.byteLength(toSqlText(column.column, value) ?? "");
  if (bytes > meta.maxValueBytes) {
    throw new InvalidValueError(
      `"${column.prop}" is ${bytes.toLocaleString("en-US")} bytes; "${meta.name}" takes at most ${meta.maxValueBytes.toLocaleString("en-US")} bytes per value (maxValueBytes). Store less, or raise maxValueBytes in its temporalTable options.`,
      column.prop,
    );
  }
}

const writableCache = new WeakMap<TemporalMeta, Partial<Record<"create" | "change" | "revert", Map<string, ColumnInfo>>>>();

/** The properties a change set may name, by property name; worked out once per table and purpose. */
function writableColumns(meta: TemporalMeta, purpose: "create" | "change" | "revert"): Map<string, ColumnInfo> {
  let byPurpose = writableCache.get(meta);
  if (!byPurpose) writableCache.set(meta, (byPurpose = {}));
  let writable = byPurpose[purpose];
  if (!writable) {
    const columns = meta.columns.filter(
      (c) =>
        (purpose === "revert" ? c !== meta.vclock : !(SYSTEM_COLUMNS as readonly string[]).includes(c.prop)) &&
        (purpose === "create" || !meta.key.includes(c)),
    );
    byPurpose[purpose] = writable = new Map(columns.map((c) => [c.prop, c]));
  }
  return writable;
}

/** The writable properties of a change set, each checked; refuses keys, system columns and unknown names. */
export function checkChanges(
  meta: TemporalMeta,
  changes: Record<string, unknown>,
  purpose: "create" | "change" | "revert",
): [ColumnInfo, unknown][] {
  if (typeof changes !== "object" || changes === null || Array.isArray(changes)) {
    throw new InvalidValueError("Changes must be an object of property → value.");
  }
  const writable = writableColumns(meta, purpose);
  const entries: [ColumnInfo, unknown][] = [];
  for (const [prop, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const column = writable.get(prop);
    if (!column) throw new UnknownPropertyError(meta.name, prop, [...writable.keys()], "writable property");
    checkValue(column, value);
    checkSize(meta, column, value);
    entries.push([column, value]);
  }
  return entries;
}

/** Decodes a raw SQL value with the column's own mapping (the same as a Drizzle select). */
export function decode(column: PgColumn, value: unknown): unknown {
  return value === null || value === undefined ? null : column.mapFromDriverValue(value);
}

/** Decodes the entity columns of a raw row (selected under their SQL names). */
export function decodeRow(meta: TemporalMeta, raw: Record<string, unknown>, columns: ColumnInfo[] = meta.columns): Record<string, unknown> {
  // A loop, not Object.fromEntries: a 100,000-row tickMany decodes every row it returns.
  const row: Record<string, unknown> = {};
  for (const c of columns) {
    const value = decode(c.column, raw[c.name]);
    // An assignment to "__proto__" would set the prototype instead of a property.
    if (c.prop === "__proto__") Object.defineProperty(row, c.prop, { value, enumerable: true, writable: true, configurable: true });
    else row[c.prop] = value;
  }
  return row;
}

/** The key part of a decoded row. */
export function keyOf(meta: TemporalMeta, row: Record<string, unknown>): Key {
  return Object.fromEntries(meta.key.map((k) => [k.prop, row[k.prop]]));
}
