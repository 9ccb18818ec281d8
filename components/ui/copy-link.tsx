"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";

/**
 * Copies an address: `path` (a page's permanent address, beside a plain link that works without
 * JavaScript), or the page's own address as it is now (a filtered list, whose filters are in its URL).
 */
export function CopyLink({ path, label = "Copy link" }: { path?: string; label?: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  async function copy() {
    try {
      await navigator.clipboard.writeText(path ? new URL(path, window.location.origin).toString() : window.location.href);
      setState("copied");
    } catch {
      setState("failed");
    }
    window.setTimeout(() => setState("idle"), 2000);
  }
  return (
    <>
      <Button size="sm" onClick={copy}>
        {state === "copied" ? "Copied ✓" : label}
      </Button>
      <span role="status" className="sr-only">
        {state === "copied"
          ? "Link copied"
          : state === "failed"
            ? path
              ? "Could not copy; use the permalink instead"
              : "Could not copy; copy the address bar instead"
            : ""}
      </span>
    </>
  );
}
