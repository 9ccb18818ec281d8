"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/** Copies the page's permanent address; the plain link beside it works without JavaScript. */
export function CopyLink({ path }: { path: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(new URL(path, window.location.origin).toString());
      setState("copied");
    } catch {
      setState("failed");
    }
    window.setTimeout(() => setState("idle"), 2000);
  }
  return (
    <>
      <Button size="sm" onClick={copy}>
        {state === "copied" ? "Copied ✓" : "Copy link"}
      </Button>
      <span role="status" className="sr-only">
        {state === "copied" ? "Link copied" : state === "failed" ? "Could not copy; use the permalink instead" : ""}
      </span>
    </>
  );
}
