"use client";

import { usePathname } from "next/navigation";

/** The address that led nowhere, so the 404 page can say what was not found. */
export function RequestedPath() {
  const pathname = usePathname();
  return <code className="rounded bg-slate-100 px-1.5 py-0.5 font-mono text-xs text-ink break-all">{pathname}</code>;
}
