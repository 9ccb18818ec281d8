/** The opening history of rows that existed before tracking started. */
import { tableNames } from "./history-tables";
import { col, quoteIdent as q, quoteLiteral } from "./names";
import { list, markTicked } from "./plpgsql";
import type { ColumnInfo, TemporalMeta } from "./table";

/**
 * Opens history for rows that existed before tracking started (a table made temporal,
 * or a property added to tracking): one clock tick or history row per entity at its
 * current vclock, under one activity that says tracking started. Runs before the
 * guard triggers exist.
 */
export function backfillStatements(meta: TemporalMeta, properties: ColumnInfo[], withClock: boolean): string {
  const names = tableNames(meta);
  const keysE = meta.key.map((k) => col("e", k.name));
  const what = withClock ? `table ${meta.name}` : `${meta.name}.${properties.map((p) => p.name).join(", ")}`;
  const inserts = properties.map(
    (p) => `    INSERT INTO ${names.history(p.prop)} (${list([...meta.keyNames.map(q), q(p.name), '"vclock"', '"effective"'])})
    SELECT ${list([...keysE, col("e", p.name)])}, int4range(e."vclock", NULL), tstzrange(ts, NULL) FROM ${names.entity} e;`,
  );
  const clock = withClock
    ? `    INSERT INTO ${names.clock} (${list([...meta.keyNames.map(q), '"tick"', '"timestamp"', '"activity_id"'])})
    SELECT ${list(keysE)}, e."vclock", ts, aid FROM ${names.entity} e;\n`
    : "";
  return `DO $temporal$
DECLARE
  ts timestamptz := clock_timestamp();
  aid bigint;
BEGIN
  IF EXISTS (SELECT 1 FROM ${names.entity}) THEN
    INSERT INTO "temporal_activity" ("reason", "actor", "kind", "at", "recorded_at", "txid")
    VALUES (${quoteLiteral(`Tracking started for ${what}`)}, 'migration', 'migration', ts, ts, txid_current())
    RETURNING "id" INTO aid;
    ${markTicked("aid")}
${clock}${inserts.join("\n")}
  END IF;
END
$temporal$`;
}
