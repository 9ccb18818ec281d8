import Link from "next/link";
import { CopyLink } from "@/components/ui/copy-link";
import { Change } from "@/components/history/change";
import { Badge } from "@/components/ui/badge";
import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Time } from "@/components/ui/time";
import { formatMoment } from "@/lib/admin/format";
import type { RecordAt } from "@/lib/admin/record-at";
import type { AdminTable } from "@/lib/admin/registry";
import { BlameChip } from "./blame-chip";
import { TickFeed } from "./tick-feed";
import { Value } from "./value";

type Found = Extract<RecordAt, { state: "found" }>;

/**
 * The banner of a record shown as it was: which version, made when, by whom and why,
 * and the ways out (now, compare with now, the change set, a link to copy).
 */
export function HistoryBanner({
  at,
  latest,
  base,
  permalink,
  moment,
  timeZone,
}: {
  at: Found;
  latest: number;
  base: string;
  permalink: string;
  moment: Date | null;
  timeZone: string;
}) {
  const who = at.tick.activity.actorName ?? at.tick.activity.actor;
  return (
    <section
      aria-labelledby="history-banner-title"
      className="rounded-lg border border-amber-300 bg-warn-soft px-4 py-3 text-sm text-amber-950"
      data-testid="history-banner"
    >
      <h2 id="history-banner-title" className="font-semibold">
        Read-only history: version {at.vclock} of {latest}
        {moment ? (
          <>
            , as of{" "}
            <Time value={moment} className="font-semibold">
              {formatMoment(moment, timeZone)}
            </Time>
          </>
        ) : null}
      </h2>
      <p className="mt-1">
        Made{" "}
        <Time value={at.timestamp} className="font-medium">
          {formatMoment(at.timestamp, timeZone)}
        </Time>{" "}
        by <span className="font-medium">{who}</span>
        {at.tick.activity.backdated ? " (back-dated)" : ""}:{" "}
        <Link href={`/activity/${at.tick.activity.id}`} className="font-medium underline hover:no-underline">
          “{at.tick.activity.reason}”
        </Link>
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-2">
        <ButtonLink size="sm" href={base}>
          Back to now
        </ButtonLink>
        {at.vclock !== latest ? (
          <ButtonLink size="sm" href={`${base}/compare?from=${at.vclock}&to=${latest}`}>
            Compare with now
          </ButtonLink>
        ) : null}
        <CopyLink path={permalink} />
        <Link href={permalink} className="text-xs underline hover:no-underline">
          Permalink
        </Link>
      </div>
    </section>
  );
}

/** Every field as it was, with who had set it; a property not tracked yet then says so. */
export function ValuesAt({ admin, at, base, timeZone }: { admin: AdminTable; at: Found; base: string; timeZone: string }) {
  return (
    <Card title={`Values at version ${at.vclock}`} id="values">
      <dl className="divide-y divide-line">
        {admin.fields
          .filter((f) => f.prop !== "vclock" && f.prop !== "retired")
          .map((field) => {
            const who = at.blames.find((b) => b.property === field.prop);
            const notYet = at.notTracked.includes(field.prop);
            const isKey = admin.key.some((k) => k.prop === field.prop);
            return (
              <div
                key={field.prop}
                className="grid gap-1 px-4 py-2 sm:grid-cols-[9rem_minmax(0,1fr)_minmax(0,17rem)] sm:items-center sm:gap-3"
              >
                <dt className="text-xs font-medium text-muted">{field.label}</dt>
                <dd className="min-w-0 text-sm break-words" data-testid={`value-${field.prop}`}>
                  {!field.tracked && !isKey ? (
                    <span className="text-muted italic">not kept in history</span>
                  ) : notYet ? (
                    <span className="text-muted italic">not tracked yet at this moment</span>
                  ) : (
                    <Value field={field} value={at.values[field.prop]} labels={at.labels} timeZone={timeZone} />
                  )}
                </dd>
                <dd className="min-w-0">
                  {who ? (
                    <BlameChip blame={who} timeZone={timeZone} id={`blame-${field.prop}`} href={`${base}?version=${who.vclock}`} />
                  ) : null}
                </dd>
              </div>
            );
          })}
      </dl>
    </Card>
  );
}

/** What is different now from the version on screen. */
export function ChangedSince({
  admin,
  at,
  latest,
  base,
  timeZone,
}: {
  admin: AdminTable;
  at: Found;
  latest: number;
  base: string;
  timeZone: string;
}) {
  return (
    <Card
      title={`What changed since version ${at.vclock}`}
      id="since"
      actions={
        at.since.length > 0 ? (
          <Link href={`${base}/compare?from=${at.vclock}&to=${latest}`} className="text-xs font-medium text-accent hover:underline">
            Compare v{at.vclock} with now →
          </Link>
        ) : null
      }
    >
      {at.since.length === 0 ? (
        <p className="px-4 py-3 text-sm text-muted">
          {at.vclock === latest
            ? "This is the current version."
            : "No tracked value has changed since (later versions only retired or restored it)."}
        </p>
      ) : (
        <ul className="divide-y divide-line" data-testid="changed-since">
          {at.since.map((change) => {
            const field = admin.fields.find((f) => f.prop === change.property)!;
            return (
              <li key={change.property} className="flex flex-wrap items-baseline gap-2 px-4 py-2 text-sm">
                <span className="w-36 shrink-0 text-xs font-medium text-muted">{field.label}</span>
                <Change
                  before={<Value field={field} value={change.before} labels={at.labels} timeZone={timeZone} />}
                  after={<Value field={field} value={change.after} labels={at.labels} timeZone={timeZone} />}
                />
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}

/** The ticks up to the version on screen. */
export function ChangesUpTo({
  admin,
  at,
  base,
  latest,
  timeZone,
}: {
  admin: AdminTable;
  at: Found;
  base: string;
  latest: number;
  timeZone: string;
}) {
  return (
    <Card
      title={`Changes up to version ${at.vclock}`}
      id="changes"
      actions={
        <Link href={`${base}/history`} className="text-xs font-medium text-accent hover:underline">
          Full history →
        </Link>
      }
    >
      <TickFeed admin={admin} ticks={at.earlier} labels={at.labels} timeZone={timeZone} recordPath={base} latest={latest} />
    </Card>
  );
}

export function RetiredThen({ retired }: { retired: boolean }) {
  return retired ? <Badge tone="danger">Retired then</Badge> : null;
}
