// A table of access requests (/requests, and an app's requests on /apps/{id}): a column whose
// text links to the request, optionally the other party, then Status, Risk, Scopes and Asked.
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
import type { Risk } from '../gql/graphql';
import { RiskBadge } from './Risk';
import { formatDateTime, titleCase } from './format';

interface RequestRow {
  id: string;
  status: string;
  risk: Risk | null;
  proposedScopes: readonly string[];
  createdAt: string;
}

interface Column<R> {
  header: string;
  text: (request: R) => ReactNode;
}

export function RequestTable<R extends RequestRow>({ caption, requests, link, party }: { caption: ReactNode; requests: readonly R[]; link: Column<R>; party?: Column<R> }) {
  return (
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">{link.header}</th>
          {party ? <th scope="col">{party.header}</th> : null}
          <th scope="col">Status</th>
          <th scope="col">Risk</th>
          <th scope="col">Scopes</th>
          <th scope="col">Asked</th>
        </tr>
      </thead>
      <tbody>
        {requests.map((r) => (
          <tr key={r.id}>
            <td>
              <Link to={`/requests/${r.id}`}>{link.text(r)}</Link>
            </td>
            {party ? <td>{party.text(r)}</td> : null}
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
  );
}
