/** The product mark: a clock face over stacked versions. */
export function Logo() {
  return (
    <svg aria-hidden="true" viewBox="0 0 28 28" className="h-7 w-7 shrink-0">
      <rect width="28" height="28" rx="6" className="fill-indigo-500" />
      <rect x="6" y="17" width="16" height="3" rx="1.5" className="fill-indigo-200" />
      <rect x="8" y="21.5" width="12" height="2.5" rx="1.25" className="fill-indigo-300" />
      <circle cx="14" cy="10" r="5.5" fill="none" stroke="white" strokeWidth="1.8" />
      <path d="M14 7.2V10l2 1.4" fill="none" stroke="white" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  );
}
