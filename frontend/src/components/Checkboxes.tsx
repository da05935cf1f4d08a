// A group of checkboxes that choose a subset of `options` (roles, app kinds, event types). Each
// box's id is `${idPrefix}-${option}`; with `hint`, the text after its label describes it.
import type { ReactNode } from 'react';

export function Checkboxes<T extends string>({
  idPrefix,
  options,
  value,
  onChange,
  label,
  hint,
}: {
  idPrefix: string;
  options: readonly T[];
  value: readonly T[];
  onChange: (next: T[]) => void;
  label: (option: T) => ReactNode;
  hint?: (option: T) => ReactNode;
}) {
  return (
    <>
      {options.map((o) => {
        const id = `${idPrefix}-${o}`;
        const hintId = hint ? `${id}-hint` : undefined;
        return (
          <div className="check" key={o}>
            <input
              id={id}
              type="checkbox"
              checked={value.includes(o)}
              onChange={(e) => onChange(e.target.checked ? [...value, o] : value.filter((x) => x !== o))}
              aria-describedby={hintId}
            />
            <label htmlFor={id}>{label(o)}</label>
            {hint ? (
              <>
                {' '}
                <span id={hintId} className="hint">
                  {hint(o)}
                </span>
              </>
            ) : null}
          </div>
        );
      })}
    </>
  );
}
