//! TLS identities of nodes and the pinned mutual-TLS configurations partners use to reach each other.
//!
//! Federation does not rely on certificate authorities: each node has a self-signed certificate, and a
//! partner is trusted by the SHA-256 fingerprint of that certificate, exchanged in the signed node card.
//! The verifiers below accept a peer only if its certificate's fingerprint is pinned, the certificate is
//! within its validity period and signed by its own key, and the handshake signature verifies with ring's
//! algorithms. Session resumption is disabled on both sides so that every connection runs the check again:
//! pinning and revocation take effect at the next connection.

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::{Arc, RwLock};

use rcgen::{
    CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa, KeyPair,
    KeyUsagePurpose, SanType, SerialNumber,
};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, WebPkiSupportedAlgorithms};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{
    CertificateDer, DnsName, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime,
};
use rustls::server::danger::{ClientCertVerified, ClientCertVerifier};
use rustls::{
    CertificateError, DigitallySignedStruct, DistinguishedName as TlsDistinguishedName, OtherError,
    SignatureScheme,
};
use zeroize::Zeroizing;

use crate::CryptoError;

/// How long a generated certificate is valid, counted from the day before its creation (five years).
const VALIDITY_DAYS: i64 = 5 * 365 + 1;

/// Hosts every node certificate names, so that a node can always be reached on loopback.
const LOOPBACK_HOSTS: [&str; 2] = ["localhost", "127.0.0.1"];

/// The only ALPN protocol the federation listener speaks.
const ALPN_HTTP1: &[u8] = b"http/1.1";

const FINGERPRINT_PREFIX: &str = "sha256:";

/// A node's TLS certificate (self-signed, ECDSA P-256) and its private key.
///
/// The key is zeroized when the identity is dropped and never appears in `Debug` output.
pub struct TlsIdentity {
    cert_der: CertificateDer<'static>,
    key_pkcs8_der: Zeroizing<Vec<u8>>,
}

impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TlsIdentity")
            .field("fingerprint", &self.fingerprint())
            .finish_non_exhaustive()
    }
}

impl Clone for TlsIdentity {
    fn clone(&self) -> Self {
        TlsIdentity {
            cert_der: self.cert_der.clone(),
            key_pkcs8_der: Zeroizing::new(self.key_pkcs8_der.to_vec()),
        }
    }
}

impl TlsIdentity {
    /// New self-signed certificate for `node_id`: subject CN = `node_id`, subject alternative names =
    /// `hosts` (DNS names or IP addresses, IPv6 optionally in brackets) plus "localhost" and "127.0.0.1",
    /// valid from one day ago for five years, usable for both TLS server and client authentication.
    pub fn generate(node_id: &str, hosts: &[String]) -> Result<TlsIdentity, CryptoError> {
        let node_id = node_id.trim();
        if node_id.is_empty() {
            return Err(CryptoError::TlsIdentity("node id is empty".to_owned()));
        }
        let mut params = CertificateParams::default();
        let mut subject = DistinguishedName::new();
        subject.push(DnType::CommonName, node_id);
        params.distinguished_name = subject;
        params.subject_alt_names = subject_alt_names(hosts)?;
        let now = time::OffsetDateTime::now_utc();
        params.not_before = now - time::Duration::days(1);
        params.not_after = now + time::Duration::days(VALIDITY_DAYS);
        params.is_ca = IsCa::ExplicitNoCa;
        params.key_usages = vec![KeyUsagePurpose::DigitalSignature];
        params.extended_key_usages = vec![
            ExtendedKeyUsagePurpose::ServerAuth,
            ExtendedKeyUsagePurpose::ClientAuth,
        ];
        params.serial_number = Some(random_serial());
        let key = KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)
            .map_err(|e| CryptoError::TlsIdentity(format!("key generation failed: {e}")))?;
        let cert = params
            .self_signed(&key)
            .map_err(|e| CryptoError::TlsIdentity(format!("certificate generation failed: {e}")))?;
        Ok(TlsIdentity {
            cert_der: cert.der().clone(),
            key_pkcs8_der: Zeroizing::new(key.serialize_der()),
        })
    }

    /// The certificate as PEM ("CERTIFICATE"): published in the node card.
    pub fn cert_pem(&self) -> String {
        pem_encode("CERTIFICATE", &self.cert_der)
    }

    /// The private key as PKCS#8 PEM ("PRIVATE KEY"). The caller writes it to a file only its user can
    /// read (mode 0600).
    pub fn key_pem(&self) -> String {
        pem_encode("PRIVATE KEY", &self.key_pkcs8_der)
    }

    /// Reads a certificate PEM (exactly one "CERTIFICATE" block) and its PKCS#8 private key PEM, and
    /// checks that the key belongs to the certificate.
    pub fn from_pem(cert_pem: &str, key_pem: &str) -> Result<TlsIdentity, CryptoError> {
        let cert_der = single_cert_from_pem(cert_pem)?;
        let key = match PrivateKeyDer::from_pem_slice(key_pem.as_bytes()) {
            Ok(PrivateKeyDer::Pkcs8(key)) => key,
            Ok(_) => {
                return Err(CryptoError::TlsIdentity(
                    "private key must be PKCS#8 (\"BEGIN PRIVATE KEY\")".to_owned(),
                ));
            }
            Err(e) => {
                return Err(CryptoError::TlsIdentity(format!(
                    "private key pem is unreadable: {e}"
                )));
            }
        };
        let identity = TlsIdentity {
            cert_der,
            key_pkcs8_der: Zeroizing::new(key.secret_pkcs8_der().to_vec()),
        };
        let certified = rustls::sign::CertifiedKey::from_der(
            vec![identity.cert_der.clone()],
            identity.private_key(),
            &provider(),
        )
        .map_err(|e| CryptoError::TlsIdentity(format!("private key does not fit: {e}")))?;
        certified.keys_match().map_err(|e| {
            CryptoError::TlsIdentity(format!("private key does not match the certificate: {e}"))
        })?;
        let now = UnixTime::now();
        for usage in [CertUse::Server, CertUse::Client] {
            check_self_signed_cert(&identity.cert_der, now, usage).map_err(|e| {
                CryptoError::TlsIdentity(format!("certificate is not usable for federation: {e}"))
            })?;
        }
        Ok(identity)
    }

    /// The certificate in DER.
    pub fn cert_der(&self) -> &[u8] {
        &self.cert_der
    }

    /// "sha256:" + lowercase hex of SHA-256 over the certificate DER: what partners pin.
    pub fn fingerprint(&self) -> String {
        cert_fingerprint_der(&self.cert_der)
    }

    fn private_key(&self) -> PrivateKeyDer<'static> {
        PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(self.key_pkcs8_der.to_vec()))
    }
}

/// "sha256:" + lowercase hex of SHA-256 over a certificate's DER.
pub fn cert_fingerprint_der(cert_der: &[u8]) -> String {
    format!("{FINGERPRINT_PREFIX}{}", crate::sha256_hex(cert_der))
}

/// The fingerprint of the one certificate in `cert_pem`.
pub fn cert_fingerprint_pem(cert_pem: &str) -> Result<String, CryptoError> {
    Ok(cert_fingerprint_der(&single_cert_from_pem(cert_pem)?))
}

/// Checks a fingerprint written by a person or read from a card and returns it in canonical form
/// ("sha256:" + 64 lowercase hex digits); surrounding white space and upper-case hex are accepted.
pub fn parse_cert_fingerprint(text: &str) -> Result<String, CryptoError> {
    let lower = text.trim().to_ascii_lowercase();
    let hex = lower.strip_prefix(FINGERPRINT_PREFIX).ok_or_else(|| {
        CryptoError::Fingerprint(format!(
            "{text:?} does not start with \"{FINGERPRINT_PREFIX}\""
        ))
    })?;
    if hex.len() != 64 {
        return Err(CryptoError::Fingerprint(format!(
            "expected 64 hex digits after \"{FINGERPRINT_PREFIX}\", found {}",
            hex.chars().count()
        )));
    }
    if let Some((at, c)) = hex.char_indices().find(|(_, c)| !c.is_ascii_hexdigit()) {
        return Err(CryptoError::Fingerprint(format!(
            "{c:?} at position {} is not a hex digit",
            at + FINGERPRINT_PREFIX.len()
        )));
    }
    Ok(lower)
}

/// Who may connect: the node asks this at every handshake, so pinning and revocation take effect at once.
pub trait PinnedPeers: Send + Sync + std::fmt::Debug {
    /// Whether a certificate with this fingerprint ("sha256:" + lowercase hex) may connect.
    fn is_pinned(&self, fingerprint: &str) -> bool;
}

/// A set of pinned fingerprints that can change while the listener runs: the node keeps it in step with
/// its partner table.
#[derive(Debug, Default)]
pub struct PinSet {
    pins: RwLock<HashSet<String>>,
}

impl PinSet {
    pub fn new(fingerprints: impl IntoIterator<Item = String>) -> PinSet {
        PinSet {
            pins: RwLock::new(fingerprints.into_iter().collect()),
        }
    }

    pub fn insert(&self, fingerprint: impl Into<String>) {
        self.write().insert(fingerprint.into());
    }

    /// Unpins a fingerprint; returns whether it was pinned.
    pub fn remove(&self, fingerprint: &str) -> bool {
        self.write().remove(fingerprint)
    }

    /// Replaces every pin at once, e.g. after reloading the partner table.
    pub fn replace_all(&self, fingerprints: impl IntoIterator<Item = String>) {
        *self.write() = fingerprints.into_iter().collect();
    }

    // A panic while holding the lock cannot leave a half-updated set (every update is one call on the
    // set), so a poisoned lock is still safe to use.
    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashSet<String>> {
        self.pins.write().unwrap_or_else(|e| e.into_inner())
    }
}

impl PinnedPeers for PinSet {
    fn is_pinned(&self, fingerprint: &str) -> bool {
        self.pins
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .contains(fingerprint)
    }
}

/// Server side: requires a client certificate and completes the handshake only if its fingerprint is
/// pinned in `peers` (asked at every handshake), the certificate is valid now and self-signed. TLS 1.3
/// only, ALPN "http/1.1", no session resumption.
pub fn federation_server_config(
    identity: &TlsIdentity,
    peers: Arc<dyn PinnedPeers>,
) -> Result<Arc<rustls::ServerConfig>, CryptoError> {
    let provider = Arc::new(provider());
    let verifier = PinnedClientVerifier {
        peers,
        algorithms: provider.signature_verification_algorithms,
    };
    let mut config = rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| CryptoError::TlsConfig(e.to_string()))?
        .with_client_cert_verifier(Arc::new(verifier))
        .with_single_cert(vec![identity.cert_der.clone()], identity.private_key())
        .map_err(|e| CryptoError::TlsConfig(e.to_string()))?;
    // A resumed session skips certificate verification: a revoked partner holding a ticket could
    // otherwise come back in.
    config.session_storage = Arc::new(rustls::server::NoServerSessionStorage {});
    config.send_tls13_tickets = 0;
    config.alpn_protocols = vec![ALPN_HTTP1.to_vec()];
    Ok(Arc::new(config))
}

/// Client side: presents our certificate and accepts the server only if its certificate's fingerprint
/// equals `server_fingerprint` (and it is valid now and self-signed). The host name is not checked: the
/// pin is the identity. TLS 1.3 only, ALPN "http/1.1", no session resumption.
pub fn federation_client_config(
    identity: &TlsIdentity,
    server_fingerprint: &str,
) -> Result<Arc<rustls::ClientConfig>, CryptoError> {
    let pinned = parse_cert_fingerprint(server_fingerprint)?;
    let provider = Arc::new(provider());
    let verifier = PinnedServerVerifier {
        fingerprint: pinned,
        algorithms: provider.signature_verification_algorithms,
    };
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13])
        .map_err(|e| CryptoError::TlsConfig(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_client_auth_cert(vec![identity.cert_der.clone()], identity.private_key())
        .map_err(|e| CryptoError::TlsConfig(e.to_string()))?;
    config.resumption = rustls::client::Resumption::disabled();
    config.alpn_protocols = vec![ALPN_HTTP1.to_vec()];
    Ok(Arc::new(config))
}

/// Installs ring as the process-wide rustls provider (idempotent; call from main and tests). The
/// federation configurations name ring themselves; this is for libraries that build their own.
pub fn install_crypto_provider() {
    // An error only means a provider is installed already, which is what we want.
    let _already_installed = rustls::crypto::ring::default_provider().install_default();
}

fn provider() -> CryptoProvider {
    rustls::crypto::ring::default_provider()
}

#[derive(Debug)]
struct PinnedClientVerifier {
    peers: Arc<dyn PinnedPeers>,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ClientCertVerifier for PinnedClientVerifier {
    fn root_hint_subjects(&self) -> &[TlsDistinguishedName] {
        // No CA to hint at: a client presents its one certificate.
        &[]
    }

    fn verify_client_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        now: UnixTime,
    ) -> Result<ClientCertVerified, rustls::Error> {
        let fingerprint = cert_fingerprint_der(end_entity);
        if !self.peers.is_pinned(&fingerprint) {
            return Err(refusal(format!(
                "client certificate {fingerprint} is not pinned"
            )));
        }
        check_self_signed_cert(end_entity, now, CertUse::Client)?;
        Ok(ClientCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[derive(Debug)]
struct PinnedServerVerifier {
    fingerprint: String,
    algorithms: WebPkiSupportedAlgorithms,
}

impl ServerCertVerifier for PinnedServerVerifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        let fingerprint = cert_fingerprint_der(end_entity);
        if fingerprint != self.fingerprint {
            return Err(refusal(format!(
                "server certificate {fingerprint} is not the pinned {}",
                self.fingerprint
            )));
        }
        check_self_signed_cert(end_entity, now, CertUse::Server)?;
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.algorithms.supported_schemes()
    }
}

#[derive(Debug, Clone, Copy)]
enum CertUse {
    Server,
    Client,
}

/// Checks that a pinned certificate is well formed, signed by its own key, valid at `now` and allowed
/// for `usage`. A fingerprint alone would accept an expired certificate for ever.
fn check_self_signed_cert(
    cert: &CertificateDer<'_>,
    now: UnixTime,
    usage: CertUse,
) -> Result<(), rustls::Error> {
    let end_entity = webpki::EndEntityCert::try_from(cert).map_err(webpki_refusal)?;
    let anchor = webpki::anchor_from_trusted_cert(cert).map_err(webpki_refusal)?;
    let algorithms = provider().signature_verification_algorithms.all;
    let eku = match usage {
        CertUse::Client => webpki::KeyUsage::client_auth(),
        CertUse::Server => webpki::KeyUsage::server_auth(),
    };
    end_entity
        .verify_for_usage(algorithms, &[anchor], &[], now, eku, None, None)
        .map_err(webpki_refusal)?;
    Ok(())
}

fn webpki_refusal(error: webpki::Error) -> rustls::Error {
    let certificate_error = match error {
        webpki::Error::CertExpired { .. } => CertificateError::Expired,
        webpki::Error::CertNotValidYet { .. } => CertificateError::NotValidYet,
        other => return refusal(format!("certificate refused: {other}")),
    };
    rustls::Error::InvalidCertificate(certificate_error)
}

fn refusal(reason: String) -> rustls::Error {
    rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(PinRefusal(
        reason,
    )))))
}

/// Why a peer certificate was refused, carried inside the rustls error so it reaches the listener's log.
#[derive(Debug)]
struct PinRefusal(String);

impl std::fmt::Display for PinRefusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PinRefusal {}

fn subject_alt_names(hosts: &[String]) -> Result<Vec<SanType>, CryptoError> {
    let mut seen = HashSet::new();
    let mut names = Vec::new();
    let all = hosts
        .iter()
        .map(String::as_str)
        .chain(LOOPBACK_HOSTS.iter().copied());
    for (index, host) in all.enumerate() {
        let trimmed = host.trim();
        let bare = trimmed
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(trimmed);
        let san = if let Ok(ip) = bare.parse::<IpAddr>() {
            if !seen.insert(ip.to_string()) {
                continue;
            }
            SanType::IpAddress(ip)
        } else {
            let lower = bare.to_ascii_lowercase();
            DnsName::try_from(lower.as_str()).map_err(|_| {
                CryptoError::TlsIdentity(format!(
                    "host {index} ({host:?}) is neither an IP address nor a DNS name"
                ))
            })?;
            if !seen.insert(lower.clone()) {
                continue;
            }
            let ia5 = lower
                .as_str()
                .try_into()
                .map_err(|e| CryptoError::TlsIdentity(format!("host {index} ({host:?}): {e}")))?;
            SanType::DnsName(ia5)
        };
        names.push(san);
    }
    Ok(names)
}

/// A positive 127-bit random serial, as RFC 5280 asks of certificate serial numbers.
fn random_serial() -> SerialNumber {
    let mut bytes = rand::random::<[u8; 16]>();
    bytes[0] = (bytes[0] & 0x7f) | 0x01;
    SerialNumber::from_slice(&bytes)
}

fn single_cert_from_pem(cert_pem: &str) -> Result<CertificateDer<'static>, CryptoError> {
    let mut certs = CertificateDer::pem_slice_iter(cert_pem.as_bytes());
    let first = match certs.next() {
        Some(Ok(cert)) => cert,
        Some(Err(e)) => {
            return Err(CryptoError::TlsIdentity(format!(
                "certificate pem is unreadable: {e}"
            )));
        }
        None => {
            return Err(CryptoError::TlsIdentity(
                "no \"BEGIN CERTIFICATE\" block found".to_owned(),
            ));
        }
    };
    if certs.next().is_some() {
        return Err(CryptoError::TlsIdentity(
            "expected one certificate, found several".to_owned(),
        ));
    }
    Ok(first)
}

fn pem_encode(label: &str, der: &[u8]) -> String {
    let base64 = Zeroizing::new(data_encoding::BASE64.encode(der));
    let mut pem = String::with_capacity(base64.len() + base64.len() / 64 + 2 * label.len() + 40);
    pem.push_str("-----BEGIN ");
    pem.push_str(label);
    pem.push_str("-----\n");
    // Base64 is ASCII, so every 64-byte chunk is a whole line of text.
    for line in base64.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str("-----END ");
    pem.push_str(label);
    pem.push_str("-----\n");
    pem
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn identity(node: &str) -> TlsIdentity {
        TlsIdentity::generate(node, &["node.example.org".to_owned()]).unwrap()
    }

    /// Runs a whole TLS handshake in memory and returns the server's and the client's error, if any.
    fn handshake(
        server: Arc<rustls::ServerConfig>,
        client: Arc<rustls::ClientConfig>,
    ) -> Result<(), String> {
        let mut server = rustls::ServerConnection::new(server).unwrap();
        let mut client =
            rustls::ClientConnection::new(client, ServerName::try_from("localhost").unwrap())
                .unwrap();
        for _ in 0..20 {
            let mut buf = Vec::new();
            while client.wants_write() {
                client.write_tls(&mut buf).unwrap();
            }
            let mut slice = buf.as_slice();
            while !slice.is_empty() {
                server.read_tls(&mut slice).unwrap();
            }
            server
                .process_new_packets()
                .map_err(|e| format!("server: {e}"))?;
            let mut buf = Vec::new();
            while server.wants_write() {
                server.write_tls(&mut buf).unwrap();
            }
            let mut slice = buf.as_slice();
            while !slice.is_empty() {
                client.read_tls(&mut slice).unwrap();
            }
            client
                .process_new_packets()
                .map_err(|e| format!("client: {e}"))?;
            if !server.is_handshaking() && !client.is_handshaking() && !client.wants_write() {
                return Ok(());
            }
        }
        Err("handshake did not finish".to_owned())
    }

    #[test]
    fn pem_round_trip_keeps_the_fingerprint() {
        let id = identity("node-a");
        let cert_pem = id.cert_pem();
        let key_pem = id.key_pem();
        assert!(cert_pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(key_pem.starts_with("-----BEGIN PRIVATE KEY-----\n"));
        assert!(cert_pem.lines().all(|l| l.len() <= 64));
        let back = TlsIdentity::from_pem(&cert_pem, &key_pem).unwrap();
        assert_eq!(back.fingerprint(), id.fingerprint());
        assert_eq!(back.cert_der(), id.cert_der());
        assert_eq!(back.key_pem(), key_pem);
        assert_eq!(cert_fingerprint_pem(&cert_pem).unwrap(), id.fingerprint());
    }

    #[test]
    fn fingerprint_is_sha256_of_the_der() {
        let id = identity("node-a");
        let fp = id.fingerprint();
        assert_eq!(fp, format!("sha256:{}", crate::sha256_hex(id.cert_der())));
        assert_eq!(fp.len(), 7 + 64);
        assert_eq!(parse_cert_fingerprint(&fp).unwrap(), fp);
        assert_eq!(
            parse_cert_fingerprint(&format!(
                "  {}\n",
                fp.to_uppercase().replace("SHA256", "sha256")
            ))
            .unwrap(),
            fp
        );
    }

    #[test]
    fn malformed_fingerprints_are_named() {
        let err = parse_cert_fingerprint("md5:abcd").unwrap_err().to_string();
        assert!(err.contains("does not start with"), "{err}");
        let err = parse_cert_fingerprint("sha256:abcd")
            .unwrap_err()
            .to_string();
        assert!(err.contains("found 4"), "{err}");
        let bad = format!("sha256:{}g", "0".repeat(63));
        let err = parse_cert_fingerprint(&bad).unwrap_err().to_string();
        assert!(err.contains("position 70"), "{err}");
    }

    #[test]
    fn debug_never_shows_key_material() {
        let id = identity("node-a");
        let debug = format!("{id:?}");
        assert!(debug.contains(&id.fingerprint()));
        let key_pem = id.key_pem();
        let key_base64: String = key_pem
            .lines()
            .filter(|l| !l.starts_with("-----"))
            .collect();
        for line in key_pem.lines().filter(|l| !l.starts_with("-----")) {
            assert!(!debug.contains(line), "{debug}");
        }
        assert!(!debug.contains(&key_base64[..16]));
        assert!(!debug.contains("PRIVATE"));
    }

    #[test]
    fn generated_certificate_names_the_hosts() {
        let id = TlsIdentity::generate(
            "node-a",
            &[
                "Node.Example.org".to_owned(),
                "[::1]".to_owned(),
                "127.0.0.1".to_owned(),
            ],
        )
        .unwrap();
        let cert = webpki::EndEntityCert::try_from(&id.cert_der).unwrap();
        for name in ["node.example.org", "localhost", "127.0.0.1", "::1"] {
            let server_name = ServerName::try_from(name).unwrap();
            cert.verify_is_valid_for_subject_name(&server_name)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn bad_hosts_and_node_ids_are_refused() {
        let err = TlsIdentity::generate("node-a", &["not a host".to_owned()])
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("host 0") && err.contains("not a host"),
            "{err}"
        );
        assert!(TlsIdentity::generate("  ", &[]).is_err());
    }

    #[test]
    fn from_pem_refuses_mismatched_or_garbled_input() {
        let a = identity("node-a");
        let b = identity("node-b");
        let err = TlsIdentity::from_pem(&a.cert_pem(), &b.key_pem())
            .unwrap_err()
            .to_string();
        assert!(err.contains("does not"), "{err}");
        assert!(TlsIdentity::from_pem("garbage", &a.key_pem()).is_err());
        assert!(TlsIdentity::from_pem(&a.cert_pem(), "garbage").is_err());
        let two = format!("{}{}", a.cert_pem(), b.cert_pem());
        let err = TlsIdentity::from_pem(&two, &a.key_pem())
            .unwrap_err()
            .to_string();
        assert!(err.contains("several"), "{err}");
        assert!(cert_fingerprint_pem("no pem here").is_err());
    }

    #[test]
    fn pinned_peers_complete_the_handshake() {
        let server = identity("node-a");
        let client = identity("node-b");
        let pins = Arc::new(PinSet::new([client.fingerprint()]));
        let server_config = federation_server_config(&server, pins).unwrap();
        let client_config = federation_client_config(&client, &server.fingerprint()).unwrap();
        handshake(server_config, client_config).unwrap();
    }

    #[test]
    fn unpinned_client_is_refused_by_the_server() {
        let server = identity("node-a");
        let client = identity("node-b");
        let pins = Arc::new(PinSet::new([identity("node-c").fingerprint()]));
        let server_config = federation_server_config(&server, pins).unwrap();
        let client_config = federation_client_config(&client, &server.fingerprint()).unwrap();
        let err = handshake(server_config, client_config).unwrap_err();
        assert!(err.starts_with("server:"), "{err}");
        assert!(err.contains(&client.fingerprint()), "{err}");
        assert!(err.contains("not pinned"), "{err}");
    }

    #[test]
    fn client_refuses_a_server_with_another_certificate() {
        let server = identity("node-a");
        let client = identity("node-b");
        let pins = Arc::new(PinSet::new([client.fingerprint()]));
        let server_config = federation_server_config(&server, pins).unwrap();
        let other = identity("node-c").fingerprint();
        let client_config = federation_client_config(&client, &other).unwrap();
        let err = handshake(server_config, client_config).unwrap_err();
        assert!(err.starts_with("client:"), "{err}");
        assert!(err.contains(&server.fingerprint()), "{err}");
    }

    #[test]
    fn revocation_applies_to_the_next_handshake() {
        let server = identity("node-a");
        let client = identity("node-b");
        let pins = Arc::new(PinSet::new([client.fingerprint()]));
        let server_config = federation_server_config(&server, pins.clone()).unwrap();
        let client_config = federation_client_config(&client, &server.fingerprint()).unwrap();
        handshake(server_config.clone(), client_config.clone()).unwrap();
        assert!(pins.remove(&client.fingerprint()));
        assert!(handshake(server_config.clone(), client_config.clone()).is_err());
        pins.insert(client.fingerprint());
        handshake(server_config, client_config).unwrap();
    }

    #[test]
    fn expired_and_future_certificates_are_refused() {
        let id = identity("node-a");
        let now = UnixTime::now();
        check_self_signed_cert(&id.cert_der, now, CertUse::Client).unwrap();
        check_self_signed_cert(&id.cert_der, now, CertUse::Server).unwrap();
        let later = UnixTime::since_unix_epoch(std::time::Duration::from_secs(
            now.as_secs() + 6 * 366 * 86_400,
        ));
        let err = check_self_signed_cert(&id.cert_der, later, CertUse::Client).unwrap_err();
        assert!(
            matches!(
                err,
                rustls::Error::InvalidCertificate(CertificateError::Expired)
            ),
            "{err}"
        );
        let before =
            UnixTime::since_unix_epoch(std::time::Duration::from_secs(now.as_secs() - 3 * 86_400));
        let err = check_self_signed_cert(&id.cert_der, before, CertUse::Server).unwrap_err();
        assert!(
            matches!(
                err,
                rustls::Error::InvalidCertificate(CertificateError::NotValidYet)
            ),
            "{err}"
        );
    }

    #[test]
    fn malformed_server_pin_is_an_error() {
        let client = identity("node-b");
        let err = federation_client_config(&client, "sha256:xyz").unwrap_err();
        assert!(matches!(err, CryptoError::Fingerprint(_)), "{err}");
    }

    #[test]
    fn install_crypto_provider_is_idempotent() {
        install_crypto_provider();
        install_crypto_provider();
        assert!(CryptoProvider::get_default().is_some());
    }
}
