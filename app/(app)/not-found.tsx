import type { Metadata } from "next";
import Link from "next/link";
import { RequestedPath } from "@/components/errors/requested-path";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { adminTables } from "@/lib/admin/registry";

export const metadata: Metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <div className="mx-auto max-w-xl py-8">
      <Card>
        <div className="px-6 py-6">
          <p className="text-xs font-semibold uppercase tracking-wide text-faint">404 · Not found</p>
          <h1 className="mt-1 text-xl font-semibold tracking-tight text-ink">There is nothing at this address</h1>
          <p className="mt-2 text-sm text-muted">
            No page, record or change set lives at <RequestedPath />. The link may be mistyped or cut short, or it points to a record or
            activity that does not exist. Records are never deleted, so an old link to a record that did exist keeps working.
          </p>
          <div className="mt-4 flex flex-wrap gap-2">
            <ButtonLink href="/" variant="primary">
              Go to the overview
            </ButtonLink>
            <ButtonLink href="/activity">Activity log</ButtonLink>
          </div>
        </div>
        <nav aria-label="Tables" className="border-t border-line px-6 py-4">
          <h2 className="text-xs font-semibold uppercase tracking-wide text-faint">Tables</h2>
          <ul className="mt-2 space-y-1.5">
            {adminTables().map((t) => (
              <li key={t.slug} className="text-sm">
                <Link href={`/t/${t.slug}`} className="font-medium text-accent hover:underline">
                  {t.label}
                </Link>
                {t.description ? <span className="text-muted"> — {t.description}</span> : null}
              </li>
            ))}
          </ul>
        </nav>
      </Card>
    </div>
  );
}
