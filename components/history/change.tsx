import type { ReactNode } from "react";

/**
 * before → after, readable without colour: the old value struck through in <del>, the new one in <ins>. Faint
 * details inside a value (a reference's #id) take the chip's colour, so they keep their contrast on its tint.
 */
export function Change({ before, after, created }: { before: ReactNode; after: ReactNode; created?: boolean }) {
  return (
    <span className="inline-flex flex-wrap items-baseline gap-1.5">
      {created ? null : (
        <>
          <del className="rounded bg-red-50 px-1 text-red-800 [&_.text-faint]:text-inherit">
            <span className="sr-only">was </span>
            {before}
          </del>
          <span aria-hidden="true" className="text-faint">
            →
          </span>
        </>
      )}
      <ins className="rounded bg-emerald-50 px-1 text-emerald-900 [&_.text-faint]:text-inherit">
        <span className="sr-only">{created ? "set to " : "now "}</span>
        {after}
      </ins>
    </span>
  );
}
