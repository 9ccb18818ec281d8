import { is, sql, SQL } from "drizzle-orm";
import { bigint, boolean, check, getTableConfig, index, IndexedColumn, PgDialect, pgTable, text, timestamp } from "drizzle-orm/pg-core";
import { TemporalDefinitionError } from "./errors";
import { quoteIdent } from "./names";

/** Limits enforced both before any SQL runs and by CHECKs in the table. */
export const ACTIVITY_LIMITS = { reason: 2000, actor: 200, actorName: 200, source: 200, kind: 64 } as const;

const limit = (field: keyof typeof ACTIVITY_LIMITS) => sql.raw(String(ACTIVITY_LIMITS[field]));

/**
 * What a blank reason or actor is made of: whitespace (what String.prototype.trim removes, and U+0085) and every
 * invisible format character (Unicode Cf: soft hyphen, zero-width space and joiners, bidi marks, BOM, tags). One
 * list for both checks, the one before any SQL runs and the table's CHECK, so the two cannot disagree.
 */
const BLANK: readonly (readonly [number, number])[] = [
  [0x09, 0x0d],
  [0x20, 0x20],
  [0x85, 0x85],
  [0xa0, 0xa0],
  [0xad, 0xad],
  [0x600, 0x605],
  [0x61c, 0x61c],
  [0x6dd, 0x6dd],
  [0x70f, 0x70f],
  [0x890, 0x891],
  [0x8e2, 0x8e2],
  [0x1680, 0x1680],
  [0x180e, 0x180e],
  [0x2000, 0x200f],
  [0x2028, 0x202f],
  [0x205f, 0x2064],
  [0x2066, 0x206f],
  [0x3000, 0x3000],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffb],
  [0x110bd, 0x110bd],
  [0x110cd, 0x110cd],
  [0x13430, 0x1343f],
  [0x1bca0, 0x1bca3],
  [0x1d173, 0x1d17a],
  [0xe0001, 0xe0001],
  [0xe0020, 0xe007f],
];
const blankClass = (escape: (code: number) => string) =>
  BLANK.map(([from, to]) => (from === to ? escape(from) : `${escape(from)}-${escape(to)}`)).join("");
const ONLY_BLANK = new RegExp(`^[${blankClass((c) => `\\u{${c.toString(16)}}`)}]*$`, "u");
/** A Postgres regex matching a character that is not blank (ARE escapes: \UXXXXXXXX is one code point). */
const VISIBLE = sql.raw(`'[^${blankClass((c) => `\\U${c.toString(16).padStart(8, "0")}`)}]'`);

/** True for text that shows nothing: empty, or only whitespace and invisible format characters. */
export function isBlank(value: string): boolean {
  return ONLY_BLANK.test(value);
}

/**
 * One row per activity: the who and why shared by every tick it covers. Append-only.
 * `at` is the moment the activity is about (server time, or a back-dated moment for
 * imports); `recordedAt` is always when it was really written.
 *
 * The only definition of the table: its DDL (`activityTableStatements`) is generated from it.
 */
export const temporalActivity = pgTable(
  "temporal_activity",
  {
    id: bigint("id", { mode: "bigint" }).primaryKey().generatedAlwaysAsIdentity(),
    reason: text("reason").notNull(),
    actor: text("actor").notNull(),
    actorName: text("actor_name"),
    source: text("source"),
    kind: text("kind"),
    at: timestamp("at", { withTimezone: true }).notNull(),
    backdated: boolean("backdated").notNull().default(false),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull(),
    txid: bigint("txid", { mode: "bigint" }).notNull(),
  },
  (t) => [
    check("temporal_activity_reason_check", sql`${t.reason} ~ ${VISIBLE} AND length(${t.reason}) <= ${limit("reason")}`),
    check("temporal_activity_actor_check", sql`${t.actor} ~ ${VISIBLE} AND length(${t.actor}) <= ${limit("actor")}`),
    check("temporal_activity_actor_name_check", sql`length(${t.actorName}) <= ${limit("actorName")}`),
    check("temporal_activity_source_check", sql`length(${t.source}) <= ${limit("source")}`),
    check("temporal_activity_kind_check", sql`length(${t.kind}) <= ${limit("kind")}`),
    check("temporal_activity_at_check", sql`${t.at} <= ${t.recordedAt}`),
    index("temporal_activity_at_idx").on(t.at),
    index("temporal_activity_actor_idx").on(t.actor, t.id),
  ],
);

/** The types the activity table uses, spelled as its first migration spelled them. */
const TYPES: Record<string, string> = { bigint: "bigint", text: "text", boolean: "boolean", "timestamp with time zone": "timestamptz" };

/** SQL over the table's own columns, unqualified (as in a CHECK or an index). */
const render = (value: SQL) => new PgDialect().sqlToQuery(value, "indexes").sql;

/**
 * `CREATE TABLE` and `CREATE INDEX` for `temporalActivity`, generated from the Drizzle table so
 * the two cannot drift. It covers what that table uses (and refuses anything else, rather than
 * dropping it): columns with a type above, NOT NULL, a constant default, a generated identity
 * key; CHECKs; plain indexes on columns.
 *
 * @example
 * activityTableStatements() // ['CREATE TABLE "temporal_activity" (\n  "id" bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, …', …]
 */
export function activityTableStatements(): string[] {
  const config = getTableConfig(temporalActivity);
  const unsupported = (what: string): never => {
    throw new TemporalDefinitionError(`temporalActivity: ${what} is not supported by its DDL generator (activity-table.ts); extend it.`);
  };
  if (config.foreignKeys.length + config.primaryKeys.length + config.uniqueConstraints.length > 0) unsupported("a table-level key");
  const table = quoteIdent(config.name);
  const columns = config.columns.map((c) => {
    const type = TYPES[c.getSQLType()] ?? unsupported(`the type ${c.getSQLType()}`);
    if (c.isUnique || c.generated || (c.generatedIdentity && c.generatedIdentity.type !== "always")) unsupported(`the column ${c.name}`);
    const hasDefault = c.hasDefault && !c.generatedIdentity;
    if (hasDefault && typeof c.default !== "boolean" && typeof c.default !== "number") unsupported(`the default of ${c.name}`);
    const parts = [quoteIdent(c.name), type];
    if (c.generatedIdentity) parts.push("GENERATED ALWAYS AS IDENTITY");
    if (c.primary) parts.push("PRIMARY KEY");
    else if (c.notNull) parts.push("NOT NULL");
    if (hasDefault) parts.push(`DEFAULT ${String(c.default)}`);
    return `  ${parts.join(" ")}`;
  });
  const checks = config.checks.map((c) => `  CONSTRAINT ${quoteIdent(c.name)} CHECK (${render(c.value)})`);
  const indexes = config.indexes.map(({ config: i }) => {
    if (i.unique || i.where || i.method !== "btree" || i.concurrently || i.only) unsupported(`the index ${i.name}`);
    const on = i.columns.map((c) => (is(c, IndexedColumn) ? quoteIdent(c.name!) : unsupported(`an expression in ${i.name}`)));
    return `CREATE INDEX ${quoteIdent(i.name!)} ON ${table} (${on.join(", ")})`;
  });
  return [`CREATE TABLE ${table} (\n${[...columns, ...checks].join(",\n")}\n)`, ...indexes];
}

export type Activity = {
  id: string;
  reason: string;
  actor: string;
  actorName: string | null;
  source: string | null;
  kind: string | null;
  at: Date;
  backdated: boolean;
  recordedAt: Date;
};
