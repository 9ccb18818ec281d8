import { describedBy, Field as FormField } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import { cn } from "@/components/ui/cn";
import { humanEnum } from "@/lib/admin/format";
import type { FieldErrors } from "@/lib/admin/form";
import type { Field } from "@/lib/admin/registry";

export type Choice = { value: string; label: string };

/** The input name of a field: server actions read these back with `formFields`. */
export const inputName = (field: Pick<Field, "prop">) => `field.${field.prop}`;
export const inputId = (field: Pick<Field, "prop">) => `field-${field.prop}`;

const HINTS: Partial<Record<Field["kind"], string>> = {
  money: "US dollars, e.g. 129.50.",
  decimal: "Up to two decimal places.",
  tags: "Separate with commas, e.g. wellness, telehealth.",
  json: 'A JSON value, e.g. {"dental": true}.',
  datetime: "ISO 8601, e.g. 2024-06-01T09:30:00Z.",
  uuid: "e.g. 123e4567-e89b-12d3-a456-426614174000.",
};

function hintOf(field: Field): string | undefined {
  const hint = HINTS[field.kind];
  const untracked = field.tracked ? undefined : "Not tracked: only the current value is kept.";
  return [hint, untracked].filter(Boolean).join(" ") || undefined;
}

/** The empty choice of a select: a prompt when required, the database default, or no value. */
function blankChoice(field: Field): string {
  if (field.required) return "Choose…";
  return field.hasDefault ? "Default" : "None";
}

function Control({
  field,
  value,
  error,
  hint,
  choices,
}: {
  field: Field;
  value: string;
  error?: string;
  hint?: string;
  choices?: Choice[];
}) {
  const aria = {
    ...describedBy(inputId(field), error, hint),
    name: inputName(field),
    defaultValue: value,
    "aria-required": field.required || undefined,
  };
  switch (field.kind) {
    case "boolean":
      return (
        <Select {...aria}>
          <option value="">{blankChoice(field)}</option>
          <option value="true">Yes</option>
          <option value="false">No</option>
        </Select>
      );
    case "enum":
    case "reference": {
      if (field.kind === "reference" && !choices) return <Input {...aria} type="number" step={1} min={1} inputMode="numeric" />;
      const options = field.kind === "enum" ? field.enumValues.map((v) => ({ value: v, label: humanEnum(v) })) : (choices ?? []);
      return (
        <Select {...aria}>
          <option value="">{blankChoice(field)}</option>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </Select>
      );
    }
    case "json":
      return <Textarea {...aria} rows={4} spellCheck={false} />;
    case "integer":
      return <Input {...aria} type="number" step={1} inputMode="numeric" />;
    case "decimal":
    case "money":
      return <Input {...aria} type="number" step={0.01} inputMode="decimal" />;
    case "date":
      return <Input {...aria} type="date" />;
    case "datetime":
      return <Input {...aria} placeholder="2024-06-01T09:30:00Z" autoComplete="off" />;
    default:
      return <Input {...aria} maxLength={field.maxLength} autoComplete="off" spellCheck={field.kind === "text"} />;
  }
}

/**
 * One labelled control per field, chosen by its kind, with its value and error.
 * `values` are input strings (see `inputValue` in lib/admin/format.ts); errors are
 * keyed by property (or by column, as database errors name them). A reference
 * field without `choices` (a target too large for a select) takes an ID.
 */
export function RecordFields({
  fields,
  values,
  errors = {},
  choices = {},
  className,
}: {
  fields: Field[];
  values: Record<string, string>;
  errors?: FieldErrors;
  choices?: Record<string, Choice[]>;
  className?: string;
}) {
  return (
    <div className={cn("grid gap-x-4 gap-y-3 sm:grid-cols-2", className)}>
      {fields.map((field) => {
        const error = errors[field.prop] ?? errors[field.column];
        const hint = field.kind === "reference" && !choices[field.prop] ? "Too many to list: enter the record's #ID." : hintOf(field);
        return (
          <div key={field.prop} className={field.kind === "json" ? "sm:col-span-2" : undefined}>
            <FormField id={inputId(field)} label={field.label} hint={hint} error={error} required={field.required}>
              <Control field={field} value={values[field.prop] ?? ""} error={error} hint={hint} choices={choices[field.prop]} />
            </FormField>
          </div>
        );
      })}
    </div>
  );
}
