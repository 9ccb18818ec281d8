/**
 * What the role the app connects as may do, when it is not the owner (README, "Database roles"):
 * the library's grants for the temporal tables, read and write on the plain tables (sign-in,
 * sessions, limits), and reading the migrations journal so the server can tell at boot whether
 * the schema is current. It owns nothing, so it cannot ALTER, DISABLE TRIGGER, TRUNCATE or DROP.
 */
import { is } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { isTemporalTable, temporalGrants, type AnyTemporalTable } from "@temporal-records/drizzle";
import * as schema from "./schema";

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** The statements that grant `role` exactly what the app needs (revoking what it held first). Run them as the owner. */
export function appGrants(role: string): string[] {
  const tables = Object.values(schema) as unknown[];
  const temporal = tables.filter(isTemporalTable) as AnyTemporalTable[];
  const plain = tables
    .filter((t): t is PgTable => is(t, PgTable) && !isTemporalTable(t))
    .map((t) => {
      const config = getTableConfig(t);
      return config.schema ? `${quote(config.schema)}.${quote(config.name)}` : quote(config.name);
    });
  const to = quote(role);
  return [
    ...temporalGrants(temporal, role),
    `REVOKE ALL ON ${plain.join(", ")} FROM ${to}`,
    `GRANT SELECT, INSERT, UPDATE, DELETE ON ${plain.join(", ")} TO ${to}`,
    `GRANT USAGE ON SCHEMA "drizzle" TO ${to}`,
    `GRANT SELECT ON "drizzle"."__drizzle_migrations" TO ${to}`,
  ];
}
