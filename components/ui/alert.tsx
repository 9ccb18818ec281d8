import type { ReactNode } from "react";
import { cn } from "./cn";

type Tone = "info" | "ok" | "warn" | "danger";
const tones: Record<Tone, string> = {
  info: "border-indigo-200 bg-accent-soft text-indigo-900",
  ok: "border-emerald-200 bg-ok-soft text-emerald-900",
  warn: "border-amber-200 bg-warn-soft text-amber-900",
  danger: "border-red-200 bg-danger-soft text-red-900",
};

export function Alert({
  tone = "info",
  title,
  children,
  className,
}: {
  tone?: Tone;
  title?: ReactNode;
  children?: ReactNode;
  className?: string;
}) {
  return (
    <div role={tone === "danger" ? "alert" : "status"} className={cn("rounded-md border px-3 py-2 text-sm", tones[tone], className)}>
      {title ? <p className="font-semibold">{title}</p> : null}
      {children ? <div className={title ? "mt-0.5" : undefined}>{children}</div> : null}
    </div>
  );
}
