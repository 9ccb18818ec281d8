/**
 * Per-table display options for the admin. Tables not listed here still appear,
 * with labels derived from their column names.
 */
import type { Role } from "./roles";

export type FieldDisplay = {
  label?: string;
  format?: "money";
  /** Shown as a column in the table view (default: every non-system column). */
  listed?: boolean;
  /** Shown but never edited in the generic forms. */
  readOnly?: boolean;
};

export type TableDisplay = {
  label?: string;
  singular?: string;
  description?: string;
  /** The property that names a record (default: the first text column). */
  title?: string;
  order?: number;
  defaultSort?: { prop: string; desc: boolean };
  /** The role that may create, edit and retire records (default: editor). */
  manageRole?: Role;
  /** Whether the generic create form adds records (default: true). */
  creatable?: boolean;
  /** A page of its own that adds records, when the generic form cannot (people need a password). */
  createPath?: string;
  fields?: Record<string, FieldDisplay>;
};

export const display: Record<string, TableDisplay> = {
  member: {
    label: "Members",
    singular: "Member",
    description: "Health-plan members: plan, premium, primary care and coverage.",
    title: "fullName",
    order: 1,
    defaultSort: { prop: "fullName", desc: false },
    fields: {
      memberNumber: { label: "Member #" },
      fullName: { label: "Name" },
      dateOfBirth: { label: "Date of birth" },
      premium: { label: "Monthly premium", format: "money" },
      primaryCareProviderId: { label: "Primary care" },
      coverage: { listed: false },
      tags: { label: "Programs" },
      renewsOn: { label: "Renews on" },
      createdAt: { label: "Created", listed: false },
    },
  },
  provider: {
    label: "Providers",
    singular: "Provider",
    description: "The provider network members choose their primary care from.",
    title: "name",
    order: 2,
    fields: { acceptingNewPatients: { label: "Accepting new patients" } },
  },
  staff: {
    label: "People",
    singular: "Person",
    description: "Who may sign in, and their role. Role changes are history too: who granted whom which role, when and why.",
    title: "name",
    order: 4,
    manageRole: "admin",
    creatable: false,
    createPath: "/people/new",
    fields: { id: { label: "User ID", listed: false }, email: { readOnly: true } },
  },
  friend: {
    label: "Friends",
    singular: "Friend",
    description: "The PyCon 2017 talk's example: where each friend lived, and when.",
    title: "name",
    order: 3,
  },
};
