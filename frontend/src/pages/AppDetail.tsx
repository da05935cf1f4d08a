// SPEC §10 /apps/{id}: an app's facts, its grants and requests. For its vendor's developers
// and admins: `Edit`, `Rotate client secret` (the new secret shown once), `Request access` with
// the scope analysis as you type; for the vendor's admins also `Suspend`/`Resume` and
// `Offboard`. A data holder sees the facts and its own grants and requests, read-only.
import { useId, useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { graphql } from '../gql';
import type { AppDetailQuery, AppGrantsQuery, AppRequestsQuery, RequestAccessInput, UpdateAppInput } from '../gql/graphql';
import { gql } from '../api/client';
import { hasRole, isHolder, useViewer } from '../api/session';
import { Page } from '../components/Page';
import { Empty, Failure, Loading, errorMessage } from '../components/Status';
import { RequestTable } from '../components/RequestTable';
import { ScopeList } from '../components/Scopes';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { OneTimeSecret } from '../components/OneTimeSecret';
import { collectPages } from '../components/collect';
import { fieldProps } from '../components/fieldError';
import { AppFields } from '../components/AppFields';
import { FormFooter } from '../components/FormFooter';
import { useDebounced } from '../components/useDebounced';
import { appKindLabel, plural } from '../components/labels';
import { lines, words } from '../components/text';
import { formatDate, formatDateTime, titleCase } from '../components/format';

const AppDetailDoc = graphql(`
  query AppDetail($id: ID!) {
    app(id: $id) {
      id clientId name description kind public status purpose businessOwnerEmail technicalOwnerEmail
      redirectUris launchUrl jwksUri createdAt
      vendor { id name }
    }
  }
`);

const AppGrants = graphql(`
  query AppGrants($appId: ID!) {
    grants(first: 100, appId: $appId) {
      totalCount
      nodes { id status scopes grantedAt expiresAt dataHolder { id name } }
    }
  }
`);

const AppRequests = graphql(`
  query AppRequests($appId: ID!, $after: String) {
    accessRequests(first: 100, after: $after, appId: $appId) {
      pageInfo { hasNextPage endCursor }
      nodes { id status risk createdAt proposedScopes app { id } dataHolder { id name } }
    }
  }
`);

const DataHolderChoices = graphql(`
  query DataHolderChoices($search: String) {
    dataHolders(first: 100, search: $search) {
      totalCount
      nodes { id name kind }
    }
  }
`);

const AnalyzeDraftScopes = graphql(`
  query AnalyzeDraftScopes($scopes: [String!]!) {
    analyzeScopes(scopes: $scopes) { ...ScopeFields }
  }
`);

const UpdateAppDetails = graphql(`
  mutation UpdateAppDetails($id: ID!, $input: UpdateAppInput!) {
    updateApp(id: $id, input: $input) { id name }
  }
`);

const RotateAppSecret = graphql(`
  mutation RotateAppSecret($appId: ID!) {
    rotateClientSecret(appId: $appId) { clientSecret app { id } }
  }
`);

const OffboardApp = graphql(`
  mutation OffboardApp($id: ID!, $reason: String!) {
    offboardApp(id: $id, reason: $reason) { id status }
  }
`);

const SuspendApp = graphql(`
  mutation SuspendApp($id: ID!, $reason: String!) {
    suspendApp(id: $id, reason: $reason) { id status }
  }
`);

const ResumeApp = graphql(`
  mutation ResumeApp($id: ID!) {
    resumeApp(id: $id) { id status }
  }
`);

const RequestAppAccess = graphql(`
  mutation RequestAppAccess($input: RequestAccessInput!) {
    requestAccess(input: $input) { id }
  }
`);

type App = NonNullable<AppDetailQuery['app']>;
type AppGrant = AppGrantsQuery['grants']['nodes'][number];
type AppRequest = AppRequestsQuery['accessRequests']['nodes'][number];

export function AppPage() {
  const { id = '' } = useParams();
  const app = useQuery({ queryKey: ['app', id], queryFn: () => gql(AppDetailDoc, { id }).then((d) => d.app) });
  return (
    <Page title={app.data ? app.data.name : 'App'}>
      <p>
        <Link to="/apps">All apps</Link>
      </p>
      {app.isPending ? (
        <Loading what="the app" />
      ) : app.error ? (
        <Failure error={app.error} />
      ) : !app.data ? (
        <div className="alert" role="alert">
          No such app, or it is not one your organization can see.
        </div>
      ) : (
        <AppView app={app.data} />
      )}
    </Page>
  );
}

function AppView({ app }: { app: App }) {
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const ownApp = !isHolder(viewer) && app.vendor.id === viewer.tenant.id;
  const canDevelop = ownApp && hasRole(viewer, 'DEVELOPER', 'ADMIN');
  const canAdmin = ownApp && hasRole(viewer, 'ADMIN');
  const live = app.status !== 'OFFBOARDED';
  const [editing, setEditing] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const grants = useQuery({ queryKey: ['grants', 'app', app.id], queryFn: () => gql(AppGrants, { appId: app.id }).then((d) => d.grants) });

  const refresh = () => queryClient.invalidateQueries();
  const rotate = async () => {
    const { rotateClientSecret } = await gql(RotateAppSecret, { appId: app.id });
    setNotice(null);
    setSecret(rotateClientSecret.clientSecret ?? null);
    if (!rotateClientSecret.clientSecret) setNotice('Accord answered without a new secret: this app does not authenticate with one.');
    await refresh();
  };
  const offboard = async (reason: string) => {
    await gql(OffboardApp, { id: app.id, reason });
    setNotice(`${app.name} is offboarded: its grants are revoked, its pending requests cancelled and its credentials disabled.`);
    await refresh();
  };
  const suspend = async (reason: string) => {
    await gql(SuspendApp, { id: app.id, reason });
    setNotice(`${app.name} is suspended: its credentials do not work until it is resumed.`);
    await refresh();
  };
  const resume = async () => {
    await gql(ResumeApp, { id: app.id });
    setNotice(`${app.name} is active again.`);
    await refresh();
  };

  if (editing)
    return (
      <EditApp
        app={app}
        onDone={(message) => {
          setEditing(false);
          setNotice(message);
        }}
      />
    );

  return (
    <>
      <div role="status">{notice ? <p className="notice">{notice}</p> : null}</div>
      {secret ? (
        <OneTimeSecret what="New client secret" secret={secret} onDismiss={() => setSecret(null)}>
          <p className="hint">The previous secret keeps working for 24 hours, so you can switch over; any older one has stopped.</p>
        </OneTimeSecret>
      ) : null}
      <AppFacts app={app} />
      {canDevelop && live ? (
        <div className="actions">
          <button type="button" onClick={() => setEditing(true)}>
            Edit
          </button>
          {!app.public ? (
            <ConfirmDialog
              action="Rotate client secret"
              title="Rotate the client secret?"
              details={
                <p>
                  Accord issues a new secret and shows it once. The current secret keeps working for 24 hours so the app can switch over; any
                  older one stops now. Apps that authenticate with keys have no secret to rotate.
                </p>
              }
              onConfirm={rotate}
            />
          ) : null}
          {canAdmin && app.status === 'ACTIVE' ? (
            <ConfirmDialog
              action="Suspend"
              title={`Suspend ${app.name}?`}
              details={<p>Its credentials stop working until you resume it. Its grants and requests stay as they are.</p>}
              field={{ label: 'Reason', required: true }}
              onConfirm={suspend}
            />
          ) : null}
          {canAdmin && app.status === 'SUSPENDED' ? <ConfirmDialog action="Resume" title={`Resume ${app.name}?`} details={<p>Its credentials work again, within its grants.</p>} onConfirm={resume} /> : null}
          {canAdmin ? (
            <ConfirmDialog
              action="Offboard"
              title={`Offboard ${app.name}?`}
              details={
                <p>
                  This is final. Every grant the app holds is revoked, its pending requests are cancelled and its credentials are disabled.
                  The data holders and the app’s owners are told.
                </p>
              }
              field={{ label: 'Reason', required: true }}
              danger
              onConfirm={offboard}
            />
          ) : null}
        </div>
      ) : null}
      {canDevelop && app.status === 'ACTIVE' ? <RequestAccess app={app} grants={grants.data?.nodes ?? []} /> : null}
      <section aria-labelledby="app-grants-h">
        <h2 id="app-grants-h">Grants</h2>
        {grants.isPending ? (
          <Loading what="grants" />
        ) : grants.error ? (
          <Failure error={grants.error} />
        ) : grants.data.nodes.length === 0 ? (
          <Empty>This app has no grants{isHolder(viewer) ? ' at your organization' : ''}.</Empty>
        ) : (
          <GrantTable grants={grants.data.nodes} total={grants.data.totalCount} appId={app.id} />
        )}
      </section>
      <AppRequestsSection appId={app.id} />
    </>
  );
}

function AppFacts({ app }: { app: App }) {
  return (
    <dl className="facts">
      <dt>Status</dt>
      <dd>{titleCase(app.status)}</dd>
      <dt>Client id</dt>
      <dd>
        <code>{app.clientId}</code>
      </dd>
      <dt>Kind</dt>
      <dd>{appKindLabel[app.kind]}</dd>
      <dt>Authentication</dt>
      <dd>{app.public ? 'Public client (PKCE, no secret)' : app.kind === 'BACKEND_SERVICE' || app.jwksUri ? 'Keys (private_key_jwt)' : 'Confidential client'}</dd>
      <dt>Vendor</dt>
      <dd>{app.vendor.name}</dd>
      <dt>Business owner</dt>
      <dd>{app.businessOwnerEmail}</dd>
      <dt>Technical owner</dt>
      <dd>{app.technicalOwnerEmail}</dd>
      <dt>Purpose</dt>
      <dd>{app.purpose}</dd>
      {app.description ? (
        <>
          <dt>Description</dt>
          <dd>{app.description}</dd>
        </>
      ) : null}
      <dt>Redirect URIs</dt>
      <dd>
        {app.redirectUris.length === 0 ? (
          'None'
        ) : (
          <ul className="plain">
            {app.redirectUris.map((u) => (
              <li key={u}>
                <code className="wrap">{u}</code>
              </li>
            ))}
          </ul>
        )}
      </dd>
      <dt>Launch URL</dt>
      <dd>{app.launchUrl ? <code className="wrap">{app.launchUrl}</code> : 'None'}</dd>
      <dt>JWKS URI</dt>
      <dd>{app.jwksUri ? <code className="wrap">{app.jwksUri}</code> : 'None'}</dd>
      <dt>Registered</dt>
      <dd>{formatDateTime(app.createdAt)}</dd>
    </dl>
  );
}

function GrantTable({ grants, total, appId }: { grants: AppGrant[]; total: number; appId: string }) {
  return (
    <>
      <table>
        <caption>This app’s grants, newest first</caption>
        <thead>
          <tr>
            <th scope="col">Data holder</th>
            <th scope="col">Status</th>
            <th scope="col">Scopes</th>
            <th scope="col">Granted</th>
            <th scope="col">Expires</th>
          </tr>
        </thead>
        <tbody>
          {grants.map((g) => (
            <tr key={g.id}>
              <td>
                <Link to={`/grants/${g.id}`}>{g.dataHolder.name}</Link>
              </td>
              <td>{titleCase(g.status)}</td>
              <td>{g.scopes.length}</td>
              <td>{formatDate(g.grantedAt)}</td>
              <td>{formatDate(g.expiresAt)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {total > grants.length ? (
        <p>
          <Link to={`/grants?appId=${encodeURIComponent(appId)}`}>All {total} grants of this app</Link>
        </p>
      ) : null}
    </>
  );
}

/** The app's requests, newest first (at most 500). */
async function requestsOf(appId: string): Promise<{ items: AppRequest[]; truncated: boolean }> {
  return collectPages((after) => gql(AppRequests, { appId, after }).then((d) => d.accessRequests), 5);
}

function AppRequestsSection({ appId }: { appId: string }) {
  const requests = useQuery({ queryKey: ['requests', 'app', appId], queryFn: () => requestsOf(appId) });
  return (
    <section aria-labelledby="app-requests-h">
      <h2 id="app-requests-h">Access requests</h2>
      {requests.isPending ? (
        <Loading what="requests" />
      ) : requests.error ? (
        <Failure error={requests.error} />
      ) : requests.data.items.length === 0 ? (
        <Empty>No access requests for this app.</Empty>
      ) : (
        <RequestTable
          caption={`Requests for this app, newest first${requests.data.truncated ? ' (the 500 most recent)' : ''}`}
          requests={requests.data.items}
          link={{ header: 'Data holder', text: (r) => r.dataHolder.name }}
        />
      )}
    </section>
  );
}

function EditApp({ app, onDone }: { app: App; onDone: (message: string | null) => void }) {
  const queryClient = useQueryClient();
  const initial = {
    name: app.name,
    description: app.description ?? '',
    redirectUris: app.redirectUris.join('\n'),
    launchUrl: app.launchUrl ?? '',
    jwksUri: app.jwksUri ?? '',
    jwks: '',
    purpose: app.purpose,
    businessOwnerEmail: app.businessOwnerEmail,
    technicalOwnerEmail: app.technicalOwnerEmail,
  };
  const [form, setForm] = useState(initial);
  const [formError, setFormError] = useState<string | null>(null);
  const set = (key: keyof typeof initial, value: string) => setForm((f) => ({ ...f, [key]: value }));
  const save = useMutation({
    mutationFn: (input: UpdateAppInput) => gql(UpdateAppDetails, { id: app.id, input }),
    onSuccess: async () => {
      await queryClient.invalidateQueries();
      onDone('Changes saved.');
    },
  });
  const id = useId();
  const errId = `${id}-error`;
  const err = save.error;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const input: UpdateAppInput = {};
    const text = (key: 'name' | 'purpose' | 'businessOwnerEmail' | 'technicalOwnerEmail') => {
      if (form[key].trim() !== initial[key]) input[key] = form[key].trim();
    };
    text('name');
    text('purpose');
    text('businessOwnerEmail');
    text('technicalOwnerEmail');
    // These can be cleared: an emptied field is sent as null.
    const clearable = (key: 'description' | 'launchUrl' | 'jwksUri') => {
      if (form[key].trim() !== initial[key]) input[key] = form[key].trim() || null;
    };
    clearable('description');
    clearable('launchUrl');
    clearable('jwksUri');
    if (form.jwks.trim()) input.jwks = form.jwks.trim();
    const uris = lines(form.redirectUris);
    if (uris.join('\n') !== app.redirectUris.join('\n')) input.redirectUris = uris;
    if (Object.keys(input).length === 0) {
      setFormError('Nothing changed.');
      return;
    }
    save.mutate(input);
  };

  return (
    <section aria-labelledby={`${id}-h`} className="card">
      <h2 id={`${id}-h`}>Edit {app.name}</h2>
      <p className="hint">Only the fields you change are sent. The kind and the way the app authenticates stay as registered.</p>
      <form onSubmit={submit} noValidate>
        <AppFields
          id={id}
          errId={errId}
          error={err}
          values={form}
          onChange={set}
          redirectUrisHint="One per line; the list replaces the current one."
          keysHint="Leave empty to keep the current keys; paste a JWK Set to replace them."
        />
        <FormFooter errorId={errId} message={formError} error={err} submit="Save changes" busy={save.isPending}>
          <button type="button" onClick={() => onDone(null)}>
            Cancel
          </button>
        </FormFooter>
      </form>
    </section>
  );
}

function RequestAccess({ app, grants }: { app: App; grants: AppGrant[] }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const id = useId();
  const errId = `${id}-error`;
  const [search, setSearch] = useState('');
  const [holder, setHolder] = useState<{ id: string; name: string } | null>(null);
  const [scopeText, setScopeText] = useState('');
  const [purpose, setPurpose] = useState('');
  const [days, setDays] = useState('90');
  const [formError, setFormError] = useState<string | null>(null);

  const debouncedSearch = useDebounced(search.trim(), 250);
  const holders = useQuery({
    queryKey: ['dataHolders', debouncedSearch],
    queryFn: () => gql(DataHolderChoices, { search: debouncedSearch || undefined }).then((d) => d.dataHolders),
    placeholderData: keepPreviousData,
  });
  const options = holders.data?.nodes ?? [];
  const shown = holder && !options.some((h) => h.id === holder.id) ? [holder, ...options] : options;

  const scopes = words(scopeText);
  const debouncedScopes = useDebounced(scopes.join(' '), 250);
  // Keyed by the text analysed: an answer that arrives after the text changed is never shown.
  const analysis = useQuery({
    queryKey: ['analyzeScopes', debouncedScopes],
    queryFn: () => gql(AnalyzeDraftScopes, { scopes: words(debouncedScopes) }).then((d) => d.analyzeScopes),
    enabled: debouncedScopes.length > 0,
    placeholderData: keepPreviousData,
    staleTime: Infinity,
  });
  const analyses = debouncedScopes ? (analysis.data ?? []) : [];
  // The analysis of exactly what is typed now (not an earlier text's, still on screen).
  const current = debouncedScopes === scopes.join(' ') && analysis.isSuccess && !analysis.isPlaceholderData;
  const invalid = analyses.filter((a) => !a.valid);
  const inForce = holder ? grants.find((g) => g.dataHolder.id === holder.id && (g.status === 'ACTIVE' || g.status === 'SUSPENDED')) : undefined;

  const request = useMutation({
    mutationFn: (input: RequestAccessInput) => gql(RequestAppAccess, { input }).then((d) => d.requestAccess),
    onSuccess: async (created) => {
      await queryClient.invalidateQueries({ queryKey: ['requests'] });
      navigate(`/requests/${created.id}`);
    },
  });
  const err = request.error;

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const n = Number(days);
    if (!holder) return setFormError('Data holder: choose the provider or payer to ask.');
    if (scopes.length === 0) return setFormError('Scopes: give at least one scope.');
    if (current && invalid.length > 0)
      return setFormError(`Scopes: ${plural(invalid.length, 'scope is', 'scopes are')} not valid; see the analysis below.`);
    if (!purpose.trim()) return setFormError('Purpose: say why the app needs this access.');
    if (!Number.isInteger(n) || n < 1) return setFormError('Duration (days): a whole number of days, at least 1.');
    request.mutate({ appId: app.id, dataHolderId: holder.id, scopes, purpose: purpose.trim(), durationDays: n, replacesGrantId: inForce?.id });
  };

  return (
    <section aria-labelledby={`${id}-h`} className="card">
      <h2 id={`${id}-h`}>Request access</h2>
      <p className="hint">Ask a provider or payer for scopes for this app. Their approvers see the same analysis you see here.</p>
      <form onSubmit={submit} noValidate>
        <div className="field">
          {/* Not "Search data holders": a label containing "data holder" would make the select's label ambiguous. */}
          <label htmlFor={`${id}-search`}>Find a provider or payer by name</label>
          <input id={`${id}-search`} type="search" value={search} onChange={(e) => setSearch(e.target.value)} autoComplete="off" aria-describedby={`${id}-search-hint`} />
          <span id={`${id}-search-hint`} className="hint">
            Narrows the list below.
          </span>
        </div>
        <div className="field">
          <label htmlFor={`${id}-holder`}>Data holder</label>
          <select
            id={`${id}-holder`}
            value={holder?.id ?? ''}
            onChange={(e) => {
              const chosen = shown.find((h) => h.id === e.target.value);
              setHolder(chosen ? { id: chosen.id, name: chosen.name } : null);
            }}
            required
            aria-describedby={`${id}-holder-hint`}
          >
            <option value="">Choose a provider or payer</option>
            {shown.map((h) => (
              <option key={h.id} value={h.id}>
                {h.name}
              </option>
            ))}
          </select>
          <span id={`${id}-holder-hint`} className="hint">
            {holders.isPending
              ? 'Loading data holders…'
              : holders.error
                ? `Data holders could not be loaded: ${errorMessage(holders.error)}`
                : holders.data && holders.data.totalCount > holders.data.nodes.length
                  ? `Showing ${holders.data.nodes.length} of ${holders.data.totalCount}; search to narrow the list.`
                  : `${plural(options.length, 'data holder')}${debouncedSearch ? ' match' : ''}.`}
          </span>
        </div>
        {inForce && holder ? (
          <p className="notice">
            This app already has a <Link to={`/grants/${inForce.id}`}>{titleCase(inForce.status).toLowerCase()} grant</Link> at {holder.name}, until{' '}
            {formatDate(inForce.expiresAt)}. This request will replace it if approved: to renew, widen or narrow it.
          </p>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-scopes`}>Scopes</label>
          <textarea
            id={`${id}-scopes`}
            rows={4}
            spellCheck={false}
            className="mono"
            value={scopeText}
            onChange={(e) => setScopeText(e.target.value)}
            placeholder="patient/Observation.rs launch/patient openid fhirUser"
            {...fieldProps(err, 'scopes', errId, `${id}-scopes-hint`)}
          />
          <span id={`${id}-scopes-hint`} className="hint">
            Separate scopes with spaces or new lines. Each is checked as you type.
          </span>
        </div>
        {/* Not a labelled region: its name would contain "scopes" and make the Scopes label ambiguous. */}
        <div className="analysis" aria-busy={scopes.length > 0 && !current ? true : undefined}>
          <h3>What each scope allows</h3>
          {!debouncedScopes ? (
            <p className="empty">Type scopes above to see what each allows and how risky it is.</p>
          ) : analysis.error ? (
            <Failure error={analysis.error} />
          ) : !analysis.data ? (
            <Loading what="the scope analysis" />
          ) : (
            <>
              <ScopeList analyses={analyses} label="Scope analysis" />
              <p className="hint" aria-live="polite">
                {invalid.length ? `${plural(invalid.length, 'scope is', 'scopes are')} not valid. ` : ''}
                {analyses.some((a) => a.risk === 'HIGH') ? 'High-risk scopes need more approvals and allow a shorter grant at most data holders.' : ''}
              </p>
            </>
          )}
        </div>
        <div className="field">
          <label htmlFor={`${id}-purpose`}>Purpose</label>
          <textarea id={`${id}-purpose`} rows={2} required maxLength={2000} value={purpose} onChange={(e) => setPurpose(e.target.value)} {...fieldProps(err, 'purpose', errId)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-days`}>Duration (days)</label>
          <input id={`${id}-days`} type="number" inputMode="numeric" min={1} max={365} required value={days} onChange={(e) => setDays(e.target.value)} {...fieldProps(err, 'durationDays', errId)} />
        </div>
        <FormFooter errorId={errId} message={formError} error={err} submit="Request access" busy={request.isPending} />
      </form>
    </section>
  );
}
