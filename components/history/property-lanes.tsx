import Link from "next/link";
import { Value } from "@/components/record/value";
import { DataTable, td, th } from "@/components/ui/table";
import { Time } from "@/components/ui/time";
import { formatMoment, formatValue } from "@/lib/admin/format";
import type { PlacedLane, Timelines } from "@/lib/admin/lanes";
import type { Labels } from "@/lib/admin/types";
import { StepChart } from "./step-chart";

/** Alternating tints tell neighbouring bands apart; the value is always written in the band and in its label. */
const TINTS = ["bg-indigo-100 text-indigo-950", "bg-sky-100 text-sky-950", "bg-violet-100 text-violet-950", "bg-slate-200 text-slate-900"];

function text(lane: PlacedLane, value: unknown, labels: Labels, timeZone: string): string {
  if (lane.field.kind === "reference") return labels[lane.field.prop]?.get(String(value)) ?? `#${String(value)}`;
  return formatValue(lane.field, value, timeZone);
}

/**
 * One property's values over time as bands: each band is a link to the record as of
 * the version that set it; hover or focus shows the value, who, when and why. A band
 * that stands for several changes says so. "View as table" lists the same bands.
 */
export function PropertyLane({
  lane,
  timelines,
  recordPath,
  timeZone,
}: {
  lane: PlacedLane;
  timelines: Timelines;
  recordPath: string;
  timeZone: string;
}) {
  const { labels } = timelines;
  const id = `lane-${lane.field.prop}`;
  return (
    <div className="space-y-1" data-testid={id}>
      <div className="flex items-baseline justify-between gap-2">
        <h3 id={`${id}-title`} className="text-xs font-medium text-muted">
          {lane.field.label}
        </h3>
        <Link href={`${recordPath}/history?property=${lane.field.prop}`} className="text-xs text-accent hover:underline">
          {lane.values} value{lane.values === 1 ? "" : "s"}
          <span className="sr-only"> of {lane.field.label}: full history</span>
        </Link>
      </div>
      {lane.bands.length === 0 ? (
        <p className="text-xs text-faint">No values in this window.</p>
      ) : (
        <ol aria-labelledby={`${id}-title`} className="relative h-7 overflow-visible rounded bg-slate-50 ring-1 ring-line">
          {lane.bands.map((band, i) => {
            const value = text(lane, band.value, labels, timeZone);
            const who = band.activity.actorName ?? band.activity.actor;
            const several = band.changes > 1 ? ` (${band.changes} changes in this span; the last shown)` : "";
            return (
              <li key={band.vclock} className="group absolute inset-y-0" style={{ left: `${band.left}%`, width: `${band.width}%` }}>
                <Link
                  href={`${recordPath}?version=${band.vclock}`}
                  aria-label={`${value}${several}, from ${formatMoment(band.from, timeZone)}, version ${band.vclock} by ${who}: ${band.activity.reason}`}
                  className={`flex h-full items-center overflow-hidden border-r border-white px-1 text-[11px] leading-none whitespace-nowrap hover:ring-2 hover:ring-accent focus-visible:z-10 ${TINTS[i % TINTS.length]} ${band.changes > 1 ? "bg-[repeating-linear-gradient(135deg,transparent_0_4px,rgb(255_255_255/0.6)_4px_6px)]" : ""}`}
                >
                  <span aria-hidden="true" className="truncate">
                    {band.changes > 1 ? `${band.changes}× · ` : ""}
                    {value}
                  </span>
                </Link>
                <span
                  role="presentation"
                  className={`pointer-events-none invisible absolute top-full ${band.left > 50 ? "right-0" : "left-0"} z-20 mt-1 w-64 rounded-md border border-line bg-panel p-2 text-xs text-ink opacity-0 shadow-lg group-focus-within:visible group-focus-within:opacity-100 group-hover:visible group-hover:opacity-100`}
                >
                  <span className="block font-medium">{value}</span>
                  <span className="block text-muted">
                    v{band.vclock} · {formatMoment(band.from, timeZone)} · {who}
                  </span>
                  <span className="block">Why: {band.activity.reason}</span>
                  {several ? <span className="block text-muted">{band.changes} changes in this span; the last is shown.</span> : null}
                </span>
              </li>
            );
          })}
        </ol>
      )}
      {lane.numeric && lane.bands.length > 0 ? (
        <StepChart
          label={lane.field.label}
          kind={lane.field.kind}
          from={timelines.from.getTime()}
          to={timelines.to.getTime()}
          timeZone={timeZone}
          points={lane.bands.map((b) => ({ t: b.from.getTime(), v: b.value === null ? null : Number(b.value), vclock: b.vclock }))}
        />
      ) : null}
      <details className="text-xs">
        <summary className="cursor-pointer text-accent hover:underline">
          View as table<span className="sr-only">: {lane.field.label}</span>
        </summary>
        <DataTable className="mt-1">
          <thead>
            <tr>
              <th className={th}>Value</th>
              <th className={th}>From</th>
              <th className={th}>Version</th>
              <th className={th}>Who</th>
              <th className={th}>Why</th>
            </tr>
          </thead>
          <tbody>
            {lane.bands.map((band) => (
              <tr key={band.vclock}>
                <td className={td}>
                  <Value field={lane.field} value={band.value} labels={labels} timeZone={timeZone} />
                  {band.changes > 1 ? <span className="ml-1 text-muted">(last of {band.changes})</span> : null}
                </td>
                <td className={td}>
                  <Time value={band.from}>{formatMoment(band.from, timeZone)}</Time>
                </td>
                <td className={td}>
                  <Link href={`${recordPath}?version=${band.vclock}`} className="text-accent hover:underline">
                    v{band.vclock}
                  </Link>
                </td>
                <td className={td}>{band.activity.actorName ?? band.activity.actor}</td>
                <td className={td}>{band.activity.reason}</td>
              </tr>
            ))}
          </tbody>
        </DataTable>
      </details>
    </div>
  );
}

/** Every lane on one time axis, with a note when bands were reduced to fit. */
export function PropertyLanes({ timelines, recordPath, timeZone }: { timelines: Timelines; recordPath: string; timeZone: string }) {
  const reduced = timelines.lanes.some((l) => l.reduced);
  return (
    <div className="space-y-3 px-4 py-3">
      <p className="flex justify-between text-xs text-muted">
        <Time value={timelines.from}>{formatMoment(timelines.from, timeZone)}</Time>
        <span aria-hidden="true">→</span>
        <Time value={timelines.to}>{formatMoment(timelines.to, timeZone)}</Time>
      </p>
      {reduced ? (
        <p className="text-xs text-muted" data-testid="lanes-reduced">
          Some properties changed more often than this width can show: a striped band stands for several changes and shows the last. Each
          property&apos;s history lists every value.
        </p>
      ) : null}
      {timelines.lanes.map((lane) => (
        <PropertyLane key={lane.field.prop} lane={lane} timelines={timelines} recordPath={recordPath} timeZone={timeZone} />
      ))}
    </div>
  );
}
