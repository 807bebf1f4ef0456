import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { PrincipalSchema, UserSummarySchema } from '../../../shared/accounts.js';
import { failureSentence } from '../components/ErrorNotice.js';
import { type ApiFailure, apiRequest, clearSessionEnded, sessionWasEnded, toFailure } from '../services/api.js';
import { storeCredentials } from '../services/credentials.js';
import { navigate, redirect } from '../services/router.js';
import { homePath, rememberDisplayName } from '../services/useCredentials.js';

const LoginResponseSchema = z.object({
  token: z.string(),
  expiresMs: z.number().int(),
  principal: PrincipalSchema,
  user: UserSummarySchema,
});

type Submit = { state: 'idle' } | { state: 'sending' } | { state: 'failed'; failure: ApiFailure };

/**
 * Sign-in for judges, clerks and administrators. Also shown in place of a staff page when nobody is
 * signed in (or the session just expired); success goes to the signed-in role's own page.
 */
export function LoginPage() {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [submit, setSubmit] = useState<Submit>({ state: 'idle' });

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setSubmit({ state: 'sending' });
    try {
      const answer = await apiRequest(
        LoginResponseSchema,
        'POST',
        '/api/auth/login',
        { username: username.trim(), password },
        { auth: false },
      );
      if (answer.principal.kind !== 'user') throw new Error('the sign-in answered a non-user principal');
      clearSessionEnded();
      rememberDisplayName(answer.user.id, answer.user.displayName);
      storeCredentials({ kind: 'user', token: answer.token, expiresMs: answer.expiresMs, principal: answer.principal });
      const home = homePath(answer.principal);
      if (window.location.pathname !== home) redirect(home);
    } catch (error) {
      setPassword('');
      setSubmit({ state: 'failed', failure: toFailure(error) });
    }
  };

  const failure = submit.state === 'failed' ? submit.failure : null;
  return (
    <main className="login">
      <form className="panel login-form" onSubmit={(e) => void onSubmit(e)}>
        <h2>{t('login.heading')}</h2>
        {sessionWasEnded() && submit.state === 'idle' && (
          <p className="warning" data-testid="login-session-ended">
            {t('login.sessionEnded')}
          </p>
        )}
        <label className="field">
          <span>{t('login.username')}</span>
          <input
            data-testid="login-username"
            name="username"
            autoComplete="username"
            autoCapitalize="none"
            spellCheck={false}
            required
            value={username}
            onChange={(e) => setUsername(e.target.value)}
          />
        </label>
        <label className="field">
          <span>{t('login.password')}</span>
          <input
            data-testid="login-password"
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        {failure && (
          <p className="form-error" role="alert" data-testid="login-error" data-code={failure.code}>
            {failure.code === 'UNAUTHORIZED' ? t('login.wrongCredentials') : failureSentence(t, failure)}
          </p>
        )}
        <div className="actions">
          <button
            type="submit"
            className="big-button"
            data-testid="login-submit"
            disabled={submit.state === 'sending' || username.trim() === '' || password === ''}
          >
            {submit.state === 'sending' ? t('login.signingIn') : t('login.submit')}
          </button>
          <button type="button" className="big-button secondary" onClick={() => navigate('/')}>
            {t('common.back')}
          </button>
        </div>
      </form>
    </main>
  );
}
