// SPEC §10 /requests/{id}: what is asked and why, by whom; for the data holder's approvers a
// checkbox per proposed scope (untick to narrow), `Duration (days)`, `Comment`, `Approve` and
// `Deny` (with a `Reason`). The outcome shows at once.
import { useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from 'react-router-dom';
import { graphql } from '../gql';
import type { RequestQuery } from '../gql/graphql';
import { gql } from '../api/client';
import { hasRole, isHolder, useViewer } from '../api/session';
import { Page } from '../components/Page';
import { Failure, Loading } from '../components/Status';
import { FormError } from '../components/FormFooter';
import { RiskBadge } from '../components/Risk';
import { ScopeList } from '../components/Scopes';
import { ActionDialog } from '../components/ActionDialog';
import { formatDate, formatDateTime, titleCase } from '../components/format';


const RequestQueryDoc = graphql(`
  query Request($id: ID!) {
    accessRequest(id: $id) {
      id status risk purpose durationDays proposedDurationDays requestedScopes proposedScopes
      requiredApprovals proposalVersion createdAt decidedAt decisionReason
      app { id name kind clientId purpose businessOwnerEmail technicalOwnerEmail }
      vendor { id name }
      dataHolder { id name }
      approvals { id approverName approverEmail scopes durationDays comment at current }
      grant { id status expiresAt scopes }
      replacesGrant { id }
      scopeAnalysis { ...ScopeFields }
      requestedScopeAnalysis { ...ScopeFields }
    }
  }
`);

const Approve = graphql(`
  mutation Approve($id: ID!, $input: ApproveInput) {
    approveAccessRequest(id: $id, input: $input) {
      id status requiredApprovals proposedScopes proposedDurationDays
      approvals { id current }
      grant { id scopes expiresAt }
    }
  }
`);

const Deny = graphql(`
  mutation Deny($id: ID!, $reason: String!) {
    denyAccessRequest(id: $id, reason: $reason) { id status decisionReason }
  }
`);

const Withdraw = graphql(`
  mutation Withdraw($id: ID!) {
    withdrawAccessRequest(id: $id) { id status }
  }
`);

type Req = NonNullable<RequestQuery['accessRequest']>;

export function RequestPage() {
  const { id = '' } = useParams();
  const request = useQuery({ queryKey: ['request', id], queryFn: () => gql(RequestQueryDoc, { id }).then((d) => d.accessRequest) });
  return (
    <Page title={request.data ? `Request from ${request.data.app.name}` : 'Access request'}>
      {request.isPending ? (
        <Loading what="the request" />
      ) : request.error ? (
        <Failure error={request.error} />
      ) : !request.data ? (
        <div className="alert" role="alert">
          No such request, or it is not one your organization is party to.
        </div>
      ) : (
        <RequestView request={request.data} />
      )}
    </Page>
  );
}

function RequestView({ request: r }: { request: Req }) {
  const viewer = useViewer();
  const canDecide = isHolder(viewer) && hasRole(viewer, 'APPROVER', 'ADMIN') && r.dataHolder.id === viewer.tenant.id;
  const canWithdraw = !isHolder(viewer) && hasRole(viewer, 'DEVELOPER', 'ADMIN') && r.status === 'PENDING';
  const current = r.approvals.filter((a) => a.current).length;
  const queryClient = useQueryClient();
  const withdraw = async () => {
    await gql(Withdraw, { id: r.id });
    await queryClient.invalidateQueries();
  };

  return (
    <>
      <p className={`outcome status-${r.status.toLowerCase()}`} role="status">
        <strong>{titleCase(r.status)}</strong>
        {r.status === 'PENDING' ? ` · ${current} of ${r.requiredApprovals} approval${r.requiredApprovals === 1 ? '' : 's'}` : null}
        {r.decidedAt ? ` · decided ${formatDateTime(r.decidedAt)}` : null}
        {r.decisionReason ? ` · reason: ${r.decisionReason}` : null}
        {r.grant ? (
          <>
            {' · '}
            <Link to={`/grants/${r.grant.id}`}>the grant</Link> runs until {formatDate(r.grant.expiresAt)}
          </>
        ) : null}
      </p>
      <dl className="facts">
        <dt>App</dt>
        <dd>
          <Link to={`/apps/${r.app.id}`}>{r.app.name}</Link> ({titleCase(r.app.kind)}, <code>{r.app.clientId}</code>)
        </dd>
        <dt>Vendor</dt>
        <dd>{r.vendor.name}</dd>
        <dt>Data holder</dt>
        <dd>{r.dataHolder.name}</dd>
        <dt>Business owner</dt>
        <dd>{r.app.businessOwnerEmail}</dd>
        <dt>Technical owner</dt>
        <dd>{r.app.technicalOwnerEmail}</dd>
        <dt>Purpose of this request</dt>
        <dd>{r.purpose}</dd>
        <dt>Duration asked</dt>
        <dd>
          {r.durationDays} days{r.proposedDurationDays !== r.durationDays ? ` (now proposed: ${r.proposedDurationDays})` : ''}
        </dd>
        <dt>Risk</dt>
        <dd>
          <RiskBadge risk={r.risk} />
        </dd>
        <dt>Asked</dt>
        <dd>{formatDateTime(r.createdAt)}</dd>
        {r.replacesGrant ? (
          <>
            <dt>Replaces</dt>
            <dd>
              <Link to={`/grants/${r.replacesGrant.id}`}>a grant in force</Link>
            </dd>
          </>
        ) : null}
      </dl>

      <div className="columns">
        <section aria-labelledby="requested-h">
          <h2 id="requested-h">Requested scopes</h2>
          <ScopeList analyses={r.requestedScopeAnalysis} label="Requested scopes" />
        </section>
        {!(canDecide && r.status === 'PENDING') ? (
          <section aria-labelledby="proposed-h">
            <h2 id="proposed-h">Proposed scopes</h2>
            <ScopeList analyses={r.scopeAnalysis} label="Proposed scopes" />
          </section>
        ) : null}
      </div>

      {canDecide && r.status === 'PENDING' ? <Decide request={r} /> : null}
      {canWithdraw ? <ActionDialog action="Withdraw" title="Withdraw this request?" needsReason={false} onConfirm={withdraw} /> : null}

      <section aria-labelledby="approvals-h">
        <h2 id="approvals-h">Approvals</h2>
        {r.approvals.length === 0 ? (
          <p className="empty">No approvals yet.</p>
        ) : (
          <ul className="approvals">
            {r.approvals.map((a) => (
              <li key={a.id}>
                {a.approverName} ({a.approverEmail}) approved {a.scopes.length} scope{a.scopes.length === 1 ? '' : 's'} for {a.durationDays} days on{' '}
                {formatDateTime(a.at)}
                {a.current ? '' : ' (an earlier proposal: does not count now)'}
                {a.comment ? ` — “${a.comment}”` : ''}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function Decide({ request: r }: { request: Req }) {
  const queryClient = useQueryClient();
  const [kept, setKept] = useState<Set<string>>(() => new Set(r.proposedScopes));
  const [days, setDays] = useState(String(r.proposedDurationDays));
  const [comment, setComment] = useState('');
  const [formError, setFormError] = useState<string | null>(null);

  const approve = useMutation({
    mutationFn: (input: { scopes?: string[]; durationDays?: number; comment?: string }) => gql(Approve, { id: r.id, input }),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  const deny = async (reason: string) => {
    await gql(Deny, { id: r.id, reason });
    await queryClient.invalidateQueries();
  };

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    setFormError(null);
    const n = Number(days);
    if (!Number.isInteger(n) || n < 1) return setFormError('Duration (days) must be a whole number of days, at least 1.');
    if (n > r.proposedDurationDays) return setFormError(`Duration (days) can only be shortened: at most ${r.proposedDurationDays}.`);
    if (kept.size === 0) return setFormError('Keep at least one scope, or deny the request instead.');
    const narrowed = kept.size < r.proposedScopes.length;
    approve.mutate({
      scopes: narrowed ? r.proposedScopes.filter((s) => kept.has(s)) : undefined,
      durationDays: n < r.proposedDurationDays ? n : undefined,
      comment: comment.trim() || undefined,
    });
  };
  const toggle = (scope: string) =>
    setKept((prev) => {
      const next = new Set(prev);
      if (next.has(scope)) next.delete(scope);
      else next.add(scope);
      return next;
    });

  const byScope = new Map(r.scopeAnalysis.map((a) => [a.normalized ?? a.input, a]));
  return (
    <section aria-labelledby="decide-h" className="card">
      <h2 id="decide-h">Your decision</h2>
      <form id="decide-form" onSubmit={submit}>
        <fieldset>
          <legend>Proposed scopes: untick any this app should not get</legend>
          <ul className="scopes">
            {r.proposedScopes.map((scope, i) => {
              const a = byScope.get(scope);
              return (
                <li key={scope} className={a?.risk === 'HIGH' ? 'scope scope-high' : 'scope'}>
                  <input type="checkbox" id={`scope-${i}`} checked={kept.has(scope)} onChange={() => toggle(scope)} aria-describedby={`scope-${i}-desc`} />
                  <label htmlFor={`scope-${i}`}>
                    <code>{scope}</code>
                  </label>{' '}
                  <RiskBadge risk={a?.risk} />
                  <div className="scope-desc" id={`scope-${i}-desc`}>
                    {a?.description}
                  </div>
                </li>
              );
            })}
          </ul>
        </fieldset>
        <div className="field">
          <label htmlFor="duration">Duration (days)</label>
          <input id="duration" type="number" inputMode="numeric" min={1} max={r.proposedDurationDays} value={days} onChange={(e) => setDays(e.target.value)} aria-describedby="duration-hint" />
          <span id="duration-hint" className="hint">
            At most {r.proposedDurationDays}; you can shorten it, not lengthen it.
          </span>
        </div>
        <div className="field">
          <label htmlFor="comment">Comment</label>
          <textarea id="comment" rows={2} maxLength={2000} value={comment} onChange={(e) => setComment(e.target.value)} />
        </div>
        <FormError message={formError} error={approve.error} />
      </form>
      {/* Outside the form: the Deny dialog holds a form of its own, and forms do not nest. */}
      <div className="actions">
        <button type="submit" form="decide-form" className="primary" disabled={approve.isPending}>
          Approve
        </button>
        <ActionDialog action="Deny" title="Deny this request?" needsReason danger onConfirm={deny} />
      </div>
    </section>
  );
}
