/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Me {\n    me {\n      user { id name email roles }\n      tenant { id name slug kind }\n    }\n  }\n": typeof types.MeDocument,
    "\n  fragment ScopeFields on ScopeAnalysis { input valid error normalized context resourceType permissions risk description }\n": typeof types.ScopeFieldsFragmentDoc,
    "\n  query AppDetail($id: ID!) {\n    app(id: $id) {\n      id clientId name description kind public status purpose businessOwnerEmail technicalOwnerEmail\n      redirectUris launchUrl jwksUri createdAt\n      vendor { id name }\n    }\n  }\n": typeof types.AppDetailDocument,
    "\n  query AppGrants($appId: ID!) {\n    grants(first: 100, appId: $appId) {\n      totalCount\n      nodes { id status scopes grantedAt expiresAt dataHolder { id name } }\n    }\n  }\n": typeof types.AppGrantsDocument,
    "\n  query AppRequests($appId: ID!, $after: String) {\n    accessRequests(first: 100, after: $after, appId: $appId) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id status risk createdAt proposedScopes app { id } dataHolder { id name } }\n    }\n  }\n": typeof types.AppRequestsDocument,
    "\n  query DataHolderChoices($search: String) {\n    dataHolders(first: 100, search: $search) {\n      totalCount\n      nodes { id name kind }\n    }\n  }\n": typeof types.DataHolderChoicesDocument,
    "\n  query AnalyzeDraftScopes($scopes: [String!]!) {\n    analyzeScopes(scopes: $scopes) { ...ScopeFields }\n  }\n": typeof types.AnalyzeDraftScopesDocument,
    "\n  mutation UpdateAppDetails($id: ID!, $input: UpdateAppInput!) {\n    updateApp(id: $id, input: $input) { id name }\n  }\n": typeof types.UpdateAppDetailsDocument,
    "\n  mutation RotateAppSecret($appId: ID!) {\n    rotateClientSecret(appId: $appId) { clientSecret app { id } }\n  }\n": typeof types.RotateAppSecretDocument,
    "\n  mutation OffboardApp($id: ID!, $reason: String!) {\n    offboardApp(id: $id, reason: $reason) { id status }\n  }\n": typeof types.OffboardAppDocument,
    "\n  mutation SuspendApp($id: ID!, $reason: String!) {\n    suspendApp(id: $id, reason: $reason) { id status }\n  }\n": typeof types.SuspendAppDocument,
    "\n  mutation ResumeApp($id: ID!) {\n    resumeApp(id: $id) { id status }\n  }\n": typeof types.ResumeAppDocument,
    "\n  mutation RequestAppAccess($input: RequestAccessInput!) {\n    requestAccess(input: $input) { id }\n  }\n": typeof types.RequestAppAccessDocument,
    "\n  query AppsList($after: String, $status: AppStatus) {\n    apps(first: 50, after: $after, status: $status) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id name kind status clientId public createdAt vendor { id name } }\n    }\n  }\n": typeof types.AppsListDocument,
    "\n  mutation RegisterNewApp($input: RegisterAppInput!) {\n    registerApp(input: $input) {\n      clientSecret\n      app { id name clientId public jwksUri }\n    }\n  }\n": typeof types.RegisterNewAppDocument,
    "\n  query AuditTrail($first: Int, $after: String, $action: String, $targetId: ID) {\n    auditEvents(first: $first, after: $after, action: $action, targetId: $targetId) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id at action actor targetType targetId details }\n    }\n  }\n": typeof types.AuditTrailDocument,
    "\n  query Grant($id: ID!) {\n    grant(id: $id) {\n      id status scopes grantedAt expiresAt revokedReason suspendedReason nextReviewDue lastReviewedAt requestId\n      app { id name clientId kind status }\n      vendor { id name }\n      dataHolder { id name }\n      scopeAnalysis { ...ScopeFields }\n    }\n  }\n": typeof types.GrantDocument,
    "\n  query GrantHistory($id: ID!) {\n    auditEvents(first: 100, targetId: $id) {\n      totalCount\n      nodes { id at action actor details }\n    }\n  }\n": typeof types.GrantHistoryDocument,
    "\n  mutation SuspendGrant($id: ID!, $reason: String!) { suspendGrant(id: $id, reason: $reason) { id status } }\n": typeof types.SuspendGrantDocument,
    "\n  mutation ResumeGrant($id: ID!) { resumeGrant(id: $id) { id status } }\n": typeof types.ResumeGrantDocument,
    "\n  mutation RevokeGrant($id: ID!, $reason: String!) { revokeGrant(id: $id, reason: $reason) { id status revokedReason } }\n": typeof types.RevokeGrantDocument,
    "\n  query Grants($after: String, $status: GrantStatus, $appId: ID, $partnerId: ID) {\n    grants(first: 50, after: $after, status: $status, appId: $appId, partnerId: $partnerId) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        status\n        scopes\n        expiresAt\n        nextReviewDue\n        app { id name }\n        vendor { id name }\n        dataHolder { id name }\n      }\n    }\n  }\n": typeof types.GrantsDocument,
    "\n  query Expiring($after: String) {\n    grants(first: 100, after: $after, status: ACTIVE) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id expiresAt }\n    }\n  }\n": typeof types.ExpiringDocument,
    "\n  query Inbox($after: String) {\n    accessRequests(first: 100, after: $after, status: PENDING) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        createdAt\n        risk\n        proposedScopes\n        requiredApprovals\n        approvals { current }\n        app { id name }\n        vendor { id name }\n      }\n    }\n  }\n": typeof types.InboxDocument,
    "\n  query PartnerGrants($after: String) {\n    grants(first: 100, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id status grantedAt vendor { id name kind } dataHolder { id name kind } }\n    }\n  }\n": typeof types.PartnerGrantsDocument,
    "\n  query PartnerRequests($after: String) {\n    accessRequests(first: 100, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id status createdAt vendor { id name kind } dataHolder { id name kind } }\n    }\n  }\n": typeof types.PartnerRequestsDocument,
    "\n  mutation EndPartnership($partnerId: ID!, $reason: String!) {\n    endPartnership(partnerId: $partnerId, reason: $reason) {\n      id status since endedAt endedReason\n      partner { id name }\n    }\n  }\n": typeof types.EndPartnershipDocument,
    "\n  query Request($id: ID!) {\n    accessRequest(id: $id) {\n      id status risk purpose durationDays proposedDurationDays requestedScopes proposedScopes\n      requiredApprovals proposalVersion createdAt decidedAt decisionReason\n      app { id name kind clientId purpose businessOwnerEmail technicalOwnerEmail }\n      vendor { id name }\n      dataHolder { id name }\n      approvals { id approverName approverEmail scopes durationDays comment at current }\n      grant { id status expiresAt scopes }\n      replacesGrant { id }\n      scopeAnalysis { ...ScopeFields }\n      requestedScopeAnalysis { ...ScopeFields }\n    }\n  }\n": typeof types.RequestDocument,
    "\n  mutation Approve($id: ID!, $input: ApproveInput) {\n    approveAccessRequest(id: $id, input: $input) {\n      id status requiredApprovals proposedScopes proposedDurationDays\n      approvals { id current }\n      grant { id scopes expiresAt }\n    }\n  }\n": typeof types.ApproveDocument,
    "\n  mutation Deny($id: ID!, $reason: String!) {\n    denyAccessRequest(id: $id, reason: $reason) { id status decisionReason }\n  }\n": typeof types.DenyDocument,
    "\n  mutation Withdraw($id: ID!) {\n    withdrawAccessRequest(id: $id) { id status }\n  }\n": typeof types.WithdrawDocument,
    "\n  query Requests($after: String, $status: AccessRequestStatus) {\n    accessRequests(first: 50, after: $after, status: $status) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        status\n        risk\n        createdAt\n        proposedScopes\n        app { id name }\n        vendor { id name }\n        dataHolder { id name }\n      }\n    }\n  }\n": typeof types.RequestsDocument,
    "\n  fragment ReviewFields on Review {\n    id dueAt status decidedAt comment escalatedAt\n    decidedBy { id name email }\n    grant {\n      id status expiresAt nextReviewDue lastReviewedAt scopes\n      app { id name }\n      vendor { id name }\n      dataHolder { id name }\n    }\n  }\n": typeof types.ReviewFieldsFragmentDoc,
    "\n  query ReviewsPage($after: String, $status: ReviewStatus, $first: Int) {\n    reviews(first: $first, after: $after, status: $status) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { ...ReviewFields }\n    }\n  }\n": typeof types.ReviewsPageDocument,
    "\n  query ReviewGrantScopes($id: ID!) {\n    grant(id: $id) { id scopeAnalysis { ...ScopeFields } }\n  }\n": typeof types.ReviewGrantScopesDocument,
    "\n  mutation CertifyReview($reviewId: ID!, $comment: String) {\n    certifyGrant(reviewId: $reviewId, comment: $comment) { ...ReviewFields }\n  }\n": typeof types.CertifyReviewDocument,
    "\n  mutation RevokeFromReview($reviewId: ID!, $reason: String!) {\n    revokeFromReview(reviewId: $reviewId, reason: $reason) { ...ReviewFields }\n  }\n": typeof types.RevokeFromReviewDocument,
    "\n  query Review($id: ID!) {\n    review(id: $id) { ...ReviewFields }\n  }\n": typeof types.ReviewDocument,
    "\n  query MemberList($after: String) {\n    users(first: 50, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id name email roles active }\n    }\n  }\n": typeof types.MemberListDocument,
    "\n  query OpenInvitations {\n    invitations(first: 100) {\n      totalCount\n      nodes { id email roles expiresAt createdAt }\n    }\n  }\n": typeof types.OpenInvitationsDocument,
    "\n  mutation InviteMember($email: String!, $roles: [Role!]!) {\n    inviteUser(email: $email, roles: $roles) { id token email roles expiresAt }\n  }\n": typeof types.InviteMemberDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) { id revokedAt }\n  }\n": typeof types.RevokeInvitationDocument,
    "\n  mutation DeactivateMember($userId: ID!) {\n    deactivateUser(userId: $userId) { id active }\n  }\n": typeof types.DeactivateMemberDocument,
    "\n  query PolicySettings {\n    approvalPolicy {\n      requiredApprovals highRiskRequiredApprovals maxGrantDays highRiskMaxGrantDays forbiddenScopes\n      allowedAppKinds reviewIntervalDays autoApproveLowRisk onMissedReview\n    }\n  }\n": typeof types.PolicySettingsDocument,
    "\n  mutation SavePolicy($input: ApprovalPolicyInput!) {\n    updateApprovalPolicy(input: $input) {\n      requiredApprovals highRiskRequiredApprovals maxGrantDays highRiskMaxGrantDays forbiddenScopes\n      allowedAppKinds reviewIntervalDays autoApproveLowRisk onMissedReview\n    }\n  }\n": typeof types.SavePolicyDocument,
    "\n  query AnalyzeForbiddenScopes($scopes: [String!]!) {\n    analyzeScopes(scopes: $scopes) { ...ScopeFields }\n  }\n": typeof types.AnalyzeForbiddenScopesDocument,
    "\n  query TokenList($after: String) {\n    apiTokens(first: 50, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id name roles createdAt expiresAt lastUsedAt revokedAt }\n    }\n  }\n": typeof types.TokenListDocument,
    "\n  mutation CreateToken($name: String!, $expiresInDays: Int!, $roles: [Role!]) {\n    createApiToken(name: $name, expiresInDays: $expiresInDays, roles: $roles) {\n      token\n      apiToken { id name roles expiresAt }\n    }\n  }\n": typeof types.CreateTokenDocument,
    "\n  mutation RevokeToken($id: ID!) {\n    revokeApiToken(id: $id) { id revokedAt }\n  }\n": typeof types.RevokeTokenDocument,
    "\n  fragment EndpointFields on WebhookEndpoint {\n    id url description eventTypes enabled disabledReason failingSince previousSecretExpiresAt createdAt updatedAt\n  }\n": typeof types.EndpointFieldsFragmentDoc,
    "\n  fragment DeliveryFields on Delivery {\n    id endpointId eventId eventType status attempts nextAttemptAt lastStatusCode lastError createdAt deliveredAt\n  }\n": typeof types.DeliveryFieldsFragmentDoc,
    "\n  query WebhookEndpointList($after: String) {\n    webhookEndpoints(first: 100, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes { ...EndpointFields }\n    }\n  }\n": typeof types.WebhookEndpointListDocument,
    "\n  query WebhookEndpoint($id: ID!) {\n    webhookEndpoint(id: $id) { ...EndpointFields }\n  }\n": typeof types.WebhookEndpointDocument,
    "\n  query EndpointDeliveries($endpointId: ID, $status: DeliveryStatus, $after: String) {\n    deliveries(first: 50, after: $after, endpointId: $endpointId, status: $status) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { ...DeliveryFields }\n    }\n  }\n": typeof types.EndpointDeliveriesDocument,
    "\n  query MailDeliveryLog($status: MailStatus, $after: String) {\n    mailDeliveries(first: 50, after: $after, status: $status) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id eventType recipient subject status attempts nextAttemptAt lastError createdAt sentAt }\n    }\n  }\n": typeof types.MailDeliveryLogDocument,
    "\n  mutation CreateEndpoint($input: WebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) { secret endpoint { ...EndpointFields } }\n  }\n": typeof types.CreateEndpointDocument,
    "\n  mutation UpdateEndpoint($id: ID!, $input: WebhookEndpointInput!) {\n    updateWebhookEndpoint(id: $id, input: $input) { ...EndpointFields }\n  }\n": typeof types.UpdateEndpointDocument,
    "\n  mutation RotateEndpointSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) { secret endpoint { ...EndpointFields } }\n  }\n": typeof types.RotateEndpointSecretDocument,
    "\n  mutation DeleteEndpoint($id: ID!) {\n    deleteWebhookEndpoint(id: $id)\n  }\n": typeof types.DeleteEndpointDocument,
    "\n  mutation ReplayDelivery($id: ID!) {\n    replayDelivery(id: $id) { ...DeliveryFields }\n  }\n": typeof types.ReplayDeliveryDocument,
    "\n  mutation SendTestWebhook($endpointId: ID!) {\n    sendTestWebhook(endpointId: $endpointId) { ...DeliveryFields }\n  }\n": typeof types.SendTestWebhookDocument,
};
const documents: Documents = {
    "\n  query Me {\n    me {\n      user { id name email roles }\n      tenant { id name slug kind }\n    }\n  }\n": types.MeDocument,
    "\n  fragment ScopeFields on ScopeAnalysis { input valid error normalized context resourceType permissions risk description }\n": types.ScopeFieldsFragmentDoc,
    "\n  query AppDetail($id: ID!) {\n    app(id: $id) {\n      id clientId name description kind public status purpose businessOwnerEmail technicalOwnerEmail\n      redirectUris launchUrl jwksUri createdAt\n      vendor { id name }\n    }\n  }\n": types.AppDetailDocument,
    "\n  query AppGrants($appId: ID!) {\n    grants(first: 100, appId: $appId) {\n      totalCount\n      nodes { id status scopes grantedAt expiresAt dataHolder { id name } }\n    }\n  }\n": types.AppGrantsDocument,
    "\n  query AppRequests($appId: ID!, $after: String) {\n    accessRequests(first: 100, after: $after, appId: $appId) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id status risk createdAt proposedScopes app { id } dataHolder { id name } }\n    }\n  }\n": types.AppRequestsDocument,
    "\n  query DataHolderChoices($search: String) {\n    dataHolders(first: 100, search: $search) {\n      totalCount\n      nodes { id name kind }\n    }\n  }\n": types.DataHolderChoicesDocument,
    "\n  query AnalyzeDraftScopes($scopes: [String!]!) {\n    analyzeScopes(scopes: $scopes) { ...ScopeFields }\n  }\n": types.AnalyzeDraftScopesDocument,
    "\n  mutation UpdateAppDetails($id: ID!, $input: UpdateAppInput!) {\n    updateApp(id: $id, input: $input) { id name }\n  }\n": types.UpdateAppDetailsDocument,
    "\n  mutation RotateAppSecret($appId: ID!) {\n    rotateClientSecret(appId: $appId) { clientSecret app { id } }\n  }\n": types.RotateAppSecretDocument,
    "\n  mutation OffboardApp($id: ID!, $reason: String!) {\n    offboardApp(id: $id, reason: $reason) { id status }\n  }\n": types.OffboardAppDocument,
    "\n  mutation SuspendApp($id: ID!, $reason: String!) {\n    suspendApp(id: $id, reason: $reason) { id status }\n  }\n": types.SuspendAppDocument,
    "\n  mutation ResumeApp($id: ID!) {\n    resumeApp(id: $id) { id status }\n  }\n": types.ResumeAppDocument,
    "\n  mutation RequestAppAccess($input: RequestAccessInput!) {\n    requestAccess(input: $input) { id }\n  }\n": types.RequestAppAccessDocument,
    "\n  query AppsList($after: String, $status: AppStatus) {\n    apps(first: 50, after: $after, status: $status) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id name kind status clientId public createdAt vendor { id name } }\n    }\n  }\n": types.AppsListDocument,
    "\n  mutation RegisterNewApp($input: RegisterAppInput!) {\n    registerApp(input: $input) {\n      clientSecret\n      app { id name clientId public jwksUri }\n    }\n  }\n": types.RegisterNewAppDocument,
    "\n  query AuditTrail($first: Int, $after: String, $action: String, $targetId: ID) {\n    auditEvents(first: $first, after: $after, action: $action, targetId: $targetId) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id at action actor targetType targetId details }\n    }\n  }\n": types.AuditTrailDocument,
    "\n  query Grant($id: ID!) {\n    grant(id: $id) {\n      id status scopes grantedAt expiresAt revokedReason suspendedReason nextReviewDue lastReviewedAt requestId\n      app { id name clientId kind status }\n      vendor { id name }\n      dataHolder { id name }\n      scopeAnalysis { ...ScopeFields }\n    }\n  }\n": types.GrantDocument,
    "\n  query GrantHistory($id: ID!) {\n    auditEvents(first: 100, targetId: $id) {\n      totalCount\n      nodes { id at action actor details }\n    }\n  }\n": types.GrantHistoryDocument,
    "\n  mutation SuspendGrant($id: ID!, $reason: String!) { suspendGrant(id: $id, reason: $reason) { id status } }\n": types.SuspendGrantDocument,
    "\n  mutation ResumeGrant($id: ID!) { resumeGrant(id: $id) { id status } }\n": types.ResumeGrantDocument,
    "\n  mutation RevokeGrant($id: ID!, $reason: String!) { revokeGrant(id: $id, reason: $reason) { id status revokedReason } }\n": types.RevokeGrantDocument,
    "\n  query Grants($after: String, $status: GrantStatus, $appId: ID, $partnerId: ID) {\n    grants(first: 50, after: $after, status: $status, appId: $appId, partnerId: $partnerId) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        status\n        scopes\n        expiresAt\n        nextReviewDue\n        app { id name }\n        vendor { id name }\n        dataHolder { id name }\n      }\n    }\n  }\n": types.GrantsDocument,
    "\n  query Expiring($after: String) {\n    grants(first: 100, after: $after, status: ACTIVE) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id expiresAt }\n    }\n  }\n": types.ExpiringDocument,
    "\n  query Inbox($after: String) {\n    accessRequests(first: 100, after: $after, status: PENDING) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        createdAt\n        risk\n        proposedScopes\n        requiredApprovals\n        approvals { current }\n        app { id name }\n        vendor { id name }\n      }\n    }\n  }\n": types.InboxDocument,
    "\n  query PartnerGrants($after: String) {\n    grants(first: 100, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id status grantedAt vendor { id name kind } dataHolder { id name kind } }\n    }\n  }\n": types.PartnerGrantsDocument,
    "\n  query PartnerRequests($after: String) {\n    accessRequests(first: 100, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id status createdAt vendor { id name kind } dataHolder { id name kind } }\n    }\n  }\n": types.PartnerRequestsDocument,
    "\n  mutation EndPartnership($partnerId: ID!, $reason: String!) {\n    endPartnership(partnerId: $partnerId, reason: $reason) {\n      id status since endedAt endedReason\n      partner { id name }\n    }\n  }\n": types.EndPartnershipDocument,
    "\n  query Request($id: ID!) {\n    accessRequest(id: $id) {\n      id status risk purpose durationDays proposedDurationDays requestedScopes proposedScopes\n      requiredApprovals proposalVersion createdAt decidedAt decisionReason\n      app { id name kind clientId purpose businessOwnerEmail technicalOwnerEmail }\n      vendor { id name }\n      dataHolder { id name }\n      approvals { id approverName approverEmail scopes durationDays comment at current }\n      grant { id status expiresAt scopes }\n      replacesGrant { id }\n      scopeAnalysis { ...ScopeFields }\n      requestedScopeAnalysis { ...ScopeFields }\n    }\n  }\n": types.RequestDocument,
    "\n  mutation Approve($id: ID!, $input: ApproveInput) {\n    approveAccessRequest(id: $id, input: $input) {\n      id status requiredApprovals proposedScopes proposedDurationDays\n      approvals { id current }\n      grant { id scopes expiresAt }\n    }\n  }\n": types.ApproveDocument,
    "\n  mutation Deny($id: ID!, $reason: String!) {\n    denyAccessRequest(id: $id, reason: $reason) { id status decisionReason }\n  }\n": types.DenyDocument,
    "\n  mutation Withdraw($id: ID!) {\n    withdrawAccessRequest(id: $id) { id status }\n  }\n": types.WithdrawDocument,
    "\n  query Requests($after: String, $status: AccessRequestStatus) {\n    accessRequests(first: 50, after: $after, status: $status) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        status\n        risk\n        createdAt\n        proposedScopes\n        app { id name }\n        vendor { id name }\n        dataHolder { id name }\n      }\n    }\n  }\n": types.RequestsDocument,
    "\n  fragment ReviewFields on Review {\n    id dueAt status decidedAt comment escalatedAt\n    decidedBy { id name email }\n    grant {\n      id status expiresAt nextReviewDue lastReviewedAt scopes\n      app { id name }\n      vendor { id name }\n      dataHolder { id name }\n    }\n  }\n": types.ReviewFieldsFragmentDoc,
    "\n  query ReviewsPage($after: String, $status: ReviewStatus, $first: Int) {\n    reviews(first: $first, after: $after, status: $status) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { ...ReviewFields }\n    }\n  }\n": types.ReviewsPageDocument,
    "\n  query ReviewGrantScopes($id: ID!) {\n    grant(id: $id) { id scopeAnalysis { ...ScopeFields } }\n  }\n": types.ReviewGrantScopesDocument,
    "\n  mutation CertifyReview($reviewId: ID!, $comment: String) {\n    certifyGrant(reviewId: $reviewId, comment: $comment) { ...ReviewFields }\n  }\n": types.CertifyReviewDocument,
    "\n  mutation RevokeFromReview($reviewId: ID!, $reason: String!) {\n    revokeFromReview(reviewId: $reviewId, reason: $reason) { ...ReviewFields }\n  }\n": types.RevokeFromReviewDocument,
    "\n  query Review($id: ID!) {\n    review(id: $id) { ...ReviewFields }\n  }\n": types.ReviewDocument,
    "\n  query MemberList($after: String) {\n    users(first: 50, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id name email roles active }\n    }\n  }\n": types.MemberListDocument,
    "\n  query OpenInvitations {\n    invitations(first: 100) {\n      totalCount\n      nodes { id email roles expiresAt createdAt }\n    }\n  }\n": types.OpenInvitationsDocument,
    "\n  mutation InviteMember($email: String!, $roles: [Role!]!) {\n    inviteUser(email: $email, roles: $roles) { id token email roles expiresAt }\n  }\n": types.InviteMemberDocument,
    "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) { id revokedAt }\n  }\n": types.RevokeInvitationDocument,
    "\n  mutation DeactivateMember($userId: ID!) {\n    deactivateUser(userId: $userId) { id active }\n  }\n": types.DeactivateMemberDocument,
    "\n  query PolicySettings {\n    approvalPolicy {\n      requiredApprovals highRiskRequiredApprovals maxGrantDays highRiskMaxGrantDays forbiddenScopes\n      allowedAppKinds reviewIntervalDays autoApproveLowRisk onMissedReview\n    }\n  }\n": types.PolicySettingsDocument,
    "\n  mutation SavePolicy($input: ApprovalPolicyInput!) {\n    updateApprovalPolicy(input: $input) {\n      requiredApprovals highRiskRequiredApprovals maxGrantDays highRiskMaxGrantDays forbiddenScopes\n      allowedAppKinds reviewIntervalDays autoApproveLowRisk onMissedReview\n    }\n  }\n": types.SavePolicyDocument,
    "\n  query AnalyzeForbiddenScopes($scopes: [String!]!) {\n    analyzeScopes(scopes: $scopes) { ...ScopeFields }\n  }\n": types.AnalyzeForbiddenScopesDocument,
    "\n  query TokenList($after: String) {\n    apiTokens(first: 50, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id name roles createdAt expiresAt lastUsedAt revokedAt }\n    }\n  }\n": types.TokenListDocument,
    "\n  mutation CreateToken($name: String!, $expiresInDays: Int!, $roles: [Role!]) {\n    createApiToken(name: $name, expiresInDays: $expiresInDays, roles: $roles) {\n      token\n      apiToken { id name roles expiresAt }\n    }\n  }\n": types.CreateTokenDocument,
    "\n  mutation RevokeToken($id: ID!) {\n    revokeApiToken(id: $id) { id revokedAt }\n  }\n": types.RevokeTokenDocument,
    "\n  fragment EndpointFields on WebhookEndpoint {\n    id url description eventTypes enabled disabledReason failingSince previousSecretExpiresAt createdAt updatedAt\n  }\n": types.EndpointFieldsFragmentDoc,
    "\n  fragment DeliveryFields on Delivery {\n    id endpointId eventId eventType status attempts nextAttemptAt lastStatusCode lastError createdAt deliveredAt\n  }\n": types.DeliveryFieldsFragmentDoc,
    "\n  query WebhookEndpointList($after: String) {\n    webhookEndpoints(first: 100, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes { ...EndpointFields }\n    }\n  }\n": types.WebhookEndpointListDocument,
    "\n  query WebhookEndpoint($id: ID!) {\n    webhookEndpoint(id: $id) { ...EndpointFields }\n  }\n": types.WebhookEndpointDocument,
    "\n  query EndpointDeliveries($endpointId: ID, $status: DeliveryStatus, $after: String) {\n    deliveries(first: 50, after: $after, endpointId: $endpointId, status: $status) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { ...DeliveryFields }\n    }\n  }\n": types.EndpointDeliveriesDocument,
    "\n  query MailDeliveryLog($status: MailStatus, $after: String) {\n    mailDeliveries(first: 50, after: $after, status: $status) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id eventType recipient subject status attempts nextAttemptAt lastError createdAt sentAt }\n    }\n  }\n": types.MailDeliveryLogDocument,
    "\n  mutation CreateEndpoint($input: WebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) { secret endpoint { ...EndpointFields } }\n  }\n": types.CreateEndpointDocument,
    "\n  mutation UpdateEndpoint($id: ID!, $input: WebhookEndpointInput!) {\n    updateWebhookEndpoint(id: $id, input: $input) { ...EndpointFields }\n  }\n": types.UpdateEndpointDocument,
    "\n  mutation RotateEndpointSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) { secret endpoint { ...EndpointFields } }\n  }\n": types.RotateEndpointSecretDocument,
    "\n  mutation DeleteEndpoint($id: ID!) {\n    deleteWebhookEndpoint(id: $id)\n  }\n": types.DeleteEndpointDocument,
    "\n  mutation ReplayDelivery($id: ID!) {\n    replayDelivery(id: $id) { ...DeliveryFields }\n  }\n": types.ReplayDeliveryDocument,
    "\n  mutation SendTestWebhook($endpointId: ID!) {\n    sendTestWebhook(endpointId: $endpointId) { ...DeliveryFields }\n  }\n": types.SendTestWebhookDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      user { id name email roles }\n      tenant { id name slug kind }\n    }\n  }\n"): typeof import('./graphql').MeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ScopeFields on ScopeAnalysis { input valid error normalized context resourceType permissions risk description }\n"): typeof import('./graphql').ScopeFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppDetail($id: ID!) {\n    app(id: $id) {\n      id clientId name description kind public status purpose businessOwnerEmail technicalOwnerEmail\n      redirectUris launchUrl jwksUri createdAt\n      vendor { id name }\n    }\n  }\n"): typeof import('./graphql').AppDetailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppGrants($appId: ID!) {\n    grants(first: 100, appId: $appId) {\n      totalCount\n      nodes { id status scopes grantedAt expiresAt dataHolder { id name } }\n    }\n  }\n"): typeof import('./graphql').AppGrantsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppRequests($appId: ID!, $after: String) {\n    accessRequests(first: 100, after: $after, appId: $appId) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id status risk createdAt proposedScopes app { id } dataHolder { id name } }\n    }\n  }\n"): typeof import('./graphql').AppRequestsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DataHolderChoices($search: String) {\n    dataHolders(first: 100, search: $search) {\n      totalCount\n      nodes { id name kind }\n    }\n  }\n"): typeof import('./graphql').DataHolderChoicesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AnalyzeDraftScopes($scopes: [String!]!) {\n    analyzeScopes(scopes: $scopes) { ...ScopeFields }\n  }\n"): typeof import('./graphql').AnalyzeDraftScopesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateAppDetails($id: ID!, $input: UpdateAppInput!) {\n    updateApp(id: $id, input: $input) { id name }\n  }\n"): typeof import('./graphql').UpdateAppDetailsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateAppSecret($appId: ID!) {\n    rotateClientSecret(appId: $appId) { clientSecret app { id } }\n  }\n"): typeof import('./graphql').RotateAppSecretDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OffboardApp($id: ID!, $reason: String!) {\n    offboardApp(id: $id, reason: $reason) { id status }\n  }\n"): typeof import('./graphql').OffboardAppDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SuspendApp($id: ID!, $reason: String!) {\n    suspendApp(id: $id, reason: $reason) { id status }\n  }\n"): typeof import('./graphql').SuspendAppDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResumeApp($id: ID!) {\n    resumeApp(id: $id) { id status }\n  }\n"): typeof import('./graphql').ResumeAppDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RequestAppAccess($input: RequestAccessInput!) {\n    requestAccess(input: $input) { id }\n  }\n"): typeof import('./graphql').RequestAppAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AppsList($after: String, $status: AppStatus) {\n    apps(first: 50, after: $after, status: $status) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id name kind status clientId public createdAt vendor { id name } }\n    }\n  }\n"): typeof import('./graphql').AppsListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegisterNewApp($input: RegisterAppInput!) {\n    registerApp(input: $input) {\n      clientSecret\n      app { id name clientId public jwksUri }\n    }\n  }\n"): typeof import('./graphql').RegisterNewAppDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditTrail($first: Int, $after: String, $action: String, $targetId: ID) {\n    auditEvents(first: $first, after: $after, action: $action, targetId: $targetId) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id at action actor targetType targetId details }\n    }\n  }\n"): typeof import('./graphql').AuditTrailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Grant($id: ID!) {\n    grant(id: $id) {\n      id status scopes grantedAt expiresAt revokedReason suspendedReason nextReviewDue lastReviewedAt requestId\n      app { id name clientId kind status }\n      vendor { id name }\n      dataHolder { id name }\n      scopeAnalysis { ...ScopeFields }\n    }\n  }\n"): typeof import('./graphql').GrantDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query GrantHistory($id: ID!) {\n    auditEvents(first: 100, targetId: $id) {\n      totalCount\n      nodes { id at action actor details }\n    }\n  }\n"): typeof import('./graphql').GrantHistoryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SuspendGrant($id: ID!, $reason: String!) { suspendGrant(id: $id, reason: $reason) { id status } }\n"): typeof import('./graphql').SuspendGrantDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResumeGrant($id: ID!) { resumeGrant(id: $id) { id status } }\n"): typeof import('./graphql').ResumeGrantDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeGrant($id: ID!, $reason: String!) { revokeGrant(id: $id, reason: $reason) { id status revokedReason } }\n"): typeof import('./graphql').RevokeGrantDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Grants($after: String, $status: GrantStatus, $appId: ID, $partnerId: ID) {\n    grants(first: 50, after: $after, status: $status, appId: $appId, partnerId: $partnerId) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        status\n        scopes\n        expiresAt\n        nextReviewDue\n        app { id name }\n        vendor { id name }\n        dataHolder { id name }\n      }\n    }\n  }\n"): typeof import('./graphql').GrantsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Expiring($after: String) {\n    grants(first: 100, after: $after, status: ACTIVE) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id expiresAt }\n    }\n  }\n"): typeof import('./graphql').ExpiringDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Inbox($after: String) {\n    accessRequests(first: 100, after: $after, status: PENDING) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        createdAt\n        risk\n        proposedScopes\n        requiredApprovals\n        approvals { current }\n        app { id name }\n        vendor { id name }\n      }\n    }\n  }\n"): typeof import('./graphql').InboxDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PartnerGrants($after: String) {\n    grants(first: 100, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id status grantedAt vendor { id name kind } dataHolder { id name kind } }\n    }\n  }\n"): typeof import('./graphql').PartnerGrantsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PartnerRequests($after: String) {\n    accessRequests(first: 100, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes { id status createdAt vendor { id name kind } dataHolder { id name kind } }\n    }\n  }\n"): typeof import('./graphql').PartnerRequestsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EndPartnership($partnerId: ID!, $reason: String!) {\n    endPartnership(partnerId: $partnerId, reason: $reason) {\n      id status since endedAt endedReason\n      partner { id name }\n    }\n  }\n"): typeof import('./graphql').EndPartnershipDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Request($id: ID!) {\n    accessRequest(id: $id) {\n      id status risk purpose durationDays proposedDurationDays requestedScopes proposedScopes\n      requiredApprovals proposalVersion createdAt decidedAt decisionReason\n      app { id name kind clientId purpose businessOwnerEmail technicalOwnerEmail }\n      vendor { id name }\n      dataHolder { id name }\n      approvals { id approverName approverEmail scopes durationDays comment at current }\n      grant { id status expiresAt scopes }\n      replacesGrant { id }\n      scopeAnalysis { ...ScopeFields }\n      requestedScopeAnalysis { ...ScopeFields }\n    }\n  }\n"): typeof import('./graphql').RequestDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Approve($id: ID!, $input: ApproveInput) {\n    approveAccessRequest(id: $id, input: $input) {\n      id status requiredApprovals proposedScopes proposedDurationDays\n      approvals { id current }\n      grant { id scopes expiresAt }\n    }\n  }\n"): typeof import('./graphql').ApproveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Deny($id: ID!, $reason: String!) {\n    denyAccessRequest(id: $id, reason: $reason) { id status decisionReason }\n  }\n"): typeof import('./graphql').DenyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Withdraw($id: ID!) {\n    withdrawAccessRequest(id: $id) { id status }\n  }\n"): typeof import('./graphql').WithdrawDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Requests($after: String, $status: AccessRequestStatus) {\n    accessRequests(first: 50, after: $after, status: $status) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes {\n        id\n        status\n        risk\n        createdAt\n        proposedScopes\n        app { id name }\n        vendor { id name }\n        dataHolder { id name }\n      }\n    }\n  }\n"): typeof import('./graphql').RequestsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ReviewFields on Review {\n    id dueAt status decidedAt comment escalatedAt\n    decidedBy { id name email }\n    grant {\n      id status expiresAt nextReviewDue lastReviewedAt scopes\n      app { id name }\n      vendor { id name }\n      dataHolder { id name }\n    }\n  }\n"): typeof import('./graphql').ReviewFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReviewsPage($after: String, $status: ReviewStatus, $first: Int) {\n    reviews(first: $first, after: $after, status: $status) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { ...ReviewFields }\n    }\n  }\n"): typeof import('./graphql').ReviewsPageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReviewGrantScopes($id: ID!) {\n    grant(id: $id) { id scopeAnalysis { ...ScopeFields } }\n  }\n"): typeof import('./graphql').ReviewGrantScopesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CertifyReview($reviewId: ID!, $comment: String) {\n    certifyGrant(reviewId: $reviewId, comment: $comment) { ...ReviewFields }\n  }\n"): typeof import('./graphql').CertifyReviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeFromReview($reviewId: ID!, $reason: String!) {\n    revokeFromReview(reviewId: $reviewId, reason: $reason) { ...ReviewFields }\n  }\n"): typeof import('./graphql').RevokeFromReviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Review($id: ID!) {\n    review(id: $id) { ...ReviewFields }\n  }\n"): typeof import('./graphql').ReviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MemberList($after: String) {\n    users(first: 50, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id name email roles active }\n    }\n  }\n"): typeof import('./graphql').MemberListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OpenInvitations {\n    invitations(first: 100) {\n      totalCount\n      nodes { id email roles expiresAt createdAt }\n    }\n  }\n"): typeof import('./graphql').OpenInvitationsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteMember($email: String!, $roles: [Role!]!) {\n    inviteUser(email: $email, roles: $roles) { id token email roles expiresAt }\n  }\n"): typeof import('./graphql').InviteMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeInvitation($id: ID!) {\n    revokeInvitation(id: $id) { id revokedAt }\n  }\n"): typeof import('./graphql').RevokeInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeactivateMember($userId: ID!) {\n    deactivateUser(userId: $userId) { id active }\n  }\n"): typeof import('./graphql').DeactivateMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PolicySettings {\n    approvalPolicy {\n      requiredApprovals highRiskRequiredApprovals maxGrantDays highRiskMaxGrantDays forbiddenScopes\n      allowedAppKinds reviewIntervalDays autoApproveLowRisk onMissedReview\n    }\n  }\n"): typeof import('./graphql').PolicySettingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SavePolicy($input: ApprovalPolicyInput!) {\n    updateApprovalPolicy(input: $input) {\n      requiredApprovals highRiskRequiredApprovals maxGrantDays highRiskMaxGrantDays forbiddenScopes\n      allowedAppKinds reviewIntervalDays autoApproveLowRisk onMissedReview\n    }\n  }\n"): typeof import('./graphql').SavePolicyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AnalyzeForbiddenScopes($scopes: [String!]!) {\n    analyzeScopes(scopes: $scopes) { ...ScopeFields }\n  }\n"): typeof import('./graphql').AnalyzeForbiddenScopesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TokenList($after: String) {\n    apiTokens(first: 50, after: $after) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id name roles createdAt expiresAt lastUsedAt revokedAt }\n    }\n  }\n"): typeof import('./graphql').TokenListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateToken($name: String!, $expiresInDays: Int!, $roles: [Role!]) {\n    createApiToken(name: $name, expiresInDays: $expiresInDays, roles: $roles) {\n      token\n      apiToken { id name roles expiresAt }\n    }\n  }\n"): typeof import('./graphql').CreateTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeToken($id: ID!) {\n    revokeApiToken(id: $id) { id revokedAt }\n  }\n"): typeof import('./graphql').RevokeTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EndpointFields on WebhookEndpoint {\n    id url description eventTypes enabled disabledReason failingSince previousSecretExpiresAt createdAt updatedAt\n  }\n"): typeof import('./graphql').EndpointFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DeliveryFields on Delivery {\n    id endpointId eventId eventType status attempts nextAttemptAt lastStatusCode lastError createdAt deliveredAt\n  }\n"): typeof import('./graphql').DeliveryFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookEndpointList($after: String) {\n    webhookEndpoints(first: 100, after: $after) {\n      pageInfo { hasNextPage endCursor }\n      nodes { ...EndpointFields }\n    }\n  }\n"): typeof import('./graphql').WebhookEndpointListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookEndpoint($id: ID!) {\n    webhookEndpoint(id: $id) { ...EndpointFields }\n  }\n"): typeof import('./graphql').WebhookEndpointDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EndpointDeliveries($endpointId: ID, $status: DeliveryStatus, $after: String) {\n    deliveries(first: 50, after: $after, endpointId: $endpointId, status: $status) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { ...DeliveryFields }\n    }\n  }\n"): typeof import('./graphql').EndpointDeliveriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MailDeliveryLog($status: MailStatus, $after: String) {\n    mailDeliveries(first: 50, after: $after, status: $status) {\n      totalCount\n      pageInfo { hasNextPage endCursor }\n      nodes { id eventType recipient subject status attempts nextAttemptAt lastError createdAt sentAt }\n    }\n  }\n"): typeof import('./graphql').MailDeliveryLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateEndpoint($input: WebhookEndpointInput!) {\n    createWebhookEndpoint(input: $input) { secret endpoint { ...EndpointFields } }\n  }\n"): typeof import('./graphql').CreateEndpointDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateEndpoint($id: ID!, $input: WebhookEndpointInput!) {\n    updateWebhookEndpoint(id: $id, input: $input) { ...EndpointFields }\n  }\n"): typeof import('./graphql').UpdateEndpointDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateEndpointSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) { secret endpoint { ...EndpointFields } }\n  }\n"): typeof import('./graphql').RotateEndpointSecretDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteEndpoint($id: ID!) {\n    deleteWebhookEndpoint(id: $id)\n  }\n"): typeof import('./graphql').DeleteEndpointDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReplayDelivery($id: ID!) {\n    replayDelivery(id: $id) { ...DeliveryFields }\n  }\n"): typeof import('./graphql').ReplayDeliveryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendTestWebhook($endpointId: ID!) {\n    sendTestWebhook(endpointId: $endpointId) { ...DeliveryFields }\n  }\n"): typeof import('./graphql').SendTestWebhookDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
