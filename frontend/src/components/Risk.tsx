// A scope's risk in words, colour and shape: HIGH stands out for sighted users, and every
// level is read out as text for screen readers (colour is never the only signal).
import type { Risk } from '../gql/graphql';

export function RiskBadge({ risk }: { risk: Risk | null | undefined }) {
  if (!risk) return <span className="risk risk-unknown">unknown risk</span>;
  const label = risk === 'HIGH' ? 'High risk' : risk === 'MEDIUM' ? 'Medium risk' : 'Low risk';
  return (
    <span className={`risk risk-${risk.toLowerCase()}`}>
      {risk === 'HIGH' ? <span aria-hidden="true">▲ </span> : null}
      {label}
    </span>
  );
}
