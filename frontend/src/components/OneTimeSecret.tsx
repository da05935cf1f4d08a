// A secret (client secret, API token, invitation token, webhook signing secret) shown exactly
// once, right after the call that made it. It lives only in React state: never in the URL,
// never in storage. Copying is best effort: without clipboard access the text stays selectable.
import { useState, type ReactNode } from 'react';

export function OneTimeSecret({ what, secret, children, onDismiss }: { what: string; secret: string; children?: ReactNode; onDismiss?: () => void }) {
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied('yes');
    } catch {
      setCopied('no');
    }
  };
  return (
    <div className="secret-once" role="status">
      <p className="secret-once-title">
        <strong>{what} — copy it now, it will not be shown again.</strong>
      </p>
      <code className="secret">{secret}</code>
      {children ? <div className="secret-once-body">{children}</div> : null}
      <div className="actions">
        <button type="button" onClick={copy}>
          Copy
        </button>
        {onDismiss ? (
          <button type="button" onClick={onDismiss}>
            I have stored it
          </button>
        ) : null}
        {copied === 'yes' ? <span className="hint">Copied to the clipboard.</span> : null}
        {copied === 'no' ? <span className="hint">The browser did not allow copying: select the text and copy it by hand.</span> : null}
      </div>
    </div>
  );
}
