// Every request the viewer's organization is party to, filterable by status (in the URL).
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { graphql } from '../gql';
import type { AccessRequestStatus } from '../gql/graphql';
import { gql } from '../api/client';
import { isHolder, useViewer } from '../api/session';
import { Page } from '../components/Page';
import { Empty, Failure, Loading } from '../components/Status';
import { RiskBadge } from '../components/Risk';
import { Pager, useFilter, usePageCursor } from '../components/Pager';
import { formatDateTime, titleCase } from '../components/format';

const Requests = graphql(`
  query Requests($after: String, $status: AccessRequestStatus) {
    accessRequests(first: 50, after: $after, status: $status) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        status
        risk
        createdAt
        proposedScopes
        app { id name }
        vendor { id name }
        dataHolder { id name }
      }
    }
  }
`);

const STATUSES: AccessRequestStatus[] = ['PENDING', 'APPROVED', 'DENIED', 'WITHDRAWN', 'CANCELLED'];

export function RequestsPage() {
  const viewer = useViewer();
  const [status, setStatus] = useFilter('status');
  const [after] = usePageCursor();
  const chosen = STATUSES.find((s) => s === status);
  const list = useQuery({ queryKey: ['requests', chosen, after], queryFn: () => gql(Requests, { after, status: chosen }) });
  const holder = isHolder(viewer);
  return (
    <Page title="Access requests">
      <div className="filters">
        <label htmlFor="status-filter">Status</label>
        <select id="status-filter" value={chosen ?? ''} onChange={(e) => setStatus(e.target.value)}>
          <option value="">Any</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {titleCase(s)}
            </option>
          ))}
        </select>
      </div>
      {list.isPending ? (
        <Loading what="requests" />
      ) : list.error ? (
        <Failure error={list.error} />
      ) : list.data.accessRequests.nodes.length === 0 ? (
        <Empty>No requests{chosen ? ` with status ${titleCase(chosen)}` : ''}.</Empty>
      ) : (
        <>
          <table>
            <caption>Access requests, newest first</caption>
            <thead>
              <tr>
                <th scope="col">App</th>
                <th scope="col">{holder ? 'Vendor' : 'Data holder'}</th>
                <th scope="col">Status</th>
                <th scope="col">Risk</th>
                <th scope="col">Scopes</th>
                <th scope="col">Asked</th>
              </tr>
            </thead>
            <tbody>
              {list.data.accessRequests.nodes.map((r) => (
                <tr key={r.id}>
                  <td>
                    <Link to={`/requests/${r.id}`}>{r.app.name}</Link>
                  </td>
                  <td>{holder ? r.vendor.name : r.dataHolder.name}</td>
                  <td>{titleCase(r.status)}</td>
                  <td>
                    <RiskBadge risk={r.risk} />
                  </td>
                  <td>{r.proposedScopes.length}</td>
                  <td>{formatDateTime(r.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager total={list.data.accessRequests.totalCount} shown={list.data.accessRequests.nodes.length} pageInfo={list.data.accessRequests.pageInfo} />
        </>
      )}
    </Page>
  );
}
