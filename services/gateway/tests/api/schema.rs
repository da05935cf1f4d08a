/// `frontend/schema.graphql` is the reviewed copy of the API contract: every change to the
/// schema shows up in review as a change to that file. On drift this test rewrites the file
/// and fails, so the next run (and the commit) carries the new schema.
#[test]
fn frontend_schema_matches_accord_schema() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../frontend/schema.graphql");
    let current = accord_gateway::schema::sdl();
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != current {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &current).unwrap();
        panic!("frontend/schema.graphql was out of date and has been rewritten; review and commit it");
    }
}

#[test]
fn the_schema_keeps_the_fixed_names() {
    let sdl = accord_gateway::schema::sdl();
    for name in [
        "me: Viewer!",
        "dataHolders(first: Int, after: String, search: String): TenantConnection!",
        "auditEvents(first: Int, after: String, action: String, targetId: ID): AuditEventConnection!",
        "analyzeScopes(scopes: [String!]!): [ScopeAnalysis!]!",
        "signUp(input: SignUpInput!): AuthPayload!",
        "login(email: String!, password: String!): AuthPayload!",
        "inviteUser(email: String!, roles: [Role!]!): Invitation!",
        "acceptInvitation(token: String!, name: String!, password: String!): AuthPayload!",
        "createApiToken(name: String!, expiresInDays: Int!, roles: [Role!]): ApiTokenPayload!",
        "revokeApiToken(id: ID!): ApiToken!",
        "logout: Boolean!",
        "revokeInvitation(id: ID!): Invitation!",
        "invitations(first: Int, after: String): InvitationConnection!",
        "totalCount: Int!",
    ] {
        assert!(sdl.contains(name), "missing `{name}` in\n{sdl}");
    }
}
