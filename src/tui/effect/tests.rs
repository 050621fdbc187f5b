//! The runner never sends a call confirmed for one target to another: a connection swapped
//! by a newer target pick while a submit or delete was being confirmed refuses it unsent.

use super::*;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A connection to `target` that counts the calls that would reach the server.
struct Fake {
    target: TargetRef,
    calls: Arc<AtomicUsize>,
}

impl Remote for Fake {
    fn bodies(&self, _vendor: Vendor) -> BoxFuture<'_, Result<Vec<serde_json::Value>, String>> {
        Box::pin(async { Ok(vec![stored_two()]) })
    }

    fn target(&self) -> TargetRef {
        self.target.clone()
    }

    fn key_source(&self) -> Option<crate::config::SecretSource> {
        None
    }

    fn submit(
        &self,
        _connector: Connector,
        _recreate: bool,
    ) -> BoxFuture<'_, Result<SubmitAnswer, RemoteError>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Box::pin(async {
            Ok(SubmitAnswer {
                stored: serde_json::json!({"id": 2}),
                changes: Vec::new(),
                id: Some("2".into()),
                created: true,
            })
        })
    }

    fn list(&self, _vendor: Vendor) -> BoxFuture<'_, Result<Vec<RemoteItem>, String>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    fn get(&self, _vendor: Vendor, _id: String) -> BoxFuture<'_, Result<Connector, String>> {
        Box::pin(async { Err("not here".to_owned()) })
    }

    fn delete(&self, _vendor: Vendor, _id: String) -> BoxFuture<'_, Result<(), String>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        Box::pin(async { Ok(()) })
    }

    fn link(
        &self,
        _vendor: Vendor,
        _id: String,
        _action: LinkAction,
    ) -> BoxFuture<'_, Result<LinkState, RemoteError>> {
        Box::pin(async {
            Err(RemoteError {
                status: None,
                message: "not connected".into(),
                fields: Vec::new(),
            })
        })
    }
}

fn prod() -> TargetRef {
    TargetRef::new("prod", "https://api.databar.ai")
}

fn runner_on_prod() -> (Runner, mpsc::UnboundedReceiver<Msg>, Arc<AtomicUsize>) {
    let (tx, rx) = mpsc::unbounded_channel();
    let calls = Arc::new(AtomicUsize::new(0));
    let fake = Fake {
        target: prod(),
        calls: calls.clone(),
    };
    let runner = Runner::new(tx, None).with_connection(Arc::new(fake));
    (runner, rx, calls)
}

fn submit(request: u64, target: TargetRef) -> Effect {
    Effect::Submit {
        request,
        target,
        connector: Box::new(Connector::new(Vendor::Databar)),
        recreate: false,
    }
}

#[tokio::test]
async fn a_submit_for_another_target_is_refused_unsent() {
    let (mut runner, mut rx, calls) = runner_on_prod();
    let staging = TargetRef::new("staging", "https://staging.example");
    runner.run(submit(1, staging));
    let Some(Msg::SubmitFailed { request: 1, error }) = rx.recv().await else {
        panic!("expected a refusal");
    };
    assert!(error.message.starts_with("not sent:"), "{}", error.message);
    assert!(error.message.contains("LIVE prod"), "{}", error.message);
    runner.run(Effect::DeleteRemote {
        vendor: Vendor::Databar,
        id: "1".into(),
        target: TargetRef::new("prod", "https://elsewhere.example"),
    });
    assert!(matches!(rx.recv().await, Some(Msg::DeleteFailed(m)) if m.starts_with("not sent:")));
    assert_eq!(
        calls.load(Ordering::SeqCst),
        0,
        "nothing reached the server"
    );

    runner.run(submit(2, prod()));
    assert!(matches!(
        rx.recv().await,
        Some(Msg::Submitted { request: 2, .. })
    ));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    runner.shutdown();
}

/// Connector 2 as the fake target stores it.
fn stored_two() -> serde_json::Value {
    serde_json::json!({"id": 2, "name": "Two", "method": "post", "url": "https://x.example/",
        "created_at": "2026-01-01T00:00:00Z"})
}

#[tokio::test]
async fn browse_compares_each_file_with_the_target_in_a_task() {
    let dir = tempfile::tempdir().expect("temp dir");
    let write = |name: &str, id: Option<&str>| {
        let mut c =
            Connector::from_remote(Vendor::Databar, &stored_two(), &prod()).expect("a connector");
        c.clear_remote_ids();
        if let Some(id) = id {
            c.set_remote_id(&prod(), id.to_owned());
        }
        let path = dir.path().join(name);
        crate::files::save(&path, &c, &Samples::new()).expect("save");
        path
    };
    let paths = vec![
        write("two.json", Some("2")),
        write("nine.json", Some("9")),
        write("new.json", None),
    ];
    let (mut runner, mut rx, _) = runner_on_prod();
    runner.run(Effect::SyncStates(paths.clone()));
    let Some(Msg::SyncStates(states)) = rx.recv().await else {
        panic!("expected the states");
    };
    assert_eq!(
        states,
        vec![
            (paths[0].clone(), crate::connector::SyncState::InSync),
            (
                paths[1].clone(),
                crate::connector::SyncState::DeletedOnTarget
            ),
            (paths[2].clone(), crate::connector::SyncState::NotSubmitted),
        ]
    );
    runner.shutdown();
}

#[tokio::test]
async fn a_call_before_any_connection_answers_that_there_is_none() {
    let (tx, mut rx) = mpsc::unbounded_channel();
    let mut runner = Runner::new(tx, None);
    runner.run(Effect::ListRemote(Vendor::Databar));
    assert!(matches!(
        rx.recv().await,
        Some(Msg::RemoteListed(Err(m))) if m == "not connected to a target yet"
    ));
    runner.run(Effect::OpenRemote {
        vendor: Vendor::Databar,
        id: "7".into(),
    });
    assert!(matches!(
        rx.recv().await,
        Some(Msg::OpenFailed(m)) if m == "not connected to a target yet"
    ));
    runner.shutdown();
}
