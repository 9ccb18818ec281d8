import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { adminTable } from "@/lib/admin/registry";
import { requireUser } from "@/lib/auth/session";

/** Checks the role before the form's loading state streams, so a role that may not create gets a real 403. */
export default async function NewRecordLayout({ params, children }: { params: Promise<{ table: string }>; children: ReactNode }) {
  const admin = adminTable((await params).table);
  if (!admin || !admin.creatable) notFound();
  await requireUser(admin.manageRole);
  return children;
}
