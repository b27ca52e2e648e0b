/**
 * The signed-in session: the Authorization header value, kept for the tab only (sessionStorage), as the
 * issue asks. Locally the server needs none and this stays empty.
 */
const KEY = 'cairn.authorization';

export const getAuthorization = (): string | undefined => {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
};

export const setAuthorization = (value: string | undefined): void => {
  try {
    if (value) sessionStorage.setItem(KEY, value);
    else sessionStorage.removeItem(KEY);
  } catch {
    // Storage can be disabled; the session then lasts until the page reloads.
  }
};

/** A Cairn token is sent as a bearer token; a user name and password as HTTP basic credentials. */
export const authorizationFor = (credentials: { token: string } | { user: string; password: string }): string =>
  'token' in credentials
    ? `Bearer ${credentials.token.trim()}`
    : `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${credentials.user}:${credentials.password}`)))}`;

export const SIGN_IN_ROUTE = '/signin';

/** Sends the user to sign-in, remembering where they were so sign-in can bring them back. */
export const redirectToSignIn = (): void => {
  const current = window.location.hash.replace(/^#/, '') || '/';
  if (current.startsWith(SIGN_IN_ROUTE)) return;
  window.location.hash = `${SIGN_IN_ROUTE}?next=${encodeURIComponent(current)}`;
};
