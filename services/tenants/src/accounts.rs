//! Sign-up, operator-created tenants, login and invitations.

use crate::credentials::INVITATION_PREFIX;
use crate::domain::{Password, TenantStatus, UserStatus, roles, slugify, text};
use crate::entities::{invitation, tenant, user};
use crate::error::{Error, Result};
use crate::invitations::{inviter_still_admin, is_open};
use crate::records::{InvitationRecord, TenantRecord, UserRecord};
use crate::service::{NewTenant, Session, Tenants};
use accord_db::audit::{self, AuditEntry};
use accord_db::store::{Throttle, ThrottleKey, ThrottlePolicy};
use accord_kernel::email::Email;
use accord_kernel::error::field_error;
use accord_kernel::secret::{hash_secret, new_token, token_hash, verify_secret};
use accord_kernel::{Actor, Principal, Role, RoleSet};
use chrono::Duration;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;
use std::time::Duration as StdDuration;
use tracing::instrument;

/// Failed logins allowed per email (SPEC §2.8) before attempts must wait out a back-off.
pub const LOGIN_FAILURES_PER_EMAIL: u64 = 10;
/// Failed logins allowed per client address before attempts from it must wait out a back-off.
pub const LOGIN_FAILURES_PER_IP: u64 = 50;
/// An email or address with no failed login for this long starts again from zero.
pub const LOGIN_WINDOW: StdDuration = StdDuration::from_secs(15 * 60);
/// How login attempts are throttled, per email and per client address: the limit's attempts
/// go ahead at once, then each further one only 1 s, 2 s, 4 s … (at most 5 minutes) after the
/// previous counted attempt. A stranger guessing at a named approver's account therefore
/// costs them at most a few minutes' wait, never a lock-out.
pub const LOGIN_THROTTLE: ThrottlePolicy =
    ThrottlePolicy { window: LOGIN_WINDOW, base_backoff: StdDuration::from_secs(1), max_backoff: StdDuration::from_secs(5 * 60) };
/// How long an invitation stays valid.
pub const INVITATION_DAYS: i64 = 7;

// A valid argon2id hash of a random string: unknown emails are checked against it so a wrong
// email takes as long as a wrong password.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$jDbYd7Vqm0UFbuPpU5iAUPCJOm3ALFdf1Sy8tWbD8Y8";

impl Tenants {
    /// Self-service sign-up: a new organization of an allowed kind, with the signer as its first
    /// ADMIN, logged in.
    ///
    /// # Errors
    /// `Invalid` naming the field (including a kind not open for sign-up); `Conflict` when the
    /// email already has an account.
    #[instrument(skip_all, fields(kind = %input.kind))]
    pub async fn sign_up(&self, input: NewTenant) -> Result<Session> {
        if !self.signup_kinds.contains(&input.kind) {
            return Err(Error::Invalid(field_error(
                "kind",
                format!("{} organizations cannot sign up here; an operator creates them with `accord tenants create`", input.kind),
            )));
        }
        let (_, u) = self.create_tenant(input, &Actor::System, "tenant.signed_up").await?;
        let token = self.sessions.issue(&u.id, &u.tenant_id, u.session_version, self.clock.now())?;
        Ok(Session { token, user: u })
    }

    /// Creates an organization of any kind with its first ADMIN (operators' CLI and sign-up).
    ///
    /// # Errors
    /// As [`Tenants::sign_up`], without the kind restriction.
    #[instrument(skip_all, fields(kind = %input.kind, action = action))]
    pub async fn create_tenant(&self, input: NewTenant, actor: &Actor, action: &str) -> Result<(TenantRecord, UserRecord)> {
        let name = text("organizationName", &input.name, 200).map_err(Error::Invalid)?;
        let admin_name = text("name", &input.admin_name, 200).map_err(Error::Invalid)?;
        let email = Email::parse("email", &input.admin_email).map_err(Error::Invalid)?;
        let password = Password::parse("password", &input.admin_password).map_err(Error::Invalid)?;
        // A taken email is refused before the deliberately slow hash (checked again under the
        // write lock below).
        ensure_email_free(&self.db, &email).await?;
        let hash = hash_secret(password.expose().to_owned()).await?;
        let new = NewOrg { name: &name, kind: input.kind, admin_name: &admin_name, email: &email, hash: &hash };
        accord_db::retrying("create_tenant", || self.insert_tenant(&new, actor, action)).await
    }

    async fn insert_tenant(&self, new: &NewOrg<'_>, actor: &Actor, action: &str) -> Result<(TenantRecord, UserRecord)> {
        let now = self.clock.now();
        let tx = accord_db::begin(&self.db).await?;
        ensure_email_free(&tx, new.email).await?;
        let slug = free_slug(&tx, &slugify(new.name)).await?;
        let t = tenant::ActiveModel {
            id: Set(accord_kernel::new_id()),
            name: Set(new.name.to_owned()),
            slug: Set(slug),
            kind: Set(new.kind.as_str().to_owned()),
            status: Set(TenantStatus::Active.as_str().to_owned()),
            created_at: Set(now),
        }
        .insert(&tx)
        .await?;
        let u = insert_user(&tx, &t.id, new.email, new.admin_name, new.hash.to_owned(), &RoleSet::new([Role::Admin]), now).await?;
        audit::record(
            &tx,
            now,
            AuditEntry {
                actor,
                action,
                target_type: "tenant",
                target_id: &t.id,
                tenant_ids: vec![t.id.clone()],
                details: json!({ "name": t.name, "slug": t.slug, "kind": t.kind, "adminUserId": u.id, "adminEmail": u.email }),
            },
        )
        .await?;
        let records = (TenantRecord::try_from(t)?, UserRecord::try_from(u)?);
        tx.commit().await?;
        Ok(records)
    }

    /// Password login. Wrong password and unknown email answer identically (same message,
    /// comparable time). Every attempt is counted as a failure *before* the password is checked
    /// (atomically, in the shared store: across replicas when it is Redis), so parallel guesses
    /// cannot pass the limit: after [`LOGIN_FAILURES_PER_EMAIL`] failures for one email, or
    /// [`LOGIN_FAILURES_PER_IP`] from one address, further attempts answer `RateLimited`
    /// without checking the password until the back-off of [`LOGIN_THROTTLE`] has passed. A
    /// success clears the email's count and gives back the address's attempt.
    ///
    /// # Errors
    /// `BadCredentials`, `RateLimited`, or `Internal`.
    #[instrument(skip_all)]
    pub async fn login(&self, email: &str, password: &str, client_ip: Option<&str>) -> Result<Session> {
        let normalized = email.trim().to_lowercase();
        let email_key = format!("login:throttle:email:{}", token_hash(&normalized));
        let ip_key = client_ip.map(|ip| format!("login:throttle:ip:{ip}"));
        let mut keys = vec![ThrottleKey { key: &email_key, max: LOGIN_FAILURES_PER_EMAIL }];
        if let Some(k) = &ip_key {
            keys.push(ThrottleKey { key: k, max: LOGIN_FAILURES_PER_IP });
        }
        if let Throttle::Refused { retry_after } = self.store.throttle(&keys, LOGIN_THROTTLE, self.clock.now().timestamp_millis()).await? {
            return Err(Error::RateLimited { retry_after_secs: retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0) });
        }
        let found = user::Entity::find().filter(user::Column::Email.eq(normalized)).one(&self.db).await?;
        let hash = found.as_ref().map_or_else(|| DUMMY_HASH.to_owned(), |u| u.password_hash.clone());
        let ok = verify_secret(hash, password.to_owned()).await;
        let user = match found {
            Some(u) if ok && u.status == UserStatus::Active.as_str() => UserRecord::try_from(u)?,
            _ => return Err(Error::BadCredentials),
        };
        let t = crate::lookup::tenant_by_id(&self.db, &user.tenant_id).await?;
        if t.is_none_or(|t| !t.is_active()) {
            return Err(Error::BadCredentials);
        }
        self.store.delete(&email_key).await?;
        if let Some(k) = &ip_key {
            self.store.refund(k).await?;
        }
        let token = self.sessions.issue(&user.id, &user.tenant_id, user.session_version, self.clock.now())?;
        Ok(Session { token, user })
    }

    /// Invites someone into the caller's organization (ADMIN). The clear token is returned
    /// once; only its hash is kept.
    ///
    /// # Errors
    /// `Forbidden` for non-admins; `Invalid` naming the field; `Conflict` when the email
    /// already has an account.
    #[instrument(skip_all, fields(tenant_id = %ctx.tenant_id))]
    pub async fn invite(&self, ctx: &Principal, email: &str, wanted: &[Role]) -> Result<(InvitationRecord, String)> {
        accord_db::retrying("invite", || self.invite_tx(ctx, email, wanted)).await
    }

    async fn invite_tx(&self, ctx: &Principal, email: &str, wanted: &[Role]) -> Result<(InvitationRecord, String)> {
        ctx.require(Role::Admin, "invite people")?;
        let email = Email::parse("email", email).map_err(Error::Invalid)?;
        let role_set = roles("roles", wanted).map_err(Error::Invalid)?;
        let now = self.clock.now();
        let (clear, hash) = new_token(INVITATION_PREFIX);
        let tx = accord_db::begin(&self.db).await?;
        ensure_email_free(&tx, &email).await?;
        let inv = invitation::ActiveModel {
            id: Set(accord_kernel::new_id()),
            tenant_id: Set(ctx.tenant_id.clone()),
            email: Set(email.as_str().to_owned()),
            roles: Set(role_set.to_storage()),
            token_hash: Set(hash),
            invited_by: Set(ctx.user_id.clone()),
            expires_at: Set(now + Duration::days(INVITATION_DAYS)),
            accepted_at: Set(None),
            created_at: Set(now),
            revoked_at: Set(None),
        }
        .insert(&tx)
        .await?;
        audit::record(
            &tx,
            now,
            AuditEntry {
                actor: &ctx.actor,
                action: "user.invited",
                target_type: "invitation",
                target_id: &inv.id,
                tenant_ids: vec![ctx.tenant_id.clone()],
                details: json!({ "email": inv.email, "roles": inv.roles, "expiresAt": inv.expires_at }),
            },
        )
        .await?;
        tx.commit().await?;
        Ok((inv.into(), clear))
    }

    /// Accepts an invitation: creates the user with the invited roles and logs them in. An
    /// invitation works once, and not after it expires, is revoked, or its inviter is no longer
    /// an active ADMIN of the organization (SPEC §2.9).
    ///
    /// # Errors
    /// `Invalid` naming the field (including an unknown, used, expired, revoked or void token,
    /// all with the same message); `Conflict` when the email got an account meanwhile.
    #[instrument(skip_all)]
    pub async fn accept_invitation(&self, token: &str, name: &str, password: &str) -> Result<Session> {
        accord_db::retrying("accept_invitation", || self.accept_invitation_tx(token, name, password)).await
    }

    async fn accept_invitation_tx(&self, token: &str, name: &str, password: &str) -> Result<Session> {
        let name = text("name", name, 200).map_err(Error::Invalid)?;
        let password = Password::parse("password", password).map_err(Error::Invalid)?;
        let invalid = || Error::Invalid(field_error("token", "the invitation is unknown, expired or already used"));
        let now = self.clock.now();
        let inv = invitation::Entity::find()
            .filter(invitation::Column::TokenHash.eq(token_hash(token.trim())))
            .one(&self.db)
            .await?
            .ok_or_else(invalid)?;
        if !is_open(&inv, now) || !inviter_still_admin(&self.db, &inv).await? {
            return Err(invalid());
        }
        let hash = hash_secret(password.expose().to_owned()).await?;
        let email = Email::parse("email", &inv.email).map_err(Error::Invalid)?;
        let tx = accord_db::begin(&self.db).await?;
        // The conditional update is the single-use guarantee, also when two accepts race.
        let claimed = invitation::Entity::update_many()
            .col_expr(invitation::Column::AcceptedAt, Expr::value(now))
            .filter(invitation::Column::Id.eq(inv.id.clone()))
            .filter(invitation::Column::AcceptedAt.is_null())
            .filter(invitation::Column::RevokedAt.is_null())
            .exec(&tx)
            .await?;
        // Checked again inside the transaction: the inviter may have lost ADMIN meanwhile.
        if claimed.rows_affected != 1 || !inviter_still_admin(&tx, &inv).await? {
            return Err(invalid());
        }
        ensure_email_free(&tx, &email).await?;
        let u = insert_user(&tx, &inv.tenant_id, &email, &name, hash, &RoleSet::from_storage(&inv.roles), now).await?;
        audit::record(
            &tx,
            now,
            AuditEntry {
                actor: &Actor::User { user_id: u.id.clone() },
                action: "user.joined",
                target_type: "user",
                target_id: &u.id,
                tenant_ids: vec![u.tenant_id.clone()],
                details: json!({ "invitationId": inv.id, "email": u.email, "roles": u.roles }),
            },
        )
        .await?;
        let user = UserRecord::try_from(u)?;
        tx.commit().await?;
        let token = self.sessions.issue(&user.id, &user.tenant_id, user.session_version, now)?;
        Ok(Session { token, user })
    }
}

/// A validated organization with its first admin, ready to insert.
struct NewOrg<'a> {
    name: &'a str,
    kind: accord_kernel::TenantKind,
    admin_name: &'a str,
    email: &'a Email,
    hash: &'a str,
}

async fn ensure_email_free(tx: &impl ConnectionTrait, email: &Email) -> Result<()> {
    let taken = user::Entity::find().filter(user::Column::Email.eq(email.as_str())).count(tx).await? > 0;
    if taken { Err(Error::Conflict(field_error("email", "already has an account"))) } else { Ok(()) }
}

async fn free_slug(tx: &impl ConnectionTrait, base: &str) -> Result<String> {
    for n in 1..1000 {
        let candidate = if n == 1 { base.to_owned() } else { format!("{base}-{n}") };
        if tenant::Entity::find().filter(tenant::Column::Slug.eq(candidate.clone())).count(tx).await? == 0 {
            return Ok(candidate);
        }
    }
    Ok(format!("{base}-{}", &accord_kernel::new_id()[..8]))
}

async fn insert_user(
    tx: &impl ConnectionTrait,
    tenant_id: &str,
    email: &Email,
    name: &str,
    password_hash: String,
    roles: &RoleSet,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<user::Model> {
    user::ActiveModel {
        id: Set(accord_kernel::new_id()),
        tenant_id: Set(tenant_id.to_owned()),
        email: Set(email.as_str().to_owned()),
        name: Set(name.to_owned()),
        password_hash: Set(password_hash),
        roles: Set(roles.to_storage()),
        status: Set(UserStatus::Active.as_str().to_owned()),
        session_version: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(tx)
    .await
    .map_err(|e| match e.sql_err() {
        // The unique index is the last word when two writers race (docs/concurrency.md).
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => Error::Conflict(field_error("email", "already has an account")),
        _ => Error::Db(e),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_dummy_hash_is_a_real_argon2id_hash_so_unknown_emails_cost_the_same() {
        let h = argon2::password_hash::PasswordHash::new(super::DUMMY_HASH).unwrap();
        assert_eq!(h.algorithm.as_str(), "argon2id");
    }
}
