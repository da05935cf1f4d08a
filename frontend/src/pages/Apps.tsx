// SPEC §10 /apps: a vendor's apps and `Register app`; a data holder sees the apps that asked
// it for access, read-only. The status filter and the page are in the URL; a new client
// secret is shown once, on this page, and kept nowhere else.
import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { graphql } from '../gql';
import type { AppKind, AppStatus, RegisterAppInput, RegisterNewAppMutation } from '../gql/graphql';
import { gql } from '../api/client';
import { hasRole, isHolder, useViewer } from '../api/session';
import { Page } from '../components/Page';
import { Empty, Failure, Loading } from '../components/Status';
import { Pager, useFilter, usePageCursor } from '../components/Pager';
import { StatusFilter } from '../components/StatusFilter';
import { OneTimeSecret } from '../components/OneTimeSecret';
import { AppFields } from '../components/AppFields';
import { FormFooter } from '../components/FormFooter';
import { fieldProps } from '../components/fieldError';
import { APP_KINDS, appKindLabel } from '../components/labels';
import { formatDate, titleCase } from '../components/format';
import { lines } from '../components/text';

const AppsList = graphql(`
  query AppsList($after: String, $status: AppStatus) {
    apps(first: 50, after: $after, status: $status) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id name kind status clientId public createdAt vendor { id name } }
    }
  }
`);

const RegisterNewApp = graphql(`
  mutation RegisterNewApp($input: RegisterAppInput!) {
    registerApp(input: $input) {
      clientSecret
      app { id name clientId public jwksUri }
    }
  }
`);

const STATUSES: AppStatus[] = ['ACTIVE', 'SUSPENDED', 'OFFBOARDED'];

export function AppsPage() {
  const viewer = useViewer();
  const holder = isHolder(viewer);
  const canRegister = !holder && hasRole(viewer, 'DEVELOPER', 'ADMIN');
  const [status, setStatus] = useFilter('status');
  const [after] = usePageCursor();
  const chosen = STATUSES.find((s) => s === status);
  const list = useQuery({ queryKey: ['apps', chosen, after], queryFn: () => gql(AppsList, { after, status: chosen }) });

  return (
    <Page title="Apps">
      <p className="lead">
        {holder
          ? 'The apps that have asked your organization for access. Their vendors register and maintain them; you decide what they may reach.'
          : 'Your organization’s SMART apps. Register an app, then request access from a provider or payer on the app’s page.'}
      </p>
      <StatusFilter id="app-status" label="Status" options={STATUSES} unfiltered="Any" value={chosen ?? ''} onChange={setStatus} />
      {list.isPending ? (
        <Loading what="apps" />
      ) : list.error ? (
        <Failure error={list.error} />
      ) : list.data.apps.nodes.length === 0 ? (
        <Empty>
          {chosen ? `No apps with status ${titleCase(chosen)}.` : holder ? 'No app has asked your organization for access yet.' : 'Your organization has no apps yet.'}
        </Empty>
      ) : (
        <>
          <table>
            <caption>{holder ? 'Apps that asked your organization for access' : 'Your apps'}</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                {holder ? <th scope="col">Vendor</th> : null}
                <th scope="col">Kind</th>
                <th scope="col">Status</th>
                <th scope="col">Client id</th>
                <th scope="col">Registered</th>
              </tr>
            </thead>
            <tbody>
              {list.data.apps.nodes.map((a) => (
                <tr key={a.id}>
                  <td>
                    <Link to={`/apps/${a.id}`}>{a.name}</Link>
                  </td>
                  {holder ? <td>{a.vendor.name}</td> : null}
                  <td>{appKindLabel[a.kind]}</td>
                  <td>{titleCase(a.status)}</td>
                  <td>
                    <code>{a.clientId}</code>
                  </td>
                  <td>{formatDate(a.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager total={list.data.apps.totalCount} shown={list.data.apps.nodes.length} pageInfo={list.data.apps.pageInfo} />
        </>
      )}
      {canRegister ? <RegisterApp /> : null}
    </Page>
  );
}

type Registered = RegisterNewAppMutation['registerApp'];

const EMPTY = {
  name: '',
  description: '',
  kind: 'PATIENT_FACING' as AppKind,
  isPublic: false,
  redirectUris: '',
  launchUrl: '',
  jwksUri: '',
  jwks: '',
  purpose: '',
  businessOwnerEmail: '',
  technicalOwnerEmail: '',
};

function RegisterApp() {
  const queryClient = useQueryClient();
  const [form, setForm] = useState(EMPTY);
  const [done, setDone] = useState<Registered | null>(null);
  const set = <K extends keyof typeof EMPTY>(key: K, value: (typeof EMPTY)[K]) => setForm((f) => ({ ...f, [key]: value }));
  const register = useMutation({
    mutationFn: (input: RegisterAppInput) => gql(RegisterNewApp, { input }).then((d) => d.registerApp),
    onSuccess: async (payload) => {
      setDone(payload);
      setForm(EMPTY);
      await queryClient.invalidateQueries({ queryKey: ['apps'] });
    },
  });
  const id = useId();
  const errId = `${id}-error`;
  const err = register.error;
  const opt = (s: string) => s.trim() || undefined;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setDone(null);
    const uris = lines(form.redirectUris);
    register.mutate({
      name: form.name.trim(),
      description: opt(form.description),
      kind: form.kind,
      public: form.isPublic,
      redirectUris: uris.length ? uris : undefined,
      launchUrl: opt(form.launchUrl),
      jwksUri: opt(form.jwksUri),
      jwks: opt(form.jwks),
      purpose: form.purpose.trim(),
      businessOwnerEmail: form.businessOwnerEmail.trim(),
      technicalOwnerEmail: form.technicalOwnerEmail.trim(),
    });
  };

  return (
    <section aria-labelledby={`${id}-h`} className="card">
      <h2 id={`${id}-h`}>Register an app</h2>
      {done ? <RegisteredNotice payload={done} onDismiss={() => setDone(null)} /> : null}
      <form onSubmit={submit} noValidate>
        <AppFields
          id={id}
          errId={errId}
          error={err}
          values={form}
          onChange={set}
          redirectUrisHint="One per line, exactly as the app sends them: https (http only for localhost), no fragment, at most 20."
          keysHint={
            <>
              Public keys only, as a URI or as a JWK Set <code>{'{"keys": [...]}'}</code>, not both. An app with keys gets no client secret.
            </>
          }
          keysHintCoversUri
          afterDescription={
            <>
              <div className="field">
                <label htmlFor={`${id}-kind`}>Kind</label>
                <select id={`${id}-kind`} value={form.kind} onChange={(e) => set('kind', APP_KINDS.find((k) => k === e.target.value) ?? 'PATIENT_FACING')} {...fieldProps(err, 'kind', errId, `${id}-kind-hint`)}>
                  {APP_KINDS.map((k) => (
                    <option key={k} value={k}>
                      {appKindLabel[k]}
                    </option>
                  ))}
                </select>
                <span id={`${id}-kind-hint`} className="hint">
                  A backend service has no user: it authenticates with its keys (JWKS URI or JWKS) and takes no redirect URIs.
                </span>
              </div>
              <div className="field field-check">
                <input id={`${id}-public`} type="checkbox" checked={form.isPublic} onChange={(e) => set('isPublic', e.target.checked)} {...fieldProps(err, 'public', errId, `${id}-public-hint`)} />
                <label htmlFor={`${id}-public`}>Public client</label>
                <span id={`${id}-public-hint`} className="hint">
                  An app that cannot keep a secret (in a browser or on a phone): PKCE only, no client secret, no keys.
                </span>
              </div>
            </>
          }
        />
        <FormFooter errorId={errId} error={err} submit="Register app" busy={register.isPending} />
      </form>
    </section>
  );
}

function RegisteredNotice({ payload, onDismiss }: { payload: Registered; onDismiss: () => void }) {
  const link = (
    <p>
      Registered <Link to={`/apps/${payload.app.id}`}>{payload.app.name}</Link> with client id <code>{payload.app.clientId}</code>.
    </p>
  );
  if (payload.clientSecret)
    return (
      <OneTimeSecret what="Client secret" secret={payload.clientSecret} onDismiss={onDismiss}>
        {link}
        <p className="hint">Accord keeps only a hash of it. If it is lost, rotate it on the app’s page.</p>
      </OneTimeSecret>
    );
  return (
    <div className="notice" role="status">
      {link}
      <p>{payload.app.public ? 'A public client has no client secret: it uses PKCE.' : 'It authenticates with its keys, so it has no client secret.'}</p>
    </div>
  );
}
