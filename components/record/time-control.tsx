"use client";

import { parseAsInteger, parseAsString, useQueryStates } from "nuqs";
import { useEffect, useId, useRef, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { wallTimeIn, wallTimeOf } from "@/lib/admin/dates";

/**
 * Moves a record page through its history by writing the URL (`?version=` or `?asOf=`),
 * which the server reads: a slider and steppers over the record's versions, and a
 * date-time input in the viewer's zone. Every control works from the keyboard; the
 * slider commits a short moment after it stops moving, so dragging is one navigation.
 * The page keys it by what is on screen, so a navigation starts it afresh.
 */
export function TimeControl({
  latest,
  shown,
  moment,
  timeZone,
}: {
  /** The record's current version. */
  latest: number;
  /** The version on screen (latest when viewing now). */
  shown: number;
  /** The moment on screen when the URL names one. */
  moment: string | null;
  timeZone: string;
}) {
  const id = useId();
  const [pending, startTransition] = useTransition();
  const [, setPoint] = useQueryStates({ version: parseAsInteger, asOf: parseAsString }, { startTransition });
  const [version, setVersion] = useState(shown);
  const [wall, setWall] = useState(() => (moment ? wallTimeOf(new Date(moment), timeZone).slice(0, 16) : ""));
  const [wallError, setWallError] = useState<string | null>(null);
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  const goTo = (next: number) => {
    window.clearTimeout(timer.current);
    const clamped = Math.min(Math.max(next, 1), latest);
    setVersion(clamped);
    void setPoint(clamped === latest && !moment ? { version: null, asOf: null } : { version: clamped, asOf: null });
  };
  const slide = (next: number) => {
    setVersion(next);
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => goTo(next), 350);
  };
  const goToMoment = (event: React.FormEvent) => {
    event.preventDefault();
    const at = wall.includes("T") ? wallTimeIn(wall, timeZone) : undefined;
    if (!at) {
      setWallError("Pick a date and a time.");
      return;
    }
    setWallError(null);
    void setPoint({ version: null, asOf: at.toISOString() });
  };

  return (
    <div className="space-y-3 px-4 py-3" aria-busy={pending}>
      {latest > 1 ? (
        <div className="flex flex-wrap items-center gap-2">
          <label htmlFor={`${id}-version`} className="text-xs font-medium text-muted">
            Version
          </label>
          <Button size="sm" onClick={() => goTo(version - 1)} disabled={version <= 1} aria-label="Older version">
            ←
          </Button>
          <input
            id={`${id}-version`}
            type="range"
            min={1}
            max={latest}
            step={1}
            value={version}
            onChange={(event) => slide(Number(event.target.value))}
            aria-valuetext={`version ${version} of ${latest}`}
            className="h-2 min-w-40 flex-1 cursor-pointer accent-[var(--color-accent)]"
          />
          <Button size="sm" onClick={() => goTo(version + 1)} disabled={version >= latest} aria-label="Newer version">
            →
          </Button>
          <output htmlFor={`${id}-version`} className="w-24 text-right text-sm tabular-nums">
            v{version} of {latest}
          </output>
        </div>
      ) : (
        <p className="text-sm text-muted">This record has one version so far.</p>
      )}
      <form onSubmit={goToMoment} className="flex flex-wrap items-end gap-2" noValidate>
        <div>
          <label htmlFor={`${id}-moment`} className="block text-xs font-medium text-muted">
            As of ({timeZone})
          </label>
          <Input
            id={`${id}-moment`}
            type="datetime-local"
            value={wall}
            onChange={(event) => setWall(event.target.value)}
            aria-invalid={wallError ? true : undefined}
            aria-describedby={wallError ? `${id}-moment-error` : undefined}
            className="mt-1"
          />
        </div>
        <Button size="sm" type="submit">
          Show
        </Button>
        {moment || version !== latest ? (
          <Button size="sm" variant="ghost" onClick={() => void setPoint({ version: null, asOf: null })}>
            Back to now
          </Button>
        ) : null}
        {wallError ? (
          <p id={`${id}-moment-error`} role="alert" className="w-full text-xs text-danger">
            {wallError}
          </p>
        ) : null}
      </form>
    </div>
  );
}
