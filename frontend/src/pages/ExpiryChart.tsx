// The expiry chart (Recharts, loaded only on /grants). The figure is named for screen readers
// and the same numbers are in a table below it, so nobody depends on seeing the bars.
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { Week } from './expiries';

export default function ExpiryChart({ weeks, truncated }: { weeks: Week[]; truncated: boolean }) {
  const total = weeks.reduce((n, w) => n + w.count, 0);
  const name = `Grants expiring per week for the next 26 weeks: ${total} in all`;
  return (
    <figure className="chart-figure" aria-label={name}>
      <div className="chart-box" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={weeks} margin={{ top: 8, right: 8, bottom: 8, left: 0 }} accessibilityLayer={false}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" interval={3} tick={{ fontSize: 12 }} />
            <YAxis allowDecimals={false} width={32} tick={{ fontSize: 12 }} />
            <Tooltip formatter={(v) => [String(v), 'expiring']} labelFormatter={(l) => `Week of ${String(l)}`} />
            <Bar dataKey="count" name="expiring" fill="#1d4ed8" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <figcaption>
        {total === 0 ? 'No active grant expires in the next 26 weeks.' : `${total} active grant${total === 1 ? '' : 's'} expire in the next 26 weeks.`}
        {truncated ? ' Only the first 5,000 active grants are counted.' : ''}
      </figcaption>
      <details>
        <summary>The numbers by week</summary>
        <table>
          <caption className="visually-hidden">Grants expiring per week</caption>
          <thead>
            <tr>
              <th scope="col">Week of</th>
              <th scope="col">Expiring</th>
            </tr>
          </thead>
          <tbody>
            {weeks
              .filter((w) => w.count > 0)
              .map((w) => (
                <tr key={w.start}>
                  <td>{w.start}</td>
                  <td>{w.count}</td>
                </tr>
              ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
