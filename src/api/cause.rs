//! Why a request got no answer, read off the error's whole source chain (reqwest → hyper →
//! the TLS layer → `io::Error` kinds), so every face can say "connection refused" or "the
//! host name could not be resolved" instead of reqwest's "error sending request".

use std::error::Error;
use std::fmt;
use std::io;

/// The kind of network failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The host name could not be resolved.
    Dns,
    /// Nothing listens on that port.
    Refused,
    /// No route to the host or network.
    Unreachable,
    /// The TLS handshake failed (not TLS on the other end, a bad certificate, ...).
    Tls,
    /// No answer within the time allowed.
    Timeout,
    /// The other end reset or aborted the connection.
    Reset,
    /// The connection closed before a complete answer.
    Closed,
    /// Anything else; the detail says what.
    Other,
}

/// A classified failure: its cause and a whole sentence naming it, the host and the lowest
/// level's own words (`connection refused: nothing is listening on 127.0.0.1:9 (Connection
/// refused (os error 111))`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetFailure {
    pub cause: Cause,
    pub message: String,
}

impl fmt::Display for NetFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Classifies a reqwest error by walking its source chain.
pub fn classify(error: &reqwest::Error) -> NetFailure {
    let url = error.url();
    let host = url
        .and_then(|u| u.host_str())
        .unwrap_or("the server")
        .to_owned();
    let address = match url.and_then(reqwest::Url::port_or_known_default) {
        Some(port) => format!("{host}:{port}"),
        None => host.clone(),
    };
    let links = chain(error);
    let detail = links.last().map(ToString::to_string).unwrap_or_default();
    let found = if error.is_timeout() {
        Some(Cause::Timeout)
    } else {
        links.iter().find_map(|link| cause_of(*link))
    };
    let https = url.is_some_and(|u| u.scheme() == "https");
    let cause = found.unwrap_or(match (error.is_connect(), https) {
        // TCP connected (no socket-level cause) and the connect step still failed: for https
        // that step is the handshake.
        (true, true) => Cause::Tls,
        (true, false) => Cause::Other,
        // Sent, and the answer did not come whole.
        (false, _) => Cause::Closed,
    });
    let what = match cause {
        Cause::Dns => format!("the host name {host} could not be resolved by DNS"),
        Cause::Refused => format!("connection refused: nothing is listening on {address}"),
        Cause::Unreachable => format!("{address} is unreachable (no route to it)"),
        Cause::Tls => format!("the TLS handshake with {address} failed"),
        Cause::Timeout => "no answer in time (timed out)".to_owned(),
        Cause::Reset => format!("the connection was reset by {address}"),
        Cause::Closed => format!("{address} closed the connection before a complete answer"),
        Cause::Other => "the request failed".to_owned(),
    };
    let message = if detail.is_empty() {
        what
    } else {
        format!("{what} ({detail})")
    };
    NetFailure { cause, message }
}

/// The error and all its sources. An `io::Error` wrapping another error reports that error's
/// source as its own and skips the error itself (where rustls puts its alert), so the wrapped
/// error is followed instead.
fn chain<'a>(error: &'a (dyn Error + 'static)) -> Vec<&'a (dyn Error + 'static)> {
    let mut links = Vec::new();
    let mut current = Some(error);
    // Bounded: a chain is a handful of links; a cycle must not hang a request.
    while let Some(link) = current.filter(|_| links.len() < 32) {
        links.push(link);
        current = match link.downcast_ref::<io::Error>() {
            Some(io) => io.get_ref().map(|inner| inner as &(dyn Error + 'static)),
            None => link.source(),
        };
    }
    links
}

fn cause_of(link: &(dyn Error + 'static)) -> Option<Cause> {
    if link.downcast_ref::<rustls::Error>().is_some() {
        return Some(Cause::Tls);
    }
    if let Some(io) = link.downcast_ref::<io::Error>() {
        return match io.kind() {
            io::ErrorKind::ConnectionRefused => Some(Cause::Refused),
            io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::BrokenPipe => Some(Cause::Reset),
            io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => {
                Some(Cause::Unreachable)
            }
            io::ErrorKind::TimedOut => Some(Cause::Timeout),
            _ => None,
        };
    }
    // hyper-util's resolver failure has no public type; its text is all there is.
    (link.to_string() == "dns error").then_some(Cause::Dns)
}
