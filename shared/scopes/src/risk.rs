//! How risky granting a scope is, for approval policy (how many approvers, how long).

use std::fmt;

use crate::model::{Context, Permissions, Resource, Scope};

/// The risk of a scope or set. Ordered `Low < Medium < High`, so the risk of a set is the
/// `max` of its members. Serializes as `"LOW"`, `"MEDIUM"`, `"HIGH"`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Risk {
    /// Reading one patient's data of one resource type, and non-resource scopes other
    /// than `offline_access`.
    Low,
    /// `user/` reads, reads of every resource type (`*`), and `offline_access`.
    Medium,
    /// Any create, update or delete; any `system/` scope; any `*` scope with more than
    /// read and search.
    High,
}

impl Risk {
    /// `LOW`, `MEDIUM` or `HIGH`.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Low => "LOW",
            Self::Medium => "MEDIUM",
            Self::High => "HIGH",
        }
    }
}

impl fmt::Display for Risk {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Scope {
    /// The risk of granting this scope (SPEC §4).
    #[must_use]
    pub fn risk(&self) -> Risk {
        match self {
            Self::Resource(r) => {
                let beyond_read = !Permissions::V1_READ.contains(r.permissions);
                if r.permissions.writes() || r.context == Context::System || (r.resource == Resource::All && beyond_read) {
                    Risk::High
                } else if r.context == Context::User || r.resource == Resource::All {
                    Risk::Medium
                } else {
                    Risk::Low
                }
            }
            Self::OfflineAccess => Risk::Medium,
            _ => Risk::Low,
        }
    }
}
