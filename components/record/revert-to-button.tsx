import { ButtonLink } from "@/components/ui/button";
import type { Side } from "@/lib/admin/compare";

/** On the compare page: revert to the older of the two versions compared, when it is not the current one. */
export function RevertToButton({ recordPath, sides, latest }: { recordPath: string; sides: Side[]; latest: number }) {
  const versions = sides.filter((s): s is NonNullable<Side> => s !== null).map((s) => s.vclock);
  const older = versions.length > 0 ? Math.min(...versions) : null;
  if (older === null || older >= latest) return null;
  return <ButtonLink href={`${recordPath}/revert?to=${older}`}>Revert to this version (v{older})…</ButtonLink>;
}
