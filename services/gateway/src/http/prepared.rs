//! Documents parsed and inspected once per text: a portal or a client library sends the same
//! few operations over and over, so the parse and the bound checks of [`inspect`] are done for
//! the first one and reused (the parsed document is cloned into each request; validation and
//! execution still run per request, with that request's variables and caller).
//!
//! Keyed by the full text (never by a hash alone: a collision must not run another document),
//! bounded in entries and in text size; a full cache is emptied and refills.

use super::document::{Inspection, OperationNames, inspect};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Request, ServerError};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};

/// How many distinct documents are kept.
pub const MAX_DOCUMENTS: usize = 1_000;
/// Texts longer than this are parsed every time (a cache of huge one-off documents would be a
/// memory lever for a caller).
pub const MAX_CACHED_TEXT: usize = 16 * 1024;

struct Prepared {
    doc: ExecutableDocument,
    operation_name: Option<String>,
    inspection: Inspection,
}

/// The cache. One per process, shared by every request.
#[derive(Default)]
pub struct PreparedDocuments {
    by_text: RwLock<HashMap<String, Arc<Prepared>>>,
}

impl std::fmt::Debug for PreparedDocuments {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PreparedDocuments").field("len", &self.len()).finish()
    }
}

impl PreparedDocuments {
    /// Puts the parsed document into `request` and inspects it as it will execute, from the
    /// cache when this text (with this operation name) was seen before.
    ///
    /// # Errors
    /// The parse error, as the executor would report it.
    pub fn prepare(&self, request: &mut Request, names: &OperationNames) -> Result<Inspection, ServerError> {
        let hit = self.by_text.read().ok().and_then(|m| m.get(&request.query).cloned());
        if let Some(p) = hit.filter(|p| p.operation_name == request.operation_name) {
            request.set_parsed_query(p.doc.clone());
            return Ok(p.inspection.clone());
        }
        let operation_name = request.operation_name.clone();
        let text = (request.query.len() <= MAX_CACHED_TEXT).then(|| request.query.clone());
        let doc = request.parsed_query()?;
        let inspection = inspect(doc, operation_name.as_deref(), names);
        if let Some(text) = text {
            let prepared = Arc::new(Prepared { doc: doc.clone(), operation_name, inspection: inspection.clone() });
            if let Ok(mut m) = self.by_text.write() {
                if m.len() >= MAX_DOCUMENTS {
                    m.clear();
                }
                m.insert(text, prepared);
            }
        }
        Ok(inspection)
    }

    /// How many documents are cached.
    #[must_use]
    pub fn len(&self) -> usize {
        self.by_text.read().map_or(0, |m| m.len())
    }

    /// Whether none is.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names() -> OperationNames {
        OperationNames::from_sdl("type Query { me: Int, other: Int } type Mutation { logout: Boolean }")
    }

    #[test]
    fn a_repeated_document_is_parsed_once_and_inspected_alike() {
        let (cache, names) = (PreparedDocuments::default(), names());
        let text = "query A { me } mutation B { logout }";
        let mut first = Request::new(text).operation_name("B");
        let a = cache.prepare(&mut first, &names).unwrap();
        assert!(a.mutation);
        assert_eq!(cache.len(), 1);
        let mut again = Request::new(text).operation_name("B");
        let b = cache.prepare(&mut again, &names).unwrap();
        assert_eq!(a, b);
        assert!(again.parsed_query().is_ok_and(|d| d.operations.iter().count() == 2), "the cached document is in the request");
        assert_eq!(cache.len(), 1);
    }

    #[test]
    fn another_operation_name_of_the_same_text_is_inspected_for_itself() {
        let (cache, names) = (PreparedDocuments::default(), names());
        let text = "query A { me } mutation B { logout }";
        assert!(cache.prepare(&mut Request::new(text).operation_name("B"), &names).unwrap().mutation);
        assert!(!cache.prepare(&mut Request::new(text).operation_name("A"), &names).unwrap().mutation, "not B's inspection");
    }

    #[test]
    fn a_parse_error_is_reported_and_not_kept_and_huge_texts_are_not_kept() {
        let (cache, names) = (PreparedDocuments::default(), names());
        assert!(cache.prepare(&mut Request::new("{ me "), &names).is_err());
        let huge = format!("{{ me {} }}", " ".repeat(MAX_CACHED_TEXT));
        assert!(cache.prepare(&mut Request::new(huge), &names).is_ok());
        assert!(cache.is_empty());
    }

    #[test]
    fn a_full_cache_is_emptied_rather_than_grown() {
        let (cache, names) = (PreparedDocuments::default(), names());
        for i in 0..=MAX_DOCUMENTS {
            cache.prepare(&mut Request::new(format!("query Q{i} {{ me }}")), &names).unwrap();
        }
        assert_eq!(cache.len(), 1, "emptied at {MAX_DOCUMENTS}, then the last one kept");
    }
}
