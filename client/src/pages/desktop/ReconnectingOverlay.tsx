import { useTranslation } from 'react-i18next';

/**
 * The calm "reconnecting" screen of both desktop shells: over the app while the shell cannot reach the
 * server, and alone on the shell's bundled `app://shell/reconnecting` page when the server's page
 * itself could not load. The shell goes back by itself once the server answers.
 */
export function ReconnectingOverlay() {
  const { t } = useTranslation();
  return (
    <div className="reconnecting-overlay" data-testid="reconnecting-overlay" role="status" aria-live="polite">
      <div className="reconnecting-box">
        <div className="reconnecting-spinner" aria-hidden="true" />
        <p className="kiosk-welcome-title">{t('desktop.reconnecting.heading')}</p>
        <p className="kiosk-lead">{t('desktop.reconnecting.lead')}</p>
      </div>
    </div>
  );
}
