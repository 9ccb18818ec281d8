import { notFound } from "next/navigation";
import { connection } from "next/server";
import type { ReactNode } from "react";
import { readDatabase } from "@/db/client";
import { getActivity } from "@temporal-records/drizzle";

/** Checks the activity exists before anything streams, so an unknown id answers with a real 404. */
export default async function ActivityLayout({ params, children }: { params: Promise<{ id: string }>; children: ReactNode }) {
  await connection();
  const { id } = await params;
  if (!/^[0-9]{1,18}$/.test(id) || !(await readDatabase((db) => getActivity(db, id)))) notFound();
  return children;
}
