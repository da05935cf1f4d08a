// Every request the viewer's organization is party to, filterable by status (in the URL).
import { useQuery } from '@tanstack/react-query';
import { graphql } from '../gql';
import type { AccessRequestStatus } from '../gql/graphql';
import { gql } from '../api/client';
import { isHolder, useViewer } from '../api/session';
import { Page } from '../components/Page';
import { Empty, Failure, Loading } from '../components/Status';
import { Pager, useFilter, usePageCursor } from '../components/Pager';
import { StatusFilter } from '../components/StatusFilter';
import { RequestTable } from '../components/RequestTable';
import { titleCase } from '../components/format';

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
      <StatusFilter id="status-filter" label="Status" options={STATUSES} unfiltered="Any" value={chosen ?? ''} onChange={setStatus} />
      {list.isPending ? (
        <Loading what="requests" />
      ) : list.error ? (
        <Failure error={list.error} />
      ) : list.data.accessRequests.nodes.length === 0 ? (
        <Empty>No requests{chosen ? ` with status ${titleCase(chosen)}` : ''}.</Empty>
      ) : (
        <>
          <RequestTable
            caption="Access requests, newest first"
            requests={list.data.accessRequests.nodes}
            link={{ header: 'App', text: (r) => r.app.name }}
            party={{ header: holder ? 'Vendor' : 'Data holder', text: (r) => (holder ? r.vendor.name : r.dataHolder.name) }}
          />
          <Pager total={list.data.accessRequests.totalCount} shown={list.data.accessRequests.nodes.length} pageInfo={list.data.accessRequests.pageInfo} />
        </>
      )}
    </Page>
  );
}
