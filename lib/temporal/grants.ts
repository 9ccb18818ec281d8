import { tableNames } from "./ddl";
import { quoteIdent, quoteLiteral } from "./names";
import { metaOf, type AnyTemporalTable } from "./table";

/** The activity columns a writer may give; `recorded_at` and `txid` are stamped by the table's trigger. */
const ACTIVITY_COLUMNS = ["reason", "actor", "actor_name", "source", "kind", "at", "backdated"];

/**
 * The privileges a role that owns nothing needs to write and read `tables` through the library
 * (or any SQL): SELECT, INSERT and UPDATE on the records; SELECT on their clock and history and
 * on the activities, and INSERT of an activity's own columns only. Clock and history rows are
 * written by the capture functions, which run as their owner (SECURITY DEFINER), so the role
 * cannot write, change or remove history, switch capture off, or stamp an activity's time. Run
 * them as the owner (the role that migrates); they revoke what the role held before, so they
 * can be run again.
 *
 * @example
 * for (const statement of temporalGrants([friend, member], "app")) await pool.query(statement);
 */
export function temporalGrants(tables: AnyTemporalTable[], role: string): string[] {
  const to = quoteIdent(role);
  const metas = tables.map(metaOf);
  const schemas = new Set(["public", ...metas.flatMap((m) => [m.schema ?? "public", m.historySchema ?? m.schema ?? "public"])]);
  const entities = metas.map((m) => tableNames(m).entity);
  const history = metas.flatMap((m) => [tableNames(m).clock, ...m.properties.map((p) => tableNames(m).history(p.prop))]);
  const all = [...entities, ...history, '"temporal_activity"'];
  return [
    `REVOKE ALL ON ${all.join(", ")} FROM ${to}`,
    `GRANT USAGE ON SCHEMA ${[...schemas].map(quoteIdent).join(", ")} TO ${to}`,
    `GRANT SELECT, INSERT, UPDATE ON ${entities.join(", ")} TO ${to}`,
    `GRANT SELECT ON ${[...history, '"temporal_activity"'].join(", ")} TO ${to}`,
    `GRANT INSERT (${ACTIVITY_COLUMNS.map(quoteIdent).join(", ")}) ON "temporal_activity" TO ${to}`,
    // The sequences behind serial keys (an identity needs none).
    `DO $temporal$ DECLARE s regclass; BEGIN
  FOR s IN SELECT d.objid::regclass FROM pg_depend d JOIN pg_class c ON c.oid = d.objid AND c.relkind = 'S'
            WHERE d.classid = 'pg_class'::regclass AND d.deptype = 'a' AND d.refobjid = ANY(ARRAY[${entities.map(quoteLiteral).join(", ")}]::regclass[]) LOOP
    EXECUTE format('GRANT USAGE ON SEQUENCE %s TO %s', s, ${quoteLiteral(to)});
  END LOOP;
END $temporal$`,
  ];
}
