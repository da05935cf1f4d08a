//! Mail sending: a due mail is claimed with a lease before it is handed to SMTP, so no two
//! relays send it and a restart does not resend what the server accepted; transient failures
//! (4xx, connection refused, timeouts) retry with backoff, permanent ones (5xx) end `FAILED`
//! with the server's answer kept and shown (`mailDeliveries`), never dropped.
//!
//! The one window left: a relay that dies after the server accepted a mail and before it
//! recorded so resends it when the lease ends — with the same `Message-ID`, which mail systems
//! and ticketing deduplicate on.

use crate::domain::{self, MailStatus};
use crate::entities::mail;
use crate::error::Result;
use crate::mailer::{OutgoingMail, SendError};
use crate::metrics::Count;
use crate::records::MailRecord;
use crate::service::Notifications;
use accord_db::page::{Order, keyset};
use accord_kernel::page::{Page, PageRequest};
use accord_kernel::{Principal, Role};
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, LockBehavior, LockType};
use sea_orm::{ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, ExprTrait, QueryFilter, QueryOrder, QuerySelect};

/// How long a mail claim holds (the SMTP conversation's timeouts and a margin).
const LEASE: Duration = Duration::seconds(60);

impl Notifications {
    /// Claims up to `limit` due mails.
    pub(crate) async fn claim_mails(&self, now: DateTime<Utc>, limit: u64) -> Result<Vec<mail::Model>> {
        accord_db::retrying("claim_mails", || self.claim_mails_tx(now, limit)).await
    }

    async fn claim_mails_tx(&self, now: DateTime<Utc>, limit: u64) -> Result<Vec<mail::Model>> {
        let tx = accord_db::begin_unaudited(&self.db).await?;
        let mut q = mail::Entity::find()
            .filter(mail::Column::Status.eq(MailStatus::Pending.as_str()))
            .filter(mail::Column::NextAttemptAt.lte(now))
            .filter(mail::Column::LeaseUntil.is_null().or(mail::Column::LeaseUntil.lte(now)))
            .order_by_asc(mail::Column::NextAttemptAt)
            .limit(limit);
        if tx.get_database_backend() == DbBackend::Postgres {
            q = q.lock_with_behavior(LockType::Update, LockBehavior::SkipLocked);
        }
        let rows = q.all(&tx).await?;
        if !rows.is_empty() {
            mail::Entity::update_many()
                .col_expr(mail::Column::LeaseUntil, Expr::value(now + LEASE))
                .filter(mail::Column::Id.is_in(rows.iter().map(|m| m.id.clone())))
                .exec(&tx)
                .await?;
        }
        tx.commit().await?;
        Ok(rows)
    }

    /// Sends one claimed mail and records how it went.
    pub(crate) async fn send_mail(&self, m: &mail::Model) -> Result<()> {
        let out = OutgoingMail {
            from: self.config.mail_from.clone(),
            to: m.recipient.clone(),
            subject: m.subject.clone(),
            text: m.text_body.clone(),
            html: m.html_body.clone(),
            message_id: m.message_id.clone(),
            headers: vec![("X-Accord-Event".to_owned(), m.event_type.clone()), ("X-Accord-Event-Id".to_owned(), m.event_id.clone())],
        };
        let result = self.mailer.send(&out).await;
        let now = self.clock.now();
        accord_db::retrying("settle_mail", || self.settle_mail_tx(m, &result, now)).await
    }

    async fn settle_mail_tx(&self, m: &mail::Model, result: &Result<(), SendError>, now: DateTime<Utc>) -> Result<()> {
        let tx = accord_db::begin_unaudited(&self.db).await?;
        let attempts = m.attempts + 1;
        let q = mail::Entity::update_many()
            .col_expr(mail::Column::Attempts, Expr::value(attempts))
            .col_expr(mail::Column::LeaseUntil, Expr::value(Option::<DateTime<Utc>>::None));
        let q = match result {
            Ok(()) => {
                self.metrics.count(Count::MailSent);
                q.col_expr(mail::Column::Status, Expr::value(MailStatus::Sent.as_str()))
                    .col_expr(mail::Column::SentAt, Expr::value(now))
                    .col_expr(mail::Column::NextAttemptAt, Expr::value(Option::<DateTime<Utc>>::None))
                    .col_expr(mail::Column::LastError, Expr::value(Option::<String>::None))
            }
            Err(e) => {
                let next = match e {
                    SendError::Transient(_) => domain::mail_retry_delay(attempts).map(|d| now + d),
                    SendError::Permanent(_) => None,
                };
                let status = if next.is_some() { MailStatus::Pending } else { MailStatus::Failed };
                self.metrics.count(if next.is_some() { Count::MailRetrying } else { Count::MailFailed });
                tracing::warn!(mail_id = %m.id, event_id = %m.event_id, attempts, error = %e, status = status.as_str(), "mail not sent");
                q.col_expr(mail::Column::Status, Expr::value(status.as_str()))
                    .col_expr(mail::Column::NextAttemptAt, Expr::value(next))
                    .col_expr(mail::Column::LastError, Expr::value(e.to_string().chars().take(500).collect::<String>()))
            }
        };
        q.filter(mail::Column::Id.eq(m.id.clone())).filter(mail::Column::Attempts.eq(m.attempts)).exec(&tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Mails to the caller's organization's people, newest first (ADMIN or AUDITOR), optionally
    /// of one status: where a failed mail shows.
    ///
    /// # Errors
    /// `Forbidden`; database failure.
    pub async fn mails(&self, ctx: &Principal, status: Option<MailStatus>, page: &PageRequest) -> Result<Page<MailRecord>> {
        if !(ctx.allows(Role::Admin) || ctx.allows(Role::Auditor)) {
            return Err(crate::Error::Forbidden("only an ADMIN or AUDITOR may list mail deliveries".into()));
        }
        let mut q = mail::Entity::find().filter(mail::Column::TenantId.eq(ctx.tenant_id.clone()));
        if let Some(s) = status {
            q = q.filter(mail::Column::Status.eq(s.as_str()));
        }
        let rows = keyset(self.db.reader(), q, mail::Column::Id, Order::NewestFirst, page).await?;
        let items = rows.items.into_iter().map(MailRecord::try_from).collect::<Result<Vec<_>>>()?;
        Ok(Page { items, has_next: rows.has_next, total: rows.total })
    }
}
