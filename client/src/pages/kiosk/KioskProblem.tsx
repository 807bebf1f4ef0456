import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Problem } from './problems.js';

/** A problem as the kiosk says it: what happened, in plain words, then what the operator should do. */
export function ProblemText({ problem, testId }: { problem: Problem; testId?: string }) {
  const { t } = useTranslation();
  return (
    <div className="kiosk-problem" role="alert" data-testid={testId} data-problem={problem}>
      <p className="kiosk-problem-say">{t(`kioskFlow.problem.${problem}.say`)}</p>
      <p className="kiosk-problem-operator">{t(`kioskFlow.problem.${problem}.operator`)}</p>
    </div>
  );
}

/** A whole screen for a problem, with its ways forward (never a dead end). */
export function ProblemScreen({
  problem,
  testId,
  children,
}: {
  problem: Problem;
  testId?: string;
  children: ReactNode;
}) {
  return (
    <main className="kiosk">
      <div className="kiosk-panel">
        <ProblemText problem={problem} testId={testId} />
        <div className="actions">{children}</div>
      </div>
    </main>
  );
}
