import type { ReactNode } from "react";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { formatMoment } from "@/lib/admin/format";
import type { ActivitySummary } from "@temporal-records/drizzle";
import { ActivityBadges } from "./activity-badges";
import { touchedText } from "./touched";

function Item({ term, children, className }: { term: string; children: ReactNode; className?: string }) {
  return (
    <div className={className}>
      <dt className="text-xs font-medium uppercase tracking-wide text-faint">{term}</dt>
      <dd className="mt-0.5 text-sm text-ink">{children}</dd>
    </div>
  );
}

/** Who made the change set, why, when it is about and when it was really written. */
export function ChangesetHeader({ activity, timeZone }: { activity: ActivitySummary; timeZone: string }) {
  return (
    <Card title="Activity" id="activity">
      <dl className="grid gap-x-6 gap-y-3 px-4 py-3 sm:grid-cols-2 lg:grid-cols-4">
        <Item term="Reason" className="sm:col-span-2 lg:col-span-4">
          <span className="text-base font-medium">{activity.reason}</span>
        </Item>
        <Item term="Actor">
          <span className="wrap-anywhere">{activity.actorName ?? activity.actor}</span>
        </Item>
        <Item term="When">
          <Time value={activity.at}>{formatMoment(activity.at, timeZone)}</Time>
        </Item>
        <Item term="Recorded at">
          <Time value={activity.recordedAt}>{formatMoment(activity.recordedAt, timeZone)}</Time>
          {activity.backdated ? <span className="block text-xs text-warn">Written later than the moment it is about</span> : null}
        </Item>
        <Item term="Source · kind">
          <ActivityBadges activity={activity} />
        </Item>
        <Item term="Touched" className="sm:col-span-2 lg:col-span-3">
          {touchedText(activity.ticks)}
        </Item>
        <Item term="Activity ID">
          <span className="font-mono">{activity.id}</span>
        </Item>
      </dl>
    </Card>
  );
}
