import { useEffect, useState } from 'react';
import type { UserPrincipal } from '../../../shared/accounts.js';
import { assertUnreachable } from '../../../shared/errors.js';
import { credentials, onCredentialsChange, type StoredCredentials } from './credentials.js';

/** The stored credentials, re-read whenever they change (sign-in, sign-out, a 401, enrollment). */
export function useCredentials(): StoredCredentials | null {
  const [value, setValue] = useState(credentials);
  useEffect(() => {
    setValue(credentials());
    return onCredentialsChange(() => setValue(credentials()));
  }, []);
  return value;
}

/** The signed-in user's principal, or null for a kiosk or nobody. */
export function userOf(stored: StoredCredentials | null): UserPrincipal | null {
  return stored?.kind === 'user' && stored.principal.kind === 'user' ? stored.principal : null;
}

const NAME_KEY = 'shared-court.display-name';

/** Keeps the signed-in user's display name for the header (the stored credentials hold only ids). */
export function rememberDisplayName(userId: string, displayName: string): void {
  localStorage.setItem(NAME_KEY, JSON.stringify({ userId, displayName }));
}

/** The display name remembered at sign-in for this user, if any. */
export function displayNameOf(userId: string): string | null {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(NAME_KEY) ?? 'null');
    if (typeof value !== 'object' || value === null) return null;
    const id: unknown = Reflect.get(value, 'userId');
    const name: unknown = Reflect.get(value, 'displayName');
    return id === userId && typeof name === 'string' ? name : null;
  } catch {
    return null;
  }
}

/** Where a signed-in user starts: judges at their agenda, clerks at the schedule, administrators at the console. */
export function homePath(principal: UserPrincipal): string {
  switch (principal.role) {
    case 'judge':
      return '/judge';
    case 'clerk':
      return '/clerk';
    case 'admin':
      return '/admin';
    default:
      return assertUnreachable(principal.role);
  }
}
