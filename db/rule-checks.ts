/** The CHECK constraints that enforce db/rules.ts in the database (the SQL twin of `followsRule`). */
import { sql, type SQL } from "drizzle-orm";
import { check, type PgColumn } from "drizzle-orm/pg-core";
import { ruleConstraint, VALUE_RULES, type ValueRule } from "./rules";

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function literal(value: number | string): string {
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  if (typeof value === "string" && DATE.test(value)) return `'${value}'::date`;
  throw new Error(`A value rule's bound must be a finite number or a YYYY-MM-DD date, not ${JSON.stringify(value)}.`);
}

function condition(rule: ValueRule, column: string): SQL {
  const name = `"${column}"`;
  switch (rule.kind) {
    case "range":
      return sql.raw(`${name} >= ${literal(rule.min)} AND ${name} <= ${literal(rule.max)}`);
    case "dates":
      return sql.raw(`${name} >= ${literal(rule.from)} AND ${name} <= ${literal(rule.to)}`);
    case "not-blank":
      return sql.raw(`btrim(${name}) <> ''`);
  }
}

/**
 * The CHECK constraints of a table's rules, for its `extraConfig`.
 *
 * @example
 * extraConfig: (t) => [...ruleChecks("member", t), uniqueIndex("member_member_number_idx").on(t.memberNumber)]
 */
export function ruleChecks(table: string, columns: Record<string, PgColumn>) {
  return Object.entries(VALUE_RULES[table] ?? {}).map(([prop, rule]) => {
    const column = columns[prop];
    if (!column) throw new Error(`db/rules.ts names "${table}.${prop}", which is no column of ${table}.`);
    return check(ruleConstraint(table, column.name), condition(rule, column.name));
  });
}
