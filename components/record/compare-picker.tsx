import Form from "next/form";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/input";

/** Picks the two points to compare: a version number or an ISO 8601 moment each (a GET form: the URL is the state). */
export function ComparePicker({
  path,
  from,
  to,
  view,
  all,
  latest,
}: {
  path: string;
  from: string;
  to: string;
  view: "side" | "inline";
  all: boolean;
  latest: number;
}) {
  return (
    <Form action={path} className="flex flex-wrap items-end gap-3 px-4 py-3">
      <div>
        <label htmlFor="compare-from" className="block text-xs font-medium text-muted">
          From
        </label>
        <Input id="compare-from" name="from" defaultValue={from} className="mt-1 w-64" aria-describedby="compare-hint" />
      </div>
      <div>
        <label htmlFor="compare-to" className="block text-xs font-medium text-muted">
          To
        </label>
        <Input id="compare-to" name="to" defaultValue={to} className="mt-1 w-64" aria-describedby="compare-hint" />
      </div>
      <div>
        <label htmlFor="compare-view" className="block text-xs font-medium text-muted">
          View
        </label>
        <Select id="compare-view" name="view" defaultValue={view} className="mt-1">
          <option value="side">Side by side</option>
          <option value="inline">Inline</option>
        </Select>
      </div>
      {all ? <input type="hidden" name="all" value="1" /> : null}
      <Button type="submit" variant="primary">
        Compare
      </Button>
      <p id="compare-hint" className="w-full text-xs text-muted">
        A version from 1 to {latest}, or a moment such as 2025-06-01T09:30:00Z.
      </p>
    </Form>
  );
}
