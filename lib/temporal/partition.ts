/**
 * Hash partitioning of a temporal table's clock and history tables by the record's key
 * (docs/SCALING.md). Every row of one record lands in one partition, so the constraints that
 * compare rows of one record (the primary key (key, tick), the open-row unique index, the two
 * exclusion constraints (key WITH =, range WITH &&)) hold as they do on one table. Partitioning by
 * time cannot keep them: a constraint on a partitioned table must include the partition key.
 */
import { InvalidArgumentError } from "./errors";
import { qualified, quoteIdent as q, quoteLiteral, shortIdentifier } from "./names";
import { metaOf, type AnyTemporalTable } from "./table";

export type HashPartitionOptions = {
  /** How many partitions each table gets (`PARTITION BY HASH (key)`, MODULUS partitions): 2 to 1024. */
  partitions: number;
};

const MAX_PARTITIONS = 1024;

/**
 * The statements that turn one table into `PARTITION BY HASH (keys)`, read from the catalog in the
 * database: its CHECK constraints and defaults (LIKE), its rows, then its keys, foreign keys,
 * indexes, triggers, privileges and owner, rebuilt on the partitioned table under their own names.
 * Exclusion constraints go on the parent from Postgres 17 (which accepts them when they compare the
 * partition key with =), on each partition before. A table that is already partitioned is skipped.
 */
function partitionTable(schema: string | undefined, name: string, keys: string[], partitions: number): string {
  const target = qualified(schema, name);
  const old = shortIdentifier(`${name}_unpartitioned`);
  const parts = Array.from({ length: partitions }, (_, i) => qualified(schema, shortIdentifier(`${name}_p${i}`)));
  const literal = (text: string) => quoteLiteral(text);
  return `DO $temporal$
DECLARE
  target regclass := to_regclass(${literal(target)});
  parts text[] := ARRAY[${parts.map(literal).join(", ")}];
  on_parent boolean := current_setting('server_version_num')::int >= 170000;
  later text[] := '{}';
  excl text[] := '{}';
  owner_name name;
  r record;
  part text;
  statement text;
BEGIN
  IF target IS NULL THEN
    RAISE EXCEPTION USING ERRCODE = '42P01', MESSAGE = ${literal(`${target} does not exist: run the temporal migration before partitioning it.`)};
  END IF;
  IF (SELECT c.relkind FROM pg_class c WHERE c.oid = target) = 'p' THEN
    RETURN;
  END IF;
  SELECT pg_get_userbyid(c.relowner) INTO owner_name FROM pg_class c WHERE c.oid = target;
  -- Read before anything moves: the definitions name the table as it is now, the name the new one takes.
  FOR r IN SELECT c.conname, c.contype, pg_get_constraintdef(c.oid) AS def FROM pg_constraint c
            WHERE c.conrelid = target AND c.contype IN ('p', 'u', 'f', 'x') ORDER BY c.contype DESC, c.conname LOOP
    IF r.contype = 'x' AND NOT on_parent THEN
      excl := excl || r.def;
    ELSE
      later := later || format('ALTER TABLE %s ADD CONSTRAINT %I %s', ${literal(target)}, r.conname, r.def);
    END IF;
  END LOOP;
  FOR r IN SELECT pg_get_indexdef(i.indexrelid) AS def FROM pg_index i
            WHERE i.indrelid = target AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.conrelid = target) LOOP
    later := later || r.def;
  END LOOP;
  FOR r IN SELECT pg_get_triggerdef(t.oid) AS def FROM pg_trigger t WHERE t.tgrelid = target AND NOT t.tgisinternal ORDER BY t.tgname LOOP
    later := later || r.def;
  END LOOP;
  FOR r IN SELECT a.privilege_type, a.grantee, a.is_grantable FROM pg_class c, aclexplode(c.relacl) a
            WHERE c.oid = target AND a.grantee <> c.relowner LOOP
    later := later || format('GRANT %s ON %s TO %s%s', r.privilege_type, ${literal(target)},
      CASE WHEN r.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(r.grantee)) END,
      CASE WHEN r.is_grantable THEN ' WITH GRANT OPTION' ELSE '' END);
  END LOOP;
  EXECUTE format('ALTER TABLE %s RENAME TO %I', ${literal(target)}, ${literal(old)});
  EXECUTE format('CREATE TABLE %s (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY HASH (%s)',
    ${literal(target)}, ${literal(qualified(schema, old))}, ${literal(keys.map(q).join(", "))});
  FOR i IN 1 .. array_length(parts, 1) LOOP
    EXECUTE format('CREATE TABLE %s PARTITION OF %s FOR VALUES WITH (MODULUS %s, REMAINDER %s)', parts[i], ${literal(target)}, array_length(parts, 1), i - 1);
  END LOOP;
  -- Rows first, then indexes and constraints: built over the rows at once, not kept up row by row.
  EXECUTE format('INSERT INTO %s SELECT * FROM %s', ${literal(target)}, ${literal(qualified(schema, old))});
  EXECUTE format('DROP TABLE %s', ${literal(qualified(schema, old))});
  FOREACH statement IN ARRAY later LOOP
    EXECUTE statement;
  END LOOP;
  -- Before Postgres 17 a partitioned table takes no exclusion constraint: each partition gets its own (named by the
  -- server), which is the same guarantee, since all rows of one key are in one partition.
  FOREACH part IN ARRAY parts LOOP
    FOREACH statement IN ARRAY excl LOOP
      EXECUTE format('ALTER TABLE %s ADD %s', part, statement);
    END LOOP;
  END LOOP;
  IF owner_name <> current_user THEN
    EXECUTE format('ALTER TABLE %s OWNER TO %I', ${literal(target)}, owner_name);
  END IF;
  EXECUTE format('ANALYZE %s', ${literal(target)});
END
$temporal$`;
}

/**
 * The statements that partition a temporal table's clock and every history table by the record's
 * key (`PARTITION BY HASH`), keeping their rows, constraints, indexes, triggers and privileges. Run
 * them as the role that migrates, after `planTemporalMigration`'s statements (in a drizzle-kit custom
 * migration), and again after a migration that starts tracking a property: tables already
 * partitioned are skipped. Each table is rewritten under an ACCESS EXCLUSIVE lock: do it while the
 * history is small, or in a maintenance window. See docs/SCALING.md for what it costs and what
 * partitioning by time would lose.
 *
 * @example
 * for (const statement of hashPartitionStatements(friend, { partitions: 8 })) await db.execute(sql.raw(statement));
 */
export function hashPartitionStatements(table: AnyTemporalTable, options: HashPartitionOptions): string[] {
  const { partitions } = options;
  if (!Number.isInteger(partitions) || partitions < 2 || partitions > MAX_PARTITIONS) {
    throw new InvalidArgumentError(`partitions must be a whole number from 2 to ${MAX_PARTITIONS}; got ${String(partitions)}.`);
  }
  const meta = metaOf(table);
  const schema = meta.historySchema ?? meta.schema;
  const names = [meta.clockName, ...meta.properties.map((p) => meta.history.get(p.prop)!.name)];
  return names.map((name) => partitionTable(schema, name, meta.keyNames, partitions));
}
