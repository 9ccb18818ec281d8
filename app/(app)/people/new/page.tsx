import type { Metadata } from "next";
import Link from "next/link";
import { NewPersonForm } from "@/components/auth/new-person-form";
import { PageHeader } from "@/components/ui/page-header";
import { requireUser } from "@/lib/auth/session";
import { ACTIVITY_LIMITS } from "@temporal-records/drizzle";

export const metadata: Metadata = { title: "Add a person" };

export default async function NewPersonPage() {
  await requireUser("admin");
  return (
    <div className="max-w-3xl">
      <PageHeader
        title="Add a person"
        description="They sign in with this email and password and get one role. The grant is recorded with your name and reason."
        breadcrumb={
          <Link href="/t/staff" className="hover:text-ink hover:underline">
            People
          </Link>
        }
      />
      <NewPersonForm reasonMax={ACTIVITY_LIMITS.reason} />
    </div>
  );
}
