// Where the console's session meets its HTTP client (api/client.ts knows
// nothing of sessions): the two clients every page uses.
import { createApiClient } from './api/client';
import { navigate } from './router';
import { clearSession, getSession } from './session';

/** Signed-in calls: the session's token; a 401 ends the session and asks to sign in again, coming back here after. */
export const api = createApiClient({
  getToken: () => getSession()?.token ?? null,
  onUnauthorized: () => {
    clearSession();
    const here = window.location.pathname + window.location.search;
    navigate(`/signin?expired=1&next=${encodeURIComponent(here)}`, { replace: true });
  },
});

/** Sign-in and the caller's own pages (self-referral, manage link): never a token, whoever else is signed in. */
export const publicApi = createApiClient();
