import { notFound } from "next/navigation";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { loadRecord } from "@/lib/admin/record";
import { requireUser } from "@/lib/auth/session";

/**
 * Checks the record and the role before the preview's loading state streams, so an
 * unknown record is a real 404 and a role that may not change it a real 403. (The route
 * sits in its own group, outside the record page's loading state, for the same reason.)
 */
export default async function RevertLayout({ params, children }: { params: Promise<{ table: string; id: string }>; children: ReactNode }) {
  await connection();
  const { table, id } = await params;
  const found = await loadRecord(table, id);
  if (!found) notFound();
  await requireUser(found.admin.manageRole);
  return children;
}
