"use client";

import { useEffect } from "react";
import { Button, ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { DATABASE_UNAVAILABLE, isDatabaseUnavailable } from "@/db/unavailable";

type Props = { error: unknown; retry?: () => void; reset?: () => void };

/** Unexpected failures in plain words: never a stack trace or a raw database message. */
export default function ErrorPage({ error, retry, reset }: Props) {
  const digest = error instanceof Error ? (error as Error & { digest?: string }).digest : undefined;
  const unavailable = digest === DATABASE_UNAVAILABLE || isDatabaseUnavailable(error);
  useEffect(() => {
    console.error(error);
  }, [error]);
  // retry() fetches the page from the server again; reset() only re-renders what the browser has.
  const tryAgain = retry ?? reset;
  return (
    <div className="mx-auto max-w-xl py-8">
      <Card>
        <div role="alert" className="px-6 py-6">
          <p className="text-xs font-semibold uppercase tracking-wide text-faint">
            {unavailable ? "Database unavailable" : "Something went wrong"}
          </p>
          <h1 className="mt-1 text-xl font-semibold tracking-tight text-ink">
            {unavailable ? "The database is unavailable right now" : "This page could not be shown"}
          </h1>
          <p className="mt-2 text-sm text-muted">
            {unavailable
              ? "The database is unavailable right now, so records and their history cannot be read. Nothing was changed. Try again in a moment; if it keeps happening, tell whoever runs this admin."
              : "An unexpected error stopped this page from loading. Nothing was changed. Try again; if it keeps happening, tell whoever runs this admin and mention the reference below."}
          </p>
          {digest && !unavailable ? <p className="mt-2 font-mono text-xs text-faint">Reference: {digest}</p> : null}
          <div className="mt-4 flex flex-wrap gap-2">
            {tryAgain ? (
              <Button variant="primary" onClick={() => tryAgain()}>
                Try again
              </Button>
            ) : null}
            <ButtonLink href="/">Go to the overview</ButtonLink>
          </div>
        </div>
      </Card>
    </div>
  );
}
