// The fields a vendor fills in for an app, the same when registering it (/apps) and editing it
// (/apps/{id}): Name, Description, Redirect URIs, Launch URL, JWKS URI, JWKS, Purpose and the
// owners' emails. `id` is the form's useId (so ids stay unique per form), `errId` the id of its
// error message, `error` the API's error that may name one of these fields.
import type { ReactNode } from 'react';
import { fieldProps } from './fieldError';

export interface AppFieldValues {
  name: string;
  description: string;
  redirectUris: string;
  launchUrl: string;
  jwksUri: string;
  jwks: string;
  purpose: string;
  businessOwnerEmail: string;
  technicalOwnerEmail: string;
}

export function AppFields({
  id,
  errId,
  error,
  values,
  onChange,
  redirectUrisHint,
  keysHint,
  keysHintCoversUri = false,
  afterDescription,
}: {
  id: string;
  errId: string;
  error: unknown;
  values: AppFieldValues;
  onChange: (key: keyof AppFieldValues, value: string) => void;
  /** Under Redirect URIs. */
  redirectUrisHint: ReactNode;
  /** Under JWKS; with `keysHintCoversUri` it describes JWKS URI too. */
  keysHint: ReactNode;
  keysHintCoversUri?: boolean;
  /** Fields between Description and Redirect URIs (registering: the kind and the client type). */
  afterDescription?: ReactNode;
}) {
  const keysHintId = `${id}-keys-hint`;
  return (
    <>
      <div className="field">
        <label htmlFor={`${id}-name`}>Name</label>
        <input id={`${id}-name`} required maxLength={200} value={values.name} onChange={(e) => onChange('name', e.target.value)} {...fieldProps(error, 'name', errId)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <textarea id={`${id}-description`} rows={2} maxLength={2000} value={values.description} onChange={(e) => onChange('description', e.target.value)} {...fieldProps(error, 'description', errId)} />
      </div>
      {afterDescription}
      <div className="field">
        <label htmlFor={`${id}-redirects`}>Redirect URIs</label>
        <textarea id={`${id}-redirects`} rows={3} spellCheck={false} value={values.redirectUris} onChange={(e) => onChange('redirectUris', e.target.value)} {...fieldProps(error, 'redirectUris', errId, `${id}-redirects-hint`)} />
        <span id={`${id}-redirects-hint`} className="hint">
          {redirectUrisHint}
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-launch`}>Launch URL</label>
        <input id={`${id}-launch`} type="url" spellCheck={false} value={values.launchUrl} onChange={(e) => onChange('launchUrl', e.target.value)} {...fieldProps(error, 'launchUrl', errId)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-jwks-uri`}>JWKS URI</label>
        <input id={`${id}-jwks-uri`} type="url" spellCheck={false} value={values.jwksUri} onChange={(e) => onChange('jwksUri', e.target.value)} {...fieldProps(error, 'jwksUri', errId, keysHintCoversUri ? keysHintId : undefined)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-jwks`}>JWKS</label>
        <textarea id={`${id}-jwks`} rows={4} spellCheck={false} className="mono" value={values.jwks} onChange={(e) => onChange('jwks', e.target.value)} {...fieldProps(error, 'jwks', errId, keysHintId)} />
        <span id={keysHintId} className="hint">
          {keysHint}
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-purpose`}>Purpose</label>
        <textarea id={`${id}-purpose`} rows={2} required maxLength={2000} value={values.purpose} onChange={(e) => onChange('purpose', e.target.value)} {...fieldProps(error, 'purpose', errId)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-business`}>Business owner email</label>
        <input id={`${id}-business`} type="email" required value={values.businessOwnerEmail} onChange={(e) => onChange('businessOwnerEmail', e.target.value)} {...fieldProps(error, 'businessOwnerEmail', errId)} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-technical`}>Technical owner email</label>
        <input id={`${id}-technical`} type="email" required value={values.technicalOwnerEmail} onChange={(e) => onChange('technicalOwnerEmail', e.target.value)} {...fieldProps(error, 'technicalOwnerEmail', errId)} />
      </div>
    </>
  );
}
