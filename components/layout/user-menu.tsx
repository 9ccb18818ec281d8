import { signOut } from "@/app/sign-in/actions";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from "@/lib/auth/roles";
import type { StaffMember } from "@/lib/auth/staff";

/** Who is signed in, in which role, and the way out. */
export function UserMenu({ user }: { user: StaffMember }) {
  return (
    <div className="flex items-center gap-2 text-sm">
      <span className="text-faint">Signed in as</span>
      <span className="font-medium text-ink" data-testid="signed-in-user" title={user.email}>
        {user.name}
      </span>
      <Badge tone={user.role === "auditor" ? "neutral" : "accent"}>
        <span title={ROLE_DESCRIPTIONS[user.role]}>{ROLE_LABELS[user.role]}</span>
      </Badge>
      <form action={signOut}>
        <Button type="submit" size="sm" variant="ghost">
          Sign out
        </Button>
      </form>
    </div>
  );
}
