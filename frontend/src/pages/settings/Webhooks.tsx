// SPEC §6/§10 /settings/webhooks (ADMIN; AUDITOR read-only): the organization's webhook
// endpoints (each new or rotated signing secret shown once), and the mails Accord sent to its
// people. /settings/webhooks/{id}: one endpoint, its settings, a test event, and its
// deliveries (status filter and page in the URL) with `Replay`.
import { useId, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router-dom';
import { graphql } from '../../gql';
import type { DeliveryFieldsFragment, DeliveryStatus, EndpointFieldsFragment, MailStatus, WebhookEndpointInput } from '../../gql/graphql';
import { gql } from '../../api/client';
import { hasRole, useViewer } from '../../api/session';
import { Page } from '../../components/Page';
import { SettingsNav } from '../../components/Layout';
import { Empty, Failure, Loading, NotPermitted, errorMessage } from '../../components/Status';
import { Pager, useFilter, usePageCursor } from '../../components/Pager';
import { StatusFilter } from '../../components/StatusFilter';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { OneTimeSecret } from '../../components/OneTimeSecret';
import { collectPages } from '../../components/collect';
import { fieldOf, fieldProps } from '../../components/fieldError';
import { Checkboxes } from '../../components/Checkboxes';
import { FormFooter } from '../../components/FormFooter';
import { EVENT_TYPES, plural } from '../../components/labels';
import { formatDateTime, titleCase } from '../../components/format';

export const EndpointFields = graphql(`
  fragment EndpointFields on WebhookEndpoint {
    id url description eventTypes enabled disabledReason failingSince previousSecretExpiresAt createdAt updatedAt
  }
`);

export const DeliveryFields = graphql(`
  fragment DeliveryFields on Delivery {
    id endpointId eventId eventType status attempts nextAttemptAt lastStatusCode lastError createdAt deliveredAt
  }
`);

const Endpoints = graphql(`
  query WebhookEndpointList($after: String) {
    webhookEndpoints(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { ...EndpointFields }
    }
  }
`);

const OneEndpoint = graphql(`
  query WebhookEndpoint($id: ID!) {
    webhookEndpoint(id: $id) { ...EndpointFields }
  }
`);

const Deliveries = graphql(`
  query EndpointDeliveries($endpointId: ID, $status: DeliveryStatus, $after: String) {
    deliveries(first: 50, after: $after, endpointId: $endpointId, status: $status) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { ...DeliveryFields }
    }
  }
`);

const Mails = graphql(`
  query MailDeliveryLog($status: MailStatus, $after: String) {
    mailDeliveries(first: 50, after: $after, status: $status) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id eventType recipient subject status attempts nextAttemptAt lastError createdAt sentAt }
    }
  }
`);

const CreateEndpoint = graphql(`
  mutation CreateEndpoint($input: WebhookEndpointInput!) {
    createWebhookEndpoint(input: $input) { secret endpoint { ...EndpointFields } }
  }
`);

const UpdateEndpoint = graphql(`
  mutation UpdateEndpoint($id: ID!, $input: WebhookEndpointInput!) {
    updateWebhookEndpoint(id: $id, input: $input) { ...EndpointFields }
  }
`);

const RotateEndpointSecret = graphql(`
  mutation RotateEndpointSecret($id: ID!) {
    rotateWebhookSecret(id: $id) { secret endpoint { ...EndpointFields } }
  }
`);

const DeleteEndpoint = graphql(`
  mutation DeleteEndpoint($id: ID!) {
    deleteWebhookEndpoint(id: $id)
  }
`);

const ReplayDelivery = graphql(`
  mutation ReplayDelivery($id: ID!) {
    replayDelivery(id: $id) { ...DeliveryFields }
  }
`);

const SendTestWebhook = graphql(`
  mutation SendTestWebhook($endpointId: ID!) {
    sendTestWebhook(endpointId: $endpointId) { ...DeliveryFields }
  }
`);

type Endpoint = EndpointFieldsFragment;
type Delivery = DeliveryFieldsFragment;

const DELIVERY_STATUSES: DeliveryStatus[] = ['PENDING', 'DELIVERED', 'FAILED'];
const MAIL_STATUSES: MailStatus[] = ['FAILED', 'PENDING', 'SENT'];

async function allEndpoints() {
  return collectPages((after) => gql(Endpoints, { after }).then((d) => d.webhookEndpoints), 10);
}

/** How a delivery went, in one sentence. */
function deliveryOutcome(d: Delivery): string {
  const code = d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : null;
  if (d.status === 'DELIVERED') return `Delivered${code ? ` (${code})` : ''}${d.deliveredAt ? ` at ${formatDateTime(d.deliveredAt)}` : ''}.`;
  const why = [code, d.lastError].filter(Boolean).join(': ');
  if (d.status === 'FAILED') return `Failed${why ? ` — ${why}` : ''}. No more attempts will be made; you can replay it.`;
  return `Not delivered yet${why ? ` — ${why}` : ''}${d.nextAttemptAt ? `; next attempt ${formatDateTime(d.nextAttemptAt)}` : ''}.`;
}

export function WebhooksPage() {
  const viewer = useViewer();
  const allowed = hasRole(viewer, 'ADMIN', 'AUDITOR');
  return (
    <Page title="Webhooks">
      <SettingsNav />
      {allowed ? (
        <>
          <p className="lead">
            Accord posts signed events (Standard Webhooks) to these endpoints when something concerning your organization changes. Failed
            deliveries are retried for about two days; an endpoint failing for five days is disabled and your admins are emailed.
          </p>
          <EndpointList />
          {hasRole(viewer, 'ADMIN') ? <AddEndpoint /> : null}
          <MailLog />
        </>
      ) : (
        <NotPermitted need="admins and auditors" />
      )}
    </Page>
  );
}

function EndpointList() {
  const endpoints = useQuery({ queryKey: ['webhookEndpoints'], queryFn: () => allEndpoints() });
  return (
    <section aria-labelledby="endpoints-h">
      <h2 id="endpoints-h">Endpoints</h2>
      {endpoints.isPending ? (
        <Loading what="webhook endpoints" />
      ) : endpoints.error ? (
        <Failure error={endpoints.error} />
      ) : endpoints.data.items.length === 0 ? (
        <Empty>No webhook endpoints yet.</Empty>
      ) : (
        <table>
          <caption>Webhook endpoints, newest first{endpoints.data.truncated ? ` (the newest ${endpoints.data.items.length})` : ''}</caption>
          <thead>
            <tr>
              <th scope="col">URL</th>
              <th scope="col">Events</th>
              <th scope="col">Enabled</th>
              <th scope="col">Failing since</th>
              <th scope="col">Disabled because</th>
            </tr>
          </thead>
          <tbody>
            {endpoints.data.items.map((e) => (
              <tr key={e.id} className={e.failingSince || !e.enabled ? 'row-high' : undefined}>
                <td>
                  <Link to={`/settings/webhooks/${e.id}`}>
                    <code className="wrap">{e.url}</code>
                  </Link>
                  {e.description ? <div className="hint">{e.description}</div> : null}
                </td>
                <td>
                  <EventTypes types={e.eventTypes} />
                </td>
                <td>{e.enabled ? 'Yes' : 'No'}</td>
                <td>{e.failingSince ? formatDateTime(e.failingSince) : '—'}</td>
                <td>{e.disabledReason ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function EventTypes({ types }: { types: string[] }) {
  if (types.length === EVENT_TYPES.length && EVENT_TYPES.every((t) => types.includes(t))) return <>All {types.length} event types</>;
  return (
    <ul className="plain compact">
      {types.map((t) => (
        <li key={t}>
          <code>{t}</code>
        </li>
      ))}
    </ul>
  );
}

/** The endpoint fields an admin sets: `URL`, `Description`, event types, and (when editing) enabled. */
function EndpointForm({
  initial,
  submitLabel,
  withEnabled,
  busy,
  error,
  onSubmit,
  onCancel,
}: {
  initial: { url: string; description: string; eventTypes: string[]; enabled: boolean };
  submitLabel: string;
  withEnabled: boolean;
  busy: boolean;
  error: unknown;
  onSubmit: (input: WebhookEndpointInput) => void;
  onCancel?: () => void;
}) {
  const id = useId();
  const errId = `${id}-error`;
  const [url, setUrl] = useState(initial.url);
  const [description, setDescription] = useState(initial.description);
  const [types, setTypes] = useState<string[]>(initial.eventTypes);
  const [enabled, setEnabled] = useState(initial.enabled);
  const [formError, setFormError] = useState<string | null>(null);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setFormError(null);
    if (!url.trim()) return setFormError('URL: give the https address Accord should post events to.');
    if (types.length === 0) return setFormError('Event types: choose at least one event.');
    onSubmit({
      url: url.trim(),
      description: description.trim() || undefined,
      eventTypes: EVENT_TYPES.filter((t) => types.includes(t)),
      enabled: withEnabled ? enabled : undefined,
    });
  };
  return (
    <form onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={`${id}-url`}>URL</label>
        <input
          id={`${id}-url`}
          type="url"
          required
          spellCheck={false}
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          placeholder="https://siem.example.org/accord"
          {...fieldProps(error, 'url', errId, `${id}-url-hint`)}
        />
        <span id={`${id}-url-hint`} className="hint">
          An https address on the public internet.
        </span>
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>Description</label>
        <input id={`${id}-description`} maxLength={500} value={description} onChange={(e) => setDescription(e.target.value)} {...fieldProps(error, 'description', errId)} />
      </div>
      <fieldset aria-invalid={fieldOf(error) === 'eventTypes' || undefined}>
        <legend>Event types</legend>
        <div className="actions compact">
          <button type="button" onClick={() => setTypes([...EVENT_TYPES])}>
            Select all events
          </button>
          <button type="button" onClick={() => setTypes([])}>
            Clear all events
          </button>
        </div>
        <div className="check-grid">
          <Checkboxes idPrefix={`${id}-ev`} options={EVENT_TYPES} value={types} onChange={setTypes} label={(t) => <code>{t}</code>} />
        </div>
      </fieldset>
      {withEnabled ? (
        <div className="field field-check">
          <input id={`${id}-enabled`} type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} aria-describedby={`${id}-enabled-hint`} />
          <label htmlFor={`${id}-enabled`}>Enabled</label>
          <span id={`${id}-enabled-hint`} className="hint">
            A disabled endpoint receives nothing until enabled again.
          </span>
        </div>
      ) : null}
      <FormFooter errorId={errId} message={formError} error={error} submit={submitLabel} busy={busy}>
        {onCancel ? (
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </FormFooter>
    </form>
  );
}

function AddEndpoint() {
  const queryClient = useQueryClient();
  const [created, setCreated] = useState<{ secret: string; endpoint: Endpoint } | null>(null);
  const [formKey, setFormKey] = useState(0);
  const create = useMutation({
    mutationFn: (input: WebhookEndpointInput) => gql(CreateEndpoint, { input }).then((d) => d.createWebhookEndpoint),
    onSuccess: async (payload) => {
      setCreated(payload);
      setFormKey((k) => k + 1);
      await queryClient.invalidateQueries({ queryKey: ['webhookEndpoints'] });
    },
  });
  return (
    <section aria-labelledby="add-endpoint-h" className="card">
      <h2 id="add-endpoint-h">Add an endpoint</h2>
      {created ? (
        <OneTimeSecret what="Signing secret" secret={created.secret} onDismiss={() => setCreated(null)}>
          <p>
            <Link to={`/settings/webhooks/${created.endpoint.id}`}>{created.endpoint.url}</Link> will receive{' '}
            {plural(created.endpoint.eventTypes.length, 'event type')}. Use the secret to check the <code>webhook-signature</code> header of every
            delivery.
          </p>
        </OneTimeSecret>
      ) : null}
      <EndpointForm
        key={formKey}
        initial={{ url: '', description: '', eventTypes: [], enabled: true }}
        submitLabel="Add endpoint"
        withEnabled={false}
        busy={create.isPending}
        error={create.error}
        onSubmit={(input) => {
          setCreated(null);
          create.mutate(input);
        }}
      />
    </section>
  );
}

function MailLog() {
  // '' (the default) shows failed mails: the ones someone has to act on.
  const [mail, setMail] = useFilter('mail');
  const [after] = usePageCursor();
  const status = mail === 'ANY' ? undefined : (MAIL_STATUSES.find((s) => s === mail) ?? 'FAILED');
  const mails = useQuery({ queryKey: ['mailDeliveries', status ?? 'ANY', after], queryFn: () => gql(Mails, { status, after }).then((d) => d.mailDeliveries) });
  return (
    <section aria-labelledby="mails-h">
      <h2 id="mails-h">Mail to your people</h2>
      <p className="hint">The reminders and notices Accord emailed to members of your organization. Failed ones show the mail server’s answer.</p>
      <StatusFilter
        id="mail-status"
        label="Mail status"
        options={MAIL_STATUSES}
        anyLast
        value={mail === 'ANY' ? 'ANY' : (status ?? 'FAILED')}
        onChange={(value) => setMail(value === 'FAILED' ? '' : value)}
      />
      {mails.isPending ? (
        <Loading what="mail deliveries" />
      ) : mails.error ? (
        <Failure error={mails.error} />
      ) : mails.data.nodes.length === 0 ? (
        <Empty>{status ? `No ${status.toLowerCase()} mails.` : 'No mails yet.'}</Empty>
      ) : (
        <>
          <table>
            <caption>Mails{status ? ` with status ${titleCase(status)}` : ''}, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Recipient</th>
                <th scope="col">Subject</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last error</th>
                <th scope="col">Queued</th>
              </tr>
            </thead>
            <tbody>
              {mails.data.nodes.map((m) => (
                <tr key={m.id} className={m.status === 'FAILED' ? 'row-high' : undefined}>
                  <td>{m.recipient}</td>
                  <td>{m.subject}</td>
                  <td>
                    <code>{m.eventType}</code>
                  </td>
                  <td>
                    {titleCase(m.status)}
                    {m.sentAt ? <div className="hint">{formatDateTime(m.sentAt)}</div> : null}
                    {m.status === 'PENDING' && m.nextAttemptAt ? <div className="hint">next try {formatDateTime(m.nextAttemptAt)}</div> : null}
                  </td>
                  <td>{m.attempts}</td>
                  <td>{m.lastError ?? '—'}</td>
                  <td>{formatDateTime(m.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager total={mails.data.totalCount} shown={mails.data.nodes.length} pageInfo={mails.data.pageInfo} />
        </>
      )}
    </section>
  );
}

export function WebhookPage() {
  const { id = '' } = useParams();
  const viewer = useViewer();
  const allowed = hasRole(viewer, 'ADMIN', 'AUDITOR');
  const found = useQuery({
    queryKey: ['webhookEndpoints', 'one', id],
    queryFn: () => gql(OneEndpoint, { id }).then((d) => d.webhookEndpoint ?? null),
    enabled: allowed,
  });
  const endpoint = found.data;
  return (
    <Page title={endpoint ? `Webhook endpoint ${endpoint.url}` : 'Webhook endpoint'}>
      <SettingsNav />
      <p>
        <Link to="/settings/webhooks">All webhook endpoints</Link>
      </p>
      {!allowed ? (
        <NotPermitted need="admins and auditors" />
      ) : found.isPending ? (
        <Loading what="the endpoint" />
      ) : found.error ? (
        <Failure error={found.error} />
      ) : !endpoint ? (
        <div className="alert" role="alert">
          No such webhook endpoint in your organization. It may have been deleted.
        </div>
      ) : (
        <EndpointView endpoint={endpoint} />
      )}
    </Page>
  );
}

function EndpointView({ endpoint: e }: { endpoint: Endpoint }) {
  const viewer = useViewer();
  const admin = hasRole(viewer, 'ADMIN');
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [editing, setEditing] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [testing, setTesting] = useState(false);
  const [testError, setTestError] = useState<unknown>(null);

  const update = useMutation({
    mutationFn: (input: WebhookEndpointInput) => gql(UpdateEndpoint, { id: e.id, input }),
    onSuccess: async () => {
      setEditing(false);
      setNotice('Changes saved. You now answer for this endpoint.');
      await queryClient.invalidateQueries({ queryKey: ['webhookEndpoints'] });
    },
  });
  const rotate = async () => {
    const { rotateWebhookSecret } = await gql(RotateEndpointSecret, { id: e.id });
    setNotice(null);
    setSecret(rotateWebhookSecret.secret);
    await queryClient.invalidateQueries({ queryKey: ['webhookEndpoints'] });
  };
  const remove = async () => {
    await gql(DeleteEndpoint, { id: e.id });
    await queryClient.invalidateQueries({ queryKey: ['webhookEndpoints'] });
    navigate('/settings/webhooks');
  };
  const sendTest = async () => {
    setTesting(true);
    setTestError(null);
    setNotice(null);
    try {
      const { sendTestWebhook } = await gql(SendTestWebhook, { endpointId: e.id });
      setNotice(`Test event: ${deliveryOutcome(sendTestWebhook)}`);
      await queryClient.invalidateQueries({ queryKey: ['deliveries'] });
    } catch (err) {
      setTestError(err);
    } finally {
      setTesting(false);
    }
  };

  if (editing)
    return (
      <section aria-labelledby="edit-endpoint-h" className="card">
        <h2 id="edit-endpoint-h">Edit endpoint</h2>
        <EndpointForm
          initial={{ url: e.url, description: e.description ?? '', eventTypes: e.eventTypes, enabled: e.enabled }}
          submitLabel="Save changes"
          withEnabled
          busy={update.isPending}
          error={update.error}
          onSubmit={(input) => update.mutate(input)}
          onCancel={() => {
            update.reset();
            setEditing(false);
          }}
        />
      </section>
    );

  return (
    <>
      <div role="status">{notice ? <p className="notice">{notice}</p> : testing ? <p className="status">Sending a test event…</p> : null}</div>
      {testError ? (
        <div className="alert" role="alert">
          The test event could not be sent: {errorMessage(testError)}
        </div>
      ) : null}
      {secret ? (
        <OneTimeSecret what="New signing secret" secret={secret} onDismiss={() => setSecret(null)}>
          <p className="hint">For the next 24 hours every delivery carries two signatures, one with the old secret and one with this one, so you can switch over.</p>
        </OneTimeSecret>
      ) : null}
      <dl className="facts">
        <dt>URL</dt>
        <dd>
          <code className="wrap">{e.url}</code>
        </dd>
        <dt>Description</dt>
        <dd>{e.description ?? '—'}</dd>
        <dt>Enabled</dt>
        <dd>{e.enabled ? 'Yes' : `No${e.disabledReason ? ` — ${e.disabledReason}` : ''}`}</dd>
        <dt>Failing since</dt>
        <dd>{e.failingSince ? formatDateTime(e.failingSince) : 'Not failing'}</dd>
        <dt>Event types</dt>
        <dd>
          <EventTypes types={e.eventTypes} />
        </dd>
        {e.previousSecretExpiresAt ? (
          <>
            <dt>Previous secret</dt>
            <dd>still signs until {formatDateTime(e.previousSecretExpiresAt)}</dd>
          </>
        ) : null}
        <dt>Created</dt>
        <dd>{formatDateTime(e.createdAt)}</dd>
        <dt>Last changed</dt>
        <dd>{formatDateTime(e.updatedAt)}</dd>
      </dl>
      {admin ? (
        <div className="actions">
          <button type="button" onClick={() => setEditing(true)}>
            Edit
          </button>
          <button type="button" onClick={sendTest} disabled={testing}>
            Send test event
          </button>
          <ConfirmDialog
            action="Rotate secret"
            title="Rotate the signing secret?"
            details={<p>Accord makes a new secret and shows it once. The current one also signs for 24 hours, so your receiver can switch over.</p>}
            onConfirm={rotate}
          />
          <ConfirmDialog
            action="Delete"
            title="Delete this endpoint?"
            details={<p>It receives nothing more; deliveries still waiting to be sent end as failed. This cannot be undone.</p>}
            danger
            onConfirm={remove}
          />
        </div>
      ) : null}
      <DeliveryList endpointId={e.id} canReplay={admin} />
    </>
  );
}

function DeliveryList({ endpointId, canReplay }: { endpointId: string; canReplay: boolean }) {
  const [status, setStatus] = useFilter('status');
  const [after] = usePageCursor();
  const chosen = DELIVERY_STATUSES.find((s) => s === status);
  const deliveries = useQuery({
    queryKey: ['deliveries', endpointId, chosen, after],
    queryFn: () => gql(Deliveries, { endpointId, status: chosen, after }).then((d) => d.deliveries),
  });
  const [notice, setNotice] = useState<string | null>(null);
  return (
    <section aria-labelledby="deliveries-h">
      <h2 id="deliveries-h">Deliveries</h2>
      <StatusFilter id="delivery-status" label="Status" options={DELIVERY_STATUSES} unfiltered="Any" value={chosen ?? ''} onChange={setStatus} />
      <div role="status">{notice ? <p className="notice">{notice}</p> : null}</div>
      {deliveries.isPending ? (
        <Loading what="deliveries" />
      ) : deliveries.error ? (
        <Failure error={deliveries.error} />
      ) : deliveries.data.nodes.length === 0 ? (
        <Empty>No deliveries{chosen ? ` with status ${titleCase(chosen)}` : ''}.</Empty>
      ) : (
        <>
          <table>
            <caption>Deliveries to this endpoint, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col">Created</th>
                {canReplay ? <th scope="col">Actions</th> : null}
              </tr>
            </thead>
            <tbody>
              {deliveries.data.nodes.map((d) => (
                <tr key={d.id} className={d.status === 'FAILED' ? 'row-high' : undefined}>
                  <td>
                    <code>{d.eventType}</code>
                    <div className="hint">
                      id <code className="wrap">{d.eventId}</code>
                    </div>
                  </td>
                  <td>
                    {titleCase(d.status)}
                    {d.deliveredAt ? <div className="hint">{formatDateTime(d.deliveredAt)}</div> : null}
                    {d.status === 'PENDING' && d.nextAttemptAt ? <div className="hint">next try {formatDateTime(d.nextAttemptAt)}</div> : null}
                  </td>
                  <td>{d.attempts}</td>
                  <td>
                    {d.lastStatusCode ? `HTTP ${d.lastStatusCode}` : '—'}
                    {d.lastError ? <div className="hint">{d.lastError}</div> : null}
                  </td>
                  <td>{formatDateTime(d.createdAt)}</td>
                  {canReplay ? (
                    <td>
                      <ReplayButton delivery={d} onReplayed={(r) => setNotice(`Replayed ${r.eventType}: ${deliveryOutcome(r)}`)} />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
          <Pager total={deliveries.data.totalCount} shown={deliveries.data.nodes.length} pageInfo={deliveries.data.pageInfo} />
        </>
      )}
    </section>
  );
}

function ReplayButton({ delivery, onReplayed }: { delivery: Delivery; onReplayed: (d: Delivery) => void }) {
  const queryClient = useQueryClient();
  const replay = useMutation({
    mutationFn: () => gql(ReplayDelivery, { id: delivery.id }).then((d) => d.replayDelivery),
    onSuccess: async (d) => {
      onReplayed(d);
      await queryClient.invalidateQueries({ queryKey: ['deliveries'] });
    },
  });
  return (
    <>
      <button type="button" onClick={() => replay.mutate()} disabled={replay.isPending} aria-describedby={replay.error ? `replay-${delivery.id}-error` : undefined}>
        Replay
      </button>
      {replay.error ? (
        <div className="alert" role="alert" id={`replay-${delivery.id}-error`}>
          {errorMessage(replay.error)}
        </div>
      ) : null}
    </>
  );
}
