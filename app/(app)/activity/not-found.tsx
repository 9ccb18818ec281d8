import type { Metadata } from "next";
import { RequestedPath } from "@/components/errors/requested-path";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";

export const metadata: Metadata = { title: "Change set not found" };

export default function ChangesetNotFound() {
  return (
    <div className="mx-auto max-w-xl py-8">
      <Card>
        <div className="px-6 py-6">
          <p className="text-xs font-semibold uppercase tracking-wide text-faint">404 · Change set not found</p>
          <h1 className="mt-1 text-xl font-semibold tracking-tight text-ink">No activity has this ID</h1>
          <p className="mt-2 text-sm text-muted">
            <RequestedPath /> does not name a recorded activity. An activity ID is a whole number, such as the ones listed in the activity
            log.
          </p>
          <div className="mt-4 flex flex-wrap gap-2">
            <ButtonLink href="/activity" variant="primary">
              Browse the activity log
            </ButtonLink>
            <ButtonLink href="/">Overview</ButtonLink>
          </div>
        </div>
      </Card>
    </div>
  );
}
