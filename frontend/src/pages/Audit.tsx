// SPEC §10 /audit (ADMIN, AUDITOR): the organization's audit trail, newest first, filtered by
// action and target id (both in the URL), and exported as CSV for the current filters.
import { useEffect, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import { graphql } from '../gql';
import type { AuditTrailQuery } from '../gql/graphql';
import { gql } from '../api/client';
import { hasRole, useViewer } from '../api/session';
import { Page } from '../components/Page';
import { Empty, Failure, Loading, NotPermitted, errorMessage } from '../components/Status';
import { Pager, usePageCursor } from '../components/Pager';
import { collectPages } from '../components/collect';
import { downloadText, toCsv } from '../components/csv';
import { useDebounced } from '../components/useDebounced';
import { formatDateTime } from '../components/format';
import { EVENT_TYPES } from '../components/labels';

const AuditTrail = graphql(`
  query AuditTrail($first: Int, $after: String, $action: String, $targetId: ID) {
    auditEvents(first: $first, after: $after, action: $action, targetId: $targetId) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { id at action actor targetType targetId details }
    }
  }
`);

type AuditEvent = AuditTrailQuery['auditEvents']['nodes'][number];

const EXPORT_PAGES = 50;
const EXPORT_PAGE_SIZE = 100;

/** Suggestions for the Action filter: the §6 event names and the other actions Accord records. */
const KNOWN_ACTIONS = [
  ...EVENT_TYPES,
  'access_request.approval_added',
  'app.resumed',
  'approval_policy.updated',
  'partnership.started',
  'tenant.signed_up',
  'user.invited',
  'user.joined',
  'user.roles_changed',
  'user.deactivated',
  'invitation.revoked',
  'session.ended',
  'api_token.created',
  'api_token.revoked',
  'signing_key.rotated',
  'webhook_endpoint.created',
  'webhook_endpoint.updated',
  'webhook_endpoint.secret_rotated',
  'webhook_endpoint.test_sent',
  'webhook_endpoint.disabled',
  'webhook_endpoint.deleted',
  'webhook_delivery.replayed',
];

const compactJson = (value: unknown) => (value === null || value === undefined ? '' : JSON.stringify(value));

/** Where a target can be looked at in the portal, when it can. */
function targetLink(type: string, id: string): string | null {
  switch (type) {
    case 'grant':
      return `/grants/${id}`;
    case 'access_request':
      return `/requests/${id}`;
    case 'app':
      return `/apps/${id}`;
    case 'review':
      return `/reviews/${id}`;
    case 'webhook_endpoint':
      return `/settings/webhooks/${id}`;
    default:
      return null;
  }
}

export function AuditPage() {
  const viewer = useViewer();
  const allowed = hasRole(viewer, 'ADMIN', 'AUDITOR');
  return <Page title="Audit trail">{allowed ? <AuditTrailView /> : <NotPermitted need="admins and auditors" />}</Page>;
}

function AuditTrailView() {
  const [params, setParams] = useSearchParams();
  const action = params.get('action') ?? '';
  const targetId = params.get('targetId') ?? '';
  const [after] = usePageCursor();

  // The inputs follow the URL (back/forward, a shared link) and write to it as the user types,
  // once they pause; Enter applies at once.
  const [actionText, setActionText] = useState(action);
  const [targetText, setTargetText] = useState(targetId);
  const [synced, setSynced] = useState({ action, targetId });
  if (synced.action !== action || synced.targetId !== targetId) {
    setSynced({ action, targetId });
    setActionText(action);
    setTargetText(targetId);
  }
  const apply = (nextAction: string, nextTarget: string, replace: boolean) => {
    const a = nextAction.trim();
    const t = nextTarget.trim();
    if (a === action && t === targetId) return;
    setParams(
      (p) => {
        const q = new URLSearchParams(p);
        if (a) q.set('action', a);
        else q.delete('action');
        if (t) q.set('targetId', t);
        else q.delete('targetId');
        q.delete('after');
        return q;
      },
      { replace },
    );
  };
  const typedAction = useDebounced(actionText, 400);
  const typedTarget = useDebounced(targetText, 400);
  useEffect(() => {
    apply(typedAction, typedTarget, true);
    // Only a pause in typing applies the filters; the URL changing on its own must not.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [typedAction, typedTarget]);

  const list = useQuery({
    queryKey: ['audit', action, targetId, after],
    queryFn: () => gql(AuditTrail, { first: 50, after, action: action || undefined, targetId: targetId || undefined }),
  });

  return (
    <>
      <form
        className="filters"
        role="search"
        aria-label="Filter the audit trail"
        onSubmit={(e) => {
          e.preventDefault();
          apply(actionText, targetText, false);
        }}
      >
        <label htmlFor="audit-action">Action</label>
        <input id="audit-action" list="audit-actions" value={actionText} onChange={(e) => setActionText(e.target.value)} placeholder="e.g. grant.revoked" autoComplete="off" />
        <datalist id="audit-actions">
          {KNOWN_ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <label htmlFor="audit-target">Target id</label>
        <input id="audit-target" value={targetText} onChange={(e) => setTargetText(e.target.value)} autoComplete="off" spellCheck={false} className="input-id" />
        <button type="submit">Filter</button>
        {action || targetId ? (
          <button
            type="button"
            onClick={() => {
              setActionText('');
              setTargetText('');
              apply('', '', false);
            }}
          >
            Clear filters
          </button>
        ) : null}
      </form>
      <ExportCsv action={action} targetId={targetId} />
      {list.isPending ? (
        <Loading what="the audit trail" />
      ) : list.error ? (
        <Failure error={list.error} />
      ) : list.data.auditEvents.nodes.length === 0 ? (
        <Empty>No audit events{action || targetId ? ' match these filters' : ''}.</Empty>
      ) : (
        <>
          <table className="audit">
            <caption>
              Audit events{action ? ` for action ${action}` : ''}
              {targetId ? ` on target ${targetId}` : ''}, newest first
            </caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Actor</th>
                <th scope="col">Target</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {list.data.auditEvents.nodes.map((e) => (
                <AuditRow key={e.id} event={e} />
              ))}
            </tbody>
          </table>
          <Pager total={list.data.auditEvents.totalCount} shown={list.data.auditEvents.nodes.length} pageInfo={list.data.auditEvents.pageInfo} />
        </>
      )}
    </>
  );
}

function AuditRow({ event: e }: { event: AuditEvent }) {
  const link = targetLink(e.targetType, e.targetId);
  const details = compactJson(e.details);
  return (
    <tr>
      <td>
        <time dateTime={e.at}>{formatDateTime(e.at)}</time>
      </td>
      <td>
        <code>{e.action}</code>
      </td>
      <td>
        <code className="wrap">{e.actor}</code>
      </td>
      <td>
        {e.targetType}
        <div>{link ? <Link to={link}><code className="wrap">{e.targetId}</code></Link> : <code className="wrap">{e.targetId}</code>}</div>
      </td>
      <td>{details ? <code className="json">{details}</code> : <span className="hint">—</span>}</td>
    </tr>
  );
}

function ExportCsv({ action, targetId }: { action: string; targetId: string }) {
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const run = async () => {
    setBusy(true);
    setResult(null);
    setError(null);
    try {
      const { items, truncated } = await collectPages(
        (after) =>
          gql(AuditTrail, { first: EXPORT_PAGE_SIZE, after, action: action || undefined, targetId: targetId || undefined }).then((d) => d.auditEvents),
        EXPORT_PAGES,
      );
      const rows = [
        ['id', 'at', 'action', 'actor', 'targetType', 'targetId', 'details'],
        ...items.map((e) => [e.id, e.at, e.action, e.actor, e.targetType, e.targetId, compactJson(e.details)]),
      ];
      const date = new Date().toISOString().slice(0, 10);
      downloadText(`accord-audit-${date}.csv`, toCsv(rows));
      setResult(
        truncated
          ? `Exported the newest ${items.length.toLocaleString()} events only (the limit is ${(EXPORT_PAGES * EXPORT_PAGE_SIZE).toLocaleString()}); narrow the filters to export the rest.`
          : `Exported ${items.length.toLocaleString()} event${items.length === 1 ? '' : 's'}.`,
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="export">
      <button type="button" onClick={run} disabled={busy} aria-describedby="export-hint">
        Export CSV
      </button>{' '}
      <span id="export-hint" className="hint">
        Every event matching the current filters, up to {(EXPORT_PAGES * EXPORT_PAGE_SIZE).toLocaleString()}.
      </span>
      <div role="status">{busy ? <p className="status">Preparing the export…</p> : result ? <p className="notice">{result}</p> : null}</div>
      {error ? (
        <div className="alert" role="alert">
          The export failed: {errorMessage(error)}
        </div>
      ) : null}
    </div>
  );
}
