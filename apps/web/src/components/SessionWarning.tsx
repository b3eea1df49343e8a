import { useEffect, useState } from 'react';

/** Warn this long before the sign-in ends. */
const WARN_MS = 5 * 60_000;

/** When the access token stops being accepted (its `exp` claim), or null when it has none. */
export function tokenExpiry(token: string): number | null {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const exp = (JSON.parse(atob(payload)) as { exp?: number }).exp;
    return typeof exp === 'number' ? exp * 1000 : null;
  } catch {
    return null;
  }
}

/**
 * A warning before the sign-in ends, so nobody is cut off mid-call unawares. What is typed on the new-call
 * form is kept either way (drafts.ts) and comes back after signing in again.
 */
export function SessionWarning({ token }: { token: string }) {
  const expiry = tokenExpiry(token);
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!expiry) return;
    const t = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(t);
  }, [expiry]);
  if (!expiry || expiry - now > WARN_MS) return null;
  const minutes = Math.max(0, Math.ceil((expiry - now) / 60_000));
  return (
    <div className="notice notice--warning session-warning" role="alert" data-testid="session-warning">
      <p className="body">
        {minutes > 0
          ? `Your sign-in ends in ${minutes} minute${minutes === 1 ? '' : 's'}. Save what you are doing; anything unsaved on the new-call form is kept and comes back after you sign in again.`
          : 'Your sign-in has ended. Anything unsaved on the new-call form is kept: sign in again to carry on.'}
      </p>
    </div>
  );
}
