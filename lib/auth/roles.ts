/** The three roles and what each may do. Pure: used by pages, actions and components alike. */
import { ROLES, type Role } from "@/db/roles";

export { ROLES, type Role };

const RANK: Record<Role, number> = { auditor: 0, editor: 1, admin: 2 };

export const ROLE_LABELS: Record<Role, string> = { auditor: "Auditor", editor: "Editor", admin: "Admin" };

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  auditor: "Reads every record and every past version of it, and exports them; changes nothing.",
  editor: "Creates, edits, retires, restores and reverts records.",
  admin: "Everything an editor does, plus managing people and their roles.",
};

/** True when `role` includes the rights of `needed` (admin ⊇ editor ⊇ auditor). */
export function can(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}
