// The status <select> above a list whose filter lives in the URL (see `useFilter` in Pager.tsx):
// the caller gives the value it read and the setter. Options read as their status in title case.
import type { ReactNode } from 'react';
import { titleCase } from './format';

export function StatusFilter({
  id,
  label,
  options,
  unfiltered,
  anyLast = false,
  value,
  onChange,
  children,
}: {
  id: string;
  label: string;
  options: readonly string[];
  /** The text of the first option, value '': what the list shows with no filter in the URL. */
  unfiltered?: string;
  /** An `Any` option (value ANY) at the end, for lists whose unfiltered view is narrower than all. */
  anyLast?: boolean;
  value: string;
  onChange: (value: string) => void;
  /** Shown after the select, in the same row. */
  children?: ReactNode;
}) {
  return (
    <div className="filters">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {unfiltered !== undefined ? <option value="">{unfiltered}</option> : null}
        {options.map((s) => (
          <option key={s} value={s}>
            {titleCase(s)}
          </option>
        ))}
        {anyLast ? <option value="ANY">Any</option> : null}
      </select>
      {children}
    </div>
  );
}
