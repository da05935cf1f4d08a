// Words for the API's enums and SPEC §6's event types, as approvers and admins read them.
import type { AppKind, Role, TenantKind } from '../gql/graphql';

export const APP_KINDS: AppKind[] = ['PATIENT_FACING', 'PROVIDER_FACING', 'BACKEND_SERVICE'];

export const appKindLabel: Record<AppKind, string> = {
  PATIENT_FACING: 'Patient-facing app',
  PROVIDER_FACING: 'Provider-facing app',
  BACKEND_SERVICE: 'Backend service (no user)',
};

export const roleLabel: Record<Role, string> = {
  ADMIN: 'Admin',
  APPROVER: 'Approver',
  DEVELOPER: 'Developer',
  AUDITOR: 'Auditor',
};

export const roleHelp: Record<Role, string> = {
  ADMIN: 'manages members, tokens, policy and webhooks, and may do all the other roles do',
  APPROVER: 'approves, denies, revokes and certifies access to your data',
  DEVELOPER: 'registers apps and requests access',
  AUDITOR: 'reads the audit trail and delivery logs',
};

/** The roles a user of an organization of this kind can hold. */
export function rolesFor(kind: TenantKind): Role[] {
  return kind === 'DEVELOPER' ? ['ADMIN', 'DEVELOPER', 'AUDITOR'] : ['ADMIN', 'APPROVER', 'AUDITOR'];
}

export const rolesText = (roles: readonly Role[]) => (roles.length ? roles.map((r) => roleLabel[r]).join(', ') : 'none');

/** SPEC §6 (fixed names): what a webhook endpoint can subscribe to. */
export const EVENT_TYPES = [
  'app.registered',
  'app.updated',
  'app.suspended',
  'app.offboarded',
  'credential.rotated',
  'credential.expiring',
  'access_request.created',
  'access_request.approved',
  'access_request.denied',
  'access_request.withdrawn',
  'access_request.cancelled',
  'grant.created',
  'grant.expiring',
  'grant.expired',
  'grant.revoked',
  'grant.suspended',
  'grant.resumed',
  'review.due',
  'review.completed',
  'partnership.ended',
] as const;

export const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
