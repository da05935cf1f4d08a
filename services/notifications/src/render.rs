//! Mail text: per event type, a subject and the facts that matter, laid out by two minijinja
//! templates (plain text and HTML, HTML auto-escaped so an app name cannot inject markup), with
//! a link to the portal page at `ACCORD_PUBLIC_URL`.

use minijinja::{Environment, context};
use serde::Serialize;
use serde_json::Value;
use std::sync::OnceLock;

/// A rendered mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rendered {
    /// `[Accord] …`.
    pub subject: String,
    /// The text/plain part.
    pub text: String,
    /// The text/html part.
    pub html: String,
}

#[derive(Debug, Serialize)]
struct Fact {
    label: &'static str,
    value: String,
}

/// What a mail says, before layout.
struct Copy {
    subject: String,
    intro: String,
    facts: Vec<Fact>,
    path: String,
    link_label: &'static str,
}

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // Both are compiled into the binary and checked by the tests, so they always parse.
        let _ = env.add_template("mail.txt", include_str!("../templates/mail.txt"));
        let _ = env.add_template("mail.html", include_str!("../templates/mail.html"));
        env
    })
}

fn s<'a>(v: &'a Value, path: &[&str]) -> &'a str {
    path.iter().try_fold(v, |v, k| v.get(k)).and_then(Value::as_str).unwrap_or("")
}

fn list(v: &Value, path: &[&str]) -> String {
    let items = path.iter().try_fold(v, |v, k| v.get(k)).and_then(Value::as_array);
    items.map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(" ")).unwrap_or_default()
}

fn fact(label: &'static str, value: impl Into<String>) -> Option<Fact> {
    let value = value.into();
    (!value.is_empty()).then_some(Fact { label, value })
}

fn date(v: &Value, path: &[&str]) -> String {
    let raw = s(v, path);
    chrono::DateTime::parse_from_rfc3339(raw).map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string()).unwrap_or_else(|_| raw.to_owned())
}

/// The copy of an event's mail; `None` for types that send no mail.
fn copy_for(event_type: &str, d: &Value) -> Option<Copy> {
    let app = s(d, &["app", "name"]);
    let app = if app.is_empty() { "an app" } else { app };
    let request = |subject: String, intro: String, extra: Vec<Option<Fact>>| {
        let mut facts = vec![fact("App", app), fact("Scopes", list(d, &["accessRequest", "proposedScopes"]))];
        facts.extend(extra);
        Copy {
            subject,
            intro,
            facts: facts.into_iter().flatten().collect(),
            path: format!("/requests/{}", s(d, &["accessRequest", "id"])),
            link_label: "Open the request",
        }
    };
    let grant = |subject: String, intro: String, extra: Vec<Option<Fact>>| {
        let mut facts =
            vec![fact("App", app), fact("Scopes", list(d, &["grant", "scopes"])), fact("Expires", date(d, &["grant", "expiresAt"]))];
        facts.extend(extra);
        Copy {
            subject,
            intro,
            facts: facts.into_iter().flatten().collect(),
            path: format!("/grants/{}", s(d, &["grant", "id"])),
            link_label: "Open the grant",
        }
    };
    let reason = || fact("Reason", s(d, &["reason"]));
    Some(match event_type {
        "access_request.created" => request(
            format!("Access request from {app}"),
            format!("{app} asks for access to your organization's FHIR data. An approver needs to decide."),
            vec![
                fact("Duration", d.pointer("/accessRequest/durationDays").map(|v| format!("{v} days")).unwrap_or_default()),
                fact("Risk", s(d, &["accessRequest", "risk"])),
            ],
        ),
        "access_request.approved" => request(
            format!("Access approved for {app}"),
            format!("The data holder approved access for {app}. The grant is in force now."),
            vec![],
        ),
        "access_request.denied" => {
            request(format!("Access denied for {app}"), format!("The data holder denied the access request of {app}."), vec![reason()])
        }
        "grant.expiring" => {
            let days = d.get("daysLeft").or_else(|| d.get("reminderDays")).and_then(Value::as_i64).unwrap_or(0);
            let when = if days == 1 { "tomorrow".to_owned() } else { format!("in {days} days") };
            grant(
                format!("Access for {app} expires {when}"),
                format!("The access of {app} ends {when}. Renew it with a new request naming this grant, or let it lapse."),
                vec![],
            )
        }
        "grant.revoked" => grant(format!("Access revoked for {app}"), format!("The access of {app} was revoked."), vec![reason()]),
        "grant.expired" => grant(format!("Access expired for {app}"), format!("The access of {app} reached its end date."), vec![]),
        "review.due" if d.get("escalated").and_then(Value::as_bool) == Some(true) => Copy {
            subject: format!("Review missed: access of {app}"),
            intro: format!(
                "The periodic review of the access of {app} passed its due date undecided. Your policy escalates it to you: certify it or revoke it."
            ),
            facts: [fact("App", app), fact("Scopes", list(d, &["grant", "scopes"])), fact("Was due", date(d, &["review", "dueAt"]))]
                .into_iter()
                .flatten()
                .collect(),
            path: format!("/reviews/{}", s(d, &["review", "id"])),
            link_label: "Open the review",
        },
        "review.due" => Copy {
            subject: format!("Review due: access of {app}"),
            intro: format!("The access of {app} is due for its periodic review. Certify it if it is still needed, or revoke it."),
            facts: [fact("App", app), fact("Scopes", list(d, &["grant", "scopes"])), fact("Due", date(d, &["review", "dueAt"]))]
                .into_iter()
                .flatten()
                .collect(),
            path: format!("/reviews/{}", s(d, &["review", "id"])),
            link_label: "Open the review",
        },
        "app.offboarded" => Copy {
            subject: format!("App offboarded: {app}"),
            intro: format!("{app} was offboarded: every grant it held is revoked and its credentials are disabled."),
            facts: [fact("App", app), reason()].into_iter().flatten().collect(),
            path: format!("/apps/{}", s(d, &["app", "id"])),
            link_label: "Open the app",
        },
        "partnership.ended" => Copy {
            subject: "Partnership ended".to_owned(),
            intro: "A data-sharing partnership of your organization ended; every grant under it is revoked.".to_owned(),
            facts: [reason()].into_iter().flatten().collect(),
            path: "/partners".to_owned(),
            link_label: "Open partners",
        },
        "credential.expiring" if d.get("apiToken").is_some() => Copy {
            subject: format!("API token \"{}\" expires soon", s(d, &["apiToken", "name"])),
            intro: "One of your Accord API tokens expires soon. Create a new one and switch your integration to it before then.".to_owned(),
            facts: [fact("Token", s(d, &["apiToken", "name"])), fact("Expires", date(d, &["apiToken", "expiresAt"]))]
                .into_iter()
                .flatten()
                .collect(),
            path: "/settings/tokens".to_owned(),
            link_label: "Open your tokens",
        },
        "credential.expiring" => Copy {
            subject: format!("Credential of {app} expires soon"),
            intro: format!("A client credential of {app} expires soon. Rotate it before then so the app keeps working."),
            facts: [fact("App", app), fact("Expires", date(d, &["credential", "expiresAt"]))].into_iter().flatten().collect(),
            path: format!("/apps/{}", s(d, &["app", "id"])),
            link_label: "Open the app",
        },
        _ => return None,
    })
}

fn lay_out(copy: Copy, event_type: &str, event_id: &str, public_url: &str) -> Rendered {
    let link = format!("{}{}", public_url.trim_end_matches('/'), copy.path);
    let ctx = context! {
        title => copy.subject,
        intro => copy.intro,
        facts => copy.facts,
        link => link,
        link_label => copy.link_label,
        event_type => event_type,
        event_id => event_id,
    };
    let render = |name: &str| env().get_template(name).and_then(|t| t.render(&ctx)).unwrap_or_else(|e| format!("{e}"));
    Rendered { subject: format!("[Accord] {}", copy.subject), text: render("mail.txt"), html: render("mail.html") }
}

/// The mail of an event (`data` is the payload's `data`); `None` for types without mail.
pub(crate) fn render_event(event_type: &str, event_id: &str, data: &Value, public_url: &str) -> Option<Rendered> {
    copy_for(event_type, data).map(|c| lay_out(c, event_type, event_id, public_url))
}

/// The mail to a tenant's admins when Accord disabled one of its endpoints.
pub(crate) fn render_endpoint_disabled(endpoint_id: &str, url: &str, reason: &str, notice_id: &str, public_url: &str) -> Rendered {
    let copy = Copy {
        subject: "Webhook endpoint disabled".to_owned(),
        intro: format!(
            "Accord disabled a webhook endpoint of your organization: {reason}. It receives no events until an admin enables it again; undelivered events can be replayed."
        ),
        facts: [fact("Endpoint", url)].into_iter().flatten().collect(),
        path: format!("/settings/webhooks/{endpoint_id}"),
        link_label: "Open the endpoint",
    };
    lay_out(copy, "webhook_endpoint.disabled", notice_id, public_url)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn both_templates_parse() {
        assert!(env().get_template("mail.txt").is_ok());
        assert!(env().get_template("mail.html").is_ok());
    }

    #[test]
    fn a_request_mail_has_the_prefix_the_facts_and_a_portal_link_and_escapes_html() {
        let data = json!({
            "app": { "id": "a1", "name": "Sepsis <b>Watch</b>" },
            "accessRequest": { "id": "r1", "proposedScopes": ["patient/Observation.rs"], "durationDays": 30, "risk": "LOW" },
        });
        let m = render_event("access_request.created", "e1", &data, "https://accord.example.org/").unwrap_or_else(|| panic!("no mail"));
        assert_eq!(m.subject, "[Accord] Access request from Sepsis <b>Watch</b>");
        assert!(m.text.contains("https://accord.example.org/requests/r1"), "{}", m.text);
        assert!(m.text.contains("Scopes: patient/Observation.rs"), "{}", m.text);
        assert!(m.html.contains("Sepsis &lt;b&gt;Watch&lt;") && !m.html.contains("<b>Watch"), "{}", m.html);
        // Attribute values are entity-escaped too (`/` as `&#x2f;`), which every mail client reads.
        assert!(m.html.contains("href=\"https:&#x2f;&#x2f;accord.example.org&#x2f;requests&#x2f;r1\""), "{}", m.html);
    }

    #[test]
    fn events_without_mail_render_nothing_and_reminders_say_when() {
        assert!(render_event("grant.created", "e", &json!({}), "http://x").is_none());
        let m =
            render_event("grant.expiring", "e", &json!({ "reminderDays": 7, "app": { "name": "X" }, "grant": { "id": "g" } }), "http://x");
        assert_eq!(m.map(|m| m.subject).as_deref(), Some("[Accord] Access for X expires in 7 days"));
    }
}
