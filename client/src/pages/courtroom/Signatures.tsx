import { useTranslation } from 'react-i18next';
import type { FloorState } from '../../../../shared/floor.js';
import { clockTime, type Person, signatureView } from './floorView.js';

/**
 * Who signed the transcript, which version and when, and a warning that cannot be missed where the
 * stored text no longer matches what was signed.
 */
export function Signatures({ floor, people }: { floor: FloorState; people: readonly Person[] }) {
  const { t } = useTranslation();
  const { signed, unsigned } = signatureView(floor, people);
  const now = Date.now();
  return (
    <section className="desk-panel signatures" data-testid="signatures" aria-label={t('courtroom.signatures.heading')}>
      <h2>{t('courtroom.signatures.heading')}</h2>
      {signed.length === 0 && <p className="muted">{t('courtroom.signatures.none')}</p>}
      {signed.length > 0 && (
        <ul className="signature-list">
          {signed.map((row) => (
            <li
              key={row.participantId}
              className={row.intact ? 'signature-row' : 'signature-row signature-broken'}
              data-testid={`signature-${row.participantId}`}
              data-intact={row.intact}
              data-version={row.version}
            >
              <strong>
                {row.person
                  ? `${t(`role.${row.person.role}`, { defaultValue: row.person.role })} ${row.person.name}`
                  : row.participantId}
              </strong>
              <span>
                {t('courtroom.signatures.signed', {
                  version: row.version,
                  time: clockTime(row.signedAt, now) ?? row.signedAt,
                })}
              </span>
              {row.intact ? (
                <span className="muted">{t('courtroom.signatures.intact')}</span>
              ) : (
                <span className="signature-warning" role="alert">
                  {t('courtroom.signatures.broken')}
                </span>
              )}
              {row.outdated && (
                <span className="warning-text">
                  {t('courtroom.signatures.outdated', { current: floor.transcriptVersion })}
                </span>
              )}
            </li>
          ))}
        </ul>
      )}
      {unsigned.length > 0 && (
        <p className="muted" data-testid="signatures-missing">
          {t('courtroom.signatures.unsigned', {
            names: unsigned.map((p) => `${t(`role.${p.role}`, { defaultValue: p.role })} ${p.name}`).join('、'),
          })}
        </p>
      )}
    </section>
  );
}
