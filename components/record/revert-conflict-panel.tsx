import { Button, ButtonLink } from "@/components/ui/button";
import type { Field } from "@/lib/admin/registry";
import type { Labels } from "@/lib/admin/types";
import { Value } from "./value";

/**
 * A stale revert: the record changed after the preview was made. Laid out like the
 * edit form's conflict (ConflictPanel): what the preview showed, what was saved
 * meanwhile, and what the revert would set, with the two ways forward.
 */
export function RevertConflictPanel({
  message,
  fields,
  preview,
  theirs,
  target,
  versions,
  labels,
  timeZone,
  onPreviewAgain,
  cancelHref,
}: {
  message: string;
  /** The properties the revert would have set. */
  fields: Field[];
  preview: Record<string, unknown>;
  theirs: Record<string, unknown>;
  target: Record<string, unknown>;
  versions: { preview: number; theirs: number; target: number };
  labels: Labels;
  timeZone: string;
  onPreviewAgain: () => void;
  cancelHref: string;
}) {
  const shown = (field: Field, value: unknown) => <Value field={field} value={value} labels={labels} timeZone={timeZone} />;
  return (
    <section role="alert" aria-labelledby="revert-conflict-title" className="rounded-md border border-amber-300 bg-warn-soft p-3">
      <h2 id="revert-conflict-title" className="text-sm font-semibold text-amber-900">
        This record changed since the preview was made
      </h2>
      <p className="mt-0.5 text-sm text-amber-900">{message}</p>
      <table className="mt-2 w-full text-sm">
        <thead>
          <tr className="text-left text-xs text-amber-900">
            <th scope="col" className="py-1 pr-2 font-medium">
              Field
            </th>
            <th scope="col" className="py-1 pr-2 font-medium">
              In the preview (v{versions.preview})
            </th>
            <th scope="col" className="py-1 pr-2 font-medium">
              Saved meanwhile (v{versions.theirs})
            </th>
            <th scope="col" className="py-1 font-medium">
              Your revert (v{versions.target})
            </th>
          </tr>
        </thead>
        <tbody>
          {fields.map((field) => {
            const changedByThem = JSON.stringify(theirs[field.prop] ?? null) !== JSON.stringify(preview[field.prop] ?? null);
            return (
              <tr key={field.prop} className="border-t border-amber-200">
                <th scope="row" className="py-1 pr-2 text-left font-medium">
                  {field.label}
                </th>
                <td className="py-1 pr-2">{shown(field, preview[field.prop])}</td>
                <td className="py-1 pr-2">
                  {changedByThem ? <strong>{shown(field, theirs[field.prop])}</strong> : <span className="text-faint">unchanged</span>}
                </td>
                <td className="py-1">{shown(field, target[field.prop])}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button variant="primary" onClick={onPreviewAgain}>
          Preview again against version {versions.theirs}
        </Button>
        <ButtonLink href={cancelHref}>Drop the revert</ButtonLink>
      </div>
    </section>
  );
}
