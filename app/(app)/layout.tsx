import Link from "next/link";
import type { ReactNode } from "react";
import { Logo } from "@/components/layout/logo";
import { NavLinks } from "@/components/layout/nav-links";
import { UserMenu } from "@/components/layout/user-menu";
import { adminTables } from "@/lib/admin/registry";
import { viewerTimeZone } from "@/lib/admin/time-zone";
import { requireUser } from "@/lib/auth/session";

/** The signed-in app: every page below needs a session (and checks its own role on top). */
export default async function AppLayout({ children }: { children: ReactNode }) {
  const [user, timeZone] = await Promise.all([requireUser(), viewerTimeZone()]);
  const links = [
    { href: "/", label: "Overview" },
    ...adminTables().map((t) => ({ href: `/t/${t.slug}`, label: t.label })),
    { href: "/activity", label: "Activity log" },
  ];
  return (
    <>
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-panel focus:px-3 focus:py-2"
      >
        Skip to content
      </a>
      <div className="flex min-h-screen flex-col md:flex-row">
        <aside className="border-b border-line bg-slate-900 text-slate-200 md:w-56 md:shrink-0 md:border-b-0 md:border-r">
          <div className="px-4 py-4">
            <Link href="/" className="flex items-center gap-2 font-semibold text-white">
              <Logo />
              Temporal Records
            </Link>
          </div>
          <NavLinks links={links} />
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="flex flex-wrap items-center justify-between gap-3 border-b border-line bg-panel px-4 py-2 md:px-6">
            <p className="text-xs text-faint">
              Times shown in{" "}
              <span className="font-medium text-muted" data-testid="time-zone">
                {timeZone}
              </span>
            </p>
            <UserMenu user={user} />
          </header>
          <main id="main" className="min-w-0 flex-1 px-4 py-5 md:px-6">
            {children}
          </main>
        </div>
      </div>
    </>
  );
}
