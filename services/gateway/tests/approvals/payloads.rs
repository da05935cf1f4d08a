//! The JSON shape of every outbox event this workflow writes today, pinned: webhook consumers
//! depend on it, so a change here is a change of the public contract. Ids, client ids and
//! timestamps are replaced by placeholders; everything else is compared exactly.

use crate::world::{register_app, world};
use accord_gateway::testing::error_code;
use serde_json::{Value, json};
use std::collections::HashMap;

fn is_uuid(s: &str) -> bool {
    s.len() == 36 && s.char_indices().all(|(i, c)| if matches!(i, 8 | 13 | 18 | 23) { c == '-' } else { c.is_ascii_hexdigit() })
}

/// Replaces known ids by their names, other ids by `<id>`, timestamps by `<time>`.
fn normalize(v: &Value, known: &HashMap<String, &str>) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .map(|(k, v)| {
                    let v = if k == "clientId" && v.is_string() { json!("<clientId>") } else { normalize(v, known) };
                    (k.clone(), v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.iter().map(|v| normalize(v, known)).collect()),
        Value::String(s) => {
            if let Some(name) = known.get(s) {
                return json!(name);
            }
            if chrono::DateTime::parse_from_rfc3339(s).is_ok() {
                return json!("<time>");
            }
            let mut out = s.clone();
            for i in (0..s.len().saturating_sub(35)).rev() {
                if let Some(part) = s.get(i..i + 36)
                    && is_uuid(part)
                {
                    let name = known.get(part).copied().unwrap_or("<id>");
                    out.replace_range(i..i + 36, name);
                }
            }
            json!(out)
        }
        other => other.clone(),
    }
}

#[tokio::test]
async fn every_outbox_event_of_the_workflow_keeps_its_json_shape() {
    let w = world().await;
    let app = &w.app;
    let ok = |r: &Value| assert_eq!(error_code(r), None, "{r}");

    // access_request.created, access_request.approved, grant.created
    let g = w.grant(&w.app_id, &["patient/Observation.rs"], 30).await;
    // grant.suspended, grant.resumed, grant.revoked
    for q in [
        "mutation($id: ID!) { suspendGrant(id: $id, reason: \"audit\") { id } }",
        "mutation($id: ID!) { resumeGrant(id: $id) { id } }",
        "mutation($id: ID!) { revokeGrant(id: $id, reason: \"done\") { id } }",
    ] {
        ok(&w.gql(&w.approver1, q, json!({ "id": g })).await);
    }
    // access_request.withdrawn
    let r = w.request_ok(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    ok(&w.gql(&w.dev, "mutation($id: ID!) { withdrawAccessRequest(id: $id) { id } }", json!({ "id": r })).await);
    // access_request.denied
    let r = w.request_ok(&w.app_id, &["patient/Observation.rs"], 30, None).await;
    ok(&w.gql(&w.approver1, "mutation($id: ID!) { denyAccessRequest(id: $id, reason: \"no\") { id } }", json!({ "id": r })).await);
    // grant.expired: a one-day grant, two days later, seen by the next request of the pair
    let other = register_app(app, &w.dev, "Other App").await;
    w.grant(&other, &["patient/Observation.rs"], 1).await;
    let (dev, vendor_admin, holder_admin) =
        (w.long_lived(&w.dev).await, w.long_lived(&w.vendor_admin).await, w.long_lived(&w.holder_admin).await);
    app.clock.advance(chrono::Duration::days(2));
    let asked = w.gql(&dev, crate::world::REQUEST, json!({ "i": { "appId": other, "dataHolderId": w.holder_id, "scopes": ["patient/Observation.rs"], "purpose": "Lab results for patients", "durationDays": 30 } })).await;
    ok(&asked);
    // access_request.cancelled, app.offboarded
    let off = "mutation($id: ID!) { offboardApp(id: $id, reason: \"sunset\") { id } }";
    ok(&w.gql(&vendor_admin, off, json!({ "id": other })).await);
    // partnership.ended
    let end = "mutation($p: ID!) { endPartnership(partnerId: $p, reason: \"contract over\") { id } }";
    ok(&w.gql(&holder_admin, end, json!({ "p": w.vendor_id })).await);

    let known: HashMap<String, &str> =
        [(w.app_id.clone(), "<app>"), (other.clone(), "<otherApp>"), (w.vendor_id.clone(), "<vendor>"), (w.holder_id.clone(), "<holder>")]
            .into_iter()
            .collect();
    let mut actual = serde_json::Map::new();
    for t in EXPECTED_TYPES {
        let events = accord_db::outbox::of_type(app.db(), t).await.unwrap();
        let first = events.first().unwrap_or_else(|| panic!("no {t} event"));
        let payload: Value = serde_json::from_str(&first.payload).unwrap();
        assert_eq!(payload["type"], json!(t));
        assert!(payload["timestamp"].as_str().is_some_and(|s| chrono::DateTime::parse_from_rfc3339(s).is_ok()), "{payload}");
        assert_eq!(payload.as_object().map(|o| o.len()), Some(3), "type, timestamp, data: {payload}");
        actual.insert((*t).to_owned(), normalize(&payload["data"], &known));
    }
    let actual = Value::Object(actual);
    let expected: Value = serde_json::from_str(EXPECTED).unwrap();
    assert_eq!(actual, expected, "actual:\n{}", serde_json::to_string_pretty(&actual).unwrap());
}

const EXPECTED_TYPES: &[&str] = &[
    "app.registered",
    "access_request.created",
    "access_request.approved",
    "access_request.withdrawn",
    "access_request.denied",
    "access_request.cancelled",
    "grant.created",
    "grant.suspended",
    "grant.resumed",
    "grant.revoked",
    "grant.expired",
    "app.offboarded",
    "partnership.ended",
];

const EXPECTED: &str = r#"{
  "access_request.approved": {
    "accessRequest": {
      "durationDays": 30,
      "grantId": "<id>",
      "id": "<id>",
      "proposedScopes": [
        "patient/Observation.rs"
      ],
      "replacesGrantId": null,
      "requestedBy": "<id>",
      "requestedScopes": [
        "patient/Observation.rs"
      ],
      "risk": "LOW",
      "status": "APPROVED"
    },
    "actor": "user:<id>",
    "app": {
      "businessOwner": "biz@vendor.example",
      "clientId": "<clientId>",
      "id": "<app>",
      "kind": "PATIENT_FACING",
      "name": "Lab Viewer",
      "technicalOwner": "tech@vendor.example",
      "vendorId": "<vendor>"
    },
    "dataHolder": {
      "id": "<holder>"
    },
    "reason": null,
    "vendor": {
      "id": "<vendor>"
    }
  },
  "access_request.cancelled": {
    "accessRequest": {
      "durationDays": 30,
      "grantId": null,
      "id": "<id>",
      "proposedScopes": [
        "patient/Observation.rs"
      ],
      "replacesGrantId": null,
      "requestedBy": "<id>",
      "requestedScopes": [
        "patient/Observation.rs"
      ],
      "risk": "LOW",
      "status": "CANCELLED"
    },
    "actor": "api_token:<id>",
    "app": {
      "businessOwner": "biz@vendor.example",
      "clientId": "<clientId>",
      "id": "<otherApp>",
      "kind": "PATIENT_FACING",
      "name": "Other App",
      "technicalOwner": "tech@vendor.example",
      "vendorId": "<vendor>"
    },
    "dataHolder": {
      "id": "<holder>"
    },
    "reason": "app offboarded: sunset",
    "vendor": {
      "id": "<vendor>"
    }
  },
  "access_request.created": {
    "accessRequest": {
      "durationDays": 30,
      "grantId": null,
      "id": "<id>",
      "proposedScopes": [
        "patient/Observation.rs"
      ],
      "replacesGrantId": null,
      "requestedBy": "<id>",
      "requestedScopes": [
        "patient/Observation.rs"
      ],
      "risk": "LOW",
      "status": "PENDING"
    },
    "actor": "user:<id>",
    "app": {
      "businessOwner": "biz@vendor.example",
      "clientId": "<clientId>",
      "id": "<app>",
      "kind": "PATIENT_FACING",
      "name": "Lab Viewer",
      "technicalOwner": "tech@vendor.example",
      "vendorId": "<vendor>"
    },
    "dataHolder": {
      "id": "<holder>"
    },
    "reason": null,
    "vendor": {
      "id": "<vendor>"
    }
  },
  "access_request.denied": {
    "accessRequest": {
      "durationDays": 30,
      "grantId": null,
      "id": "<id>",
      "proposedScopes": [
        "patient/Observation.rs"
      ],
      "replacesGrantId": null,
      "requestedBy": "<id>",
      "requestedScopes": [
        "patient/Observation.rs"
      ],
      "risk": "LOW",
      "status": "DENIED"
    },
    "actor": "user:<id>",
    "app": {
      "businessOwner": "biz@vendor.example",
      "clientId": "<clientId>",
      "id": "<app>",
      "kind": "PATIENT_FACING",
      "name": "Lab Viewer",
      "technicalOwner": "tech@vendor.example",
      "vendorId": "<vendor>"
    },
    "dataHolder": {
      "id": "<holder>"
    },
    "reason": "no",
    "vendor": {
      "id": "<vendor>"
    }
  },
  "access_request.withdrawn": {
    "accessRequest": {
      "durationDays": 30,
      "grantId": null,
      "id": "<id>",
      "proposedScopes": [
        "patient/Observation.rs"
      ],
      "replacesGrantId": null,
      "requestedBy": "<id>",
      "requestedScopes": [
        "patient/Observation.rs"
      ],
      "risk": "LOW",
      "status": "WITHDRAWN"
    },
    "actor": "user:<id>",
    "app": {
      "businessOwner": "biz@vendor.example",
      "clientId": "<clientId>",
      "id": "<app>",
      "kind": "PATIENT_FACING",
      "name": "Lab Viewer",
      "technicalOwner": "tech@vendor.example",
      "vendorId": "<vendor>"
    },
    "dataHolder": {
      "id": "<holder>"
    },
    "reason": null,
    "vendor": {
      "id": "<vendor>"
    }
  },
  "app.offboarded": {
    "actor": "api_token:<id>",
    "app": {
      "businessOwner": "biz@vendor.example",
      "clientId": "<clientId>",
      "id": "<otherApp>",
      "kind": "PATIENT_FACING",
      "name": "Other App",
      "technicalOwner": "tech@vendor.example",
      "vendorId": "<vendor>"
    },
    "cancelledRequestIds": [
      "<id>"
    ],
    "reason": "sunset",
    "revokedGrantIds": []
  },
  "app.registered": {
    "actor": "user:<id>",
    "app": {
      "businessOwner": "biz@vendor.example",
      "clientId": "<clientId>",
      "id": "<app>",
      "kind": "PATIENT_FACING",
      "name": "Lab Viewer",
      "technicalOwner": "tech@vendor.example",
      "vendorId": "<vendor>"
    },
    "reason": null
  },
  "grant.created": {
    "actor": "user:<id>",
    "app": {
      "businessOwner": "biz@vendor.example",
      "clientId": "<clientId>",
      "id": "<app>",
      "kind": "PATIENT_FACING",
      "name": "Lab Viewer",
      "technicalOwner": "tech@vendor.example",
      "vendorId": "<vendor>"
    },
    "dataHolder": {
      "id": "<holder>"
    },
    "grant": {
      "expiresAt": "<time>",
      "grantedAt": "<time>",
      "id": "<id>",
      "requestId": "<id>",
      "scopes": [
        "patient/Observation.rs"
      ],
      "status": "ACTIVE"
    },
    "reason": null,
    "vendor": {
      "id": "<vendor>"
    }
  },
  "grant.expired": {
    "actor": "system",
    "app": {
      "businessOwner": "biz@vendor.example",
      "clientId": "<clientId>",
      "id": "<otherApp>",
      "kind": "PATIENT_FACING",
      "name": "Other App",
      "technicalOwner": "tech@vendor.example",
      "vendorId": "<vendor>"
    },
    "dataHolder": {
      "id": "<holder>"
    },
    "grant": {
      "expiresAt": "<time>",
      "grantedAt": "<time>",
      "id": "<id>",
      "requestId": "<id>",
      "scopes": [
        "patient/Observation.rs"
      ],
      "status": "EXPIRED"
    },
    "reason": "expired",
    "vendor": {
      "id": "<vendor>"
    }
  },
  "grant.resumed": {
    "actor": "user:<id>",
    "app": {
      "businessOwner": "biz@vendor.example",
      "clientId": "<clientId>",
      "id": "<app>",
      "kind": "PATIENT_FACING",
      "name": "Lab Viewer",
      "technicalOwner": "tech@vendor.example",
      "vendorId": "<vendor>"
    },
    "dataHolder": {
      "id": "<holder>"
    },
    "grant": {
      "expiresAt": "<time>",
      "grantedAt": "<time>",
      "id": "<id>",
      "requestId": "<id>",
      "scopes": [
        "patient/Observation.rs"
      ],
      "status": "ACTIVE"
    },
    "reason": null,
    "vendor": {
      "id": "<vendor>"
    }
  },
  "grant.revoked": {
    "actor": "user:<id>",
    "app": {
      "businessOwner": "biz@vendor.example",
      "clientId": "<clientId>",
      "id": "<app>",
      "kind": "PATIENT_FACING",
      "name": "Lab Viewer",
      "technicalOwner": "tech@vendor.example",
      "vendorId": "<vendor>"
    },
    "dataHolder": {
      "id": "<holder>"
    },
    "grant": {
      "expiresAt": "<time>",
      "grantedAt": "<time>",
      "id": "<id>",
      "requestId": "<id>",
      "scopes": [
        "patient/Observation.rs"
      ],
      "status": "REVOKED"
    },
    "reason": "done",
    "vendor": {
      "id": "<vendor>"
    }
  },
  "grant.suspended": {
    "actor": "user:<id>",
    "app": {
      "businessOwner": "biz@vendor.example",
      "clientId": "<clientId>",
      "id": "<app>",
      "kind": "PATIENT_FACING",
      "name": "Lab Viewer",
      "technicalOwner": "tech@vendor.example",
      "vendorId": "<vendor>"
    },
    "dataHolder": {
      "id": "<holder>"
    },
    "grant": {
      "expiresAt": "<time>",
      "grantedAt": "<time>",
      "id": "<id>",
      "requestId": "<id>",
      "scopes": [
        "patient/Observation.rs"
      ],
      "status": "SUSPENDED"
    },
    "reason": "audit",
    "vendor": {
      "id": "<vendor>"
    }
  },
  "partnership.ended": {
    "actor": "api_token:<id>",
    "dataHolder": {
      "id": "<holder>"
    },
    "partnership": {
      "holderId": "<holder>",
      "id": "<id>",
      "status": "ENDED",
      "vendorId": "<vendor>"
    },
    "reason": "contract over",
    "revokedGrantIds": [],
    "vendor": {
      "id": "<vendor>"
    }
  }
}"#;
