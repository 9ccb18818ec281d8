/** Shared by the db scripts: the app's temporal tables and the stored temporal snapshot. */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { isTemporalTable, type AnyTemporalTable, type TemporalSnapshot } from "@temporal-records/drizzle";
import * as schema from "@/db/schema";

export const SNAPSHOT_FILE = resolve(process.cwd(), "db/migrations/temporal/snapshot.json");

export function schemaTemporalTables(): AnyTemporalTable[] {
  return (Object.values(schema) as unknown[]).filter(isTemporalTable);
}

export function readSnapshot(): TemporalSnapshot | null {
  return existsSync(SNAPSHOT_FILE) ? (JSON.parse(readFileSync(SNAPSHOT_FILE, "utf8")) as TemporalSnapshot) : null;
}

export function writeSnapshot(snapshot: TemporalSnapshot): void {
  writeFileSync(SNAPSHOT_FILE, `${JSON.stringify(snapshot, null, 2)}\n`);
}
