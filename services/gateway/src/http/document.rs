//! What a GraphQL document asks for, read before anything runs: which operation will execute,
//! which root fields it selects (fragment spreads and inline fragments expanded) and how many
//! fields it expands to. The edge uses it to refuse documents that break a bound (SPEC §2.8: one
//! `signUp`, `login` or `acceptInvitation` per request; no fragment bombs), to give pure
//! introspection its own limits, and to label metrics with a name from a bounded set.

use async_graphql::parser::parse_schema;
use async_graphql::parser::types::{
    DocumentOperations, ExecutableDocument, OperationDefinition, OperationType, Selection, SelectionSet, TypeKind, TypeSystemDefinition,
};
use std::collections::{BTreeSet, HashMap, HashSet};

/// Root fields that each hash a password (and may create an organization): a request selects at
/// most one of them in total, so one HTTP request never buys many argon2 hashes or accounts.
pub const ONE_PER_REQUEST: [&str; 3] = ["signUp", "login", "acceptInvitation"];

/// The introspection meta-fields a query may select at its root.
const META_FIELDS: [&str; 3] = ["__schema", "__type", "__typename"];

/// The name graphql-js, GraphiQL and most tools give their introspection operation.
const INTROSPECTION_QUERY: &str = "IntrospectionQuery";

/// How deeply fragments may nest at the root of an operation (legitimate documents use one or
/// two levels; the bound keeps the walk's recursion small).
pub const MAX_ROOT_FRAGMENT_NESTING: usize = 32;

/// How deeply selections and fragment spreads may nest in a document (the executor refuses more
/// than 32 anyway; the bound keeps this walk's recursion small).
pub const MAX_DOCUMENT_NESTING: usize = 64;

/// Most fields a document may expand to, fragments inlined, over all its operations. The
/// executor's complexity limit ([`crate::schema::MAX_COMPLEXITY`]) refuses such documents too,
/// but only after its validation has expanded every spread: ten fragments that each spread the
/// next twice are 1,024 copies, twenty-five are 33 million, and a kilobyte of them held a worker
/// for most of a minute. This walk is linear (each fragment is sized once).
pub const MAX_EXPANDED_FIELDS: usize = 5 * crate::schema::MAX_COMPLEXITY;

/// The operation names metrics may carry: the root fields of the schema's query and mutation
/// types, and [`INTROSPECTION_QUERY`]. Anything else a client invents counts as `other`.
#[derive(Debug, Clone, Default)]
pub struct OperationNames {
    query: BTreeSet<String>,
    mutation: BTreeSet<String>,
}

impl OperationNames {
    /// Reads the root fields from the schema's SDL.
    #[must_use]
    pub fn from_sdl(sdl: &str) -> Self {
        let Ok(doc) = parse_schema(sdl) else {
            return Self::default();
        };
        let (mut query_type, mut mutation_type) = ("Query".to_owned(), "Mutation".to_owned());
        for def in &doc.definitions {
            if let TypeSystemDefinition::Schema(s) = def {
                if let Some(q) = &s.node.query {
                    query_type = q.node.to_string();
                }
                if let Some(m) = &s.node.mutation {
                    mutation_type = m.node.to_string();
                }
            }
        }
        let mut names = Self::default();
        for def in &doc.definitions {
            if let TypeSystemDefinition::Type(t) = def
                && let TypeKind::Object(object) = &t.node.kind
            {
                let fields = object.fields.iter().map(|f| f.node.name.node.to_string());
                if t.node.name.node == query_type {
                    names.query.extend(fields);
                } else if t.node.name.node == mutation_type {
                    names.mutation.extend(fields);
                }
            }
        }
        names
    }

    fn is_known(&self, name: &str) -> bool {
        name == INTROSPECTION_QUERY || self.query.contains(name) || self.mutation.contains(name)
    }

    fn is_root_field(&self, ty: OperationType, field: &str) -> bool {
        META_FIELDS.contains(&field)
            || match ty {
                OperationType::Query => self.query.contains(field),
                OperationType::Mutation => self.mutation.contains(field),
                OperationType::Subscription => false,
            }
    }

    /// The metrics label of an operation: `anonymous` when it has no name; its name when that is
    /// a known one; else its single root field when that is a schema field; else `other`.
    fn label(&self, name: Option<&str>, ty: Option<OperationType>, fields: &BTreeSet<&str>) -> String {
        let Some(name) = name else {
            return "anonymous".to_owned();
        };
        if self.is_known(name) {
            return name.to_owned();
        }
        let mut only = fields.iter();
        match (ty, only.next(), only.next()) {
            (Some(ty), Some(field), None) if self.is_root_field(ty, field) => (*field).to_owned(),
            _ => "other".to_owned(),
        }
    }

    /// The label of a request whose document did not parse.
    #[must_use]
    pub fn label_unparsed(&self, name: Option<&str>) -> String {
        self.label(name, None, &BTreeSet::new())
    }
}

/// What the edge learned about a parsed document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// The bounded metrics label.
    pub label: String,
    /// The executed operation is a query selecting only `__schema`, `__type` or `__typename` at
    /// its root (so it reaches no resolver of ours).
    pub introspection_only: bool,
    /// Why the document is refused before it runs, if it is.
    pub refusal: Option<String>,
    /// The executed operation is a mutation (enforcement catches up with it before answering).
    pub mutation: bool,
}

/// Inspects a document as it will execute with `operation_name`. When the executed operation
/// cannot be told (an unknown name, or several operations and none named), every operation is
/// counted: the executor will refuse such a document anyway, and counting more never lets a
/// bound slip.
#[must_use]
pub fn inspect(doc: &ExecutableDocument, operation_name: Option<&str>, names: &OperationNames) -> Inspection {
    let mut sizer = Sizer { doc, sizes: HashMap::new(), expanding: HashSet::new(), too_deep: false };
    let expanded = doc.operations.iter().fold(0usize, |n, (_, op)| n.saturating_add(sizer.expanded(&op.node.selection_set.node, 0)));
    let mut walker = Walker { doc, memo: HashMap::new(), expanding: HashSet::new() };
    let mut roots = Roots::default();
    let (name, ty) = match selected_operation(doc, operation_name) {
        Some((name, op)) => {
            walker.selection_set(&op.selection_set.node, 0, &mut roots);
            (name, Some(op.ty))
        }
        None => {
            for (_, op) in doc.operations.iter() {
                walker.selection_set(&op.node.selection_set.node, 0, &mut roots);
            }
            (operation_name, None)
        }
    };
    let refusal = if sizer.too_deep {
        Some(format!("Query is nested too deep: selections and fragments may nest at most {MAX_DOCUMENT_NESTING} levels"))
    } else if expanded > MAX_EXPANDED_FIELDS {
        Some(format!("Query is too complex: with its fragments expanded it selects more than {MAX_EXPANDED_FIELDS} fields"))
    } else if roots.too_deep {
        Some(format!("fragments at the root of an operation may nest at most {MAX_ROOT_FRAGMENT_NESTING} deep"))
    } else if roots.one_per_request > 1 {
        Some(format!(
            "at most one signUp, login or acceptInvitation may be selected per request (aliases, repeats and fragments \
             count); this document selects {}: send them as separate requests",
            roots.one_per_request
        ))
    } else {
        None
    };
    let introspection_only = ty == Some(OperationType::Query)
        && !roots.too_deep
        && !roots.names.is_empty()
        && roots.names.iter().all(|n| META_FIELDS.contains(n));
    Inspection { label: names.label(name, ty, &roots.names), introspection_only, refusal, mutation: ty == Some(OperationType::Mutation) }
}

/// The operation the executor will run, exactly as async-graphql picks it: the one named by
/// `operationName`, or else the only one; `None` when it will refuse the document instead.
fn selected_operation<'a>(doc: &'a ExecutableDocument, requested: Option<&'a str>) -> Option<(Option<&'a str>, &'a OperationDefinition)> {
    match (&doc.operations, requested) {
        (DocumentOperations::Single(_), Some(_)) => None,
        (DocumentOperations::Single(op), None) => Some((None, &op.node)),
        (DocumentOperations::Multiple(ops), Some(name)) => ops.get(name).map(|op| (Some(name), &op.node)),
        (DocumentOperations::Multiple(ops), None) if ops.len() == 1 => ops.iter().next().map(|(n, op)| (Some(n.as_str()), &op.node)),
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// The root fields of a selection set, fragments expanded.
#[derive(Debug, Clone, Default)]
struct Roots<'a> {
    /// Distinct field names.
    names: BTreeSet<&'a str>,
    /// Occurrences of [`ONE_PER_REQUEST`] fields (aliases and repeats each count).
    one_per_request: usize,
    /// Fragments nest deeper than [`MAX_ROOT_FRAGMENT_NESTING`].
    too_deep: bool,
}

impl<'a> Roots<'a> {
    fn merge(&mut self, other: &Roots<'a>) {
        self.names.extend(other.names.iter().copied());
        self.one_per_request = self.one_per_request.saturating_add(other.one_per_request);
        self.too_deep |= other.too_deep;
    }
}

/// Walks root selections. Each fragment is summarized once (so a fragment spread many times, or
/// fragments spreading each other many times, cost no more than their size); a fragment that
/// spreads itself contributes nothing the second time (validation refuses such cycles later).
struct Walker<'a> {
    doc: &'a ExecutableDocument,
    memo: HashMap<&'a str, Roots<'a>>,
    expanding: HashSet<&'a str>,
}

impl<'a> Walker<'a> {
    fn selection_set(&mut self, set: &'a SelectionSet, depth: usize, out: &mut Roots<'a>) {
        if depth > MAX_ROOT_FRAGMENT_NESTING {
            out.too_deep = true;
            return;
        }
        for item in &set.items {
            match &item.node {
                Selection::Field(field) => {
                    let name = field.node.name.node.as_str();
                    if ONE_PER_REQUEST.contains(&name) {
                        out.one_per_request = out.one_per_request.saturating_add(1);
                    }
                    out.names.insert(name);
                }
                Selection::InlineFragment(fragment) => self.selection_set(&fragment.node.selection_set.node, depth + 1, out),
                Selection::FragmentSpread(spread) => {
                    let summary = self.fragment(spread.node.fragment_name.node.as_str(), depth + 1);
                    out.merge(&summary);
                }
            }
        }
    }

    fn fragment(&mut self, name: &'a str, depth: usize) -> Roots<'a> {
        if let Some(done) = self.memo.get(name) {
            return done.clone();
        }
        let Some(definition) = self.doc.fragments.get(name) else {
            return Roots::default();
        };
        if !self.expanding.insert(name) {
            return Roots::default();
        }
        let mut roots = Roots::default();
        self.selection_set(&definition.node.selection_set.node, depth, &mut roots);
        self.expanding.remove(name);
        self.memo.insert(name, roots.clone());
        roots
    }
}

/// Counts the fields a document expands to, as the executor's validation walks it (every spread
/// inlined), without inlining: each fragment is sized once and reused. A fragment that spreads
/// itself counts nothing the second time (the executor refuses such cycles).
struct Sizer<'a> {
    doc: &'a ExecutableDocument,
    sizes: HashMap<&'a str, usize>,
    expanding: HashSet<&'a str>,
    too_deep: bool,
}

impl<'a> Sizer<'a> {
    fn expanded(&mut self, set: &'a SelectionSet, depth: usize) -> usize {
        if depth > MAX_DOCUMENT_NESTING {
            self.too_deep = true;
            return 0;
        }
        set.items.iter().fold(0usize, |n, item| {
            let size = match &item.node {
                Selection::Field(field) => self.expanded(&field.node.selection_set.node, depth + 1).saturating_add(1),
                Selection::InlineFragment(fragment) => self.expanded(&fragment.node.selection_set.node, depth + 1),
                Selection::FragmentSpread(spread) => self.fragment(spread.node.fragment_name.node.as_str(), depth + 1),
            };
            n.saturating_add(size)
        })
    }

    fn fragment(&mut self, name: &'a str, depth: usize) -> usize {
        if let Some(size) = self.sizes.get(name) {
            return *size;
        }
        let Some(definition) = self.doc.fragments.get(name) else {
            return 0;
        };
        if !self.expanding.insert(name) {
            return 0;
        }
        let size = self.expanded(&definition.node.selection_set.node, depth);
        self.expanding.remove(name);
        self.sizes.insert(name, size);
        size
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use async_graphql::parser::parse_query;

    const SDL: &str = "type QueryRoot { me: String analyzeScopes: [String] }\n\
                       type MutationRoot { signUp: String login: String acceptInvitation: String registerApp: String }\n\
                       schema { query: QueryRoot mutation: MutationRoot }";

    fn names() -> OperationNames {
        OperationNames::from_sdl(SDL)
    }

    fn run(query: &str, operation: Option<&str>) -> Inspection {
        inspect(&parse_query(query).unwrap(), operation, &names())
    }

    #[test]
    fn root_fields_come_from_the_schemas_query_and_mutation_types() {
        let n = names();
        assert!(n.query.contains("me") && n.query.contains("analyzeScopes"));
        assert!(n.mutation.contains("signUp") && n.mutation.contains("registerApp"));
        assert!(!n.query.contains("signUp"));
    }

    #[test]
    fn one_sign_up_or_login_passes() {
        assert_eq!(run("mutation { signUp }", None).refusal, None);
        assert_eq!(run("mutation M { login registerApp }", None).refusal, None);
    }

    #[test]
    fn aliases_repeats_and_mixed_credential_fields_are_counted_together() {
        let aliased: String = (0..20).map(|i| format!("a{i}: signUp ")).collect();
        let r = run(&format!("mutation {{ {aliased} }}"), None);
        assert!(r.refusal.as_deref().unwrap().contains("at most one signUp, login or acceptInvitation"), "{r:?}");
        assert!(r.refusal.as_deref().unwrap().contains("selects 20"), "{r:?}");
        assert!(run("mutation { login login }", None).refusal.is_some());
        assert!(run("mutation { signUp acceptInvitation }", None).refusal.is_some());
    }

    #[test]
    fn fields_in_fragments_and_inline_fragments_at_the_root_count() {
        let q = "mutation { ...F ... on MutationRoot { login } } fragment F on MutationRoot { signUp }";
        assert!(run(q, None).refusal.is_some());
        let q = "mutation { ...F ...F } fragment F on MutationRoot { login }";
        assert!(run(q, None).refusal.is_some());
        let q = "mutation { ... { ... { a: login } } b: login }";
        assert!(run(q, None).refusal.is_some());
        let q = "mutation { ...F } fragment F on MutationRoot { registerApp ...G } fragment G on MutationRoot { login }";
        assert_eq!(run(q, None).refusal, None);
    }

    #[test]
    fn only_the_executed_operation_counts_when_one_is_named() {
        let q = "mutation A { signUp } mutation B { login }";
        assert_eq!(run(q, Some("A")).refusal, None);
        assert_eq!(run(q, Some("B")).refusal, None);
        // Without a name the executor refuses the document; counting all of it refuses it here.
        assert!(run(q, None).refusal.is_some());
        assert!(run(q, Some("C")).refusal.is_some());
    }

    /// `levels` fragments, each spreading the next twice: 2^levels copies of `leaf` when inlined.
    fn fragment_bomb(levels: usize, leaf: &str) -> String {
        let mut q = String::from("query { ...F0 }");
        for i in 0..levels {
            q.push_str(&format!(" fragment F{i} on QueryRoot {{ ...F{} ...F{} }}", i + 1, i + 1));
        }
        q.push_str(&format!(" fragment F{levels} on QueryRoot {{ {leaf} }}"));
        q
    }

    #[test]
    fn fragment_cycles_are_walked_once() {
        let q = "mutation { ...A } fragment A on MutationRoot { login ...B } fragment B on MutationRoot { ...A }";
        assert_eq!(run(q, None).refusal, None);
    }

    #[test]
    fn fragment_bombs_are_refused_quickly() {
        let started = std::time::Instant::now();
        let r = run(&fragment_bomb(60, "me"), None);
        assert!(r.refusal.as_deref().unwrap().starts_with("Query is too complex"), "{r:?}");
        assert!(started.elapsed() < std::time::Duration::from_secs(1));
        // Twelve levels inline to 4,096 fields: still under the bound (complexity refuses it later).
        assert_eq!(run(&fragment_bomb(12, "me"), None).refusal, None);
        assert!(run(&fragment_bomb(13, "me"), None).refusal.is_some());
        // Many plain fields count too.
        let wide = format!("{{ {} }}", "a: me ".repeat(MAX_EXPANDED_FIELDS + 1));
        assert!(run(&wide, None).refusal.as_deref().unwrap().starts_with("Query is too complex"));
    }

    #[test]
    fn documents_nested_beyond_the_walk_bound_are_refused() {
        let mut q = String::from("query { ...F0 }");
        for i in 0..70 {
            q.push_str(&format!(" fragment F{i} on QueryRoot {{ me {{ ...F{} }} }}", i + 1));
        }
        q.push_str(" fragment F70 on QueryRoot { me }");
        assert!(run(&q, None).refusal.as_deref().unwrap().starts_with("Query is nested too deep"));
    }

    #[test]
    fn root_fragments_nested_too_deeply_are_refused() {
        let mut q = String::from("mutation { ...F0 }");
        for i in 0..40 {
            q.push_str(&format!(" fragment F{i} on MutationRoot {{ ...F{} }}", i + 1));
        }
        q.push_str(" fragment F40 on MutationRoot { login }");
        assert!(run(&q, None).refusal.unwrap().contains("nest at most"));
    }

    #[test]
    fn introspection_only_means_a_query_with_only_meta_fields_at_its_root() {
        assert!(run("query IntrospectionQuery { __schema { types { name } } }", None).introspection_only);
        assert!(run("{ __type(name: \"X\") { name } __typename }", None).introspection_only);
        assert!(run("{ ...F } fragment F on QueryRoot { __schema { types { name } } }", None).introspection_only);
        assert!(!run("{ __schema { types { name } } me }", None).introspection_only);
        assert!(!run("{ ...F } fragment F on QueryRoot { me }", None).introspection_only);
        assert!(!run("mutation { __typename }", None).introspection_only);
        let two = "query A { __schema { types { name } } } query B { me }";
        assert!(run(two, Some("A")).introspection_only);
        assert!(!run(two, Some("B")).introspection_only);
        assert!(!run(two, None).introspection_only);
    }

    #[test]
    fn metric_labels_are_known_names_else_the_single_root_field_else_other() {
        assert_eq!(run("{ me }", None).label, "anonymous");
        assert_eq!(run("query me { analyzeScopes }", None).label, "me");
        assert_eq!(run("query IntrospectionQuery { __schema { description } }", None).label, "IntrospectionQuery");
        assert_eq!(run("query Probe { analyzeScopes }", None).label, "analyzeScopes");
        assert_eq!(run("query Probe { a: analyzeScopes b: analyzeScopes }", None).label, "analyzeScopes");
        assert_eq!(run("mutation Register { registerApp }", None).label, "registerApp");
        assert_eq!(run("query Probe { __schema { description } }", None).label, "__schema");
        assert_eq!(run("query Probe { me analyzeScopes }", None).label, "other");
        assert_eq!(run("query Probe { notAField }", None).label, "other");
        assert_eq!(run("query Probe { registerApp }", None).label, "other", "a mutation field in a query is not a query field");
        assert_eq!(run("query A { me } query B { me }", Some("B")).label, "me");
        assert_eq!(run("query A { me } query B { me }", Some("Zzz")).label, "other");
        assert_eq!(names().label_unparsed(Some("me")), "me");
        assert_eq!(names().label_unparsed(Some("whatever")), "other");
        assert_eq!(names().label_unparsed(None), "anonymous");
    }
}
