import type { Choice } from "@/components/forms/record-fields";
import { Button } from "@/components/ui/button";
import type { Field } from "@/lib/admin/registry";
import { shownInput as shown } from "./shown-input";

/** A stale save: the user's edits next to what a colleague saved meanwhile, with the two ways forward. */
export function ConflictPanel({
  fields,
  mine,
  loaded,
  theirs,
  options,
  timeZone,
  message,
  onReapply,
  onDrop,
}: {
  fields: Field[];
  mine: Record<string, string>;
  loaded: Record<string, string>;
  theirs: Record<string, string>;
  options: Record<string, Choice[]>;
  /** The viewer's zone, for moments (as the record page shows them). */
  timeZone: string;
  message: string;
  onReapply: () => void;
  onDrop: () => void;
}) {
  return (
    <section role="alert" aria-labelledby="conflict-title" className="rounded-md border border-amber-300 bg-warn-soft p-3">
      <h3 id="conflict-title" className="text-sm font-semibold text-amber-900">
        This record changed while you were editing
      </h3>
      <p className="mt-0.5 text-sm text-amber-900">
        {message || "Nothing was saved. Compare the values, then re-apply your edits to the newer version or drop them."}
      </p>
      <table className="mt-2 w-full text-sm">
        <thead>
          <tr className="text-left text-xs text-amber-900">
            <th scope="col" className="py-1 pr-2 font-medium">
              Field
            </th>
            <th scope="col" className="py-1 pr-2 font-medium">
              When you loaded it
            </th>
            <th scope="col" className="py-1 pr-2 font-medium">
              Saved meanwhile
            </th>
            <th scope="col" className="py-1 font-medium">
              Your edit
            </th>
          </tr>
        </thead>
        <tbody>
          {fields.map((field) => {
            const changedByThem = (theirs[field.prop] ?? "") !== (loaded[field.prop] ?? "");
            return (
              <tr key={field.prop} className="border-t border-amber-200">
                <th scope="row" className="py-1 pr-2 text-left font-medium">
                  {field.label}
                </th>
                <td className="py-1 pr-2">{shown(field, loaded[field.prop], options, timeZone)}</td>
                <td className="py-1 pr-2">
                  {changedByThem ? (
                    <strong>{shown(field, theirs[field.prop], options, timeZone)}</strong>
                  ) : (
                    <span className="text-faint">unchanged</span>
                  )}
                </td>
                <td className="py-1">{shown(field, mine[field.prop], options, timeZone)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button variant="primary" onClick={onReapply}>
          Re-apply my edits to the newer version
        </Button>
        <Button onClick={onDrop}>Drop my edits</Button>
      </div>
    </section>
  );
}
