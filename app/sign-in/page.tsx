import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { connection } from "next/server";
import { Logo } from "@/components/layout/logo";
import { SignInForm } from "@/components/auth/sign-in-form";
import { Card } from "@/components/ui/card";
import { DEMO_ACCOUNTS, isDemoMode } from "@/db/demo-accounts";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "@/lib/auth/roles";
import { safeRedirectPath } from "@/lib/auth/safe-redirect";
import { currentUser } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Sign in" };

type Props = { searchParams: Promise<{ next?: string | string[] }> };

export default async function SignInPage({ searchParams }: Props) {
  await connection();
  const { next } = await searchParams;
  const target = typeof next === "string" ? next : undefined;
  if (await currentUser()) redirect(safeRedirectPath(target));
  const demo = isDemoMode();
  return (
    <main id="main" className="flex min-h-screen items-center justify-center bg-canvas px-4 py-10">
      <div className="w-full max-w-md space-y-5">
        <h1 className="flex items-center justify-center gap-2 text-lg font-semibold text-ink">
          <Logo />
          Temporal Records
        </h1>
        <Card title="Sign in">
          <SignInForm next={target} />
        </Card>
        {demo ? (
          <Card title="Demo accounts" id="demo-accounts">
            <p className="px-4 pt-3 text-xs text-muted">This is a demo database: these accounts and passwords are public.</p>
            <ul className="divide-y divide-line px-4 py-2 text-sm">
              {DEMO_ACCOUNTS.map((account) => (
                <li key={account.email} className="py-2">
                  <p className="font-medium">
                    {ROLE_LABELS[account.role]}: {account.name}
                  </p>
                  <p className="font-mono text-xs text-muted">
                    {account.email} · {account.password}
                  </p>
                  <p className="text-xs text-faint">{ROLE_DESCRIPTIONS[account.role]}</p>
                </li>
              ))}
            </ul>
          </Card>
        ) : null}
      </div>
    </main>
  );
}
