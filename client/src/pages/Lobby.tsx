import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { type Hearing, HearingSchema } from '../../../shared/hearing.js';
import { hearingPath, navigate } from '../services/router.js';

const HearingsResponseSchema = z.object({ hearings: z.array(HearingSchema) });

type LoadState = { state: 'loading' } | { state: 'failed' } | { state: 'ready'; hearings: Hearing[] };

function formatTime(iso: string, language: string): string {
  return new Intl.DateTimeFormat(language, {
    timeZone: 'Asia/Shanghai',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }).format(new Date(iso));
}

/** Today's hearings with a button per participant (the scheduling issue replaces this with logins). */
export function Lobby() {
  const { t, i18n } = useTranslation();
  const [load, setLoad] = useState<LoadState>({ state: 'loading' });

  const fetchHearings = useCallback(async () => {
    setLoad({ state: 'loading' });
    try {
      const response = await fetch('/api/hearings');
      const body = HearingsResponseSchema.parse(await response.json());
      setLoad({ state: 'ready', hearings: body.hearings });
    } catch {
      setLoad({ state: 'failed' });
    }
  }, []);

  useEffect(() => {
    void fetchHearings();
  }, [fetchHearings]);

  if (load.state === 'loading') return <p className="notice">{t('lobby.loading')}</p>;
  if (load.state === 'failed') {
    return (
      <div className="notice">
        <p>{t('lobby.loadFailed')}</p>
        <button type="button" className="big-button" onClick={() => void fetchHearings()}>
          {t('lobby.retry')}
        </button>
      </div>
    );
  }
  return (
    <main className="lobby">
      <h2>{t('lobby.heading')}</h2>
      {load.hearings.length === 0 && <p>{t('lobby.empty')}</p>}
      {load.hearings.map((hearing) => (
        <section key={hearing.id} className="hearing-card" data-testid="hearing-card">
          <h3>{hearing.title}</h3>
          <dl>
            <dt>{t('lobby.caseNumber')}</dt>
            <dd>{hearing.caseNumber}</dd>
            <dt>{t('lobby.court')}</dt>
            <dd>{hearing.court}</dd>
            <dt>{t('lobby.time')}</dt>
            <dd>
              {formatTime(hearing.startsAt, i18n.language)} – {formatTime(hearing.endsAt, i18n.language)}
            </dd>
          </dl>
          <ul className="enter-list">
            {hearing.participants.map((p) => (
              <li key={p.id}>
                <button
                  type="button"
                  className="big-button"
                  data-testid={`enter-${p.id}`}
                  onClick={() => navigate(hearingPath(hearing.id, p.id))}
                >
                  {t('lobby.enterAs', { name: `${t(`role.${p.role}`)} ${p.name}` })}
                </button>
                <span className="where">{p.site ? t('lobby.atSite', { site: p.site.name }) : t('lobby.atCourt')}</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </main>
  );
}
