import { notFound } from "next/navigation";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { loadRecord } from "@/lib/admin/record";

/** Checks the record exists before anything streams, so an unknown id answers with a real 404. */
export default async function RecordLayout({ params, children }: { params: Promise<{ table: string; id: string }>; children: ReactNode }) {
  await connection();
  const { table, id } = await params;
  if (!(await loadRecord(table, id))) notFound();
  return children;
}
