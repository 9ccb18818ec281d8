/**
 * How a revert's activity records what it reverted: in its `kind` (a column every
 * activity has), so the history and the change sets can link both ways without a
 * column of their own. `revert:activity:<id>` undid one activity; `revert:version:<n>`
 * set one record back to its version n. Pure: pages, actions and components share it.
 */

export type RevertTarget = { activity: string } | { version: number };

const PATTERN = /^revert:(activity|version):([0-9]{1,18})$/;

/** The `kind` of the activity that reverts `target`. */
export function revertKind(target: RevertTarget): string {
  return "activity" in target ? `revert:activity:${target.activity}` : `revert:version:${target.version}`;
}

/** What an activity reverted, read from its kind; null for an activity that is no revert. */
export function parseRevertKind(kind: string | null | undefined): RevertTarget | null {
  const match = kind ? PATTERN.exec(kind) : null;
  if (!match) return null;
  return match[1] === "activity" ? { activity: match[2]! } : { version: Number(match[2]) };
}

/** The reason a revert form starts with (editable; the library caps its length). */
export function revertReason(target: { activity: string; reason: string } | { record: string; version: number }, max: number): string {
  const text =
    "activity" in target
      ? `Reverts activity #${target.activity}: ${target.reason}`
      : `Reverts ${target.record} to version ${target.version}`;
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
