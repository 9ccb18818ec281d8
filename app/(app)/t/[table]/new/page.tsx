import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CreateRecordForm } from "@/components/forms/create-record-form";
import type { Choice } from "@/components/forms/record-fields";
import { PageHeader } from "@/components/ui/page-header";
import { readDatabase } from "@/db/client";
import { editableFields } from "@/lib/admin/form";
import { referenceOptions } from "@/lib/admin/queries";
import { adminTable } from "@/lib/admin/registry";
import { requireUser } from "@/lib/auth/session";
import { ACTIVITY_LIMITS } from "@temporal-records/drizzle";
import { createRecord } from "./actions";

type Props = { params: Promise<{ table: string }> };

/** A reference is a select up to this many targets; beyond, the form asks for an ID. */
const MAX_CHOICES = 2000;

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const admin = adminTable((await params).table);
  return { title: admin ? `New ${admin.singular.toLowerCase()}` : "Not found" };
}

/** The create form of any temporal table: one control per editable field, and a required reason. */
export default async function NewRecordPage({ params }: Props) {
  const admin = adminTable((await params).table);
  if (!admin || !admin.creatable) notFound();
  await requireUser(admin.manageRole);
  const fields = editableFields(admin);
  const choices = await readDatabase((db) =>
    Promise.all(
      fields
        .filter((f) => f.kind === "reference")
        .map(async (f) => [f.prop, await referenceOptions(db, f, MAX_CHOICES + 1)] as [string, Choice[]]),
    ),
  );
  const path = `/t/${admin.slug}`;
  const singular = admin.singular.toLowerCase();
  // JSON fields start as an empty object: valid, and a shape to type into.
  const initial = Object.fromEntries(fields.filter((f) => f.kind === "json").map((f) => [f.prop, "{}"]));
  return (
    <div className="max-w-3xl">
      <PageHeader
        title={`New ${singular}`}
        description="Its values become the first version of its history, with your name and reason."
        breadcrumb={
          <Link href={path} className="hover:text-ink hover:underline">
            {admin.label}
          </Link>
        }
      />
      <CreateRecordForm
        action={createRecord.bind(null, admin.slug)}
        fields={fields}
        initial={initial}
        choices={Object.fromEntries(choices.filter(([, list]) => list.length <= MAX_CHOICES))}
        singular={admin.singular}
        cancelHref={path}
        reasonMax={ACTIVITY_LIMITS.reason}
      />
    </div>
  );
}
