//! The federation transport: the mutual-TLS listener partners connect to, and the HTTP client a node uses
//! to reach one partner.
//!
//! Who may connect is decided during the TLS handshake by the pinned-certificate verifiers of
//! `liaison_crypto`; a connection that fails the handshake never reaches the router. Every request that
//! does carries the fingerprint of the partner's certificate as a `PeerFingerprint` extension, which is
//! how handlers know which partner is speaking.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use liaison_crypto::{CryptoError, TlsIdentity, cert_fingerprint_der, federation_client_config};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{Semaphore, watch};
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// The peer certificate fingerprint of a federation request ("sha256:" + lowercase hex), put in the
/// request extensions by the listener.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerFingerprint(pub String);

/// Called with the remote address and the reason when a connection is refused before reaching the router.
pub type OnRefused = Arc<dyn Fn(SocketAddr, String) + Send + Sync>;

/// Bounds of the federation listener.
#[derive(Debug, Clone)]
pub struct FederationLimits {
    /// A client that has not completed the TLS handshake by then is dropped, so a silent peer cannot hold
    /// a slot.
    pub handshake_timeout: Duration,
    /// Connections served at once (handshaking or open); further clients wait in the kernel's backlog.
    pub max_connections: usize,
    /// How long a client may take to send a request's headers. The clock also runs while a kept-alive
    /// connection waits for its next request, so this is the idle timeout too (`partner_client` drops
    /// idle connections sooner, so it never reuses one the listener is closing).
    pub header_read_timeout: Duration,
    /// After shutdown, how long open connections may take to finish their requests before being dropped.
    pub shutdown_grace: Duration,
}

impl Default for FederationLimits {
    fn default() -> Self {
        FederationLimits {
            handshake_timeout: Duration::from_secs(10),
            max_connections: 256,
            header_read_timeout: Duration::from_secs(30),
            shutdown_grace: Duration::from_secs(30),
        }
    }
}

/// Pause after an accept error that is not about one connection (e.g. too many open files), so the loop
/// does not spin while the cause lasts.
const ACCEPT_ERROR_PAUSE: Duration = Duration::from_millis(100);

/// Accepts TLS connections and serves `router` on each (HTTP/1.1), inserting `PeerFingerprint` and
/// `ConnectInfo<SocketAddr>` into every request's extensions. A failed handshake (unpinned or unknown
/// certificate, garbage, timeout) calls `on_refused(remote_addr, reason)` and never reaches the router.
/// Stops accepting when `shutdown` resolves, letting open connections finish their requests (within the
/// default grace period) before returning.
pub async fn serve_federation(
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    router: Router,
    on_refused: OnRefused,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    serve_federation_with_limits(
        listener,
        tls,
        router,
        on_refused,
        shutdown,
        FederationLimits::default(),
    )
    .await
}

/// `serve_federation` with explicit limits.
pub async fn serve_federation_with_limits(
    listener: TcpListener,
    tls: Arc<rustls::ServerConfig>,
    router: Router,
    on_refused: OnRefused,
    shutdown: impl Future<Output = ()> + Send + 'static,
    limits: FederationLimits,
) -> std::io::Result<()> {
    let acceptor = TlsAcceptor::from(tls);
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let (stop_sender, stop) = watch::channel(false);
    let mut connections = JoinSet::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        while connections.try_join_next().is_some() {}
        let slot = tokio::select! {
            () = &mut shutdown => break,
            slot = slots.clone().acquire_owned() => match slot {
                Ok(slot) => slot,
                Err(_closed) => break,
            },
        };
        let (stream, remote) = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(error) => {
                    if !is_connection_error(&error) {
                        tracing::warn!(%error, "federation listener could not accept a connection");
                        tokio::time::sleep(ACCEPT_ERROR_PAUSE).await;
                    }
                    continue;
                }
            },
        };
        let connection = FederationConnection {
            acceptor: acceptor.clone(),
            router: router.clone(),
            on_refused: on_refused.clone(),
            limits: limits.clone(),
            stop: stop.clone(),
        };
        connections.spawn(async move {
            connection.serve(stream, remote).await;
            drop(slot);
        });
    }
    // Closing the socket first makes new clients fail fast instead of waiting in the backlog.
    drop(listener);
    let _no_connection_left = stop_sender.send(true);
    let drained = tokio::time::timeout(limits.shutdown_grace, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
    if drained.is_err() {
        tracing::warn!(
            still_open = connections.len(),
            "federation listener dropped connections still open after the grace period"
        );
    }
    Ok(())
}

/// Resolves once the listener shuts down (or is gone).
async fn stopping(stop: &mut watch::Receiver<bool>) {
    let _stopped_or_gone = stop.wait_for(|stop| *stop).await.is_ok();
}

/// Errors that concern one client only (it went away before being accepted).
fn is_connection_error(error: &std::io::Error) -> bool {
    matches!(
        error.kind(),
        std::io::ErrorKind::ConnectionAborted
            | std::io::ErrorKind::ConnectionReset
            | std::io::ErrorKind::ConnectionRefused
            | std::io::ErrorKind::Interrupted
    )
}

/// What one accepted connection needs.
struct FederationConnection {
    acceptor: TlsAcceptor,
    router: Router,
    on_refused: OnRefused,
    limits: FederationLimits,
    stop: watch::Receiver<bool>,
}

impl FederationConnection {
    async fn serve(mut self, stream: TcpStream, remote: SocketAddr) {
        // Small request/response exchanges: do not wait to fill a segment.
        let _best_effort = stream.set_nodelay(true);
        let handshake =
            tokio::time::timeout(self.limits.handshake_timeout, self.acceptor.accept(stream)).await;
        let tls_stream = match handshake {
            Ok(Ok(tls_stream)) => tls_stream,
            Ok(Err(error)) => {
                (self.on_refused)(remote, format!("tls handshake failed: {error}"));
                return;
            }
            Err(_elapsed) => {
                (self.on_refused)(
                    remote,
                    format!(
                        "tls handshake not completed within {} ms",
                        self.limits.handshake_timeout.as_millis()
                    ),
                );
                return;
            }
        };
        // The verifier makes a client certificate mandatory, so this is only a second line of defence.
        let Some(fingerprint) = tls_stream
            .get_ref()
            .1
            .peer_certificates()
            .and_then(|certs| certs.first())
            .map(|cert| cert_fingerprint_der(cert))
        else {
            (self.on_refused)(remote, "no client certificate".to_owned());
            return;
        };
        tracing::debug!(%remote, peer = %fingerprint, "federation connection accepted");
        let router = self.router;
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            request
                .extensions_mut()
                .insert(PeerFingerprint(fingerprint.clone()));
            request.extensions_mut().insert(ConnectInfo(remote));
            let router = router.clone();
            async move {
                let response = router.oneshot(request).await;
                Ok::<_, Infallible>(response.unwrap_or_else(|never| match never {}))
            }
        });
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(self.limits.header_read_timeout)
            .serve_connection(TokioIo::new(tls_stream), service);
        let mut connection = std::pin::pin!(connection);
        let result = tokio::select! {
            result = connection.as_mut() => result,
            () = stopping(&mut self.stop) => {
                connection.as_mut().graceful_shutdown();
                connection.await
            }
        };
        if let Err(error) = result {
            tracing::debug!(%remote, %error, "federation connection ended with an error");
        }
    }
}

/// How long `partner_client` keeps an idle connection: shorter than the listener's default
/// `header_read_timeout`, which closes idle connections on the partner's side.
const PARTNER_POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(20);

/// A reqwest client for one partner: presents our certificate, accepts only the partner's pinned
/// certificate, speaks HTTPS only, follows no redirect and uses no proxy; `timeout` bounds each whole
/// request (connecting takes at most the smaller of `timeout` and 10 s). Build one per partner and keep
/// it: it pools connections. A client made before a partner's certificate changes keeps the old pin.
pub fn partner_client(
    identity: &TlsIdentity,
    partner_fingerprint: &str,
    timeout: Duration,
) -> Result<reqwest::Client, CryptoError> {
    let tls = federation_client_config(identity, partner_fingerprint)?;
    reqwest::Client::builder()
        .tls_backend_preconfigured(rustls::ClientConfig::clone(&tls))
        .https_only(true)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .timeout(timeout)
        .connect_timeout(timeout.min(Duration::from_secs(10)))
        .pool_idle_timeout(PARTNER_POOL_IDLE_TIMEOUT)
        .user_agent(concat!("liaison-federation/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| CryptoError::TlsConfig(format!("partner client: {e}")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use axum::Extension;
    use axum::routing::get;
    use liaison_crypto::{PinSet, federation_client_config, federation_server_config};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::sync::{mpsc, oneshot};

    use super::*;

    const WAIT: Duration = Duration::from_secs(10);

    struct TestServer {
        addr: SocketAddr,
        identity: TlsIdentity,
        pins: Arc<PinSet>,
        refused: mpsc::UnboundedReceiver<(SocketAddr, String)>,
        stop: Option<oneshot::Sender<()>>,
        task: tokio::task::JoinHandle<std::io::Result<()>>,
    }

    impl TestServer {
        fn url(&self, path: &str) -> String {
            format!("https://127.0.0.1:{}{path}", self.addr.port())
        }

        async fn next_refusal(&mut self) -> (SocketAddr, String) {
            tokio::time::timeout(WAIT, self.refused.recv())
                .await
                .expect("no refusal reported in time")
                .unwrap()
        }

        async fn stop(mut self) {
            self.stop.take().unwrap().send(()).unwrap();
            tokio::time::timeout(WAIT, self.task)
                .await
                .expect("listener did not stop in time")
                .unwrap()
                .unwrap();
        }
    }

    fn identity(node: &str) -> TlsIdentity {
        TlsIdentity::generate(node, &[]).unwrap()
    }

    fn echo_router() -> Router {
        Router::new()
            .route(
                "/whoami",
                get(|Extension(PeerFingerprint(fp)): Extension<PeerFingerprint>| async move { fp }),
            )
            .route(
                "/from",
                get(|ConnectInfo(addr): ConnectInfo<SocketAddr>| async move { addr.ip().to_string() }),
            )
    }

    async fn spawn_server(pinned: &[&TlsIdentity], limits: FederationLimits) -> TestServer {
        spawn_server_with(echo_router(), pinned, limits).await
    }

    async fn spawn_server_with(
        router: Router,
        pinned: &[&TlsIdentity],
        limits: FederationLimits,
    ) -> TestServer {
        liaison_crypto::install_crypto_provider();
        let identity = identity("node-server");
        let pins = Arc::new(PinSet::new(pinned.iter().map(|id| id.fingerprint())));
        let tls = federation_server_config(&identity, pins.clone()).unwrap();
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (refused_sender, refused) = mpsc::unbounded_channel();
        let on_refused: OnRefused = Arc::new(move |remote, reason| {
            let _ = refused_sender.send((remote, reason));
        });
        let (stop, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(serve_federation_with_limits(
            listener,
            tls,
            router,
            on_refused,
            async move {
                let _ = stopped.await;
            },
            limits,
        ));
        TestServer {
            addr,
            identity,
            pins,
            refused,
            stop: Some(stop),
            task,
        }
    }

    fn client_for(server: &TestServer, client: &TlsIdentity) -> reqwest::Client {
        partner_client(client, &server.identity.fingerprint(), WAIT).unwrap()
    }

    fn error_chain(error: &dyn std::error::Error) -> String {
        let mut text = error.to_string();
        let mut source = error.source();
        while let Some(cause) = source {
            text.push_str(": ");
            text.push_str(&cause.to_string());
            source = cause.source();
        }
        text
    }

    #[tokio::test]
    async fn pinned_client_reaches_the_router_with_its_fingerprint() {
        let client_id = identity("node-client");
        let server = spawn_server(&[&client_id], FederationLimits::default()).await;
        let client = client_for(&server, &client_id);
        let response = client.get(server.url("/whoami")).send().await.unwrap();
        assert_eq!(response.status(), 200);
        assert_eq!(response.text().await.unwrap(), client_id.fingerprint());
        let response = client.get(server.url("/from")).send().await.unwrap();
        assert_eq!(response.text().await.unwrap(), "127.0.0.1");
        server.stop().await;
    }

    #[tokio::test]
    async fn unpinned_client_is_refused_during_the_handshake() {
        let pinned = identity("node-pinned");
        let stranger = identity("node-stranger");
        let mut server = spawn_server(&[&pinned], FederationLimits::default()).await;
        let error = client_for(&server, &stranger)
            .get(server.url("/whoami"))
            .send()
            .await
            .unwrap_err();
        assert!(!error.is_status(), "{}", error_chain(&error));
        let (remote, reason) = server.next_refusal().await;
        assert_eq!(remote.ip().to_string(), "127.0.0.1");
        assert!(reason.contains("not pinned"), "{reason}");
        assert!(reason.contains(&stranger.fingerprint()), "{reason}");
        server.stop().await;
    }

    #[tokio::test]
    async fn client_refuses_a_server_that_is_not_the_pinned_one() {
        let client_id = identity("node-client");
        let mut server = spawn_server(&[&client_id], FederationLimits::default()).await;
        let someone_else = identity("node-other").fingerprint();
        let client = partner_client(&client_id, &someone_else, WAIT).unwrap();
        let error = client.get(server.url("/whoami")).send().await.unwrap_err();
        let chain = error_chain(&error);
        assert!(error.is_connect(), "{chain}");
        assert!(chain.contains(&server.identity.fingerprint()), "{chain}");
        // The server sees the client abort the handshake.
        let (_, reason) = server.next_refusal().await;
        assert!(reason.contains("tls handshake failed"), "{reason}");
        server.stop().await;
    }

    #[tokio::test]
    async fn plain_http_is_refused_and_the_listener_keeps_serving() {
        let client_id = identity("node-client");
        let mut server = spawn_server(&[&client_id], FederationLimits::default()).await;
        let mut plain = TcpStream::connect(server.addr).await.unwrap();
        plain
            .write_all(b"GET /whoami HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            .await
            .unwrap();
        let mut reply = Vec::new();
        let _ = tokio::time::timeout(WAIT, plain.read_to_end(&mut reply))
            .await
            .expect("plain connection was not closed");
        assert!(!String::from_utf8_lossy(&reply).contains("HTTP/1.1 200"));
        let (_, reason) = server.next_refusal().await;
        assert!(reason.contains("tls handshake failed"), "{reason}");

        let response = client_for(&server, &client_id)
            .get(server.url("/whoami"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        server.stop().await;
    }

    #[tokio::test]
    async fn revoked_pin_refuses_the_next_connection() {
        let client_id = identity("node-client");
        let mut server = spawn_server(&[&client_id], FederationLimits::default()).await;
        let response = client_for(&server, &client_id)
            .get(server.url("/whoami"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);

        assert!(server.pins.remove(&client_id.fingerprint()));
        // A new client has no pooled connection: it must handshake again.
        let refused = client_for(&server, &client_id)
            .get(server.url("/whoami"))
            .send()
            .await;
        assert!(refused.is_err());
        let (_, reason) = server.next_refusal().await;
        assert!(reason.contains("not pinned"), "{reason}");

        server.pins.insert(client_id.fingerprint());
        let response = client_for(&server, &client_id)
            .get(server.url("/whoami"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        server.stop().await;
    }

    #[tokio::test]
    async fn silent_client_loses_its_slot_at_the_handshake_timeout() {
        let client_id = identity("node-client");
        let limits = FederationLimits {
            handshake_timeout: Duration::from_millis(300),
            max_connections: 1,
            ..FederationLimits::default()
        };
        let mut server = spawn_server(&[&client_id], limits).await;
        let silent = TcpStream::connect(server.addr).await.unwrap();
        // The only slot is held by the silent client until its handshake times out; then the partner
        // is served.
        let response = client_for(&server, &client_id)
            .get(server.url("/whoami"))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200);
        let (remote, reason) = server.next_refusal().await;
        assert_eq!(remote, silent.local_addr().unwrap());
        assert!(reason.contains("not completed within 300 ms"), "{reason}");
        server.stop().await;
    }

    #[tokio::test]
    async fn shutdown_stops_accepting_and_returns() {
        let client_id = identity("node-client");
        let server = spawn_server(&[&client_id], FederationLimits::default()).await;
        let client = client_for(&server, &client_id);
        assert_eq!(
            client
                .get(server.url("/whoami"))
                .send()
                .await
                .unwrap()
                .status(),
            200
        );
        let addr = server.addr;
        // The client keeps its connection alive; shutdown must still return.
        server.stop().await;
        assert!(TcpStream::connect(addr).await.is_err());
    }

    #[tokio::test]
    async fn shutdown_lets_a_request_in_progress_finish() {
        let client_id = identity("node-client");
        let (started_sender, started) = oneshot::channel::<()>();
        let started_sender = Arc::new(std::sync::Mutex::new(Some(started_sender)));
        let release = Arc::new(tokio::sync::Notify::new());
        let handler_release = release.clone();
        let router = Router::new().route(
            "/slow",
            get(move || async move {
                if let Some(sender) = started_sender.lock().unwrap().take() {
                    sender.send(()).unwrap();
                }
                handler_release.notified().await;
                "done"
            }),
        );
        let server = spawn_server_with(router, &[&client_id], FederationLimits::default()).await;
        let request = tokio::spawn(
            client_for(&server, &client_id)
                .get(server.url("/slow"))
                .send(),
        );
        tokio::time::timeout(WAIT, started).await.unwrap().unwrap();
        let mut stop = server.stop;
        stop.take().unwrap().send(()).unwrap();
        release.notify_one();
        let response = tokio::time::timeout(WAIT, request)
            .await
            .unwrap()
            .unwrap()
            .unwrap();
        assert_eq!(response.text().await.unwrap(), "done");
        tokio::time::timeout(WAIT, server.task)
            .await
            .unwrap()
            .unwrap()
            .unwrap();
    }

    #[tokio::test]
    async fn idle_connection_is_closed_after_the_header_read_timeout() {
        let client_id = identity("node-client");
        let limits = FederationLimits {
            header_read_timeout: Duration::from_millis(200),
            ..FederationLimits::default()
        };
        let mut server = spawn_server(&[&client_id], limits).await;
        let config = federation_client_config(&client_id, &server.identity.fingerprint()).unwrap();
        let tcp = TcpStream::connect(server.addr).await.unwrap();
        let name = rustls::pki_types::ServerName::try_from("127.0.0.1").unwrap();
        let mut tls = tokio_rustls::TlsConnector::from(config)
            .connect(name, tcp)
            .await
            .unwrap();
        // Says nothing: the listener must close the connection by itself.
        let mut rest = Vec::new();
        let closed = tokio::time::timeout(WAIT, tls.read_to_end(&mut rest)).await;
        assert!(closed.is_ok(), "idle connection still open");
        assert!(rest.is_empty());
        // It was closed for idleness, not refused.
        assert!(server.refused.try_recv().is_err());
        server.stop().await;
    }

    #[test]
    fn partner_client_refuses_a_malformed_pin() {
        let error = partner_client(&identity("node-client"), "sha256:nope", WAIT).unwrap_err();
        assert!(matches!(error, CryptoError::Fingerprint(_)), "{error}");
    }

    #[tokio::test]
    async fn partner_client_speaks_https_only() {
        let client_id = identity("node-client");
        let server = spawn_server(&[&client_id], FederationLimits::default()).await;
        let error = client_for(&server, &client_id)
            .get(format!("http://127.0.0.1:{}/whoami", server.addr.port()))
            .send()
            .await
            .unwrap_err();
        assert!(error.is_builder(), "{}", error_chain(&error));
        server.stop().await;
    }
}
