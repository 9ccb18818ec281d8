import Link from "next/link";
import { Change } from "@/components/history/change";
import { Badge } from "@/components/ui/badge";
import { Empty } from "@/components/ui/empty";
import { Time } from "@/components/ui/time";
import { formatMoment } from "@/lib/admin/format";
import type { AdminTable } from "@/lib/admin/registry";
import type { TickRevertLinks } from "@/lib/admin/revert";
import type { Labels } from "@/lib/admin/types";
import type { TickKind, TimelineEntry } from "@temporal-records/drizzle";
import { RevertLinkLine } from "./revert-links";
import { Value } from "./value";

const KIND: Record<TickKind, { label: string; tone: "accent" | "neutral" | "danger" | "ok" }> = {
  created: { label: "Created", tone: "accent" },
  changed: { label: "Changed", tone: "neutral" },
  retired: { label: "Retired", tone: "danger" },
  restored: { label: "Restored", tone: "ok" },
};

/** Ticks newest first: when, who, why, and each change before → after. */
export function TickFeed({
  admin,
  ticks,
  labels,
  timeZone,
  recordPath,
  latest,
  mayRevert,
  links,
}: {
  admin: AdminTable;
  ticks: TimelineEntry[];
  labels: Labels;
  timeZone: string;
  /** The record's page: each version links to the record as it was then. */
  recordPath?: string;
  /** The record's current version: with recordPath, each tick links to compare with its previous version and with now. */
  latest?: number;
  /** The viewer may revert the record: each earlier tick links to its revert preview. */
  mayRevert?: boolean;
  /** What each tick reverted and what reverted it, by version. */
  links?: Record<number, TickRevertLinks>;
}) {
  if (ticks.length === 0) return <Empty title="No changes recorded yet." />;
  return (
    <ol className="divide-y divide-line">
      {ticks.map((tick) => {
        const kind = KIND[tick.kind];
        const changes = tick.changes.filter((c) => c.property !== "retired");
        return (
          <li key={tick.vclock} className="px-4 py-3">
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
              <Badge tone={kind.tone}>{kind.label}</Badge>
              {recordPath ? (
                <Link href={`${recordPath}?version=${tick.vclock}`} className="font-medium hover:text-accent hover:underline">
                  v{tick.vclock}
                  <span className="sr-only">: the record as it was then</span>
                </Link>
              ) : (
                <span className="font-medium">v{tick.vclock}</span>
              )}
              <Time value={tick.timestamp} className="text-muted">
                {formatMoment(tick.timestamp, timeZone)}
              </Time>
              <span className="text-faint">by</span>
              <span className="font-medium">{tick.activity.actorName ?? tick.activity.actor}</span>
              {tick.activity.backdated ? <Badge tone="warn">back-dated</Badge> : null}
            </div>
            <p className="mt-1 text-sm text-ink">
              <Link href={`/activity/${tick.activity.id}`} className="hover:text-accent hover:underline">
                “{tick.activity.reason}”
              </Link>
            </p>
            {recordPath && latest ? (
              <p className="mt-1 flex flex-wrap gap-3 text-xs">
                {tick.vclock > 1 ? (
                  <Link href={`${recordPath}/compare?from=${tick.vclock - 1}&to=${tick.vclock}`} className="text-accent hover:underline">
                    Compare with previous
                    <span className="sr-only">
                      {" "}
                      (v{tick.vclock - 1} to v{tick.vclock})
                    </span>
                  </Link>
                ) : null}
                {tick.vclock < latest ? (
                  <Link href={`${recordPath}/compare?from=${tick.vclock}&to=${latest}`} className="text-accent hover:underline">
                    Compare with now
                    <span className="sr-only">
                      {" "}
                      (v{tick.vclock} to v{latest})
                    </span>
                  </Link>
                ) : null}
                {mayRevert && tick.vclock < latest ? (
                  <Link href={`${recordPath}/revert?to=${tick.vclock}`} className="text-accent hover:underline">
                    Revert to this version…<span className="sr-only"> (v{tick.vclock})</span>
                  </Link>
                ) : null}
              </p>
            ) : null}
            {links?.[tick.vclock] ? <RevertLinkLine links={links[tick.vclock]!} recordPath={recordPath} /> : null}
            {changes.length > 0 && tick.kind !== "created" ? (
              <ul className="mt-1.5 space-y-1 text-sm">
                {changes.map((change) => {
                  const field = admin.fields.find((f) => f.prop === change.property)!;
                  return (
                    <li key={change.property} className="flex flex-wrap items-baseline gap-2">
                      <span className="w-36 shrink-0 text-xs font-medium text-muted">{field.label}</span>
                      <Change
                        before={<Value field={field} value={change.before} labels={labels} timeZone={timeZone} />}
                        after={<Value field={field} value={change.after} labels={labels} timeZone={timeZone} />}
                      />
                    </li>
                  );
                })}
              </ul>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
