//! Session lifetime: a background keepalive that keeps an idle session from expiring and
//! renews it when it is gone.

use std::time::Duration;

use vsphere::Client;

/// A running keepalive; stopped when dropped or with [`Keepalive::stop`].
///
/// Every `period` it reads `SessionManager.currentSession` (a call that counts as
/// activity). When the server reports no current session and the client was connected
/// with credentials (see [`crate::ConnectOptions::no_relogin`]), it logs in again; a
/// `NotAuthenticated` answer does the same through the connection's re-login. Failures
/// are logged at `warn` (target `vsphere::session`) and the keepalive goes on.
///
/// ```no_run
/// # async fn run(client: vsphere::Client) {
/// let keepalive = vsphere_helpers::session::keepalive(&client, std::time::Duration::from_secs(600));
/// // … long idle stretches …
/// keepalive.stop();
/// # }
/// ```
#[derive(Debug)]
pub struct Keepalive {
    task: tokio::task::JoinHandle<()>,
}

/// Starts a keepalive for `client`'s session on the current Tokio runtime.
///
/// # Panics
///
/// Outside a Tokio runtime (as `tokio::spawn` does).
pub fn keepalive(client: &Client, period: Duration) -> Keepalive {
    let client = client.clone();
    let task = tokio::spawn(async move {
        let mut ticks = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
        ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticks.tick().await;
            beat(&client).await;
        }
    });
    Keepalive { task }
}

/// One keepalive call, and a re-login when the session is gone.
async fn beat(client: &Client) {
    let manager = match client.session_manager() {
        Ok(m) => m,
        Err(e) => {
            tracing::warn!(target: "vsphere::session", error = %e, "keepalive: no session manager");
            return;
        }
    };
    match manager.current_session().await {
        Ok(Some(_)) => {}
        Ok(None) => match client.connection().renew_session().await {
            Ok(true) => tracing::info!(target: "vsphere::session", "keepalive: logged in again"),
            Ok(false) => {
                tracing::warn!(target: "vsphere::session", "keepalive: the session is gone and there are no credentials to log in again")
            }
            Err(e) => {
                tracing::warn!(target: "vsphere::session", error = %e, "keepalive: logging in again failed")
            }
        },
        Err(e) => tracing::warn!(target: "vsphere::session", error = %e, "keepalive call failed"),
    }
}

impl Keepalive {
    /// Stops the keepalive (the session itself stays).
    pub fn stop(self) {}
}

impl Drop for Keepalive {
    fn drop(&mut self) {
        self.task.abort();
    }
}
