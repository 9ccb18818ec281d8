/**
 * What a value must be beyond its column's type, declared once per table and property.
 * db/schema.ts turns every rule into a CHECK constraint (`ruleChecks`, db/rule-checks.ts), so no write path
 * (the app, a script, psql) can store a value outside it; the app's forms check the same
 * rule first (`followsRule`) and show its `message` on the field. Pure (no Drizzle):
 * the browser bundle reads the rules too.
 */
export type ValueRule =
  /** A number from `min` to `max`, both included. */
  | { kind: "range"; min: number; max: number; message: string }
  /** A date (YYYY-MM-DD) from `from` to `to`, both included. */
  | { kind: "dates"; from: string; to: string; message: string }
  /** Text that is not blank once spaces are trimmed. */
  | { kind: "not-blank"; message: string };

const named = (message: string): ValueRule => ({ kind: "not-blank", message });

/** The rules, by table name and property. A table or property not listed has none beyond its type. */
export const VALUE_RULES: Record<string, Record<string, ValueRule>> = {
  member: {
    memberNumber: named("Enter the member number."),
    fullName: named("Enter the member's name."),
    premium: { kind: "range", min: 0, max: 100_000, message: "Enter a monthly premium from $0.00 to $100,000.00." },
    dateOfBirth: { kind: "dates", from: "1900-01-01", to: "2099-12-31", message: "Enter a date of birth from 1900 to 2099." },
    renewsOn: { kind: "dates", from: "2000-01-01", to: "2099-12-31", message: "Enter a renewal date from 2000 to 2099." },
  },
  provider: { name: named("Enter the provider's name."), city: named("Enter the city.") },
  friend: { name: named("Enter the friend's name.") },
  staff: { name: named("Enter their name.") },
};

/** The rule of a table's property, if it has one. */
export function ruleOf(table: string, prop: string): ValueRule | undefined {
  return VALUE_RULES[table]?.[prop];
}

/** The name of the CHECK constraint that enforces a rule in the database. */
export function ruleConstraint(table: string, column: string): string {
  return `${table}_${column}_rule`;
}

/**
 * True when `value` (a number, a numeric string, a YYYY-MM-DD date or text, as a form
 * parses it) keeps `rule`. The same comparisons as the CHECK constraint's SQL.
 */
export function followsRule(rule: ValueRule, value: unknown): boolean {
  switch (rule.kind) {
    case "range": {
      const n = typeof value === "number" ? value : Number(value);
      return Number.isFinite(n) && n >= rule.min && n <= rule.max;
    }
    case "dates":
      // ISO dates order as text, as the constraint's date comparison does.
      return typeof value === "string" && value >= rule.from && value <= rule.to;
    case "not-blank":
      return typeof value === "string" && value.trim() !== "";
  }
}
