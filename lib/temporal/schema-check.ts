import { sql } from "drizzle-orm";
import { rows, type TemporalDb } from "./db";
import { sharedObjects, tableNames, tableObjects } from "./ddl";
import { metaOf, type AnyTemporalTable } from "./table";

export type SchemaProblem = { object: string; problem: string };

const FUNCTION = /^CREATE OR REPLACE FUNCTION ((?:"[^"]+"\.)?"?[A-Za-z0-9_]+"?)\(/;
const BODY = /\$temporal\$\n([\s\S]*)\n\$temporal\$$/;
const TRIGGER = /^CREATE OR REPLACE TRIGGER "([^"]+)" .* ON ((?:"[^"]+"\.)?"[^"]+") /;

function unquote(name: string): { schema: string | null; name: string } {
  const parts = name.split(".").map((p) => p.replace(/^"|"$/g, ""));
  return parts.length === 2 ? { schema: parts[0]!, name: parts[1]! } : { schema: null, name: parts[0]! };
}

/**
 * Compares a live database with what the library would generate for `tables`:
 * missing tables, missing or disabled triggers, trigger functions whose code is
 * out of date (for example after upgrading the library without migrating), and a
 * missing clock index that reads by time rely on.
 *
 * @example
 * const problems = await checkTemporalSchema(db, [friend, member]); // [] when up to date
 */
export async function checkTemporalSchema(db: TemporalDb, tables: AnyTemporalTable[]): Promise<SchemaProblem[]> {
  const problems: SchemaProblem[] = [];
  const objects = [...sharedObjects(), ...tables.map(metaOf).flatMap(tableObjects)];
  const functions = await rows<{ schema: string; name: string; body: string }>(
    db,
    sql`SELECT n.nspname AS "schema", p.proname AS "name", p.prosrc AS "body"
          FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
         WHERE p.proname LIKE 'temporal\\_%' OR p.proname LIKE '%\\_temporal\\_%'`,
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
        else if (live.body.trim() !== expected?.trim()) {
          problems.push({
            object: name,
            problem: "function code is out of date: generate and run a migration (npm run db:generate, then db:migrate).",
          });
        }
      }
      const trigger = TRIGGER.exec(statement);
      if (trigger) {
        const { schema, name: table } = unquote(trigger[2]!);
        const live = triggers.find((t) => t.name === trigger[1] && t.table === table && (schema === null || t.schema === schema));
        if (!live) problems.push({ object: `${table}.${trigger[1]}`, problem: "trigger is missing: writes are not being recorded." });
        else if (live.enabled === "D")
          problems.push({ object: `${table}.${trigger[1]}`, problem: "trigger is disabled: writes are not being recorded." });
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
  }
  return problems;
}
