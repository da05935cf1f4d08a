//! `rotateSigningKey`: a data holder's ADMIN retires the token-signing key (it stays published
//! until its last token expires) and makes a new one current.

use crate::Enforcement;
use accord_kernel::gql::{GqlResultExt, principal, service};
use async_graphql::{Context, Object, Result};

/// Mutations of enforcement.
#[derive(Default)]
pub struct EnforcementMutation;

#[Object]
impl EnforcementMutation {
    /// Rotates your organization's token-signing key (data holder ADMIN) and returns the new
    /// key's `kid`. Tokens signed with the old key stay valid until they expire; the old key
    /// is published in `/t/{slug}/.well-known/jwks.json` until then.
    async fn rotate_signing_key(&self, ctx: &Context<'_>) -> Result<String> {
        let p = principal(ctx)?;
        service::<Enforcement>(ctx)?.rotate_signing_key(p).await.gql(ctx)
    }
}
