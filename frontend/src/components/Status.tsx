// Loading, failure, empty and not-permitted states, the same on every page.
import { ApiError } from '../api/client';

export function Loading({ what }: { what: string }) {
  return (
    <p className="status" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}

export function Failure({ error }: { error: unknown }) {
  const forbidden = error instanceof ApiError && error.code === 'FORBIDDEN';
  return (
    <div className="alert" role="alert">
      {forbidden ? <strong>Not permitted. </strong> : null}
      {errorMessage(error)}
    </div>
  );
}

export function Empty({ children }: { children: React.ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** What a page shows instead of data when the viewer's roles don't allow it (SPEC §10). */
export function NotPermitted({ need }: { need: string }) {
  return (
    <div className="alert" role="alert">
      <strong>Not permitted.</strong> This page is for {need}. Ask an administrator of your organization if you need it.
    </div>
  );
}
