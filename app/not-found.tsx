import type { Metadata } from "next";
import { ButtonLink } from "@/components/ui/button";

export const metadata: Metadata = { title: "Not found" };

/** The last resort, outside the app's frame (inside it, app/(app)/not-found.tsx answers, [...missing] included). */
export default function NotFound() {
  return (
    <main id="main" className="mx-auto max-w-xl px-4 py-16">
      <p className="text-xs font-semibold tracking-wide text-faint uppercase">404 · Not found</p>
      <h1 className="mt-1 text-xl font-semibold">There is no page at this address</h1>
      <p className="mt-2 text-sm text-muted">Check the address, or start from the overview.</p>
      <div className="mt-4">
        <ButtonLink href="/" variant="primary">
          Go to the overview
        </ButtonLink>
      </div>
    </main>
  );
}
