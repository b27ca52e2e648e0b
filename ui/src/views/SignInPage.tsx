import { useState } from 'react';
import { ApiError, apiFetch } from '../api/client';
import { authorizationFor, setAuthorization } from '../api/session';
import { navigate } from '../app/router';

/** Shown when the server answers 401: a Cairn token, or a user name and password, kept for this tab. */
export default function SignInPage({ next }: { next: string }) {
  const [mode, setMode] = useState<'token' | 'password'>('token');
  const [token, setToken] = useState('');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    setAuthorization(mode === 'token' ? authorizationFor({ token }) : authorizationFor({ user, password }));
    try {
      await apiFetch('/api/2.0/mlflow/experiments/search', { method: 'POST', body: { max_results: 1 } });
      navigate(next.startsWith('/signin') ? '/' : next);
    } catch (reason) {
      setAuthorization(undefined);
      setError(reason instanceof ApiError && reason.status === 401 ? `Not accepted: ${reason.message}` : String(reason instanceof Error ? reason.message : reason));
      window.history.replaceState(null, '', `#/signin?next=${encodeURIComponent(next)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin">
      <form
        className="card stack"
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <h1>Sign in to Cairn</h1>
        <div className="segmented" role="group" aria-label="Sign in with">
          <button type="button" aria-pressed={mode === 'token'} onClick={() => setMode('token')}>
            Token
          </button>
          <button type="button" aria-pressed={mode === 'password'} onClick={() => setMode('password')}>
            User and password
          </button>
        </div>
        {mode === 'token' ? (
          <label className="stack" style={{ gap: 4 }}>
            Cairn token
            <input type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} autoFocus />
          </label>
        ) : (
          <>
            <label className="stack" style={{ gap: 4 }}>
              User name
              <input autoComplete="username" value={user} onChange={(e) => setUser(e.target.value)} autoFocus />
            </label>
            <label className="stack" style={{ gap: 4 }}>
              Password
              <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
            </label>
          </>
        )}
        <button type="submit" className="primary" disabled={busy || (mode === 'token' ? !token : !user)}>
          Sign in
        </button>
        {error && <div className="inline-error" role="alert">{error}</div>}
        <p className="muted small">Kept for this browser tab only.</p>
      </form>
    </div>
  );
}
