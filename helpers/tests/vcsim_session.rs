//! Session lifetime and change streams against vcsim (SOAP), in a simulator of their own:
//! re-login after the server ends a session, the keepalive, and `WaitForUpdatesEx` seeing
//! a change another session makes.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use vsphere::{
    CallError, Client, ObjectUpdateKind, PropertyChangeOp, Protocol, Secret, VirtualMachine,
    VirtualMachinePowerState,
};
use vsphere_helpers::find::Inventory;
use vsphere_helpers::task::{self, WaitOptions};
use vsphere_helpers::watch::Watch;
use vsphere_helpers::{connect, session, ConnectOptions};

fn sim() -> &'static vcsim_harness::Vcsim {
    vcsim_harness::shared()
}

fn soap() -> ConnectOptions {
    ConnectOptions {
        protocol: Some(Protocol::Soap),
        ..ConnectOptions::default()
    }
}

async fn client_with(options: &ConnectOptions) -> Client {
    connect(&sim().url, options).await.expect("connect")
}

/// The key of `c`'s current session (as the server reports it).
async fn session_key(c: &Client) -> Option<String> {
    let session = c
        .session_manager()
        .unwrap()
        .current_session()
        .await
        .unwrap();
    session.map(|s| s.key.expose().clone())
}

/// Ends `victim`'s session from another session, as an administrator would.
async fn terminate(admin: &Client, victim: &str) {
    admin
        .session_manager()
        .unwrap()
        .terminate_session(&[Secret::new(victim.to_string())])
        .await
        .expect("TerminateSession");
}

#[tokio::test]
async fn a_terminated_session_is_renewed_once_and_the_call_repeated() {
    let admin = client_with(&soap()).await;
    let c = client_with(&soap()).await;
    let before = session_key(&c).await.expect("logged in");
    terminate(&admin, &before).await;
    // The next call meets NotAuthenticated, logs in again and is repeated.
    let time = c.service_instance().current_time().await;
    assert!(time.is_ok(), "{time:?}");
    let after = session_key(&c).await.expect("logged in again");
    assert_ne!(after, before);

    // Without re-login the fault reaches the caller, typed.
    let fixed = client_with(&ConnectOptions {
        no_relogin: true,
        ..soap()
    })
    .await;
    let key = session_key(&fixed).await.unwrap();
    terminate(&admin, &key).await;
    match fixed.session_manager().unwrap().current_session().await {
        // vcsim answers a property read of a gone session with no session at all…
        Ok(None) => {}
        other => panic!("{other:?}"),
    }
    let err = fixed
        .property_collector()
        .create_property_collector()
        .await
        .unwrap_err();
    assert!(err.to_string().starts_with("NotAuthenticated"), "{err}");
}

#[tokio::test]
async fn a_failing_relogin_runs_once_and_the_servers_fault_is_returned() {
    let admin = client_with(&soap()).await;
    let c = client_with(&soap()).await;
    let runs = Arc::new(AtomicUsize::new(0));
    let counted = runs.clone();
    c.connection()
        .set_relogin(Some(Arc::new(move |_connection: vsphere::Connection| {
            counted.fetch_add(1, Ordering::SeqCst);
            Box::pin(async {
                Err(CallError::Other(vsphere::Error::Protocol(
                    "no credentials here".into(),
                )))
            })
        })));
    let key = session_key(&c).await.unwrap();
    terminate(&admin, &key).await;
    let err = c
        .property_collector()
        .create_property_collector()
        .await
        .unwrap_err();
    assert!(err.to_string().starts_with("NotAuthenticated"), "{err}");
    assert_eq!(runs.load(Ordering::SeqCst), 1);

    // Ten concurrent calls on a gone session share one re-login.
    let c = client_with(&soap()).await;
    let logins = Arc::new(AtomicUsize::new(0));
    let counted = logins.clone();
    let options = soap();
    let url = sim().url.clone();
    c.connection()
        .set_relogin(Some(Arc::new(move |connection: vsphere::Connection| {
            counted.fetch_add(1, Ordering::SeqCst);
            let (url, options) = (url.clone(), options.clone());
            Box::pin(async move {
                // Log in through a fresh client and adopt its session (a hook may do
                // whatever it likes; this one counts).
                let fresh = connect(&url, &options).await.expect("connect");
                connection.set_session_id(fresh.connection().session_id());
                Ok(())
            })
        })));
    let key = session_key(&c).await.unwrap();
    terminate(&admin, &key).await;
    let calls = (0..10).map(|_| {
        let c = c.clone();
        tokio::spawn(async move { c.property_collector().create_property_collector().await })
    });
    for call in calls {
        call.await
            .unwrap()
            .expect("each call succeeds after the one re-login");
    }
    assert_eq!(logins.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn the_keepalive_renews_a_terminated_session_without_a_call_of_the_user() {
    let admin = client_with(&soap()).await;
    let c = client_with(&soap()).await;
    let before = c.connection().session_id().expect("a session cookie");
    let key = session_key(&c).await.unwrap();
    let keepalive = session::keepalive(&c, Duration::from_millis(100));
    terminate(&admin, &key).await;
    let mut renewed = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        // A re-login clears the cookie before it logs in: only a new cookie counts.
        let now = c.connection().session_id().map(|s| s.expose().clone());
        if now.is_some_and(|id| id != *before.expose()) {
            renewed = true;
            break;
        }
    }
    keepalive.stop();
    assert!(renewed, "the keepalive did not log in again within 5 s");
    let after = session_key(&c).await.expect("a session");
    assert_ne!(after, key);
}

#[tokio::test]
async fn a_watch_sees_a_power_change_made_by_a_second_session() {
    let watcher = client_with(&soap()).await;
    let actor = client_with(&soap()).await;
    let inv = Inventory::load(&watcher).await.unwrap();
    let entry = inv.named("VirtualMachine", "DC0_C0_RP0_VM0", None).unwrap();
    let vm_ref = entry.reference.clone();
    let mut watch = Watch::objects(
        &watcher,
        "VirtualMachine",
        std::slice::from_ref(&vm_ref),
        &["runtime.powerState", "name"],
    )
    .await
    .unwrap()
    .max_wait(Duration::from_secs(10));

    // The first batch: every watched property as it is.
    let first = watch.next().await.unwrap();
    let mut seen: Vec<(String, ObjectUpdateKind, PropertyChangeOp)> = first
        .iter()
        .map(|c| (c.path.clone(), c.kind.clone(), c.op.clone()))
        .collect();
    seen.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        seen,
        [
            (
                "name".to_string(),
                ObjectUpdateKind::Enter,
                PropertyChangeOp::Assign
            ),
            (
                "runtime.powerState".to_string(),
                ObjectUpdateKind::Enter,
                PropertyChangeOp::Assign
            ),
        ]
    );
    let state = first
        .iter()
        .find(|c| c.path == "runtime.powerState")
        .unwrap();
    assert_eq!(
        state.value::<VirtualMachinePowerState>().unwrap(),
        Some(VirtualMachinePowerState::PoweredOn)
    );
    assert!(first.iter().all(|c| c.obj == vm_ref));
    assert!(watch.version().is_some());

    // The second session powers the VM off; the watch sees exactly that change.
    let vm = VirtualMachine::new(actor.connection().clone(), vm_ref.clone());
    let off = vm.power_off_vm_task().await.unwrap();
    task::wait(&off, WaitOptions::default()).await.unwrap();
    let mut changes = Vec::new();
    while changes.is_empty() {
        changes = watch.next().await.unwrap();
    }
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(
        (changes[0].path.as_str(), &changes[0].kind),
        ("runtime.powerState", &ObjectUpdateKind::Modify)
    );
    assert_eq!(
        changes[0].value::<VirtualMachinePowerState>().unwrap(),
        Some(VirtualMachinePowerState::PoweredOff)
    );
    // The watch waits from the version of the batch before (this vcsim numbers every
    // batch "-", so only its presence can be checked here).
    assert!(watch.version().is_some());

    // A clean stop: the watch's collector is gone afterwards.
    let collector = watch.collector().cloned().unwrap();
    watch.stop().await.unwrap();
    let gone = vsphere::PropertyCollector::new(watcher.connection().clone(), collector)
        .destroy_property_collector()
        .await
        .unwrap_err();
    assert!(
        gone.to_string().starts_with("ManagedObjectNotFound"),
        "{gone}"
    );

    let on = vm.power_on_vm_task(None).await.unwrap();
    task::wait(&on, WaitOptions::default()).await.unwrap();
}

#[tokio::test]
async fn after_logout_the_session_is_not_renewed() {
    let c = client_with(&soap()).await;
    c.session_manager().unwrap().logout().await.unwrap();
    let err = c
        .property_collector()
        .create_property_collector()
        .await
        .unwrap_err();
    assert!(err.to_string().starts_with("NotAuthenticated"), "{err}");
    assert_eq!(session_key(&c).await, None);
}
