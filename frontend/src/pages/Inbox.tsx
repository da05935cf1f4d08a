// SPEC §10 /inbox: pending requests to the viewer's organization, oldest first.
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { graphql } from '../gql';
import type { InboxQuery } from '../gql/graphql';
import { gql } from '../api/client';
import { hasRole, isHolder, useViewer } from '../api/session';
import { Page } from '../components/Page';
import { Empty, Failure, Loading, NotPermitted } from '../components/Status';
import { RiskBadge } from '../components/Risk';
import { age } from '../components/format';
import { collectPages } from '../components/collect';

const Inbox = graphql(`
  query Inbox($after: String) {
    accessRequests(first: 100, after: $after, status: PENDING) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        createdAt
        risk
        proposedScopes
        requiredApprovals
        approvals { current }
        app { id name }
        vendor { id name }
      }
    }
  }
`);

type Pending = InboxQuery['accessRequests']['nodes'][number];

/** Every pending request (the API pages newest first; the inbox reads them all, oldest first). */
async function allPending(): Promise<Pending[]> {
  const { items } = await collectPages((after) => gql(Inbox, { after }).then((d) => d.accessRequests), 20);
  return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

export function InboxPage() {
  const viewer = useViewer();
  const allowed = isHolder(viewer) && hasRole(viewer, 'APPROVER', 'ADMIN');
  const inbox = useQuery({ queryKey: ['inbox'], queryFn: allPending, enabled: allowed });
  return (
    <Page title="Inbox">
      {!allowed ? (
        <NotPermitted need="approvers and admins of a provider or payer" />
      ) : inbox.isPending ? (
        <Loading what="pending requests" />
      ) : inbox.error ? (
        <Failure error={inbox.error} />
      ) : inbox.data.length === 0 ? (
        <Empty>No requests are waiting for a decision.</Empty>
      ) : (
        <table>
          <caption>
            {inbox.data.length} pending request{inbox.data.length === 1 ? '' : 's'}, oldest first
          </caption>
          <thead>
            <tr>
              <th scope="col">App</th>
              <th scope="col">Vendor</th>
              <th scope="col">Risk</th>
              <th scope="col">Scopes</th>
              <th scope="col">Approvals</th>
              <th scope="col">Waiting</th>
            </tr>
          </thead>
          <tbody>
            {inbox.data.map((r) => (
              <tr key={r.id} className={r.risk === 'HIGH' ? 'row-high' : undefined}>
                <td>
                  <Link to={`/requests/${r.id}`}>{r.app.name}</Link>
                </td>
                <td>{r.vendor.name}</td>
                <td>
                  <RiskBadge risk={r.risk} />
                </td>
                <td>{r.proposedScopes.length}</td>
                <td>
                  {r.approvals.filter((a) => a.current).length} of {r.requiredApprovals}
                </td>
                <td>{age(r.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}
