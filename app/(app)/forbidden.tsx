import { ButtonLink } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { ROLE_LABELS } from "@/lib/auth/roles";
import { currentUser } from "@/lib/auth/session";

/** 403: signed in, but this role may not do what the page is for. */
export default async function Forbidden() {
  const user = await currentUser();
  return (
    <div className="mx-auto max-w-xl py-8">
      <Card>
        <div className="space-y-3 p-6">
          <p className="text-xs font-semibold tracking-wide text-faint uppercase">403 · Not allowed</p>
          <h1 className="text-xl font-semibold">Your role cannot do this</h1>
          {user ? (
            <p className="text-sm">
              You are signed in as {user.name}, with the <strong>{ROLE_LABELS[user.role]}</strong> role.
            </p>
          ) : null}
          <p className="text-sm text-muted">
            Auditors read everything and change nothing; editors change records; admins also manage people and their roles. Ask an admin if
            you need more access.
          </p>
          <ButtonLink href="/" variant="primary">
            Back to the overview
          </ButtonLink>
        </div>
      </Card>
    </div>
  );
}
