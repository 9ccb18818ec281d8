import { sql } from "drizzle-orm";
import { rows, type TemporalDb } from "./db";
import { sharedObjects, tableNames, tableObjects } from "./ddl";
import { unquoteIdents } from "./names";
import { sortIndexes } from "./sortable";
import { metaOf, type AnyTemporalTable, type TemporalMeta } from "./table";

export type SchemaProblem = { object: string; problem: string };

/** A name as quoteIdent writes it (any text, `"` doubled), or a bare one; optionally schema-qualified. */
const QUOTED = String.raw`"(?:[^"]|"")*"`;
const NAME = String.raw`(?:${QUOTED}\.)?(?:${QUOTED}|[A-Za-z0-9_]+)`;
const FUNCTION = new RegExp(String.raw`^CREATE OR REPLACE FUNCTION (${NAME})\(`);
const BODY = /\$temporal\$\n([\s\S]*)\n\$temporal\$$/;
const TRIGGER = new RegExp(
  String.raw`^CREATE (?:OR REPLACE |CONSTRAINT )TRIGGER (${QUOTED}) .*? ON (${NAME}) (?:FOR|REFERENCING|DEFERRABLE) `,
);

function unquote(name: string): { schema: string | null; name: string } {
  const parts = unquoteIdents(name);
  return parts.length === 2 ? { schema: parts[0]!, name: parts[1]! } : { schema: null, name: parts[0]! };
}

/**
 * Compares a live database with what the library would generate for `tables`:
 * missing tables, missing or disabled triggers, trigger functions whose code (or
 * SECURITY DEFINER) is out of date (for example after upgrading the library without migrating), a
 * missing clock index that reads by time rely on, and a missing sort index of a sortable property.
 *
 * @example
 * const problems = await checkTemporalSchema(db, [friend, member]); // [] when up to date
 */
export async function checkTemporalSchema(db: TemporalDb, tables: AnyTemporalTable[]): Promise<SchemaProblem[]> {
  const problems: SchemaProblem[] = [];
  const objects = [...sharedObjects(), ...tables.map(metaOf).flatMap(tableObjects)];
  // By exact name: a long table's function names are shortened with a hash and lose their "_temporal_".
  const expectedFunctions = objects.flatMap((o) => o.statements.map((st) => FUNCTION.exec(st)?.[1])).filter((f) => f !== undefined);
  const functions = await rows<{ schema: string; name: string; body: string; definer: boolean }>(
    db,
    sql`SELECT n.nspname AS "schema", p.proname AS "name", p.prosrc AS "body", p.prosecdef AS "definer"
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE p.proname = ANY(${sql.param(expectedFunctions.map((f) => unquote(f).name))}::text[])`,
  );
  const triggers = await rows<{ table: string; schema: string; name: string; enabled: string }>(
    db,
    sql`SELECT c.relname AS "table", n.nspname AS "schema", t.tgname AS "name", t.tgenabled AS "enabled"
          FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE t.tgname LIKE 'temporal\\_%'`,
  );
  for (const object of objects) {
    for (const statement of object.statements) {
      const fn = FUNCTION.exec(statement);
      if (fn) {
        const { schema, name } = unquote(fn[1]!);
        const live = functions.find((f) => f.name === name && (schema === null || f.schema === schema));
        const expected = BODY.exec(statement)?.[1];
        if (!live) problems.push({ object: name, problem: "function is missing: run the migrations (npm run db:migrate)." });
        else if (live.body.trim() !== expected?.trim() || live.definer !== statement.includes(" SECURITY DEFINER ")) {
          problems.push({
            object: name,
            problem: "function code is out of date: generate and run a migration (npm run db:generate, then db:migrate).",
          });
        }
      }
      const trigger = TRIGGER.exec(statement);
      if (trigger) {
        const { schema, name: table } = unquote(trigger[2]!);
        const triggerName = unquote(trigger[1]!).name;
        const live = triggers.find((t) => t.name === triggerName && t.table === table && (schema === null || t.schema === schema));
        if (!live) problems.push({ object: `${table}.${triggerName}`, problem: "trigger is missing: writes are not being recorded." });
        else if (live.enabled === "D")
          problems.push({ object: `${table}.${triggerName}`, problem: "trigger is disabled: writes are not being recorded." });
      }
    }
  }
  for (const table of tables) {
    const names = tableNames(metaOf(table));
    const expected = [names.clock, ...metaOf(table).properties.map((p) => names.history(p.prop))];
    const found = await rows<{ name: string; ok: boolean }>(
      db,
      sql`SELECT x.name, to_regclass(x.name) IS NOT NULL AS "ok" FROM unnest(${sql.param(expected)}::text[]) AS x(name)`,
    );
    for (const f of found) if (!f.ok) problems.push({ object: f.name, problem: "table is missing: run the migrations." });
    const [index] = await rows<{ ok: boolean }>(db, sql`SELECT to_regclass(${names.clockTimeIndex}) IS NOT NULL AS "ok"`);
    if (!index?.ok) {
      problems.push({
        object: names.clockTimeIndex,
        problem: "index is missing: reads as of a moment walk each record's ticks. Run the migrations (npm run db:migrate).",
      });
    }
    problems.push(...(await missingSortIndexes(db, metaOf(table))));
  }
  return problems;
}

/** Sort indexes of sortable properties that the database lacks. */
async function missingSortIndexes(db: TemporalDb, meta: TemporalMeta): Promise<SchemaProblem[]> {
  const expected = sortIndexes(meta);
  if (expected.length === 0) return [];
  const found = await rows<{ name: string; ok: boolean }>(
    db,
    sql`SELECT x.name, to_regclass(x.name) IS NOT NULL AS "ok" FROM unnest(${sql.param(expected.map((e) => e.index))}::text[]) AS x(name)`,
  );
  return expected
    .filter(({ index }) => found.find((f) => f.name === index)?.ok !== true)
    .map(({ property, index }) => ({
      object: index,
      problem: `index is missing: a table as of a moment sorted by ${property.prop} reads that property's whole history. Run the migrations (npm run db:migrate).`,
    }));
}
