//! The standard introspection query works while introspection is on (GraphiQL, GraphQL Code
//! Generator, Postman send it), abusive nesting is still refused, and nothing changes when
//! introspection is off.

use accord_gateway::testing::{error_code, error_message, spawn_app, spawn_app_with};
use serde_json::json;

/// graphql-js (16.9+) `getIntrospectionQuery({ descriptions: true, specifiedByUrl: true,
/// directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true,
/// oneOf: true })`, verbatim.
const STANDARD_INTROSPECTION: &str = r"
    query IntrospectionQuery {
      __schema {
        description
        queryType { name kind }
        mutationType { name kind }
        subscriptionType { name kind }
        types {
          ...FullType
        }
        directives {
          name
          description
          isRepeatable
          locations
          args(includeDeprecated: true) {
            ...InputValue
          }
        }
      }
    }

    fragment FullType on __Type {
      kind
      name
      description
      specifiedByURL
      isOneOf
      fields(includeDeprecated: true) {
        name
        description
        args(includeDeprecated: true) {
          ...InputValue
        }
        type {
          ...TypeRef
        }
        isDeprecated
        deprecationReason
      }
      inputFields(includeDeprecated: true) {
        ...InputValue
      }
      interfaces {
        ...TypeRef
      }
      enumValues(includeDeprecated: true) {
        name
        description
        isDeprecated
        deprecationReason
      }
      possibleTypes {
        ...TypeRef
      }
    }

    fragment InputValue on __InputValue {
      name
      description
      type { ...TypeRef }
      defaultValue
      isDeprecated
      deprecationReason
    }

    fragment TypeRef on __Type {
      kind
      name
      ofType {
        kind
        name
        ofType {
          kind
          name
          ofType {
            kind
            name
            ofType {
              kind
              name
              ofType {
                kind
                name
                ofType {
                  kind
                  name
                  ofType {
                    kind
                    name
                    ofType {
                      kind
                      name
                      ofType {
                        kind
                        name
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  ";

/// An introspection query whose type references nest `levels` `ofType`s deep.
fn of_type_nested(levels: usize) -> String {
    format!("{{ __schema {{ types {{ fields {{ type {{ {}name{} }} }} }} }} }}", "ofType { ".repeat(levels), " }".repeat(levels))
}

#[tokio::test]
async fn the_standard_introspection_query_succeeds() {
    let app = spawn_app().await;
    let res = app
        .client
        .post(format!("{}/graphql", app.address))
        .json(&json!({ "query": STANDARD_INTROSPECTION, "operationName": "IntrospectionQuery" }))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 200);
    let r: serde_json::Value = res.json().await.unwrap();
    assert!(r.get("errors").is_none(), "{}", &r.to_string()[..r.to_string().len().min(2000)]);
    let schema = &r["data"]["__schema"];
    assert_eq!(schema["queryType"]["name"], json!("QueryRoot"));
    assert_eq!(schema["mutationType"]["name"], json!("MutationRoot"));
    let types = schema["types"].as_array().unwrap();
    let mutation = types.iter().find(|t| t["name"] == json!("MutationRoot")).unwrap();
    let fields: Vec<&str> = mutation["fields"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert!(fields.contains(&"signUp") && fields.contains(&"requestAccess"), "{fields:?}");
    assert!(types.iter().any(|t| t["name"] == json!("Grant")));
    assert!(!schema["directives"].as_array().unwrap().is_empty());
    // Nothing of ours ran: introspection needs no authentication and touches no table.
    let text = app.client.get(format!("{}/metrics", app.address)).send().await.unwrap().text().await.unwrap();
    assert!(text.contains("accord_graphql_operations_total{operation=\"IntrospectionQuery\",outcome=\"ok\"} 1"), "{text}");
}

#[tokio::test]
async fn introspection_with_absurd_nesting_is_still_refused() {
    let app = spawn_app().await;
    for levels in [18, 40] {
        let r = app.gql(None, &of_type_nested(levels), json!({})).await;
        assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{levels}: {r}");
        assert!(r["data"].is_null(), "{levels}: {r}");
        let message = error_message(&r);
        assert!(message.contains("nested too deep") || message.contains("recursion depth"), "{levels}: {r}");
    }
    // Reasonable nesting is fine.
    let r = app.gql(None, &of_type_nested(9), json!({})).await;
    assert!(r.get("errors").is_none(), "{r}");
}

#[tokio::test]
async fn introspection_beside_an_ordinary_field_keeps_the_ordinary_depth_limit() {
    let app = spawn_app().await;
    let (token, _) = app.sign_up("Acme", "DEVELOPER", &app.email("ada")).await;
    // The standard query, with one ordinary root field added: the deeper introspection limit no
    // longer applies.
    let mixed = STANDARD_INTROSPECTION.replacen("__schema {", "me { user { id } } __schema {", 1);
    let r = app.gql(Some(&token), &mixed, json!({})).await;
    assert_eq!(error_code(&r), Some("BAD_USER_INPUT"), "{r}");
    assert!(error_message(&r).contains("nested too deep"), "{r}");
    // And an ordinary query deeper than the limit is refused as before.
    let deep = format!("{{ me {{ user {{ tenant {{ {}name{} }} }} }} }}", "x { ".repeat(10), " }".repeat(10));
    let r = app.gql(Some(&token), &deep, json!({})).await;
    assert!(error_message(&r).contains("nested too deep"), "{r}");
}

#[tokio::test]
async fn with_introspection_off_the_standard_query_is_refused() {
    let app = spawn_app_with(|s| s.graphql_introspection = false).await;
    let r = app.gql(None, STANDARD_INTROSPECTION, json!({})).await;
    assert!(r["data"].is_null() || r["data"]["__schema"].is_null(), "{r}");
    assert!(r["errors"].as_array().is_some_and(|e| !e.is_empty()), "{r}");
    let r = app.gql(None, "{ __schema { queryType { name } } }", json!({})).await;
    assert!(r["data"].is_null() || r["data"]["__schema"].is_null(), "{r}");
    // Ordinary operations are untouched.
    let r = app.gql(None, "{ analyzeScopes(scopes: []) { valid } }", json!({})).await;
    assert_eq!(r["data"]["analyzeScopes"], json!([]), "{r}");
}
