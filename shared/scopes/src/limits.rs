//! Size limits on untrusted input: they bound the work one request can cause.

/// Longest accepted scope, in bytes (1 KiB).
pub const MAX_SCOPE_LEN: usize = 1024;

/// Most scopes accepted in one set (counted before merging).
pub const MAX_SCOPES_PER_SET: usize = 100;
