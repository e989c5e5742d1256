// Loading, empty and error states, the same everywhere.
import type { ErrorLike } from '@apollo/client';
import type { ReactNode } from 'react';

export function Loading({ what }: { what: string }) {
  return (
    <p className="status" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" /> Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="status empty">{children}</p>;
}

/** A failed request, or the part of a page a failing service could not fill. */
export function ErrorMessage({ error, what }: { error?: ErrorLike | null; what: string }) {
  if (!error) return null;
  return (
    <div className="status error" role="alert">
      <strong>Some of {what} could not be loaded.</strong> <span>{describe(error)}</span>
    </div>
  );
}

/** Why an action the user took (a form sent, a button pressed) failed, where they took it. */
export function ActionError({ error }: { error?: ErrorLike | null }) {
  if (!error) return null;
  return (
    <p role="alert" className="status error">
      {describe(error)}
    </p>
  );
}

export function describe(error: ErrorLike): string {
  const errors = (error as { errors?: readonly { message: string }[] }).errors;
  if (errors?.length) return errors.map((e) => e.message).join(' ');
  return error.message || 'Please try again.';
}
