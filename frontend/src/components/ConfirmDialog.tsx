// A native modal <dialog> whose confirm button repeats the action's name (SPEC §10),
// plus what the action will do, in words, and an optional or required text field (a
// `Comment` on a certification, a `Reason` for revoking or ending a partnership).
// The <dialog> is in the page only while open, so a closed one's title never counts as a label
// of anything (getByLabel, screen readers' label search) and rows stay light.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { errorMessage } from './Status';

export function ConfirmDialog({
  action,
  title,
  details,
  field,
  danger,
  onConfirm,
}: {
  action: string;
  title: string;
  details?: ReactNode;
  /** A text field to ask for: its label, and whether it must be filled. */
  field?: { label: string; required: boolean };
  danger?: boolean;
  onConfirm: (text: string) => Promise<unknown>;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const opener = useRef<HTMLButtonElement>(null);
  const [isOpen, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const titleId = useId();
  const detailsId = useId();
  const fieldId = useId();

  useEffect(() => {
    if (isOpen && dialog.current && !dialog.current.open) dialog.current.showModal();
  }, [isOpen]);
  const open = () => {
    setText('');
    setError(null);
    setOpen(true);
  };
  const close = () => dialog.current?.close();
  // Escape, Cancel and success all end in the dialog's close event.
  const onClose = () => {
    setOpen(false);
    opener.current?.focus();
  };
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (field?.required && !text.trim()) {
      setError(new Error(`${field.label} is required.`));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onConfirm(text.trim());
      close();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <button type="button" ref={opener} className={danger ? 'danger' : undefined} onClick={open}>
        {action}
      </button>
      {isOpen ? (
        <dialog ref={dialog} aria-labelledby={titleId} aria-describedby={details ? detailsId : undefined} onClose={onClose}>
          {/* noValidate: a missing field is reported in role="alert" like every other failure. */}
          <form onSubmit={submit} noValidate>
            <h2 id={titleId}>{title}</h2>
            {details ? (
              <div id={detailsId} className="dialog-details">
                {details}
              </div>
            ) : null}
            {field ? (
              <div className="field">
                <label htmlFor={fieldId}>{field.label}</label>
                <textarea
                  id={fieldId}
                  value={text}
                  onChange={(e) => setText(e.target.value)}
                  required={field.required}
                  aria-describedby={field.required ? undefined : `${fieldId}-hint`}
                  rows={3}
                  maxLength={2000}
                />
                {field.required ? null : (
                  <span id={`${fieldId}-hint`} className="hint">
                    Optional.
                  </span>
                )}
              </div>
            ) : null}
            {error ? (
              <div className="alert" role="alert">
                {errorMessage(error)}
              </div>
            ) : null}
            <div className="dialog-actions">
              <button type="button" onClick={close}>
                Cancel
              </button>
              <button type="submit" className={danger ? 'danger primary' : 'primary'} disabled={busy}>
                {action}
              </button>
            </div>
          </form>
        </dialog>
      ) : null}
    </>
  );
}
