// The `Roles` fieldset of the invite and API-token forms: a checkbox per role, each described by
// what the role allows. `children` (e.g. a hint) come between the legend and the boxes; the
// fieldset's aria attributes are the caller's (what marks it invalid differs per form).
import type { ReactNode } from 'react';
import type { Role } from '../gql/graphql';
import { Checkboxes } from './Checkboxes';
import { roleHelp, roleLabel } from './labels';

export function RoleCheckboxes({
  id,
  choices,
  value,
  onChange,
  children,
  ...fieldset
}: {
  id: string;
  choices: readonly Role[];
  value: readonly Role[];
  onChange: (roles: Role[]) => void;
  children?: ReactNode;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
}) {
  return (
    <fieldset {...fieldset}>
      <legend>Roles</legend>
      {children}
      <Checkboxes idPrefix={`${id}-role`} options={choices} value={value} onChange={onChange} label={(r) => roleLabel[r]} hint={(r) => `— ${roleHelp[r]}`} />
    </fieldset>
  );
}
