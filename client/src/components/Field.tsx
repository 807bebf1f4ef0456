import type { ReactNode } from 'react';

interface FieldProps {
  /** The control's id, for the label. */
  id: string;
  label: string;
  /** What is wrong with the value, shown instead of the hint. */
  problem: string | null;
  hint?: string;
  children: ReactNode;
}

/** A labelled form control with its problem (or hint) under it. */
export function Field({ id, label, problem, hint, children }: FieldProps) {
  return (
    <div className={problem ? 'field has-problem' : 'field'}>
      <label htmlFor={id}>{label}</label>
      {children}
      {problem ? (
        <span className="field-problem" role="alert">
          {problem}
        </span>
      ) : (
        hint && <span className="muted">{hint}</span>
      )}
    </div>
  );
}
