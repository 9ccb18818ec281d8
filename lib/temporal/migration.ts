/**
 * Plans the temporal part of a migration by comparing the declared temporal tables
 * with a snapshot of what earlier migrations created. drizzle-kit owns the entity
 * tables; this owns everything temporal (it can express exclusion constraints,
 * range columns and triggers, which drizzle-kit cannot).
 */
import { backfillStatements, sharedObjects, tableObjects, type DdlObject } from "./ddl";
import { TemporalDefinitionError } from "./errors";
import { qualified, quoteIdent as q, quoteLiteral, shortIdentifier } from "./names";
import { sortIndexDrop } from "./sortable";
import { metaOf, type AnyTemporalTable, type TemporalMeta } from "./table";

export type TemporalSnapshot = {
  version: 1;
  objects: Record<string, { kind: DdlObject["kind"]; sql: string }>;
  tables: Record<string, { properties: Record<string, string> }>;
};

export type TemporalMigration = {
  /** Statements to run in order; empty when the database is already up to date. */
  statements: string[];
  /** The snapshot to store next to the migrations once they are written. */
  snapshot: TemporalSnapshot;
  /** What the plan chose to keep or could not do for you, for the person running it. */
  notices: string[];
};

export type PlanOptions = {
  /** Tracked columns renamed since the snapshot: `{ "friend.location": "city" }` (SQL names). */
  renames?: Record<string, string>;
};

const tableId = (meta: TemporalMeta) => `${meta.schema ?? "public"}.${meta.name}`;

/**
 * `kind:schema.table:name` split back into its parts. Table names never hold a colon (temporalTable
 * refuses them) and schema names here are the entity's, so a column named `a:b` or `a.b` stays whole.
 */
function parseId(id: string): { kind: string; table: string; schema: string; entity: string; name: string } {
  const first = id.indexOf(":");
  const second = id.indexOf(":", first + 1);
  const table = id.slice(first + 1, second === -1 ? undefined : second);
  const dot = table.indexOf(".");
  return {
    kind: id.slice(0, first),
    table,
    schema: table.slice(0, dot),
    entity: table.slice(dot + 1),
    name: second === -1 ? "" : id.slice(second + 1),
  };
}
const sqlOf = (object: DdlObject) => object.statements.join(";\n");

function applyRenames(
  previous: TemporalSnapshot,
  metas: TemporalMeta[],
  renames: Record<string, string>,
  statements: string[],
): TemporalSnapshot {
  const next: TemporalSnapshot = structuredClone(previous);
  for (const [from, to] of Object.entries(renames)) {
    // "table.column", where either may hold a dot: the table is the declared one the text starts with.
    const meta = metas.find((m) => from.startsWith(`${m.name}.`) && next.tables[tableId(m)]?.properties[from.slice(m.name.length + 1)]);
    const oldColumn = meta ? from.slice(meta.name.length + 1) : undefined;
    const property = meta?.properties.find((p) => p.name === to);
    const known = meta && next.tables[tableId(meta)]?.properties[oldColumn ?? ""];
    if (!meta || !property || !known) {
      throw new TemporalDefinitionError(
        `Cannot rename ${from} to ${to}: "${from}" must be tracked in the snapshot and "${to}" tracked in the schema.`,
      );
    }
    const schema = meta.historySchema ?? meta.schema;
    const oldName = shortIdentifier(`${meta.name}_history_${oldColumn}`);
    const newName = meta.history.get(property.prop)!.name;
    statements.push(`ALTER TABLE ${qualified(schema, oldName)} RENAME TO ${q(newName)}`);
    statements.push(`ALTER TABLE ${qualified(schema, newName)} RENAME COLUMN ${q(oldColumn!)} TO ${q(to)}`);
    for (const suffix of ["vclock_check", "effective_check", "open_check", "vclock_excl", "effective_excl"]) {
      statements.push(
        `ALTER TABLE ${qualified(schema, newName)} RENAME CONSTRAINT ${q(shortIdentifier(`${oldName}_${suffix}`))} TO ${q(shortIdentifier(`${newName}_${suffix}`))}`,
      );
    }
    statements.push(
      `ALTER INDEX ${qualified(schema, shortIdentifier(`${oldName}_open_idx`))} RENAME TO ${q(shortIdentifier(`${newName}_open_idx`))}`,
    );
    const id = (kind: string, column: string) => `${kind}:${tableId(meta)}:history.${column}`;
    const desired = tableObjects(meta).find((o) => o.id === id("table", to))!;
    delete next.objects[id("table", oldColumn!)];
    next.objects[id("table", to)] = { kind: "once", sql: sqlOf(desired) };
    const guards = next.objects[id("triggers", oldColumn!)];
    delete next.objects[id("triggers", oldColumn!)];
    if (guards) next.objects[id("triggers", to)] = guards;
    const properties = next.tables[tableId(meta)]!.properties;
    properties[to] = properties[oldColumn!]!;
    delete properties[oldColumn!];
  }
  return next;
}

function dropStatements(id: string): string[] {
  const { kind, schema, entity, name } = parseId(id);
  if (kind === "function") return [`DROP FUNCTION IF EXISTS ${qualified(schema, shortIdentifier(`${entity}_temporal_${name}`))}()`];
  if (kind === "triggers" && name === "entity") {
    const triggers = [
      "temporal_1_require_activity",
      "temporal_1_refuse_delete",
      "temporal_2_bump",
      "temporal_3_after_insert",
      "temporal_3_after_update",
    ];
    return triggers.map(
      (t) =>
        `DO $temporal$ BEGIN IF to_regclass(${quoteLiteral(qualified(schema, entity))}) IS NOT NULL THEN DROP TRIGGER IF EXISTS ${q(t)} ON ${qualified(schema, entity)}; END IF; END $temporal$`,
    );
  }
  return [];
}

/**
 * Plans the temporal DDL for `tables` against `previous` (null for a new database).
 * New objects are created, functions and triggers replaced when their SQL changed,
 * rows that existed before tracking started get their opening history, and history
 * is never dropped: untracked properties and untracked tables keep their tables.
 *
 * @example
 * const { statements, snapshot } = planTemporalMigration([friend, member], loadSnapshot());
 */
export function planTemporalMigration(
  tables: AnyTemporalTable[],
  previous: TemporalSnapshot | null,
  options: PlanOptions = {},
): TemporalMigration {
  const metas = tables.map(metaOf);
  const statements: string[] = [];
  const notices: string[] = [];
  const prev = options.renames && previous ? applyRenames(previous, metas, options.renames, statements) : previous;
  const desired = [...sharedObjects(), ...metas.flatMap(tableObjects)].sort((a, b) => a.order - b.order);
  const snapshot: TemporalSnapshot = { version: 1, objects: {}, tables: {} };

  for (const meta of metas) {
    snapshot.tables[tableId(meta)] = { properties: Object.fromEntries(meta.properties.map((p) => [p.name, p.sqlType])) };
  }

  let backfilled = false;
  for (const object of desired) {
    if (!backfilled && object.order > 11) {
      backfilled = true;
      statements.push(...backfills(metas, prev));
    }
    const text = sqlOf(object);
    const before = prev?.objects[object.id];
    snapshot.objects[object.id] = { kind: object.kind, sql: text };
    if (!before) statements.push(...object.statements);
    else if (before.sql !== text) {
      if (object.kind === "replace") statements.push(...object.statements);
      else statements.push(...alterOnce(object, metas, prev!));
    }
  }

  for (const [id, before] of Object.entries(prev?.objects ?? {})) {
    if (snapshot.objects[id]) continue;
    const { table } = parseId(id);
    // A sort index no longer declared is dropped (it holds no history: declaring it again rebuilds it).
    const unsorted = sortIndexDrop(id, before.sql);
    if (unsorted) {
      statements.push(unsorted);
      continue;
    }
    const stillTemporal = Boolean(snapshot.tables[table]);
    const drops = stillTemporal ? [] : dropStatements(id);
    if (drops.length > 0) {
      statements.push(...drops);
      continue;
    }
    snapshot.objects[id] = before;
    if (before.kind === "once" && id.includes(":history.")) {
      notices.push(
        `${id.split(":").slice(1).join(".")} is no longer tracked: its history table is kept, read-only. Drop it by hand only if that history may be lost.`,
      );
    }
  }
  for (const table of Object.keys(prev?.tables ?? {})) {
    if (!snapshot.tables[table])
      notices.push(`${table} is no longer temporal: its capture triggers are dropped, its clock and history tables are kept.`);
  }
  return { statements, snapshot, notices };
}

function backfills(metas: TemporalMeta[], prev: TemporalSnapshot | null): string[] {
  const out: string[] = [];
  for (const meta of metas) {
    const known = prev?.tables[tableId(meta)];
    if (!known) {
      out.push(backfillStatements(meta, meta.properties, true));
      continue;
    }
    const added = meta.properties.filter((p) => !(p.name in known.properties));
    if (added.length > 0) out.push(backfillStatements(meta, added, false));
  }
  return out;
}

const CHECK_LINE = /^ {2}CONSTRAINT ("(?:[^"]|"")*") CHECK \((.*)\),?$/;

/**
 * A created-once table whose CHECKs changed, and nothing else (the activity table's blank-reason check): each
 * changed or new CHECK is put in place for rows written from now on (NOT VALID: rows written before, which cannot be
 * changed, stay as they were), a removed one is dropped. Undefined when more than the CHECKs changed.
 */
function alterChecks(object: DdlObject, before: string): string[] | undefined {
  const table = /^CREATE TABLE (\S+) \(/.exec(object.statements[0] ?? "")?.[1];
  const split = (text: string) => {
    const checks = new Map<string, string>();
    const rest: string[] = [];
    for (const line of text.split("\n")) {
      const check = CHECK_LINE.exec(line);
      if (check) checks.set(check[1]!, check[2]!);
      else rest.push(line.replace(/,$/, ""));
    }
    return { checks, rest: rest.join("\n") };
  };
  const old = split(before);
  const next = split(sqlOf(object));
  if (!table || old.rest !== next.rest) return undefined;
  const statements: string[] = [];
  for (const [name, expression] of next.checks) {
    if (old.checks.get(name) === expression) continue;
    statements.push(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${name}, ADD CONSTRAINT ${name} CHECK (${expression}) NOT VALID`);
  }
  for (const name of old.checks.keys())
    if (!next.checks.has(name)) statements.push(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${name}`);
  return statements;
}

function alterOnce(object: DdlObject, metas: TemporalMeta[], prev: TemporalSnapshot): string[] {
  const checks = alterChecks(object, prev.objects[object.id]!.sql);
  if (checks) return checks;
  const { table, name } = parseId(object.id);
  const meta = metas.find((m) => tableId(m) === table);
  if (meta && name.startsWith("history.")) {
    const column = name.slice("history.".length);
    const property = meta.properties.find((p) => p.name === column)!;
    const oldType = prev.tables[table]?.properties[column];
    if (oldType && oldType !== property.sqlType) {
      const history = qualified(meta.historySchema ?? meta.schema, meta.history.get(property.prop)!.name);
      // The close-only guard names the value column, which blocks a type change: drop it, alter, put it back.
      const guards = tableObjects(meta).find((o) => o.id === `triggers:${table}:history.${column}`)!;
      return [
        `DROP TRIGGER IF EXISTS "temporal_close_only" ON ${history}`,
        `ALTER TABLE ${history} ALTER COLUMN ${q(column)} TYPE ${property.sqlType} USING ${q(column)}::${property.sqlType}`,
        ...guards.statements,
      ];
    }
  }
  throw new TemporalDefinitionError(
    `${object.id} changed in a way the generator cannot migrate by itself (for example a key type). Write that migration by hand, then update the snapshot.`,
  );
}
