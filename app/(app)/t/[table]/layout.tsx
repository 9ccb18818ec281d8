import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { adminTable } from "@/lib/admin/registry";

/**
 * Checks the table exists before anything streams (loading states live below this
 * layout), so an unknown table answers with a real 404.
 */
export default async function TableLayout({ params, children }: { params: Promise<{ table: string }>; children: ReactNode }) {
  if (!adminTable((await params).table)) notFound();
  return children;
}
