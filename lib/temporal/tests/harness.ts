/**
 * The library's test databases: the fixture tables (or any schema and temporal tables) built by
 * drizzle-kit's DDL and the library's own migration plan, through the one test-database helper
 * (tests/database.ts: PGlite from a snapshot by default, or a new database on DATABASE_URL's server).
 */
import { generateDrizzleJson, generateMigration } from "drizzle-kit/api";
import { testDatabase, type TestDb, type TestSchema } from "../../../tests/database";
import { planTemporalMigration, type AnyTemporalTable } from "../index";
import { fixtureSchema, fixtureTables } from "./fixtures";

export { withTestDb, type TestDb } from "../../../tests/database";

export type TestDbOptions = {
  /** Entity DDL written by hand, run after drizzle-kit's: drizzle-kit does not escape `"` in names. */
  entityDdl?: string[];
};

/**
 * The fixture tables (or the given schema and temporal tables) as a test database's schema.
 *
 * @example
 * const t = withTestDb(librarySchema);
 * const u = withTestDb(() => librarySchema({ pet }, [pet]));
 */
export async function librarySchema(
  schema: Record<string, unknown> = fixtureSchema,
  tables: AnyTemporalTable[] = fixtureTables,
  options: TestDbOptions = {},
): Promise<TestSchema> {
  const entity = await generateMigration(generateDrizzleJson({}), generateDrizzleJson(schema));
  const statements = [
    'CREATE SCHEMA IF NOT EXISTS "audit"',
    ...entity,
    ...(options.entityDdl ?? []),
    ...planTemporalMigration(tables, null).statements,
  ];
  return {
    key: statements.join(";\n"),
    build: async (database) => {
      for (const statement of statements) await database.exec(statement);
    },
  };
}

/** A migrated database with the fixture tables (or the given schema), for a test that opens and closes its own. */
export async function testDb(
  schema: Record<string, unknown> = fixtureSchema,
  tables: AnyTemporalTable[] = fixtureTables,
  options: TestDbOptions = {},
): Promise<TestDb> {
  return testDatabase(await librarySchema(schema, tables, options));
}
