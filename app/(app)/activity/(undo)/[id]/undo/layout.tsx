import { forbidden, notFound } from "next/navigation";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { readDatabase } from "@/db/client";
import { roleFor } from "@/lib/admin/revert-activity";
import { can } from "@/lib/auth/roles";
import { requireUser } from "@/lib/auth/session";
import { getActivity } from "@temporal-records/drizzle";

/**
 * Checks the activity and the role (the highest any table it touched needs) before the
 * preview's loading state streams: an unknown activity is a real 404, a role that may
 * not undo it a real 403. (The route sits in its own group, outside the change set's loading state.)
 */
export default async function UndoLayout({ params, children }: { params: Promise<{ id: string }>; children: ReactNode }) {
  await connection();
  const { id } = await params;
  const user = await requireUser("editor");
  const activity = /^[0-9]{1,18}$/.test(id) ? await readDatabase((db) => getActivity(db, id)) : null;
  if (!activity) notFound();
  if (!can(user.role, roleFor(activity))) forbidden();
  return children;
}
