//! The audit trail: an append-only, hash-chained record of every change and decision, written
//! in the same transaction as the change (SPEC §2.5). Each event's hash covers its content and
//! the previous event's hash; the chain head row serializes writers so the chain never forks.
//! [`verify`] walks the chain and names the first altered or missing event.

use accord_kernel::Actor;
use accord_kernel::page::{Page, PageRequest};
use chrono::{DateTime, SecondsFormat, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ConnectionTrait, ExprTrait, QueryOrder, QuerySelect, QueryTrait};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The audit tables.
pub(crate) mod entity {
    /// One audit event.
    pub mod event {
        use sea_orm::entity::prelude::*;

        /// An immutable record of a change or decision.
        #[sea_orm::model]
        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "audit_events")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub id: String,
            pub seq: i64,
            pub at: DateTimeUtc,
            pub actor: String,
            pub action: String,
            pub target_type: String,
            pub target_id: String,
            pub tenant_ids: String,
            #[sea_orm(column_type = "Text")]
            pub details: String,
            pub prev_hash: String,
            pub hash: String,
        }

        impl ActiveModelBehavior for ActiveModel {}
    }

    /// Which tenants an event concerns (one row per tenant, indexed for listing).
    pub mod event_tenant {
        use sea_orm::entity::prelude::*;

        /// An (event, tenant) pair.
        #[sea_orm::model]
        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "audit_event_tenants")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub tenant_id: String,
            #[sea_orm(primary_key, auto_increment = false)]
            pub event_id: String,
        }

        impl ActiveModelBehavior for ActiveModel {}
    }

    /// The single chain-head row: the last sequence number and hash.
    pub mod chain {
        use sea_orm::entity::prelude::*;

        /// The head of the chain.
        #[sea_orm::model]
        #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
        #[sea_orm(table_name = "audit_chain")]
        pub struct Model {
            #[sea_orm(primary_key, auto_increment = false)]
            pub id: i32,
            pub seq: i64,
            pub last_hash: String,
        }

        impl ActiveModelBehavior for ActiveModel {}
    }
}

use entity::{chain, event, event_tenant};

/// An audit event as other crates read it.
#[derive(Debug, Clone, PartialEq)]
pub struct AuditRecord {
    /// Its id.
    pub id: String,
    /// Its place in the chain.
    pub seq: i64,
    /// When.
    pub at: DateTime<Utc>,
    /// Who (`user:<id>`, `api_token:<id>`, `app:<clientId>`, `system`).
    pub actor: String,
    /// What was done.
    pub action: String,
    /// The kind of thing acted on.
    pub target_type: String,
    /// Its id.
    pub target_id: String,
    /// The tenants it concerns.
    pub tenant_ids: Vec<String>,
    /// Anything else recorded.
    pub details: Value,
}

impl TryFrom<event::Model> for AuditRecord {
    type Error = DbErr;

    /// Refuses a row whose details are not JSON (they are written only as JSON).
    fn try_from(m: event::Model) -> Result<Self, DbErr> {
        let details = serde_json::from_str(&m.details).map_err(|e| DbErr::Json(format!("audit event {}: details: {e}", m.id)))?;
        let tenant_ids = m.tenant_ids.split(',').filter(|t| !t.is_empty()).map(str::to_owned).collect();
        Ok(Self {
            id: m.id,
            seq: m.seq,
            at: m.at,
            actor: m.actor,
            action: m.action,
            target_type: m.target_type,
            target_id: m.target_id,
            tenant_ids,
            details,
        })
    }
}

/// The hash before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What to record. `details` must never hold a secret, a token or a password.
#[derive(Debug, Clone)]
pub struct AuditEntry<'a> {
    /// Who did it.
    pub actor: &'a Actor,
    /// What was done, e.g. `user.invited` or a SPEC §6 event type.
    pub action: &'a str,
    /// The kind of thing acted on, e.g. `tenant`.
    pub target_type: &'a str,
    /// Its id.
    pub target_id: &'a str,
    /// The tenants it concerns (whose auditors see it).
    pub tenant_ids: Vec<String>,
    /// Anything else worth keeping.
    pub details: Value,
}

fn ts(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn compute_hash(m: &event::Model) -> String {
    // A JSON array is an unambiguous encoding: no field can smuggle a delimiter.
    let canonical =
        serde_json::json!([m.seq, m.id, ts(m.at), m.actor, m.action, m.target_type, m.target_id, m.tenant_ids, m.details, m.prev_hash]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// Records an event inside the caller's transaction and returns its id.
///
/// # Errors
/// When a write fails; the caller's transaction then rolls back with the change it audits.
pub async fn record(tx: &impl ConnectionTrait, now: DateTime<Utc>, entry: AuditEntry<'_>) -> Result<String, DbErr> {
    // Taking the head row's write lock first serializes audited transactions (PostgreSQL holds
    // it to commit; SQLite write transactions are already exclusive).
    chain::Entity::update_many()
        // i64 like `record_many`: one SQL text, one parameter type in the prepared-statement cache.
        .col_expr(chain::Column::Seq, Expr::col(chain::Column::Seq).add(1_i64))
        .filter(chain::Column::Id.eq(1))
        .exec(tx)
        .await?;
    let head = chain::Entity::find_by_id(1).one(tx).await?.ok_or_else(|| DbErr::RecordNotFound("audit chain head".into()))?;
    let mut tenants = entry.tenant_ids.clone();
    tenants.sort();
    tenants.dedup();
    let mut m = event::Model {
        id: accord_kernel::new_id(),
        seq: head.seq,
        at: accord_kernel::clock::to_micros(now),
        actor: entry.actor.to_string(),
        action: entry.action.to_owned(),
        target_type: entry.target_type.to_owned(),
        target_id: entry.target_id.to_owned(),
        tenant_ids: tenants.join(","),
        details: entry.details.to_string(),
        prev_hash: head.last_hash,
        hash: String::new(),
    };
    m.hash = compute_hash(&m);
    let id = m.id.clone();
    let hash = m.hash.clone();
    event::ActiveModel::from(m).insert(tx).await?;
    if !tenants.is_empty() {
        event_tenant::Entity::insert_many(
            tenants.into_iter().map(|t| event_tenant::ActiveModel { tenant_id: Set(t), event_id: Set(id.clone()) }),
        )
        .exec(tx)
        .await?;
    }
    chain::Entity::update_many().col_expr(chain::Column::LastHash, Expr::value(hash)).filter(chain::Column::Id.eq(1)).exec(tx).await?;
    Ok(id)
}

/// Records many events inside the caller's transaction, chained in the order given, with one
/// update of the chain head and multi-row inserts (the scheduled sweeps audit thousands of
/// changes at once). Returns their ids in order.
///
/// # Errors
/// When a write fails; the caller's transaction then rolls back with the changes it audits.
pub async fn record_many(tx: &impl ConnectionTrait, now: DateTime<Utc>, entries: &[AuditEntry<'_>]) -> Result<Vec<String>, DbErr> {
    if entries.is_empty() {
        return Ok(Vec::new());
    }
    let n = i64::try_from(entries.len()).map_err(|_| DbErr::Custom("too many audit events at once".into()))?;
    chain::Entity::update_many()
        .col_expr(chain::Column::Seq, Expr::col(chain::Column::Seq).add(n))
        .filter(chain::Column::Id.eq(1))
        .exec(tx)
        .await?;
    let head = chain::Entity::find_by_id(1).one(tx).await?.ok_or_else(|| DbErr::RecordNotFound("audit chain head".into()))?;
    let mut prev = head.last_hash;
    let mut events = Vec::with_capacity(entries.len());
    let mut links = Vec::new();
    for (seq, entry) in (head.seq - n + 1..).zip(entries) {
        let mut tenants = entry.tenant_ids.clone();
        tenants.sort();
        tenants.dedup();
        let mut m = event::Model {
            id: accord_kernel::new_id(),
            seq,
            at: accord_kernel::clock::to_micros(now),
            actor: entry.actor.to_string(),
            action: entry.action.to_owned(),
            target_type: entry.target_type.to_owned(),
            target_id: entry.target_id.to_owned(),
            tenant_ids: tenants.join(","),
            details: entry.details.to_string(),
            prev_hash: prev,
            hash: String::new(),
        };
        m.hash = compute_hash(&m);
        prev = m.hash.clone();
        links.extend(tenants.into_iter().map(|t| event_tenant::ActiveModel { tenant_id: Set(t), event_id: Set(m.id.clone()) }));
        events.push(m);
    }
    let ids = events.iter().map(|m| m.id.clone()).collect();
    for chunk in events.chunks(500) {
        event::Entity::insert_many(chunk.iter().cloned().map(event::ActiveModel::from)).exec_without_returning(tx).await?;
    }
    for chunk in links.chunks(1000) {
        event_tenant::Entity::insert_many(chunk.to_vec()).exec_without_returning(tx).await?;
    }
    chain::Entity::update_many().col_expr(chain::Column::LastHash, Expr::value(prev)).filter(chain::Column::Id.eq(1)).exec(tx).await?;
    Ok(ids)
}

/// The outcome of [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    /// Events checked.
    pub checked: u64,
    /// The first problem, naming the event; `None` when the chain is intact.
    pub problem: Option<String>,
}

/// Walks the whole chain in order and reports the first altered or missing event.
///
/// # Errors
/// On database failure.
pub async fn verify(db: &impl ConnectionTrait) -> Result<VerifyReport, DbErr> {
    let head = chain::Entity::find_by_id(1).one(db).await?;
    let mut prev_hash = GENESIS.to_owned();
    let mut expected_seq = 1i64;
    let mut checked = 0u64;
    loop {
        let batch =
            event::Entity::find().filter(event::Column::Seq.gte(expected_seq)).order_by_asc(event::Column::Seq).limit(1000).all(db).await?;
        if batch.is_empty() {
            break;
        }
        for m in batch {
            if m.seq != expected_seq {
                return Ok(VerifyReport {
                    checked,
                    problem: Some(format!("event #{expected_seq} is missing (the next present is {} #{})", m.id, m.seq)),
                });
            }
            if m.prev_hash != prev_hash || compute_hash(&m) != m.hash {
                return Ok(VerifyReport {
                    checked,
                    problem: Some(format!("event {} (#{}, {} on {} {}) was altered", m.id, m.seq, m.action, m.target_type, m.target_id)),
                });
            }
            prev_hash = m.hash;
            expected_seq += 1;
            checked += 1;
        }
    }
    if let Some(h) = head
        && (h.seq != expected_seq - 1 || (h.seq > 0 && h.last_hash != prev_hash))
    {
        return Ok(VerifyReport {
            checked,
            problem: Some(format!("events #{expected_seq} to #{} are missing from the end of the trail", h.seq)),
        });
    }
    Ok(VerifyReport { checked, problem: None })
}

/// Filters for listing a tenant's events.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Only this action.
    pub action: Option<String>,
    /// Only events about this target.
    pub target_id: Option<String>,
}

/// Events that concern `tenant_id`, newest first.
///
/// # Errors
/// On database failure.
pub async fn list_for_tenant(
    db: &impl ConnectionTrait,
    tenant_id: &str,
    filter: &AuditFilter,
    page: &PageRequest,
) -> Result<Page<AuditRecord>, DbErr> {
    let ids = event_tenant::Entity::find()
        .select_only()
        .column(event_tenant::Column::EventId)
        .filter(event_tenant::Column::TenantId.eq(tenant_id))
        .into_query();
    let mut q = event::Entity::find().filter(event::Column::Id.in_subquery(ids));
    if let Some(a) = &filter.action {
        q = q.filter(event::Column::Action.eq(a.clone()));
    }
    if let Some(t) = &filter.target_id {
        q = q.filter(event::Column::TargetId.eq(t.clone()));
    }
    let page = crate::page::keyset(db, q, event::Column::Id, crate::page::Order::NewestFirst, page).await?;
    let (items, has_next, total) = (page.items, page.has_next, page.total);
    Ok(Page { items: items.into_iter().map(AuditRecord::try_from).collect::<Result<_, _>>()?, has_next, total })
}

/// The sequence number of the last event (0 before the first).
///
/// # Errors
/// On database failure.
pub async fn head_seq(db: &impl ConnectionTrait) -> Result<i64, DbErr> {
    Ok(chain::Entity::find_by_id(1).one(db).await?.map_or(0, |c| c.seq))
}

/// Events after `seq`, in chain order, at most `limit` of them: the change feed. Audited
/// transactions take the chain head first and hold it to commit, so sequence numbers become
/// visible in order and a reader that saw `seq` never later finds an event before it.
///
/// # Errors
/// On database failure or a row whose details are not JSON.
pub async fn since(db: &impl ConnectionTrait, seq: i64, limit: u64) -> Result<Vec<AuditRecord>, DbErr> {
    let rows = event::Entity::find().filter(event::Column::Seq.gt(seq)).order_by_asc(event::Column::Seq).limit(limit).all(db).await?;
    rows.into_iter().map(AuditRecord::try_from).collect()
}

/// Events about a target, oldest first (tests and operators).
///
/// # Errors
/// On database failure.
pub async fn for_target(db: &impl ConnectionTrait, target_id: &str) -> Result<Vec<AuditRecord>, DbErr> {
    let rows = event::Entity::find().filter(event::Column::TargetId.eq(target_id)).order_by_asc(event::Column::Seq).all(db).await?;
    rows.into_iter().map(AuditRecord::try_from).collect()
}
