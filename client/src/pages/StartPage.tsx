import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { StoredCredentials } from '../services/credentials.js';
import { navigate, redirect } from '../services/router.js';
import { displayNameOf, homePath, userOf } from '../services/useCredentials.js';

/**
 * The first screen: court staff sign in, or this machine is set up as a village kiosk. An enrolled
 * kiosk never stays here (after a restart, or "back" from the hearing room, it returns to its list).
 */
export function StartPage({ stored }: { stored: StoredCredentials | null }) {
  const { t } = useTranslation();
  const kiosk = stored?.kind === 'kiosk';
  useEffect(() => {
    if (kiosk) redirect('/kiosk');
  }, [kiosk]);
  if (kiosk) return null;

  const user = userOf(stored);
  return (
    <main className="start">
      <h2>{t('start.heading')}</h2>
      <p className="lead">{t('start.lead')}</p>
      <div className="start-choices">
        {user ? (
          <button
            type="button"
            className="choice"
            data-testid="start-continue"
            onClick={() => navigate(homePath(user))}
          >
            <strong>
              {t('start.continueAs', {
                name: displayNameOf(user.userId) ?? t(`header.role.${user.role}`),
              })}
            </strong>
            <span>{t('start.continueHint')}</span>
          </button>
        ) : (
          <button type="button" className="choice" data-testid="start-login" onClick={() => navigate('/login')}>
            <strong>{t('start.staff')}</strong>
            <span>{t('start.staffHint')}</span>
          </button>
        )}
        <button type="button" className="choice" data-testid="start-kiosk" onClick={() => navigate('/kiosk')}>
          <strong>{t('start.kiosk')}</strong>
          <span>{t('start.kioskHint')}</span>
        </button>
      </div>
    </main>
  );
}
