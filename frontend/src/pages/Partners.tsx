// /partners (partnership.ended mails link here): the organizations yours works with. The API
// has no partnerships query, so they are read from the grants and requests your organization is
// party to (the most recent ones, bounded). An ADMIN can end a partnership: every grant
// between the two is revoked and every pending request cancelled.
import { useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router-dom';
import { graphql } from '../gql';
import type { EndPartnershipMutation, PartnerGrantsQuery, PartnerRequestsQuery, TenantKind } from '../gql/graphql';
import { gql } from '../api/client';
import { hasRole, isHolder, useViewer, type Viewer } from '../api/session';
import { Page } from '../components/Page';
import { Empty, Failure, Loading } from '../components/Status';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { collectPages } from '../components/collect';
import { formatDate, formatDateTime, titleCase } from '../components/format';
import { plural } from '../components/labels';

const PartnerGrants = graphql(`
  query PartnerGrants($after: String) {
    grants(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { id status grantedAt vendor { id name kind } dataHolder { id name kind } }
    }
  }
`);

const PartnerRequests = graphql(`
  query PartnerRequests($after: String) {
    accessRequests(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor }
      nodes { id status createdAt vendor { id name kind } dataHolder { id name kind } }
    }
  }
`);

const EndPartnership = graphql(`
  mutation EndPartnership($partnerId: ID!, $reason: String!) {
    endPartnership(partnerId: $partnerId, reason: $reason) {
      id status since endedAt endedReason
      partner { id name }
    }
  }
`);

type GrantRow = PartnerGrantsQuery['grants']['nodes'][number];
type RequestRow = PartnerRequestsQuery['accessRequests']['nodes'][number];
type Ended = EndPartnershipMutation['endPartnership'];

interface Partner {
  id: string;
  name: string;
  kind: TenantKind;
  inForce: number;
  grants: number;
  pending: number;
  requests: number;
  /** The earliest grant or request seen between you. */
  since: string;
}

const MAX_PAGES = 20;

async function partners(viewer: Viewer): Promise<{ partners: Partner[]; truncated: boolean }> {
  const holder = isHolder(viewer);
  const [grants, requests] = await Promise.all([
    collectPages((after) => gql(PartnerGrants, { after }).then((d) => d.grants), MAX_PAGES),
    collectPages((after) => gql(PartnerRequests, { after }).then((d) => d.accessRequests), MAX_PAGES),
  ]);
  const byId = new Map<string, Partner>();
  const partnerOf = (row: GrantRow | RequestRow, at: string) => {
    const other = holder ? row.vendor : row.dataHolder;
    let p = byId.get(other.id);
    if (!p) {
      p = { id: other.id, name: other.name, kind: other.kind, inForce: 0, grants: 0, pending: 0, requests: 0, since: at };
      byId.set(other.id, p);
    }
    if (at < p.since) p.since = at;
    return p;
  };
  for (const g of grants.items) {
    const p = partnerOf(g, g.grantedAt);
    p.grants++;
    if (g.status === 'ACTIVE' || g.status === 'SUSPENDED') p.inForce++;
  }
  for (const r of requests.items) {
    const p = partnerOf(r, r.createdAt);
    p.requests++;
    if (r.status === 'PENDING') p.pending++;
  }
  const list = [...byId.values()].sort((a, b) => b.inForce - a.inForce || b.pending - a.pending || a.name.localeCompare(b.name));
  return { partners: list, truncated: grants.truncated || requests.truncated };
}

export function PartnersPage() {
  const viewer = useViewer();
  const holder = isHolder(viewer);
  const [params] = useSearchParams();
  const highlighted = params.get('partnerId') ?? params.get('partner');
  const list = useQuery({ queryKey: ['partners', viewer.tenant.id], queryFn: () => partners(viewer) });
  const [ended, setEnded] = useState<Map<string, Ended>>(() => new Map());
  const [notice, setNotice] = useState<string | null>(null);
  const canEnd = hasRole(viewer, 'ADMIN');

  return (
    <Page title="Partners">
      <p className="lead">
        {holder
          ? 'The app vendors that have asked your organization for access, with what they hold now.'
          : 'The providers and payers your apps have asked for access, with what your apps hold now.'}{' '}
        Ending a partnership revokes every grant between you and cancels every pending request.
      </p>
      <div role="status">{notice ? <p className="notice">{notice}</p> : null}</div>
      {list.isPending ? (
        <Loading what="partners" />
      ) : list.error ? (
        <Failure error={list.error} />
      ) : list.data.partners.length === 0 ? (
        <Empty>{holder ? 'No vendor has asked your organization for access yet.' : 'Your apps have not asked any provider or payer for access yet.'}</Empty>
      ) : (
        <>
          <table>
            <caption>
              {holder ? 'Vendors' : 'Providers and payers'} your organization works with
              {list.data.truncated ? ' (from your most recent grants and requests)' : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Organization</th>
                <th scope="col">Grants in force</th>
                <th scope="col">All grants</th>
                <th scope="col">Pending requests</th>
                <th scope="col">First contact</th>
                {canEnd ? <th scope="col">Partnership</th> : null}
              </tr>
            </thead>
            <tbody>
              {list.data.partners.map((p) => (
                <PartnerRow
                  key={p.id}
                  partner={p}
                  ended={ended.get(p.id)}
                  highlighted={p.id === highlighted}
                  canEnd={canEnd}
                  onEnded={(e) => {
                    setEnded((prev) => new Map(prev).set(p.id, e));
                    setNotice(`The partnership with ${p.name} has ended: every grant between you is revoked and every pending request cancelled.`);
                  }}
                />
              ))}
            </tbody>
          </table>
          {list.data.truncated ? <p className="hint">Counted from the {MAX_PAGES * 100} most recent grants and requests.</p> : null}
        </>
      )}
    </Page>
  );
}

function PartnerRow({
  partner: p,
  ended,
  highlighted,
  canEnd,
  onEnded,
}: {
  partner: Partner;
  ended: Ended | undefined;
  highlighted: boolean;
  canEnd: boolean;
  onEnded: (e: Ended) => void;
}) {
  const queryClient = useQueryClient();
  const end = async (reason: string) => {
    const { endPartnership } = await gql(EndPartnership, { partnerId: p.id, reason });
    onEnded(endPartnership);
    await queryClient.invalidateQueries();
  };
  const grantsLink = `/grants?partnerId=${encodeURIComponent(p.id)}`;
  return (
    <tr className={highlighted ? 'row-highlight' : undefined} aria-current={highlighted ? 'true' : undefined}>
      <th scope="row">
        {p.name}
        <div className="hint">{p.kind === 'DEVELOPER' ? 'App vendor' : titleCase(p.kind)}</div>
      </th>
      <td>
        <Link to={`${grantsLink}&status=ACTIVE`} aria-label={`${plural(p.inForce, 'grant')} in force with ${p.name}`}>
          {p.inForce}
        </Link>
      </td>
      <td>
        <Link to={grantsLink} aria-label={`${plural(p.grants, 'grant')} in all with ${p.name}`}>
          {p.grants}
        </Link>
      </td>
      <td>{p.pending}</td>
      <td>{formatDate(p.since)}</td>
      {canEnd ? (
        <td>
          {ended ? (
            <>
              <strong>{titleCase(ended.status)}</strong>
              {ended.endedAt ? <div className="hint">{formatDateTime(ended.endedAt)}</div> : null}
            </>
          ) : (
            <ConfirmDialog
              action="End partnership"
              title={`End the partnership with ${p.name}?`}
              details={
                <>
                  <p>
                    Every grant between your organization and {p.name} is revoked now ({plural(p.inForce, 'grant')} in force), and every pending
                    request between you is cancelled ({plural(p.pending, 'request')} pending). This cannot be undone.
                  </p>
                  <p>Admins on both sides are emailed, with your reason. New access needs new requests and new approvals.</p>
                </>
              }
              field={{ label: 'Reason', required: true }}
              danger
              onConfirm={end}
            />
          )}
        </td>
      ) : null}
    </tr>
  );
}
