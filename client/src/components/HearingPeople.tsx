import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import type { BookedHearingSchema } from '../../../shared/api.js';

type BookedHearing = z.infer<typeof BookedHearingSchema>;

/** Who takes part in a hearing and where from, and why it was cancelled if it was. */
export function HearingPeople({
  hearing,
  siteName,
}: {
  hearing: BookedHearing;
  siteName: (siteId: string | null) => string;
}) {
  const { t } = useTranslation();
  return (
    <>
      <ul className="participant-summary">
        {hearing.participants.map((p) => (
          <li key={p.id}>
            {t(`role.${p.role}`)} {p.name} · {siteName(p.siteId)}
          </li>
        ))}
      </ul>
      {hearing.status === 'cancelled' && (
        <p className="cancel-note">
          {t('hearing.cancelled', { reason: hearing.cancelReason ?? t('hearing.noReason') })}
        </p>
      )}
    </>
  );
}
