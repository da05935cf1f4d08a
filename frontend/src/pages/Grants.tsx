// SPEC §10 /grants: a filterable table (status, app, partner in the URL) and a chart of
// grants expiring per week over the next 26 weeks.
import { lazy, Suspense } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router-dom';
import { graphql } from '../gql';
import type { GrantStatus } from '../gql/graphql';
import { gql } from '../api/client';
import { isHolder, useViewer } from '../api/session';
import { Page } from '../components/Page';
import { Empty, Failure, Loading } from '../components/Status';
import { Pager, useFilter, usePageCursor } from '../components/Pager';
import { StatusFilter } from '../components/StatusFilter';
import { daysUntil, formatDate, titleCase } from '../components/format';
import { weeklyExpiries, type Week } from './expiries';
import { collectPages } from '../components/collect';

const ExpiryChart = lazy(() => import('./ExpiryChart'));

const Grants = graphql(`
  query Grants($after: String, $status: GrantStatus, $appId: ID, $partnerId: ID) {
    grants(first: 50, after: $after, status: $status, appId: $appId, partnerId: $partnerId) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes {
        id
        status
        scopes
        expiresAt
        nextReviewDue
        app { id name }
        vendor { id name }
        dataHolder { id name }
      }
    }
  }
`);

const Expiring = graphql(`
  query Expiring($after: String) {
    grants(first: 100, after: $after, status: ACTIVE) {
      pageInfo { hasNextPage endCursor }
      nodes { id expiresAt }
    }
  }
`);


/** Active grants' expiries by week from now (at most 5,000 grants are read). */
async function expiringByWeek(): Promise<{ weeks: Week[]; truncated: boolean }> {
  const { items, truncated } = await collectPages((after) => gql(Expiring, { after }).then((d) => d.grants), 50);
  return { weeks: weeklyExpiries(items.map((g) => g.expiresAt), Date.now()), truncated };
}

const STATUSES: GrantStatus[] = ['ACTIVE', 'SUSPENDED', 'EXPIRED', 'REVOKED'];

export function GrantsPage() {
  const viewer = useViewer();
  const holder = isHolder(viewer);
  const [status, setStatus] = useFilter('status');
  const [appId] = useFilter('appId');
  const [partnerId, setPartnerId] = useFilter('partnerId');
  const [after] = usePageCursor();
  const chosen = STATUSES.find((s) => s === status);
  const list = useQuery({
    queryKey: ['grants', chosen, appId, partnerId, after],
    queryFn: () => gql(Grants, { after, status: chosen, appId: appId || undefined, partnerId: partnerId || undefined }),
  });
  const expiring = useQuery({ queryKey: ['grants', 'expiring'], queryFn: expiringByWeek, staleTime: 30_000 });
  const nodes = list.data?.grants.nodes ?? [];

  return (
    <Page title="Grants">
      <section aria-labelledby="expiry-h" className="chart">
        <h2 id="expiry-h">Expiring per week, next 26 weeks</h2>
        {expiring.isPending ? (
          <Loading what="expiry dates" />
        ) : expiring.error ? (
          <Failure error={expiring.error} />
        ) : (
          <Suspense fallback={<Loading what="the chart" />}>
            <ExpiryChart weeks={expiring.data.weeks} truncated={expiring.data.truncated} />
          </Suspense>
        )}
      </section>

      <StatusFilter id="grant-status" label="Status" options={STATUSES} unfiltered="Any" value={chosen ?? ''} onChange={setStatus}>
        {partnerId ? (
          <button type="button" onClick={() => setPartnerId('')}>
            Show every partner
          </button>
        ) : null}
      </StatusFilter>
      {list.isPending ? (
        <Loading what="grants" />
      ) : list.error ? (
        <Failure error={list.error} />
      ) : nodes.length === 0 ? (
        <Empty>No grants{chosen ? ` with status ${titleCase(chosen)}` : ''}.</Empty>
      ) : (
        <>
          <table>
            <caption>Grants, newest first</caption>
            <thead>
              <tr>
                <th scope="col">App</th>
                <th scope="col">{holder ? 'Vendor' : 'Data holder'}</th>
                <th scope="col">Status</th>
                <th scope="col">Scopes</th>
                <th scope="col">Expires</th>
                <th scope="col">Next review</th>
              </tr>
            </thead>
            <tbody>
              {nodes.map((g) => {
                const left = daysUntil(g.expiresAt);
                return (
                  <tr key={g.id}>
                    <td>
                      <Link to={`/grants/${g.id}`}>{g.app.name}</Link>
                    </td>
                    <td>
                      <Link to={`/grants?partnerId=${holder ? g.vendor.id : g.dataHolder.id}`}>{holder ? g.vendor.name : g.dataHolder.name}</Link>
                    </td>
                    <td>{titleCase(g.status)}</td>
                    <td>{g.scopes.length}</td>
                    <td>
                      {formatDate(g.expiresAt)}
                      {g.status === 'ACTIVE' && left <= 30 ? <span className="soon"> (in {left} days)</span> : null}
                    </td>
                    <td>{formatDate(g.nextReviewDue)}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <Pager total={list.data.grants.totalCount} shown={nodes.length} pageInfo={list.data.grants.pageInfo} />
        </>
      )}
    </Page>
  );
}
