import type { ReactNode } from "react";
import type { ValueDiff } from "@/lib/admin/value-diff";
import { Change } from "./change";

const del = "rounded bg-red-50 px-0.5 text-red-800 line-through decoration-red-800/60";
const ins = "rounded bg-emerald-50 px-0.5 text-emerald-900 underline decoration-emerald-900/40";

const json = (value: unknown) => (value === undefined ? "—" : JSON.stringify(value));
const signed = (n: number) => (n > 0 ? `+${n}` : String(n));

/**
 * How a value changed, by kind, readable without colour: removed words struck through
 * and marked "removed" for screen readers, added ones underlined and marked "added".
 * `before`/`after` are the values as every screen shows them, for kinds shown whole.
 */
export function ValueDiffView({ diff, before, after, inline }: { diff: ValueDiff; before: ReactNode; after: ReactNode; inline?: boolean }) {
  switch (diff.kind) {
    case "words":
      return (
        <p className="text-sm leading-relaxed break-words whitespace-pre-wrap" data-diff="words">
          {diff.parts.map((part, i) =>
            part.change === "same" ? (
              <span key={i}>{part.text}</span>
            ) : part.change === "removed" ? (
              <del key={i} className={del}>
                <span className="sr-only">removed: </span>
                {part.text}
              </del>
            ) : (
              <ins key={i} className={ins}>
                <span className="sr-only">added: </span>
                {part.text}
              </ins>
            ),
          )}
        </p>
      );
    case "number":
      return (
        <span className="inline-flex flex-wrap items-baseline gap-2 text-sm" data-diff="number">
          {inline ? <Change before={before} after={after} /> : null}
          <span className="rounded bg-slate-100 px-1.5 py-0.5 font-medium tabular-nums">
            {signed(diff.delta)}
            {diff.percent === null ? "" : ` (${signed(diff.percent)}%)`}
          </span>
        </span>
      );
    case "json":
      return (
        <ul className="space-y-0.5 font-mono text-xs" data-diff="json">
          {diff.changes.map((change) => (
            <li key={change.path} className="flex flex-wrap items-baseline gap-1.5">
              <span className="font-semibold">{change.path}</span>
              {change.change === "added" ? (
                <ins className={ins}>
                  <span className="sr-only">added: </span>
                  {json(change.after)}
                </ins>
              ) : change.change === "removed" ? (
                <del className={del}>
                  <span className="sr-only">removed: </span>
                  {json(change.before)}
                </del>
              ) : (
                <Change before={json(change.before)} after={json(change.after)} />
              )}
              <span className="text-faint">({change.change})</span>
            </li>
          ))}
        </ul>
      );
    case "elements":
      return (
        <ul className="flex flex-wrap gap-1.5 text-xs" data-diff="elements">
          {diff.added.map((item, i) => (
            <li key={`a${i}`}>
              <ins className={ins}>+ {String(item)}</ins>
              <span className="sr-only"> (added)</span>
            </li>
          ))}
          {diff.removed.map((item, i) => (
            <li key={`r${i}`}>
              <del className={del}>− {String(item)}</del>
              <span className="sr-only"> (removed)</span>
            </li>
          ))}
        </ul>
      );
    case "plain":
      // Side by side, the From and To columns already hold the values: say what happened to them.
      return inline ? <Change before={before} after={after} /> : <span className="text-xs text-muted">replaced</span>;
  }
}
