/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** AccessRequest states. */
export type AccessRequestStatus =
  /** Approved; see `grant`. */
  | 'APPROVED'
  /** Ended by offboarding or partnership end. */
  | 'CANCELLED'
  /** Denied. */
  | 'DENIED'
  /** Waiting for decisions. */
  | 'PENDING'
  /** Withdrawn by the vendor. */
  | 'WITHDRAWN';

/** What an app is for (SPEC §1, fixed names). */
export type AppKind =
  /** A server without a user (SMART Backend Services, `private_key_jwt`). */
  | 'BACKEND_SERVICE'
  /** Used by patients (standalone or EHR launch, usually a public PKCE client). */
  | 'PATIENT_FACING'
  /** Used by clinicians inside or beside the EHR. */
  | 'PROVIDER_FACING';

/** Where an app stands (SPEC §1: `ACTIVE` ⇄ `SUSPENDED` → `OFFBOARDED`, final). */
export type AppStatus =
  /** May authenticate and use its grants. */
  | 'ACTIVE'
  /** Retired for good: grants revoked, requests cancelled, credentials disabled. */
  | 'OFFBOARDED'
  /** Temporarily stopped by its vendor; its credentials do not work until resumed. */
  | 'SUSPENDED';

/** `updateApprovalPolicy` input: the ApprovalPolicy fields, all optional. */
export type ApprovalPolicyInput = {
  /** App kinds accepted. */
  allowedAppKinds?: Array<AppKind> | null | undefined;
  /** Grant LOW-risk requests without a human. */
  autoApproveLowRisk?: boolean | null | undefined;
  /** Scope patterns no request may overlap. */
  forbiddenScopes?: Array<string> | null | undefined;
  /** Longest HIGH-risk grant, in days. */
  highRiskMaxGrantDays?: number | null | undefined;
  /** Approvals for HIGH risk. */
  highRiskRequiredApprovals?: number | null | undefined;
  /** Longest grant, in days. */
  maxGrantDays?: number | null | undefined;
  /** What an overdue review does. */
  onMissedReview?: MissedReviewAction | null | undefined;
  /** Approvals for LOW/MEDIUM risk (1–10). */
  requiredApprovals?: number | null | undefined;
  /** Re-certification cadence, in days. */
  reviewIntervalDays?: number | null | undefined;
};

/** `approveAccessRequest` input (SPEC §5): narrowing only. */
export type ApproveInput = {
  /** A note for the record. */
  comment?: string | null | undefined;
  /** A shorter duration than the current proposal. */
  durationDays?: number | null | undefined;
  /** Narrower scopes than the current proposal. */
  scopes?: Array<string> | null | undefined;
};

/** Where a webhook delivery stands (SPEC §6, fixed). */
export type DeliveryStatus =
  /** DELIVERED */
  | 'DELIVERED'
  /** FAILED */
  | 'FAILED'
  /** PENDING */
  | 'PENDING';

/** Grant states. */
export type GrantStatus =
  /** In force. */
  | 'ACTIVE'
  /** Past its expiry. */
  | 'EXPIRED'
  /** Ended. */
  | 'REVOKED'
  /** Paused. */
  | 'SUSPENDED';

/** Where a mail stands. */
export type MailStatus =
  /** FAILED */
  | 'FAILED'
  /** PENDING */
  | 'PENDING'
  /** SENT */
  | 'SENT';

/** What happens when a review is overdue. */
export type MissedReviewAction =
  /** The holder's admins are told; the review stays open. */
  | 'ESCALATE'
  /** The grant is revoked. */
  | 'REVOKE';

/** Partnership states. */
export type PartnershipStatus =
  /** In force. */
  | 'ACTIVE'
  /** Ended by either side. */
  | 'ENDED';

/** Registration of an app (SPEC §5). */
export type RegisterAppInput = {
  /** Who answers for it. */
  businessOwnerEmail: string;
  /** What it does (up to 2000 characters). */
  description?: string | null | undefined;
  /**
   * The public keys as a JWK Set `{"keys": [...]}` (RSA or EC, each with `kid`; never a
   * private key). Either this or `jwksUri`; one is required for backend services.
   */
  jwks?: string | null | undefined;
  /** Where the public keys are published (https). Either this or `jwks`. */
  jwksUri?: string | null | undefined;
  /** Patient-facing, provider-facing or a backend service. */
  kind: AppKind;
  /** SMART launch URL (same rules as redirect URIs). */
  launchUrl?: string | null | undefined;
  /** Display name (1–200 characters). */
  name: string;
  /** A public client (PKCE only, no secret, no keys). Default false. */
  public?: boolean | null | undefined;
  /** Why it needs data (1–2000 characters). */
  purpose: string;
  /**
   * OAuth redirect URIs: absolute https (http only for localhost), no fragment, at most 20.
   * At least one for patient- and provider-facing apps; none for backend services.
   */
  redirectUris?: Array<string> | null | undefined;
  /** Who runs it. */
  technicalOwnerEmail: string;
};

/** `requestAccess` input (SPEC §5). */
export type RequestAccessInput = {
  /** Your app. */
  appId: string;
  /** The provider or payer. */
  dataHolderId: string;
  /** How long. */
  durationDays: number;
  /** Why the app needs them. */
  purpose: string;
  /** The grant in force this renews, widens or narrows. */
  replacesGrantId?: string | null | undefined;
  /** The scopes, as you write them. */
  scopes: Array<string>;
};

/** Where a review stands (SPEC §7, fixed). */
export type ReviewStatus =
  /** Certified: the grant continues. */
  | 'CERTIFIED'
  /** Missed under `ESCALATE`: still open, the holder's admins told. */
  | 'ESCALATED'
  /** Open, waiting for an approver. */
  | 'PENDING'
  /** The grant was revoked from it (or it was missed under `REVOKE`). */
  | 'REVOKED';

/** How much a scope would expose. */
export type Risk =
  /** Writes, deletes, backend system access, wildcard writes. */
  | 'HIGH'
  /** Reads of one patient's data, identity scopes. */
  | 'LOW'
  /** Reads beyond one patient, offline access. */
  | 'MEDIUM';

/** What a user may do in their tenant (SPEC §1, fixed names). */
export type Role =
  /** Manages users, tokens, policy and endpoints; may do all the others may. */
  | 'ADMIN'
  /** Approves, denies, revokes and certifies at a data holder. */
  | 'APPROVER'
  /** Reads the audit trail. */
  | 'AUDITOR'
  /** Registers apps and requests access at a vendor. */
  | 'DEVELOPER';

/** The kind of organization (SPEC §1, fixed names). */
export type TenantKind =
  /** An app vendor. */
  | 'DEVELOPER'
  /** A payer: a data holder. */
  | 'PAYER'
  /** A healthcare provider: a data holder. */
  | 'PROVIDER';

/**
 * Changes to an app: only the fields given change; `null` clears `description`, `launchUrl`,
 * `jwksUri` and `jwks`. The kind and the authentication method (public, secret or keys) stay.
 */
export type UpdateAppInput = {
  /** Who answers for it. */
  businessOwnerEmail?: string | null | undefined;
  /** What it does (`null` clears it). */
  description?: string | null | undefined;
  /** The public keys as a JWK Set (`null` clears it). */
  jwks?: string | null | undefined;
  /** Where the public keys are published (`null` clears it). */
  jwksUri?: string | null | undefined;
  /** SMART launch URL (`null` clears it). */
  launchUrl?: string | null | undefined;
  /** Display name. */
  name?: string | null | undefined;
  /** A public client. */
  public?: boolean | null | undefined;
  /** Why it needs data. */
  purpose?: string | null | undefined;
  /** OAuth redirect URIs (replaces the whole list). */
  redirectUris?: Array<string> | null | undefined;
  /** Who runs it. */
  technicalOwnerEmail?: string | null | undefined;
};

/** An endpoint as an admin describes it (SPEC §6). */
export type WebhookEndpointInput = {
  /** What it is for (up to 500 characters). */
  description?: string | null | undefined;
  /** Whether it receives events (default true on create; unchanged on update when absent). */
  enabled?: boolean | null | undefined;
  /** SPEC §6 event types, e.g. `grant.revoked`. */
  eventTypes: Array<string>;
  /** Absolute https URL on a public address. */
  url: string;
};

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { user: { id: string, name: string, email: string, roles: Array<Role> }, tenant: { id: string, name: string, slug: string, kind: TenantKind } } };

export type ScopeFieldsFragment = { input: string, valid: boolean, error: string | null, normalized: string | null, context: string | null, resourceType: string | null, permissions: string | null, risk: Risk | null, description: string | null };

export type AppDetailQueryVariables = Exact<{
  id: string;
}>;


export type AppDetailQuery = { app: { id: string, clientId: string, name: string, description: string | null, kind: AppKind, public: boolean, status: AppStatus, purpose: string, businessOwnerEmail: string, technicalOwnerEmail: string, redirectUris: Array<string>, launchUrl: string | null, jwksUri: string | null, createdAt: string, vendor: { id: string, name: string } } | null };

export type AppGrantsQueryVariables = Exact<{
  appId: string;
}>;


export type AppGrantsQuery = { grants: { totalCount: number, nodes: Array<{ id: string, status: GrantStatus, scopes: Array<string>, grantedAt: string, expiresAt: string, dataHolder: { id: string, name: string } }> } };

export type AppRequestsQueryVariables = Exact<{
  appId: string;
  after?: string | null | undefined;
}>;


export type AppRequestsQuery = { accessRequests: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, status: AccessRequestStatus, risk: Risk, createdAt: string, proposedScopes: Array<string>, app: { id: string }, dataHolder: { id: string, name: string } }> } };

export type DataHolderChoicesQueryVariables = Exact<{
  search?: string | null | undefined;
}>;


export type DataHolderChoicesQuery = { dataHolders: { totalCount: number, nodes: Array<{ id: string, name: string, kind: TenantKind }> } };

export type AnalyzeDraftScopesQueryVariables = Exact<{
  scopes: Array<string> | string;
}>;


export type AnalyzeDraftScopesQuery = { analyzeScopes: Array<{ input: string, valid: boolean, error: string | null, normalized: string | null, context: string | null, resourceType: string | null, permissions: string | null, risk: Risk | null, description: string | null }> };

export type UpdateAppDetailsMutationVariables = Exact<{
  id: string;
  input: UpdateAppInput;
}>;


export type UpdateAppDetailsMutation = { updateApp: { id: string, name: string } };

export type RotateAppSecretMutationVariables = Exact<{
  appId: string;
}>;


export type RotateAppSecretMutation = { rotateClientSecret: { clientSecret: string | null, app: { id: string } } };

export type OffboardAppMutationVariables = Exact<{
  id: string;
  reason: string;
}>;


export type OffboardAppMutation = { offboardApp: { id: string, status: AppStatus } };

export type SuspendAppMutationVariables = Exact<{
  id: string;
  reason: string;
}>;


export type SuspendAppMutation = { suspendApp: { id: string, status: AppStatus } };

export type ResumeAppMutationVariables = Exact<{
  id: string;
}>;


export type ResumeAppMutation = { resumeApp: { id: string, status: AppStatus } };

export type RequestAppAccessMutationVariables = Exact<{
  input: RequestAccessInput;
}>;


export type RequestAppAccessMutation = { requestAccess: { id: string } };

export type AppsListQueryVariables = Exact<{
  after?: string | null | undefined;
  status?: AppStatus | null | undefined;
}>;


export type AppsListQuery = { apps: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, kind: AppKind, status: AppStatus, clientId: string, public: boolean, createdAt: string, vendor: { id: string, name: string } }> } };

export type RegisterNewAppMutationVariables = Exact<{
  input: RegisterAppInput;
}>;


export type RegisterNewAppMutation = { registerApp: { clientSecret: string | null, app: { id: string, name: string, clientId: string, public: boolean, jwksUri: string | null } } };

export type AuditTrailQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  action?: string | null | undefined;
  targetId?: string | null | undefined;
}>;


export type AuditTrailQuery = { auditEvents: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, at: string, action: string, actor: string, targetType: string, targetId: string, details: unknown }> } };

export type GrantQueryVariables = Exact<{
  id: string;
}>;


export type GrantQuery = { grant: { id: string, status: GrantStatus, scopes: Array<string>, grantedAt: string, expiresAt: string, revokedReason: string | null, suspendedReason: string | null, nextReviewDue: string | null, lastReviewedAt: string | null, requestId: string, app: { id: string, name: string, clientId: string, kind: AppKind, status: AppStatus }, vendor: { id: string, name: string }, dataHolder: { id: string, name: string }, scopeAnalysis: Array<{ input: string, valid: boolean, error: string | null, normalized: string | null, context: string | null, resourceType: string | null, permissions: string | null, risk: Risk | null, description: string | null }> } | null };

export type GrantHistoryQueryVariables = Exact<{
  id: string;
}>;


export type GrantHistoryQuery = { auditEvents: { totalCount: number, nodes: Array<{ id: string, at: string, action: string, actor: string, details: unknown }> } };

export type SuspendGrantMutationVariables = Exact<{
  id: string;
  reason: string;
}>;


export type SuspendGrantMutation = { suspendGrant: { id: string, status: GrantStatus } };

export type ResumeGrantMutationVariables = Exact<{
  id: string;
}>;


export type ResumeGrantMutation = { resumeGrant: { id: string, status: GrantStatus } };

export type RevokeGrantMutationVariables = Exact<{
  id: string;
  reason: string;
}>;


export type RevokeGrantMutation = { revokeGrant: { id: string, status: GrantStatus, revokedReason: string | null } };

export type GrantsQueryVariables = Exact<{
  after?: string | null | undefined;
  status?: GrantStatus | null | undefined;
  appId?: string | null | undefined;
  partnerId?: string | null | undefined;
}>;


export type GrantsQuery = { grants: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, status: GrantStatus, scopes: Array<string>, expiresAt: string, nextReviewDue: string | null, app: { id: string, name: string }, vendor: { id: string, name: string }, dataHolder: { id: string, name: string } }> } };

export type ExpiringQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type ExpiringQuery = { grants: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, expiresAt: string }> } };

export type InboxQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type InboxQuery = { accessRequests: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, createdAt: string, risk: Risk, proposedScopes: Array<string>, requiredApprovals: number, approvals: Array<{ current: boolean }>, app: { id: string, name: string }, vendor: { id: string, name: string } }> } };

export type PartnerGrantsQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type PartnerGrantsQuery = { grants: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, status: GrantStatus, grantedAt: string, vendor: { id: string, name: string, kind: TenantKind }, dataHolder: { id: string, name: string, kind: TenantKind } }> } };

export type PartnerRequestsQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type PartnerRequestsQuery = { accessRequests: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, status: AccessRequestStatus, createdAt: string, vendor: { id: string, name: string, kind: TenantKind }, dataHolder: { id: string, name: string, kind: TenantKind } }> } };

export type EndPartnershipMutationVariables = Exact<{
  partnerId: string;
  reason: string;
}>;


export type EndPartnershipMutation = { endPartnership: { id: string, status: PartnershipStatus, since: string, endedAt: string | null, endedReason: string | null, partner: { id: string, name: string } } };

export type RequestQueryVariables = Exact<{
  id: string;
}>;


export type RequestQuery = { accessRequest: { id: string, status: AccessRequestStatus, risk: Risk, purpose: string, durationDays: number, proposedDurationDays: number, requestedScopes: Array<string>, proposedScopes: Array<string>, requiredApprovals: number, proposalVersion: number, createdAt: string, decidedAt: string | null, decisionReason: string | null, app: { id: string, name: string, kind: AppKind, clientId: string, purpose: string, businessOwnerEmail: string, technicalOwnerEmail: string }, vendor: { id: string, name: string }, dataHolder: { id: string, name: string }, approvals: Array<{ id: string, approverName: string, approverEmail: string, scopes: Array<string>, durationDays: number, comment: string | null, at: string, current: boolean }>, grant: { id: string, status: GrantStatus, expiresAt: string, scopes: Array<string> } | null, replacesGrant: { id: string } | null, scopeAnalysis: Array<{ input: string, valid: boolean, error: string | null, normalized: string | null, context: string | null, resourceType: string | null, permissions: string | null, risk: Risk | null, description: string | null }>, requestedScopeAnalysis: Array<{ input: string, valid: boolean, error: string | null, normalized: string | null, context: string | null, resourceType: string | null, permissions: string | null, risk: Risk | null, description: string | null }> } | null };

export type ApproveMutationVariables = Exact<{
  id: string;
  input?: ApproveInput | null | undefined;
}>;


export type ApproveMutation = { approveAccessRequest: { id: string, status: AccessRequestStatus, requiredApprovals: number, proposedScopes: Array<string>, proposedDurationDays: number, approvals: Array<{ id: string, current: boolean }>, grant: { id: string, scopes: Array<string>, expiresAt: string } | null } };

export type DenyMutationVariables = Exact<{
  id: string;
  reason: string;
}>;


export type DenyMutation = { denyAccessRequest: { id: string, status: AccessRequestStatus, decisionReason: string | null } };

export type WithdrawMutationVariables = Exact<{
  id: string;
}>;


export type WithdrawMutation = { withdrawAccessRequest: { id: string, status: AccessRequestStatus } };

export type RequestsQueryVariables = Exact<{
  after?: string | null | undefined;
  status?: AccessRequestStatus | null | undefined;
}>;


export type RequestsQuery = { accessRequests: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, status: AccessRequestStatus, risk: Risk, createdAt: string, proposedScopes: Array<string>, app: { id: string, name: string }, vendor: { id: string, name: string }, dataHolder: { id: string, name: string } }> } };

export type ReviewFieldsFragment = { id: string, dueAt: string, status: ReviewStatus, decidedAt: string | null, comment: string | null, escalatedAt: string | null, decidedBy: { id: string, name: string, email: string } | null, grant: { id: string, status: GrantStatus, expiresAt: string, nextReviewDue: string | null, lastReviewedAt: string | null, scopes: Array<string>, app: { id: string, name: string }, vendor: { id: string, name: string }, dataHolder: { id: string, name: string } } };

export type ReviewsPageQueryVariables = Exact<{
  after?: string | null | undefined;
  status?: ReviewStatus | null | undefined;
  first?: number | null | undefined;
}>;


export type ReviewsPageQuery = { reviews: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, dueAt: string, status: ReviewStatus, decidedAt: string | null, comment: string | null, escalatedAt: string | null, decidedBy: { id: string, name: string, email: string } | null, grant: { id: string, status: GrantStatus, expiresAt: string, nextReviewDue: string | null, lastReviewedAt: string | null, scopes: Array<string>, app: { id: string, name: string }, vendor: { id: string, name: string }, dataHolder: { id: string, name: string } } }> } };

export type ReviewGrantScopesQueryVariables = Exact<{
  id: string;
}>;


export type ReviewGrantScopesQuery = { grant: { id: string, scopeAnalysis: Array<{ input: string, valid: boolean, error: string | null, normalized: string | null, context: string | null, resourceType: string | null, permissions: string | null, risk: Risk | null, description: string | null }> } | null };

export type CertifyReviewMutationVariables = Exact<{
  reviewId: string;
  comment?: string | null | undefined;
}>;


export type CertifyReviewMutation = { certifyGrant: { id: string, dueAt: string, status: ReviewStatus, decidedAt: string | null, comment: string | null, escalatedAt: string | null, decidedBy: { id: string, name: string, email: string } | null, grant: { id: string, status: GrantStatus, expiresAt: string, nextReviewDue: string | null, lastReviewedAt: string | null, scopes: Array<string>, app: { id: string, name: string }, vendor: { id: string, name: string }, dataHolder: { id: string, name: string } } } };

export type RevokeFromReviewMutationVariables = Exact<{
  reviewId: string;
  reason: string;
}>;


export type RevokeFromReviewMutation = { revokeFromReview: { id: string, dueAt: string, status: ReviewStatus, decidedAt: string | null, comment: string | null, escalatedAt: string | null, decidedBy: { id: string, name: string, email: string } | null, grant: { id: string, status: GrantStatus, expiresAt: string, nextReviewDue: string | null, lastReviewedAt: string | null, scopes: Array<string>, app: { id: string, name: string }, vendor: { id: string, name: string }, dataHolder: { id: string, name: string } } } };

export type ReviewQueryVariables = Exact<{
  id: string;
}>;


export type ReviewQuery = { review: { id: string, dueAt: string, status: ReviewStatus, decidedAt: string | null, comment: string | null, escalatedAt: string | null, decidedBy: { id: string, name: string, email: string } | null, grant: { id: string, status: GrantStatus, expiresAt: string, nextReviewDue: string | null, lastReviewedAt: string | null, scopes: Array<string>, app: { id: string, name: string }, vendor: { id: string, name: string }, dataHolder: { id: string, name: string } } } | null };

export type MemberListQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type MemberListQuery = { users: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, email: string, roles: Array<Role>, active: boolean }> } };

export type OpenInvitationsQueryVariables = Exact<{ [key: string]: never; }>;


export type OpenInvitationsQuery = { invitations: { totalCount: number, nodes: Array<{ id: string, email: string, roles: Array<Role>, expiresAt: string, createdAt: string }> } };

export type InviteMemberMutationVariables = Exact<{
  email: string;
  roles: Array<Role> | Role;
}>;


export type InviteMemberMutation = { inviteUser: { id: string, token: string | null, email: string, roles: Array<Role>, expiresAt: string } };

export type RevokeInvitationMutationVariables = Exact<{
  id: string;
}>;


export type RevokeInvitationMutation = { revokeInvitation: { id: string, revokedAt: string | null } };

export type DeactivateMemberMutationVariables = Exact<{
  userId: string;
}>;


export type DeactivateMemberMutation = { deactivateUser: { id: string, active: boolean } };

export type PolicySettingsQueryVariables = Exact<{ [key: string]: never; }>;


export type PolicySettingsQuery = { approvalPolicy: { requiredApprovals: number, highRiskRequiredApprovals: number, maxGrantDays: number, highRiskMaxGrantDays: number, forbiddenScopes: Array<string>, allowedAppKinds: Array<AppKind>, reviewIntervalDays: number, autoApproveLowRisk: boolean, onMissedReview: MissedReviewAction } };

export type SavePolicyMutationVariables = Exact<{
  input: ApprovalPolicyInput;
}>;


export type SavePolicyMutation = { updateApprovalPolicy: { requiredApprovals: number, highRiskRequiredApprovals: number, maxGrantDays: number, highRiskMaxGrantDays: number, forbiddenScopes: Array<string>, allowedAppKinds: Array<AppKind>, reviewIntervalDays: number, autoApproveLowRisk: boolean, onMissedReview: MissedReviewAction } };

export type AnalyzeForbiddenScopesQueryVariables = Exact<{
  scopes: Array<string> | string;
}>;


export type AnalyzeForbiddenScopesQuery = { analyzeScopes: Array<{ input: string, valid: boolean, error: string | null, normalized: string | null, context: string | null, resourceType: string | null, permissions: string | null, risk: Risk | null, description: string | null }> };

export type TokenListQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type TokenListQuery = { apiTokens: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, roles: Array<Role>, createdAt: string, expiresAt: string, lastUsedAt: string | null, revokedAt: string | null }> } };

export type CreateTokenMutationVariables = Exact<{
  name: string;
  expiresInDays: number;
  roles?: Array<Role> | Role | null | undefined;
}>;


export type CreateTokenMutation = { createApiToken: { token: string, apiToken: { id: string, name: string, roles: Array<Role>, expiresAt: string } } };

export type RevokeTokenMutationVariables = Exact<{
  id: string;
}>;


export type RevokeTokenMutation = { revokeApiToken: { id: string, revokedAt: string | null } };

export type EndpointFieldsFragment = { id: string, url: string, description: string | null, eventTypes: Array<string>, enabled: boolean, disabledReason: string | null, failingSince: string | null, previousSecretExpiresAt: string | null, createdAt: string, updatedAt: string };

export type DeliveryFieldsFragment = { id: string, endpointId: string, eventId: string, eventType: string, status: DeliveryStatus, attempts: number, nextAttemptAt: string | null, lastStatusCode: number | null, lastError: string | null, createdAt: string, deliveredAt: string | null };

export type WebhookEndpointListQueryVariables = Exact<{
  after?: string | null | undefined;
}>;


export type WebhookEndpointListQuery = { webhookEndpoints: { pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, url: string, description: string | null, eventTypes: Array<string>, enabled: boolean, disabledReason: string | null, failingSince: string | null, previousSecretExpiresAt: string | null, createdAt: string, updatedAt: string }> } };

export type WebhookEndpointQueryVariables = Exact<{
  id: string;
}>;


export type WebhookEndpointQuery = { webhookEndpoint: { id: string, url: string, description: string | null, eventTypes: Array<string>, enabled: boolean, disabledReason: string | null, failingSince: string | null, previousSecretExpiresAt: string | null, createdAt: string, updatedAt: string } | null };

export type EndpointDeliveriesQueryVariables = Exact<{
  endpointId?: string | null | undefined;
  status?: DeliveryStatus | null | undefined;
  after?: string | null | undefined;
}>;


export type EndpointDeliveriesQuery = { deliveries: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, endpointId: string, eventId: string, eventType: string, status: DeliveryStatus, attempts: number, nextAttemptAt: string | null, lastStatusCode: number | null, lastError: string | null, createdAt: string, deliveredAt: string | null }> } };

export type MailDeliveryLogQueryVariables = Exact<{
  status?: MailStatus | null | undefined;
  after?: string | null | undefined;
}>;


export type MailDeliveryLogQuery = { mailDeliveries: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, eventType: string, recipient: string, subject: string, status: MailStatus, attempts: number, nextAttemptAt: string | null, lastError: string | null, createdAt: string, sentAt: string | null }> } };

export type CreateEndpointMutationVariables = Exact<{
  input: WebhookEndpointInput;
}>;


export type CreateEndpointMutation = { createWebhookEndpoint: { secret: string, endpoint: { id: string, url: string, description: string | null, eventTypes: Array<string>, enabled: boolean, disabledReason: string | null, failingSince: string | null, previousSecretExpiresAt: string | null, createdAt: string, updatedAt: string } } };

export type UpdateEndpointMutationVariables = Exact<{
  id: string;
  input: WebhookEndpointInput;
}>;


export type UpdateEndpointMutation = { updateWebhookEndpoint: { id: string, url: string, description: string | null, eventTypes: Array<string>, enabled: boolean, disabledReason: string | null, failingSince: string | null, previousSecretExpiresAt: string | null, createdAt: string, updatedAt: string } };

export type RotateEndpointSecretMutationVariables = Exact<{
  id: string;
}>;


export type RotateEndpointSecretMutation = { rotateWebhookSecret: { secret: string, endpoint: { id: string, url: string, description: string | null, eventTypes: Array<string>, enabled: boolean, disabledReason: string | null, failingSince: string | null, previousSecretExpiresAt: string | null, createdAt: string, updatedAt: string } } };

export type DeleteEndpointMutationVariables = Exact<{
  id: string;
}>;


export type DeleteEndpointMutation = { deleteWebhookEndpoint: boolean };

export type ReplayDeliveryMutationVariables = Exact<{
  id: string;
}>;


export type ReplayDeliveryMutation = { replayDelivery: { id: string, endpointId: string, eventId: string, eventType: string, status: DeliveryStatus, attempts: number, nextAttemptAt: string | null, lastStatusCode: number | null, lastError: string | null, createdAt: string, deliveredAt: string | null } };

export type SendTestWebhookMutationVariables = Exact<{
  endpointId: string;
}>;


export type SendTestWebhookMutation = { sendTestWebhook: { id: string, endpointId: string, eventId: string, eventType: string, status: DeliveryStatus, attempts: number, nextAttemptAt: string | null, lastStatusCode: number | null, lastError: string | null, createdAt: string, deliveredAt: string | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ScopeFieldsFragmentDoc = new TypedDocumentString(`
    fragment ScopeFields on ScopeAnalysis {
  input
  valid
  error
  normalized
  context
  resourceType
  permissions
  risk
  description
}
    `, {"fragmentName":"ScopeFields"}) as unknown as TypedDocumentString<ScopeFieldsFragment, unknown>;
export const ReviewFieldsFragmentDoc = new TypedDocumentString(`
    fragment ReviewFields on Review {
  id
  dueAt
  status
  decidedAt
  comment
  escalatedAt
  decidedBy {
    id
    name
    email
  }
  grant {
    id
    status
    expiresAt
    nextReviewDue
    lastReviewedAt
    scopes
    app {
      id
      name
    }
    vendor {
      id
      name
    }
    dataHolder {
      id
      name
    }
  }
}
    `, {"fragmentName":"ReviewFields"}) as unknown as TypedDocumentString<ReviewFieldsFragment, unknown>;
export const EndpointFieldsFragmentDoc = new TypedDocumentString(`
    fragment EndpointFields on WebhookEndpoint {
  id
  url
  description
  eventTypes
  enabled
  disabledReason
  failingSince
  previousSecretExpiresAt
  createdAt
  updatedAt
}
    `, {"fragmentName":"EndpointFields"}) as unknown as TypedDocumentString<EndpointFieldsFragment, unknown>;
export const DeliveryFieldsFragmentDoc = new TypedDocumentString(`
    fragment DeliveryFields on Delivery {
  id
  endpointId
  eventId
  eventType
  status
  attempts
  nextAttemptAt
  lastStatusCode
  lastError
  createdAt
  deliveredAt
}
    `, {"fragmentName":"DeliveryFields"}) as unknown as TypedDocumentString<DeliveryFieldsFragment, unknown>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    user {
      id
      name
      email
      roles
    }
    tenant {
      id
      name
      slug
      kind
    }
  }
}
    `) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const AppDetailDocument = new TypedDocumentString(`
    query AppDetail($id: ID!) {
  app(id: $id) {
    id
    clientId
    name
    description
    kind
    public
    status
    purpose
    businessOwnerEmail
    technicalOwnerEmail
    redirectUris
    launchUrl
    jwksUri
    createdAt
    vendor {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<AppDetailQuery, AppDetailQueryVariables>;
export const AppGrantsDocument = new TypedDocumentString(`
    query AppGrants($appId: ID!) {
  grants(first: 100, appId: $appId) {
    totalCount
    nodes {
      id
      status
      scopes
      grantedAt
      expiresAt
      dataHolder {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AppGrantsQuery, AppGrantsQueryVariables>;
export const AppRequestsDocument = new TypedDocumentString(`
    query AppRequests($appId: ID!, $after: String) {
  accessRequests(first: 100, after: $after, appId: $appId) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      status
      risk
      createdAt
      proposedScopes
      app {
        id
      }
      dataHolder {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AppRequestsQuery, AppRequestsQueryVariables>;
export const DataHolderChoicesDocument = new TypedDocumentString(`
    query DataHolderChoices($search: String) {
  dataHolders(first: 100, search: $search) {
    totalCount
    nodes {
      id
      name
      kind
    }
  }
}
    `) as unknown as TypedDocumentString<DataHolderChoicesQuery, DataHolderChoicesQueryVariables>;
export const AnalyzeDraftScopesDocument = new TypedDocumentString(`
    query AnalyzeDraftScopes($scopes: [String!]!) {
  analyzeScopes(scopes: $scopes) {
    ...ScopeFields
  }
}
    fragment ScopeFields on ScopeAnalysis {
  input
  valid
  error
  normalized
  context
  resourceType
  permissions
  risk
  description
}`) as unknown as TypedDocumentString<AnalyzeDraftScopesQuery, AnalyzeDraftScopesQueryVariables>;
export const UpdateAppDetailsDocument = new TypedDocumentString(`
    mutation UpdateAppDetails($id: ID!, $input: UpdateAppInput!) {
  updateApp(id: $id, input: $input) {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<UpdateAppDetailsMutation, UpdateAppDetailsMutationVariables>;
export const RotateAppSecretDocument = new TypedDocumentString(`
    mutation RotateAppSecret($appId: ID!) {
  rotateClientSecret(appId: $appId) {
    clientSecret
    app {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<RotateAppSecretMutation, RotateAppSecretMutationVariables>;
export const OffboardAppDocument = new TypedDocumentString(`
    mutation OffboardApp($id: ID!, $reason: String!) {
  offboardApp(id: $id, reason: $reason) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<OffboardAppMutation, OffboardAppMutationVariables>;
export const SuspendAppDocument = new TypedDocumentString(`
    mutation SuspendApp($id: ID!, $reason: String!) {
  suspendApp(id: $id, reason: $reason) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<SuspendAppMutation, SuspendAppMutationVariables>;
export const ResumeAppDocument = new TypedDocumentString(`
    mutation ResumeApp($id: ID!) {
  resumeApp(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<ResumeAppMutation, ResumeAppMutationVariables>;
export const RequestAppAccessDocument = new TypedDocumentString(`
    mutation RequestAppAccess($input: RequestAccessInput!) {
  requestAccess(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<RequestAppAccessMutation, RequestAppAccessMutationVariables>;
export const AppsListDocument = new TypedDocumentString(`
    query AppsList($after: String, $status: AppStatus) {
  apps(first: 50, after: $after, status: $status) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      name
      kind
      status
      clientId
      public
      createdAt
      vendor {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AppsListQuery, AppsListQueryVariables>;
export const RegisterNewAppDocument = new TypedDocumentString(`
    mutation RegisterNewApp($input: RegisterAppInput!) {
  registerApp(input: $input) {
    clientSecret
    app {
      id
      name
      clientId
      public
      jwksUri
    }
  }
}
    `) as unknown as TypedDocumentString<RegisterNewAppMutation, RegisterNewAppMutationVariables>;
export const AuditTrailDocument = new TypedDocumentString(`
    query AuditTrail($first: Int, $after: String, $action: String, $targetId: ID) {
  auditEvents(first: $first, after: $after, action: $action, targetId: $targetId) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      at
      action
      actor
      targetType
      targetId
      details
    }
  }
}
    `) as unknown as TypedDocumentString<AuditTrailQuery, AuditTrailQueryVariables>;
export const GrantDocument = new TypedDocumentString(`
    query Grant($id: ID!) {
  grant(id: $id) {
    id
    status
    scopes
    grantedAt
    expiresAt
    revokedReason
    suspendedReason
    nextReviewDue
    lastReviewedAt
    requestId
    app {
      id
      name
      clientId
      kind
      status
    }
    vendor {
      id
      name
    }
    dataHolder {
      id
      name
    }
    scopeAnalysis {
      ...ScopeFields
    }
  }
}
    fragment ScopeFields on ScopeAnalysis {
  input
  valid
  error
  normalized
  context
  resourceType
  permissions
  risk
  description
}`) as unknown as TypedDocumentString<GrantQuery, GrantQueryVariables>;
export const GrantHistoryDocument = new TypedDocumentString(`
    query GrantHistory($id: ID!) {
  auditEvents(first: 100, targetId: $id) {
    totalCount
    nodes {
      id
      at
      action
      actor
      details
    }
  }
}
    `) as unknown as TypedDocumentString<GrantHistoryQuery, GrantHistoryQueryVariables>;
export const SuspendGrantDocument = new TypedDocumentString(`
    mutation SuspendGrant($id: ID!, $reason: String!) {
  suspendGrant(id: $id, reason: $reason) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<SuspendGrantMutation, SuspendGrantMutationVariables>;
export const ResumeGrantDocument = new TypedDocumentString(`
    mutation ResumeGrant($id: ID!) {
  resumeGrant(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<ResumeGrantMutation, ResumeGrantMutationVariables>;
export const RevokeGrantDocument = new TypedDocumentString(`
    mutation RevokeGrant($id: ID!, $reason: String!) {
  revokeGrant(id: $id, reason: $reason) {
    id
    status
    revokedReason
  }
}
    `) as unknown as TypedDocumentString<RevokeGrantMutation, RevokeGrantMutationVariables>;
export const GrantsDocument = new TypedDocumentString(`
    query Grants($after: String, $status: GrantStatus, $appId: ID, $partnerId: ID) {
  grants(
    first: 50
    after: $after
    status: $status
    appId: $appId
    partnerId: $partnerId
  ) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      status
      scopes
      expiresAt
      nextReviewDue
      app {
        id
        name
      }
      vendor {
        id
        name
      }
      dataHolder {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<GrantsQuery, GrantsQueryVariables>;
export const ExpiringDocument = new TypedDocumentString(`
    query Expiring($after: String) {
  grants(first: 100, after: $after, status: ACTIVE) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      expiresAt
    }
  }
}
    `) as unknown as TypedDocumentString<ExpiringQuery, ExpiringQueryVariables>;
export const InboxDocument = new TypedDocumentString(`
    query Inbox($after: String) {
  accessRequests(first: 100, after: $after, status: PENDING) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      createdAt
      risk
      proposedScopes
      requiredApprovals
      approvals {
        current
      }
      app {
        id
        name
      }
      vendor {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<InboxQuery, InboxQueryVariables>;
export const PartnerGrantsDocument = new TypedDocumentString(`
    query PartnerGrants($after: String) {
  grants(first: 100, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      status
      grantedAt
      vendor {
        id
        name
        kind
      }
      dataHolder {
        id
        name
        kind
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PartnerGrantsQuery, PartnerGrantsQueryVariables>;
export const PartnerRequestsDocument = new TypedDocumentString(`
    query PartnerRequests($after: String) {
  accessRequests(first: 100, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      status
      createdAt
      vendor {
        id
        name
        kind
      }
      dataHolder {
        id
        name
        kind
      }
    }
  }
}
    `) as unknown as TypedDocumentString<PartnerRequestsQuery, PartnerRequestsQueryVariables>;
export const EndPartnershipDocument = new TypedDocumentString(`
    mutation EndPartnership($partnerId: ID!, $reason: String!) {
  endPartnership(partnerId: $partnerId, reason: $reason) {
    id
    status
    since
    endedAt
    endedReason
    partner {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<EndPartnershipMutation, EndPartnershipMutationVariables>;
export const RequestDocument = new TypedDocumentString(`
    query Request($id: ID!) {
  accessRequest(id: $id) {
    id
    status
    risk
    purpose
    durationDays
    proposedDurationDays
    requestedScopes
    proposedScopes
    requiredApprovals
    proposalVersion
    createdAt
    decidedAt
    decisionReason
    app {
      id
      name
      kind
      clientId
      purpose
      businessOwnerEmail
      technicalOwnerEmail
    }
    vendor {
      id
      name
    }
    dataHolder {
      id
      name
    }
    approvals {
      id
      approverName
      approverEmail
      scopes
      durationDays
      comment
      at
      current
    }
    grant {
      id
      status
      expiresAt
      scopes
    }
    replacesGrant {
      id
    }
    scopeAnalysis {
      ...ScopeFields
    }
    requestedScopeAnalysis {
      ...ScopeFields
    }
  }
}
    fragment ScopeFields on ScopeAnalysis {
  input
  valid
  error
  normalized
  context
  resourceType
  permissions
  risk
  description
}`) as unknown as TypedDocumentString<RequestQuery, RequestQueryVariables>;
export const ApproveDocument = new TypedDocumentString(`
    mutation Approve($id: ID!, $input: ApproveInput) {
  approveAccessRequest(id: $id, input: $input) {
    id
    status
    requiredApprovals
    proposedScopes
    proposedDurationDays
    approvals {
      id
      current
    }
    grant {
      id
      scopes
      expiresAt
    }
  }
}
    `) as unknown as TypedDocumentString<ApproveMutation, ApproveMutationVariables>;
export const DenyDocument = new TypedDocumentString(`
    mutation Deny($id: ID!, $reason: String!) {
  denyAccessRequest(id: $id, reason: $reason) {
    id
    status
    decisionReason
  }
}
    `) as unknown as TypedDocumentString<DenyMutation, DenyMutationVariables>;
export const WithdrawDocument = new TypedDocumentString(`
    mutation Withdraw($id: ID!) {
  withdrawAccessRequest(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<WithdrawMutation, WithdrawMutationVariables>;
export const RequestsDocument = new TypedDocumentString(`
    query Requests($after: String, $status: AccessRequestStatus) {
  accessRequests(first: 50, after: $after, status: $status) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      status
      risk
      createdAt
      proposedScopes
      app {
        id
        name
      }
      vendor {
        id
        name
      }
      dataHolder {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<RequestsQuery, RequestsQueryVariables>;
export const ReviewsPageDocument = new TypedDocumentString(`
    query ReviewsPage($after: String, $status: ReviewStatus, $first: Int) {
  reviews(first: $first, after: $after, status: $status) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...ReviewFields
    }
  }
}
    fragment ReviewFields on Review {
  id
  dueAt
  status
  decidedAt
  comment
  escalatedAt
  decidedBy {
    id
    name
    email
  }
  grant {
    id
    status
    expiresAt
    nextReviewDue
    lastReviewedAt
    scopes
    app {
      id
      name
    }
    vendor {
      id
      name
    }
    dataHolder {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<ReviewsPageQuery, ReviewsPageQueryVariables>;
export const ReviewGrantScopesDocument = new TypedDocumentString(`
    query ReviewGrantScopes($id: ID!) {
  grant(id: $id) {
    id
    scopeAnalysis {
      ...ScopeFields
    }
  }
}
    fragment ScopeFields on ScopeAnalysis {
  input
  valid
  error
  normalized
  context
  resourceType
  permissions
  risk
  description
}`) as unknown as TypedDocumentString<ReviewGrantScopesQuery, ReviewGrantScopesQueryVariables>;
export const CertifyReviewDocument = new TypedDocumentString(`
    mutation CertifyReview($reviewId: ID!, $comment: String) {
  certifyGrant(reviewId: $reviewId, comment: $comment) {
    ...ReviewFields
  }
}
    fragment ReviewFields on Review {
  id
  dueAt
  status
  decidedAt
  comment
  escalatedAt
  decidedBy {
    id
    name
    email
  }
  grant {
    id
    status
    expiresAt
    nextReviewDue
    lastReviewedAt
    scopes
    app {
      id
      name
    }
    vendor {
      id
      name
    }
    dataHolder {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<CertifyReviewMutation, CertifyReviewMutationVariables>;
export const RevokeFromReviewDocument = new TypedDocumentString(`
    mutation RevokeFromReview($reviewId: ID!, $reason: String!) {
  revokeFromReview(reviewId: $reviewId, reason: $reason) {
    ...ReviewFields
  }
}
    fragment ReviewFields on Review {
  id
  dueAt
  status
  decidedAt
  comment
  escalatedAt
  decidedBy {
    id
    name
    email
  }
  grant {
    id
    status
    expiresAt
    nextReviewDue
    lastReviewedAt
    scopes
    app {
      id
      name
    }
    vendor {
      id
      name
    }
    dataHolder {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<RevokeFromReviewMutation, RevokeFromReviewMutationVariables>;
export const ReviewDocument = new TypedDocumentString(`
    query Review($id: ID!) {
  review(id: $id) {
    ...ReviewFields
  }
}
    fragment ReviewFields on Review {
  id
  dueAt
  status
  decidedAt
  comment
  escalatedAt
  decidedBy {
    id
    name
    email
  }
  grant {
    id
    status
    expiresAt
    nextReviewDue
    lastReviewedAt
    scopes
    app {
      id
      name
    }
    vendor {
      id
      name
    }
    dataHolder {
      id
      name
    }
  }
}`) as unknown as TypedDocumentString<ReviewQuery, ReviewQueryVariables>;
export const MemberListDocument = new TypedDocumentString(`
    query MemberList($after: String) {
  users(first: 50, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      name
      email
      roles
      active
    }
  }
}
    `) as unknown as TypedDocumentString<MemberListQuery, MemberListQueryVariables>;
export const OpenInvitationsDocument = new TypedDocumentString(`
    query OpenInvitations {
  invitations(first: 100) {
    totalCount
    nodes {
      id
      email
      roles
      expiresAt
      createdAt
    }
  }
}
    `) as unknown as TypedDocumentString<OpenInvitationsQuery, OpenInvitationsQueryVariables>;
export const InviteMemberDocument = new TypedDocumentString(`
    mutation InviteMember($email: String!, $roles: [Role!]!) {
  inviteUser(email: $email, roles: $roles) {
    id
    token
    email
    roles
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<InviteMemberMutation, InviteMemberMutationVariables>;
export const RevokeInvitationDocument = new TypedDocumentString(`
    mutation RevokeInvitation($id: ID!) {
  revokeInvitation(id: $id) {
    id
    revokedAt
  }
}
    `) as unknown as TypedDocumentString<RevokeInvitationMutation, RevokeInvitationMutationVariables>;
export const DeactivateMemberDocument = new TypedDocumentString(`
    mutation DeactivateMember($userId: ID!) {
  deactivateUser(userId: $userId) {
    id
    active
  }
}
    `) as unknown as TypedDocumentString<DeactivateMemberMutation, DeactivateMemberMutationVariables>;
export const PolicySettingsDocument = new TypedDocumentString(`
    query PolicySettings {
  approvalPolicy {
    requiredApprovals
    highRiskRequiredApprovals
    maxGrantDays
    highRiskMaxGrantDays
    forbiddenScopes
    allowedAppKinds
    reviewIntervalDays
    autoApproveLowRisk
    onMissedReview
  }
}
    `) as unknown as TypedDocumentString<PolicySettingsQuery, PolicySettingsQueryVariables>;
export const SavePolicyDocument = new TypedDocumentString(`
    mutation SavePolicy($input: ApprovalPolicyInput!) {
  updateApprovalPolicy(input: $input) {
    requiredApprovals
    highRiskRequiredApprovals
    maxGrantDays
    highRiskMaxGrantDays
    forbiddenScopes
    allowedAppKinds
    reviewIntervalDays
    autoApproveLowRisk
    onMissedReview
  }
}
    `) as unknown as TypedDocumentString<SavePolicyMutation, SavePolicyMutationVariables>;
export const AnalyzeForbiddenScopesDocument = new TypedDocumentString(`
    query AnalyzeForbiddenScopes($scopes: [String!]!) {
  analyzeScopes(scopes: $scopes) {
    ...ScopeFields
  }
}
    fragment ScopeFields on ScopeAnalysis {
  input
  valid
  error
  normalized
  context
  resourceType
  permissions
  risk
  description
}`) as unknown as TypedDocumentString<AnalyzeForbiddenScopesQuery, AnalyzeForbiddenScopesQueryVariables>;
export const TokenListDocument = new TypedDocumentString(`
    query TokenList($after: String) {
  apiTokens(first: 50, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      name
      roles
      createdAt
      expiresAt
      lastUsedAt
      revokedAt
    }
  }
}
    `) as unknown as TypedDocumentString<TokenListQuery, TokenListQueryVariables>;
export const CreateTokenDocument = new TypedDocumentString(`
    mutation CreateToken($name: String!, $expiresInDays: Int!, $roles: [Role!]) {
  createApiToken(name: $name, expiresInDays: $expiresInDays, roles: $roles) {
    token
    apiToken {
      id
      name
      roles
      expiresAt
    }
  }
}
    `) as unknown as TypedDocumentString<CreateTokenMutation, CreateTokenMutationVariables>;
export const RevokeTokenDocument = new TypedDocumentString(`
    mutation RevokeToken($id: ID!) {
  revokeApiToken(id: $id) {
    id
    revokedAt
  }
}
    `) as unknown as TypedDocumentString<RevokeTokenMutation, RevokeTokenMutationVariables>;
export const WebhookEndpointListDocument = new TypedDocumentString(`
    query WebhookEndpointList($after: String) {
  webhookEndpoints(first: 100, after: $after) {
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...EndpointFields
    }
  }
}
    fragment EndpointFields on WebhookEndpoint {
  id
  url
  description
  eventTypes
  enabled
  disabledReason
  failingSince
  previousSecretExpiresAt
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<WebhookEndpointListQuery, WebhookEndpointListQueryVariables>;
export const WebhookEndpointDocument = new TypedDocumentString(`
    query WebhookEndpoint($id: ID!) {
  webhookEndpoint(id: $id) {
    ...EndpointFields
  }
}
    fragment EndpointFields on WebhookEndpoint {
  id
  url
  description
  eventTypes
  enabled
  disabledReason
  failingSince
  previousSecretExpiresAt
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<WebhookEndpointQuery, WebhookEndpointQueryVariables>;
export const EndpointDeliveriesDocument = new TypedDocumentString(`
    query EndpointDeliveries($endpointId: ID, $status: DeliveryStatus, $after: String) {
  deliveries(first: 50, after: $after, endpointId: $endpointId, status: $status) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      ...DeliveryFields
    }
  }
}
    fragment DeliveryFields on Delivery {
  id
  endpointId
  eventId
  eventType
  status
  attempts
  nextAttemptAt
  lastStatusCode
  lastError
  createdAt
  deliveredAt
}`) as unknown as TypedDocumentString<EndpointDeliveriesQuery, EndpointDeliveriesQueryVariables>;
export const MailDeliveryLogDocument = new TypedDocumentString(`
    query MailDeliveryLog($status: MailStatus, $after: String) {
  mailDeliveries(first: 50, after: $after, status: $status) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      id
      eventType
      recipient
      subject
      status
      attempts
      nextAttemptAt
      lastError
      createdAt
      sentAt
    }
  }
}
    `) as unknown as TypedDocumentString<MailDeliveryLogQuery, MailDeliveryLogQueryVariables>;
export const CreateEndpointDocument = new TypedDocumentString(`
    mutation CreateEndpoint($input: WebhookEndpointInput!) {
  createWebhookEndpoint(input: $input) {
    secret
    endpoint {
      ...EndpointFields
    }
  }
}
    fragment EndpointFields on WebhookEndpoint {
  id
  url
  description
  eventTypes
  enabled
  disabledReason
  failingSince
  previousSecretExpiresAt
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<CreateEndpointMutation, CreateEndpointMutationVariables>;
export const UpdateEndpointDocument = new TypedDocumentString(`
    mutation UpdateEndpoint($id: ID!, $input: WebhookEndpointInput!) {
  updateWebhookEndpoint(id: $id, input: $input) {
    ...EndpointFields
  }
}
    fragment EndpointFields on WebhookEndpoint {
  id
  url
  description
  eventTypes
  enabled
  disabledReason
  failingSince
  previousSecretExpiresAt
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<UpdateEndpointMutation, UpdateEndpointMutationVariables>;
export const RotateEndpointSecretDocument = new TypedDocumentString(`
    mutation RotateEndpointSecret($id: ID!) {
  rotateWebhookSecret(id: $id) {
    secret
    endpoint {
      ...EndpointFields
    }
  }
}
    fragment EndpointFields on WebhookEndpoint {
  id
  url
  description
  eventTypes
  enabled
  disabledReason
  failingSince
  previousSecretExpiresAt
  createdAt
  updatedAt
}`) as unknown as TypedDocumentString<RotateEndpointSecretMutation, RotateEndpointSecretMutationVariables>;
export const DeleteEndpointDocument = new TypedDocumentString(`
    mutation DeleteEndpoint($id: ID!) {
  deleteWebhookEndpoint(id: $id)
}
    `) as unknown as TypedDocumentString<DeleteEndpointMutation, DeleteEndpointMutationVariables>;
export const ReplayDeliveryDocument = new TypedDocumentString(`
    mutation ReplayDelivery($id: ID!) {
  replayDelivery(id: $id) {
    ...DeliveryFields
  }
}
    fragment DeliveryFields on Delivery {
  id
  endpointId
  eventId
  eventType
  status
  attempts
  nextAttemptAt
  lastStatusCode
  lastError
  createdAt
  deliveredAt
}`) as unknown as TypedDocumentString<ReplayDeliveryMutation, ReplayDeliveryMutationVariables>;
export const SendTestWebhookDocument = new TypedDocumentString(`
    mutation SendTestWebhook($endpointId: ID!) {
  sendTestWebhook(endpointId: $endpointId) {
    ...DeliveryFields
  }
}
    fragment DeliveryFields on Delivery {
  id
  endpointId
  eventId
  eventType
  status
  attempts
  nextAttemptAt
  lastStatusCode
  lastError
  createdAt
  deliveredAt
}`) as unknown as TypedDocumentString<SendTestWebhookMutation, SendTestWebhookMutationVariables>;