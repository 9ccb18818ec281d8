/**
 * The roles a person can hold: the values of the `staff_role` enum. Pure (no
 * Drizzle), so the schema, the display options and the browser share one list;
 * lib/auth/roles.ts adds what each role may do.
 */
export const ROLES = ["auditor", "editor", "admin"] as const;
export type Role = (typeof ROLES)[number];
