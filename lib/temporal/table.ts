import { getTableColumns, type BuildColumns, type BuildExtraConfigColumns } from "drizzle-orm";
import {
  bigint,
  boolean,
  getTableConfig,
  integer,
  pgSchema,
  pgTable,
  primaryKey,
  timestamp,
  type PgColumn,
  type PgColumnBuilderBase,
  type PgTable,
  type PgTableExtraConfigValue,
  type PgTableWithColumns,
} from "drizzle-orm/pg-core";
import { temporalActivity } from "./activity-table";
import { comparable, copyColumn, int4range, sqlTypeOf, tstzrange } from "./columns";
import { TemporalDefinitionError } from "./errors";
import { nameProblem, quoteIdent, shortIdentifier } from "./names";

/** Columns every temporal entity table gets. */
function systemColumns() {
  return {
    vclock: integer("vclock").notNull().default(1),
    retired: boolean("retired").notNull().default(false),
  };
}
type SystemColumns = ReturnType<typeof systemColumns>;

export const SYSTEM_COLUMNS = ["vclock", "retired"] as const;
const RESERVED_HISTORY_COLUMNS = ["vclock", "effective", "tick", "timestamp", "activity_id"];

/** One column as the engine sees it: its JS property, SQL name, SQL type and Drizzle column. */
export type ColumnInfo = {
  prop: string;
  name: string;
  sqlType: string;
  column: PgColumn;
  /** SQL expression over a row alias that can be compared with IS DISTINCT FROM. */
  compare: (alias: string) => string;
};

export type HistoryInfo = {
  property: ColumnInfo;
  name: string;
  table: PgTable;
};

/** Everything the engine needs to know about one temporal table. Private to the library. */
export type TemporalMeta = {
  name: string;
  schema: string | undefined;
  historySchema: string | undefined;
  table: PgTable;
  columns: ColumnInfo[];
  key: ColumnInfo[];
  /** Names of the key columns in the clock and history tables (`friend_id` for `friend.id`). */
  keyNames: string[];
  tracked: ColumnInfo[];
  retired: ColumnInfo;
  vclock: ColumnInfo;
  /** Tracked properties plus `retired`: each has a history table. */
  properties: ColumnInfo[];
  /** Tracked properties with a sort index in their history table (TemporalTableOptions.sortable). */
  sortable: ColumnInfo[];
  clockName: string;
  clock: PgTable;
  history: Map<string, HistoryInfo>;
  /** The largest value a helper writes to one column, in bytes (TemporalTableOptions.maxValueBytes). */
  maxValueBytes: number;
};

export type TemporalInfo<TTracked extends string> = {
  readonly tracked: readonly TTracked[];
  /** The tracked properties a table as of a moment sorts by from an index (TemporalTableOptions.sortable). */
  readonly sortable: readonly TTracked[];
  /** The clock table: one row per tick. */
  readonly clock: PgTable;
  /** One history table per tracked property, plus `retired`. */
  readonly history: { readonly [P in TTracked | "retired"]: PgTable };
};

export type TemporalTable<
  TName extends string = string,
  TColumns extends Record<string, PgColumnBuilderBase> = Record<string, PgColumnBuilderBase>,
  TTracked extends string = string,
> = PgTableWithColumns<{
  name: TName;
  schema: undefined;
  columns: BuildColumns<TName, TColumns & SystemColumns, "pg">;
  dialect: "pg";
}> & { readonly $temporal: TemporalInfo<TTracked> };

/** Any temporal table, for functions that accept them all. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyTemporalTable = PgTableWithColumns<any> & { readonly $temporal: TemporalInfo<string> };

export type TemporalTableOptions<TName extends string, TColumns extends Record<string, PgColumnBuilderBase>, TTracked extends string> = {
  /** The properties whose every value is kept, each in its own history table. */
  track: readonly TTracked[];
  /**
   * Tracked properties that `tableAsOf` sorts by from an index: each gets a btree on (value, key) in its history
   * table, so a page of the table as of a moment sorted by it reads only that page's entries, not the property's
   * whole history. A write of the property updates one more index (the bench measures the cost).
   */
  sortable?: readonly NoInfer<TTracked>[];
  /** A separate Postgres schema for the clock and history tables. */
  schema?: string;
  /**
   * The largest value the helpers write to one column, in bytes as sent to Postgres (text as UTF-8, JSON as its
   * text, arrays as their literal): larger is an InvalidValueError naming the column. Default 1 MiB.
   */
  maxValueBytes?: number;
  /** Indexes, composite primary keys and checks, as in `pgTable`'s third argument. */
  extraConfig?: (self: BuildExtraConfigColumns<TName, TColumns & SystemColumns, "pg">) => PgTableExtraConfigValue[];
};

/** TemporalTableOptions.maxValueBytes when it is left out: 1 MiB. */
export const DEFAULT_MAX_VALUE_BYTES = 1_048_576;

const metaByTable = new WeakMap<object, TemporalMeta>();
const registry = new Map<string, TemporalMeta>();

function info(prop: string, column: PgColumn): ColumnInfo {
  return {
    prop,
    name: column.name,
    sqlType: sqlTypeOf(column),
    column,
    compare: (alias) => comparable(column, `${alias}.${quoteIdent(column.name)}`),
  };
}

function keyColumnName(table: string, column: string): string {
  return shortIdentifier(column.startsWith(`${table}_`) ? column : `${table}_${column}`);
}

function fail(name: string, message: string): never {
  throw new TemporalDefinitionError(`temporalTable(${JSON.stringify(name)}): ${message}`);
}

function checkName(table: string, kind: "table" | "column" | "schema", name: string): void {
  const problem = nameProblem(kind, name);
  if (problem) fail(table, `the ${kind} name ${JSON.stringify(name)} ${problem}`);
}

/**
 * Declares a table whose tracked properties keep their whole history. Returns an
 * ordinary Drizzle table (plus `vclock` and `retired` columns) with `$temporal`
 * holding its clock and history tables, which are ordinary Drizzle tables too.
 *
 * @example
 * export const friend = temporalTable("friend", {
 *   id: serial("id").primaryKey(),
 *   name: text("name").notNull(),
 *   location: text("location"),
 * }, { track: ["name", "location"] });
 */
export function temporalTable<
  TName extends string,
  TColumns extends Record<string, PgColumnBuilderBase>,
  const TTracked extends keyof TColumns & string,
>(name: TName, columns: TColumns, options: TemporalTableOptions<TName, TColumns, TTracked>): TemporalTable<TName, TColumns, TTracked> {
  checkName(name, "table", name);
  if (options.schema !== undefined) checkName(name, "schema", options.schema);
  for (const reserved of SYSTEM_COLUMNS) {
    if (reserved in columns) fail(name, `"${reserved}" is managed by the library; remove it from the columns.`);
  }
  const all = { ...columns, ...systemColumns() };
  const entity = (options.extraConfig ? pgTable(name, all, options.extraConfig as never) : pgTable(name, all)) as unknown as TemporalTable<
    TName,
    TColumns,
    TTracked
  >;
  const maxValueBytes = options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
  if (!Number.isSafeInteger(maxValueBytes) || maxValueBytes < 1) fail(name, "maxValueBytes must be a whole number of bytes, at least 1.");
  const built = buildMeta(name, entity, options.track, options.schema);
  const meta = { ...built, sortable: sortableProperties(name, built.tracked, options.sortable ?? []), maxValueBytes };
  metaByTable.set(entity, meta);
  registry.set(`${meta.schema ?? "public"}.${name}`, meta);
  const history = Object.fromEntries([...meta.history.values()].map((h) => [h.property.prop, h.table]));
  Object.defineProperty(entity, "$temporal", {
    enumerable: false,
    value: Object.freeze({
      tracked: Object.freeze([...options.track]),
      sortable: Object.freeze(meta.sortable.map((p) => p.prop as TTracked)),
      clock: meta.clock,
      history: Object.freeze(history),
    }),
  });
  return entity;
}

function buildMeta(
  name: string,
  entity: PgTable,
  track: readonly string[],
  historySchema?: string,
): Omit<TemporalMeta, "maxValueBytes" | "sortable"> {
  const config = getTableConfig(entity);
  const byProp = getTableColumns(entity) as Record<string, PgColumn>;
  const columns = Object.entries(byProp).map(([prop, column]) => info(prop, column));
  for (const column of columns) checkName(name, "column", column.name);
  const find = (prop: string) => columns.find((c) => c.prop === prop);

  const compositeKey = config.primaryKeys[0]?.columns;
  const keyColumns = compositeKey ?? config.columns.filter((c) => c.primary);
  if (keyColumns.length === 0) fail(name, "it needs a primary key (a column with .primaryKey() or primaryKey() in extraConfig).");
  const key = keyColumns.map((column) => columns.find((c) => c.name === column.name) ?? fail(name, "primary key column not found."));

  if (track.length === 0) fail(name, "track at least one property.");
  const tracked = track.map((prop) => {
    const column = find(prop) ?? fail(name, `cannot track "${prop}": it is not one of its columns.`);
    if (key.includes(column)) fail(name, `"${prop}" is part of the primary key; keys never change, so they are not tracked.`);
    return column;
  });
  if (new Set(track).size !== track.length) fail(name, "a property is listed twice in track.");
  const retired = find("retired")!;
  const properties = [...tracked, retired];

  const keyNames = key.map((k) => keyColumnName(name, k.name));
  const clockName = shortIdentifier(`${name}_clock`);
  const tableIn = (historySchema ? pgSchema(historySchema).table : pgTable) as typeof pgTable;
  const keyColumnsFor = () => Object.fromEntries(key.map((k, i) => [keyNames[i]!, copyColumn(k.column, keyNames[i]!).notNull()]));

  const clock = tableIn(
    clockName,
    {
      ...keyColumnsFor(),
      tick: integer("tick").notNull(),
      timestamp: timestamp("timestamp", { withTimezone: true }).notNull(),
      activityId: bigint("activity_id", { mode: "bigint" })
        .notNull()
        .references(() => temporalActivity.id),
    },
    (t) => {
      const columns = t as unknown as Record<string, PgColumn>;
      const [first, ...rest] = [...keyNames.map((k) => columns[k]!), columns.tick!];
      return [primaryKey({ columns: [first!, ...rest] })];
    },
  ) as PgTable;

  const history = new Map<string, HistoryInfo>();
  for (const property of properties) {
    if (keyNames.includes(property.name) || RESERVED_HISTORY_COLUMNS.includes(property.name)) {
      fail(name, `the tracked column "${property.name}" collides with a history table column; rename it.`);
    }
    const historyName = shortIdentifier(`${name}_history_${property.name}`);
    const table = tableIn(historyName, {
      ...keyColumnsFor(),
      value: copyColumn(property.column, property.name),
      vclock: int4range("vclock").notNull(),
      effective: tstzrange("effective").notNull(),
    }) as PgTable;
    history.set(property.prop, { property, name: historyName, table });
  }

  return {
    name,
    schema: config.schema,
    historySchema,
    table: entity,
    columns,
    key,
    keyNames,
    tracked,
    retired,
    vclock: find("vclock")!,
    properties,
    clockName,
    clock,
    history,
  };
}

/** Types btree cannot order (no default operator class): a sort index on them cannot be built. */
const UNORDERED_TYPES = new Set(["json", "xml", "point", "line", "lseg", "box", "path", "polygon", "circle"]);

function sortableProperties(name: string, tracked: ColumnInfo[], sortable: readonly string[]): ColumnInfo[] {
  if (!Array.isArray(sortable)) fail(name, "sortable must be a list of tracked properties.");
  if (new Set(sortable).size !== sortable.length) fail(name, "a property is listed twice in sortable.");
  return sortable.map((prop) => {
    const column = tracked.find((c) => c.prop === prop);
    if (!column) {
      fail(
        name,
        `cannot make "${prop}" sortable: only tracked properties have a history to index. Add it to track, or leave it out of sortable.`,
      );
    }
    const base = column.sqlType.replace(/(\[\])+$/, "");
    if (UNORDERED_TYPES.has(base)) fail(name, `cannot make "${prop}" sortable: Postgres cannot sort its type (${column.sqlType}).`);
    return column;
  });
}

/** The engine's view of a temporal table; throws a clear error for a plain Drizzle table. */
export function metaOf(table: object): TemporalMeta {
  const meta = metaByTable.get(table);
  if (!meta) {
    throw new TemporalDefinitionError(
      "This table was not declared with temporalTable(...), so it has no history. Declare it with temporalTable.",
    );
  }
  return meta;
}

export function isTemporalTable(table: unknown): table is AnyTemporalTable {
  return typeof table === "object" && table !== null && metaByTable.has(table);
}

/** Every temporal table declared in this process (for reads that span tables). */
export function registeredTables(): TemporalMeta[] {
  return [...registry.values()];
}
