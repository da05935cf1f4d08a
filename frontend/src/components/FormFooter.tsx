// The end of a form: what is wrong (role="alert", with the id the inputs' aria-describedby
// points at), then the submit button and any other actions.
import type { ReactNode } from 'react';
import { errorMessage } from './Status';

/** The form's own message (a check made before sending) or else the API's error; nothing when neither. */
export function FormError({ id, message, error }: { id?: string; message?: string | null; error?: unknown }) {
  const shown = message || (error ? errorMessage(error) : null);
  if (!shown) return null;
  return (
    <div className="alert" role="alert" id={id}>
      {shown}
    </div>
  );
}

/** `FormError`, then the actions: the primary submit button (`submit` is its text, disabled while
 * `busy`) and whatever `children` add after it, e.g. a Cancel button. */
export function FormFooter({
  errorId,
  message,
  error,
  submit,
  busy,
  children,
}: {
  errorId: string;
  message?: string | null;
  error: unknown;
  submit: string;
  busy: boolean;
  children?: ReactNode;
}) {
  return (
    <>
      <FormError id={errorId} message={message} error={error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={busy}>
          {submit}
        </button>
        {children}
      </div>
    </>
  );
}
