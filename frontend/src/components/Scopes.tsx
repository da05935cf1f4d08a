// A list of scopes with the engine's plain description and risk for each (SPEC §4).
import { graphql } from '../gql';
import type { ScopeFieldsFragment } from '../gql/graphql';
import { RiskBadge } from './Risk';

// What every page asks of the scope engine about a scope (spread `...ScopeFields`).
export const ScopeFields = graphql(`
  fragment ScopeFields on ScopeAnalysis { input valid error normalized context resourceType permissions risk description }
`);

export type Analysis = ScopeFieldsFragment;

export function ScopeList({ analyses, label }: { analyses: Analysis[]; label: string }) {
  if (analyses.length === 0) return <p className="empty">No scopes.</p>;
  return (
    <ul className="scopes" aria-label={label}>
      {analyses.map((a) => (
        <li key={a.input} className={a.risk === 'HIGH' ? 'scope scope-high' : 'scope'}>
          <code>{a.input}</code>
          {a.normalized && a.normalized !== a.input ? (
            <>
              {' '}
              <span className="hint">(normalized: <code>{a.normalized}</code>)</span>
            </>
          ) : null}{' '}
          <RiskBadge risk={a.risk} />
          <div className="scope-desc">{a.valid ? a.description : <span className="invalid">Invalid: {a.error}</span>}</div>
        </li>
      ))}
    </ul>
  );
}
