/**
 * temporal_activity has one definition, the Drizzle table: the library's DDL is generated
 * from it, and creates in the database exactly what drizzle-kit would create from it.
 */
import { sql } from "drizzle-orm";
import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import { describe, expect, it } from "vitest";
import { activityTableStatements } from "../activity-table";
import { sharedObjects } from "../ddl";
import { temporalActivity, type TemporalDb } from "../index";
import { librarySchema, withTestDb } from "./harness";

const t = withTestDb(librarySchema);

/** Runs statements with `schema` first on the search path, on one connection. */
async function inSchema(db: TemporalDb, schema: string, statements: string[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql.raw(`CREATE SCHEMA ${schema}`));
    await tx.execute(sql.raw(`SET LOCAL search_path TO ${schema}, public`));
    for (const statement of statements) await tx.execute(sql.raw(statement));
  });
}

/** The table as the catalog has it: columns, constraints (NOT NULL is in the columns: newer servers list it here too) and indexes. */
async function catalog(schema: string) {
  const q = async (query: ReturnType<typeof sql>) => ((await t.db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;
  const table = sql`${`${schema}.temporal_activity`}::regclass`;
  return {
    columns: await q(sql`SELECT a.attname AS "name", format_type(a.atttypid, a.atttypmod) AS "type", a.attnotnull AS "notNull",
                                a.attidentity AS "identity", pg_get_expr(d.adbin, d.adrelid) AS "default"
                           FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                          WHERE a.attrelid = ${table} AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`),
    constraints: await q(sql`SELECT conname AS "name", contype AS "type", pg_get_constraintdef(oid) AS "definition"
                               FROM pg_constraint WHERE conrelid = ${table} AND contype <> 'n' ORDER BY conname`),
    indexes: await q(sql`SELECT c.relname AS "name", replace(pg_get_indexdef(i.indexrelid), ${`${schema}.`}, '') AS "definition"
                           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = ${table} ORDER BY c.relname`),
  };
}

describe("temporal_activity", () => {
  it("is created by the library from the Drizzle table's definition", () => {
    const table = sharedObjects().find((o) => o.id === "table:temporal_activity")!;
    expect(table.statements).toEqual(activityTableStatements());
    expect(table.statements.join("\n")).toContain('CONSTRAINT "temporal_activity_kind_check" CHECK (length("kind") <= 64)');
  });

  it("comes out of the library's DDL exactly as drizzle-kit would create it from the Drizzle table", async () => {
    const kit = await generateMigration(generateDrizzleJson({}), generateDrizzleJson({ temporalActivity }));
    await inSchema(t.db, "from_drizzle_kit", kit);
    await inSchema(t.db, "from_library", activityTableStatements());
    const fromKit = await catalog("from_drizzle_kit");
    const fromLibrary = await catalog("from_library");
    expect(fromLibrary).toEqual(fromKit);
    expect(fromLibrary.constraints.map((c) => c.name)).toEqual([
      "temporal_activity_actor_check",
      "temporal_activity_actor_name_check",
      "temporal_activity_at_check",
      "temporal_activity_kind_check",
      "temporal_activity_pkey",
      "temporal_activity_reason_check",
      "temporal_activity_source_check",
    ]);
    expect(fromLibrary.indexes.map((i) => i.name)).toEqual([
      "temporal_activity_actor_idx",
      "temporal_activity_at_idx",
      "temporal_activity_pkey",
    ]);
  });
});
