// The confirm step of an action (SPEC §10): a native modal <dialog> whose confirm button
// repeats the action's name, asking for a `Reason` where the API needs one. A shorthand for
// ConfirmDialog, which holds the one implementation.
import { ConfirmDialog } from './ConfirmDialog';

export function ActionDialog({
  action,
  title,
  needsReason,
  danger,
  onConfirm,
  reasonLabel = 'Reason',
}: {
  action: string;
  title: string;
  needsReason: boolean;
  danger?: boolean;
  reasonLabel?: string;
  onConfirm: (reason: string) => Promise<unknown>;
}) {
  return <ConfirmDialog action={action} title={title} danger={danger} field={needsReason ? { label: reasonLabel, required: true } : undefined} onConfirm={onConfirm} />;
}
