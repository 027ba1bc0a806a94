// Small pieces the portal's forms share: a labelled field with its hint and
// its error beside it, the API problem → field errors, and a confirmation
// that takes the focus so a screen reader reads it.
import { useEffect, useId, useRef, type ReactElement, type ReactNode } from 'react';
import { cloneElement } from 'react';
import { fieldErrors, problemText } from '../shared/api';

// Field errors keyed by the field's name ("/date" → "date").
export function apiFieldErrors(problem: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [where, message] of Object.entries(fieldErrors(problem))) out[where.replace(/^\//, '')] = message;
  return out;
}

// The problem's text when it has no field error a form shows.
export function apiFormError(problem: unknown, shownFields: string[]): string {
  const fields = apiFieldErrors(problem);
  const unshown = Object.keys(fields).filter((f) => !shownFields.includes(f));
  if (Object.keys(fields).length && !unshown.length) return '';
  return problemText(problem) || 'Error';
}

export function Field({ label, hint, error, children, testid }: { label: string; hint?: ReactNode; error?: string; children: ReactElement<Record<string, unknown>>; testid?: string }) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field invalid' : 'field'} data-testid={testid}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <span className="hint" id={hintId}>
          {hint}
        </span>
      )}
      {cloneElement(children, { id, 'aria-describedby': describedBy, 'aria-invalid': error ? true : undefined })}
      {error && (
        <span className="field-error" id={errorId} data-testid={testid ? `${testid}-error` : undefined}>
          {error}
        </span>
      )}
    </div>
  );
}

export function Done({ children, testid, action }: { children: ReactNode; testid: string; action?: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <div className="done" role="status" tabIndex={-1} ref={ref} data-testid={testid}>
      <p>
        <span aria-hidden="true" className="tick">
          ✓
        </span>{' '}
        {children}
      </p>
      {action}
    </div>
  );
}

export function FormError({ text }: { text: string }) {
  if (!text) return null;
  return (
    <p className="form-error" role="alert">
      {text}
    </p>
  );
}
