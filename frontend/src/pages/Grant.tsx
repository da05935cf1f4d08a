// SPEC §10 /grants/{id}: the grant, each scope with its description and risk, its history from
// the audit trail, and for the data holder's approvers `Suspend`, `Resume`, `Revoke`.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { graphql } from '../gql';
import type { GrantQuery } from '../gql/graphql';
import { gql } from '../api/client';
import { hasRole, isHolder, useViewer } from '../api/session';
import { Page } from '../components/Page';
import { Empty, Failure, Loading } from '../components/Status';
import { ScopeList } from '../components/Scopes';
import { ActionDialog } from '../components/ActionDialog';
import { daysUntil, formatDate, formatDateTime, titleCase } from '../components/format';

const GrantDoc = graphql(`
  query Grant($id: ID!) {
    grant(id: $id) {
      id status scopes grantedAt expiresAt revokedReason suspendedReason nextReviewDue lastReviewedAt requestId
      app { id name clientId kind status }
      vendor { id name }
      dataHolder { id name }
      scopeAnalysis { ...ScopeFields }
    }
  }
`);

const History = graphql(`
  query GrantHistory($id: ID!) {
    auditEvents(first: 100, targetId: $id) {
      totalCount
      nodes { id at action actor details }
    }
  }
`);

const Suspend = graphql(`
  mutation SuspendGrant($id: ID!, $reason: String!) { suspendGrant(id: $id, reason: $reason) { id status } }
`);
const Resume = graphql(`
  mutation ResumeGrant($id: ID!) { resumeGrant(id: $id) { id status } }
`);
const Revoke = graphql(`
  mutation RevokeGrant($id: ID!, $reason: String!) { revokeGrant(id: $id, reason: $reason) { id status revokedReason } }
`);

type G = NonNullable<GrantQuery['grant']>;

export function GrantPage() {
  const { id = '' } = useParams();
  const grant = useQuery({ queryKey: ['grant', id], queryFn: () => gql(GrantDoc, { id }).then((d) => d.grant) });
  return (
    <Page title={grant.data ? `Grant to ${grant.data.app.name}` : 'Grant'}>
      {grant.isPending ? (
        <Loading what="the grant" />
      ) : grant.error ? (
        <Failure error={grant.error} />
      ) : !grant.data ? (
        <div className="alert" role="alert">
          No such grant, or it is not one your organization is party to.
        </div>
      ) : (
        <GrantView grant={grant.data} />
      )}
    </Page>
  );
}

function GrantView({ grant: g }: { grant: G }) {
  const viewer = useViewer();
  const queryClient = useQueryClient();
  const canAct = isHolder(viewer) && hasRole(viewer, 'APPROVER', 'ADMIN') && g.dataHolder.id === viewer.tenant.id;
  const done = () => queryClient.invalidateQueries();
  const left = daysUntil(g.expiresAt);
  return (
    <>
      <p className={`outcome status-${g.status.toLowerCase()}`} role="status">
        <strong>{titleCase(g.status)}</strong>
        {g.status === 'ACTIVE' ? ` · ends ${formatDate(g.expiresAt)} (in ${left} days)` : null}
        {g.revokedReason ? ` · reason: ${g.revokedReason}` : null}
        {g.status === 'SUSPENDED' && g.suspendedReason ? ` · reason: ${g.suspendedReason}` : null}
      </p>
      {canAct && (g.status === 'ACTIVE' || g.status === 'SUSPENDED') ? (
        <div className="actions">
          {g.status === 'ACTIVE' ? (
            <ActionDialog action="Suspend" title={`Suspend ${g.app.name}'s access?`} needsReason onConfirm={(reason) => gql(Suspend, { id: g.id, reason }).then(done)} />
          ) : (
            <ActionDialog action="Resume" title={`Resume ${g.app.name}'s access?`} needsReason={false} onConfirm={() => gql(Resume, { id: g.id }).then(done)} />
          )}
          <ActionDialog action="Revoke" title={`Revoke ${g.app.name}'s access for good?`} needsReason danger onConfirm={(reason) => gql(Revoke, { id: g.id, reason }).then(done)} />
        </div>
      ) : null}
      <dl className="facts">
        <dt>App</dt>
        <dd>
          <Link to={`/apps/${g.app.id}`}>{g.app.name}</Link> ({titleCase(g.app.kind)}, <code>{g.app.clientId}</code>, app {titleCase(g.app.status)})
        </dd>
        <dt>Vendor</dt>
        <dd>{g.vendor.name}</dd>
        <dt>Data holder</dt>
        <dd>{g.dataHolder.name}</dd>
        <dt>Granted</dt>
        <dd>{formatDateTime(g.grantedAt)}</dd>
        <dt>Expires</dt>
        <dd>{formatDateTime(g.expiresAt)}</dd>
        <dt>Next review</dt>
        <dd>{formatDate(g.nextReviewDue)}</dd>
        <dt>Last reviewed</dt>
        <dd>{formatDate(g.lastReviewedAt)}</dd>
        <dt>Request</dt>
        <dd>
          <Link to={`/requests/${g.requestId}`}>the request it came from</Link>
        </dd>
      </dl>
      <section aria-labelledby="scopes-h">
        <h2 id="scopes-h">Scopes ({g.scopes.length})</h2>
        <ScopeList analyses={g.scopeAnalysis} label="Granted scopes" />
      </section>
      <GrantHistory id={g.id} />
    </>
  );
}

function GrantHistory({ id }: { id: string }) {
  const viewer = useViewer();
  const allowed = hasRole(viewer, 'ADMIN', 'AUDITOR');
  const history = useQuery({ queryKey: ['grant-history', id], queryFn: () => gql(History, { id }), enabled: allowed });
  return (
    <section aria-labelledby="history-h">
      <h2 id="history-h">History</h2>
      {!allowed ? (
        <p className="empty">The history comes from the audit trail, which admins and auditors of your organization can read.</p>
      ) : history.isPending ? (
        <Loading what="the history" />
      ) : history.error ? (
        <Failure error={history.error} />
      ) : history.data.auditEvents.nodes.length === 0 ? (
        <Empty>Nothing recorded for this grant in your organization's trail.</Empty>
      ) : (
        <ol className="history">
          {history.data.auditEvents.nodes.map((e) => (
            <li key={e.id}>
              <time dateTime={e.at}>{formatDateTime(e.at)}</time> <code>{e.action}</code> by {e.actor}
              {reasonOf(e.details)}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function reasonOf(details: unknown): string {
  if (details && typeof details === 'object' && 'reason' in details) {
    const reason = (details as { reason?: unknown }).reason;
    if (typeof reason === 'string' && reason) return ` — “${reason}”`;
  }
  return '';
}
