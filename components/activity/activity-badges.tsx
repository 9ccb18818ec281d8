import type { Activity, TickKind } from "@temporal-records/drizzle";
import { Badge } from "@/components/ui/badge";
import { parseRevertKind } from "@/lib/admin/revert-kind";

/** An activity's kind in words: a revert says what it reverted, any other kind is shown as written. */
function kindLabel(kind: string): string {
  const target = parseRevertKind(kind);
  if (!target) return kind;
  return "activity" in target ? `undoes #${target.activity}` : `revert to v${target.version}`;
}

/** Where an activity came from: its source, its kind, and whether it was back-dated. */
export function ActivityBadges({ activity }: { activity: Pick<Activity, "source" | "kind" | "backdated"> }) {
  if (!activity.source && !activity.kind && !activity.backdated) return <span className="text-faint">—</span>;
  return (
    <span className="inline-flex gap-1 whitespace-nowrap">
      {activity.source ? <Badge>{activity.source}</Badge> : null}
      {activity.kind ? (
        <span title={activity.kind}>
          <Badge tone="accent">{kindLabel(activity.kind)}</Badge>
        </span>
      ) : null}
      {activity.backdated ? <BackdatedBadge /> : null}
    </span>
  );
}

export function BackdatedBadge() {
  return (
    <span title="Recorded later than the moment it is about">
      <Badge tone="warn">back-dated</Badge>
    </span>
  );
}

const kindTones = { created: "ok", changed: "accent", retired: "danger", restored: "warn" } as const;

/** What a tick did to its record, in words (the colour only repeats it). */
export function TickKindBadge({ kind }: { kind: TickKind }) {
  return <Badge tone={kindTones[kind]}>{kind}</Badge>;
}
