import { cookies } from "next/headers";

export const TIME_ZONE_COOKIE = "tz";

export function isTimeZone(zone: string | undefined): zone is string {
  if (!zone || zone.length > 64) return false;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The viewer's time zone, reported by the browser in a cookie; UTC until it is known. */
export async function viewerTimeZone(): Promise<string> {
  const zone = (await cookies()).get(TIME_ZONE_COOKIE)?.value;
  return isTimeZone(zone) ? zone : "UTC";
}
