//! The same-origin rule, and `FastAPI`'s trailing-slash 307 still followed through the real
//! sandbox (both directions, with the method and body kept).

use super::*;
use crate::api::transport::Transport;
use crate::api::{ApiError, ClientOptions};
use crate::config::Secret;
use crate::connector::Auth;
use crate::sandbox::{DbPath, Plan, Sandbox, ServeOptions};
use reqwest::Method;

#[test]
fn origins_compare_scheme_host_and_port() {
    let url = |s: &str| Url::parse(s).unwrap();
    assert!(same_origin(
        &url("http://a.example/x"),
        &url("http://a.example:80/y/")
    ));
    assert!(!same_origin(
        &url("http://a.example/"),
        &url("https://a.example/")
    ));
    assert!(!same_origin(
        &url("http://a.example/"),
        &url("http://b.example/")
    ));
    assert!(!same_origin(
        &url("http://127.0.0.1:1/"),
        &url("http://127.0.0.1:2/")
    ));
    assert_eq!(
        refused(
            "http://127.0.0.1:1/v1/connectors/",
            Some("http://127.0.0.1:2/v1/connectors/")
        ),
        Some(Refused::OtherOrigin {
            to: "http://127.0.0.1:2/v1/connectors/".into(),
            origin: "http://127.0.0.1:1".into(),
        })
    );
    assert_eq!(
        refused("http://127.0.0.1:1/a", Some("http://127.0.0.1:1/b")),
        Some(Refused::TooMany {
            to: "http://127.0.0.1:1/b".into()
        })
    );
    assert_eq!(refused("http://127.0.0.1:1/a", None), None);
}

#[tokio::test]
async fn the_sandbox_slash_redirect_is_followed_with_method_and_body() {
    let key = "sk-redirect-test";
    let sandbox = Sandbox::start(ServeOptions {
        addr: "127.0.0.1:0".parse().unwrap(),
        db: DbPath::Memory,
        keys: vec![key.to_owned()],
        plan: Plan::default(),
    })
    .await
    .unwrap();
    let transport = Transport::new(
        &sandbox.base_url(),
        Auth::Header("x-apikey"),
        Secret::new(key.to_owned()),
        ClientOptions::default(),
    )
    .unwrap();
    // The collection is `/v1/connectors/`; without the slash the sandbox answers 307, like
    // FastAPI, and a POST must arrive as a POST with its body and the key.
    let body = serde_json::json!({"name": "via 307", "method": "get", "url": "https://x.example/"});
    let created = transport
        .send(Method::POST, "/v1/connectors", Some(&body))
        .await
        .unwrap();
    assert_eq!(created.status, 201);
    assert_eq!(created.body["name"], "via 307");
    let id = created.body["id"].to_string();
    // The item is `/v1/connectors/{id}`; with a slash, 307 the other way.
    let got = transport
        .send(Method::GET, &format!("/v1/connectors/{id}/"), None)
        .await
        .unwrap();
    assert_eq!(got.body["name"], "via 307");
    let listed = transport
        .send(Method::GET, "/v1/connectors", None)
        .await
        .unwrap();
    assert_eq!(listed.body.as_array().map(Vec::len), Some(1));
    sandbox.shutdown().await;
}

#[tokio::test]
async fn a_same_origin_loop_stops_after_the_bound() {
    // The sandbox's slash redirect toggles the slash each time only once, so a loop needs its
    // own server: every path answers 307 to itself plus "x".
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = axum::Router::new().fallback(|uri: axum::http::Uri| async move {
        (
            axum::http::StatusCode::TEMPORARY_REDIRECT,
            [(axum::http::header::LOCATION, format!("{}x", uri.path()))],
        )
    });
    tokio::spawn(async move { axum::serve(listener, app).await });
    let transport = Transport::new(
        &base,
        Auth::Bearer,
        Secret::new("t".to_owned()),
        ClientOptions::default(),
    )
    .unwrap();
    let error = transport.send(Method::GET, "/a", None).await.unwrap_err();
    let ApiError::TooManyRedirects { to, .. } = &error else {
        panic!("{error:?}");
    };
    assert!(
        to.ends_with(&format!("/a{}", "x".repeat(MAX_REDIRECTS + 1))),
        "{to}"
    );
    assert!(error.is_network());
    assert!(
        error.to_string().contains("more than 5 redirects"),
        "{error}"
    );
}
