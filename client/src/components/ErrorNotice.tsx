import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiFailure } from '../services/api.js';

/** One plain sentence for a failure, with the server's own words after it when they help. */
export function failureSentence(t: TFunction, failure: ApiFailure, withDetails = true): string {
  const sentence = t(`error.${failure.code}`);
  return withDetails && failure.message
    ? t('common.errorWithDetails', { sentence, details: failure.message })
    : sentence;
}

interface ErrorNoticeProps {
  failure: ApiFailure;
  /** Shown as a "try again" button when given. */
  onRetry?: () => void;
  /** Further buttons (the way back). */
  children?: ReactNode;
  testId?: string;
}

/** A failed read: what went wrong, and a way to try again or go back — never a dead end. */
export function ErrorNotice({ failure, onRetry, children, testId }: ErrorNoticeProps) {
  const { t } = useTranslation();
  return (
    <div className="notice error-notice" role="alert" data-testid={testId} data-code={failure.code}>
      <p>{failureSentence(t, failure)}</p>
      <div className="actions">
        {onRetry && (
          <button type="button" className="big-button" onClick={onRetry}>
            {t('common.retry')}
          </button>
        )}
        {children}
      </div>
    </div>
  );
}
