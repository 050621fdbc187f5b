//! Which redirects are followed: only those that stay on the origin (scheme, host and port) of
//! the first request, and at most [`MAX_REDIRECTS`] of them. A request carries credentials (the
//! vendor key; in "try it", the connector's own headers), and reqwest drops only
//! `Authorization` and `Cookie` when it follows a redirect elsewhere, not a custom key header
//! such as Databar's `x-apikey`. So a redirect to another origin is not followed at all: the
//! 3xx comes back as the answer, and the caller reports it with [`Refused`].

use reqwest::Url;
use reqwest::redirect::Policy;

/// Same-origin redirects followed in a row before giving up (`FastAPI`'s trailing-slash 307
/// needs one).
pub const MAX_REDIRECTS: usize = 5;

/// The redirect policy of every client patchcord builds.
pub(crate) fn same_origin_only() -> Policy {
    Policy::custom(|attempt| {
        // `previous` holds the first URL and each one redirected from so far.
        let hops = attempt.previous().len();
        let stays = attempt
            .previous()
            .first()
            .is_some_and(|first| same_origin(first, attempt.url()));
        if stays && hops <= MAX_REDIRECTS {
            attempt.follow()
        } else {
            attempt.stop()
        }
    })
}

/// Scheme, host and port (the scheme's default when none is written) all equal.
pub fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// Why a redirect answer came back instead of being followed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refused {
    /// It leads to another origin: `to`, from `origin` (the one the request was for).
    OtherOrigin { to: String, origin: String },
    /// More than [`MAX_REDIRECTS`] same-origin redirects; `to` is where the last one led.
    TooMany { to: String },
}

/// The refusal a redirect answer from `url` (the first request's URL) to `location` (its
/// `Location`, resolved) stands for; `None` for a 3xx that is not a redirect (no
/// `Location`).
pub fn refused(url: &str, location: Option<&str>) -> Option<Refused> {
    let to = location?.to_owned();
    let from = Url::parse(url).ok();
    let target = Url::parse(&to).ok();
    match (from, target) {
        (Some(from), Some(target)) if same_origin(&from, &target) => Some(Refused::TooMany { to }),
        (from, _) => Some(Refused::OtherOrigin {
            to,
            origin: from.map_or_else(|| url.to_owned(), |u| u.origin().ascii_serialization()),
        }),
    }
}

/// A 3xx response's `Location`, resolved against the URL that answered it.
pub(crate) fn location(response: &reqwest::Response) -> Option<String> {
    if !response.status().is_redirection() {
        return None;
    }
    let value = response
        .headers()
        .get(reqwest::header::LOCATION)?
        .to_str()
        .ok()?;
    Some(
        response
            .url()
            .join(value)
            .map_or_else(|_| value.to_owned(), String::from),
    )
}

#[cfg(test)]
mod tests;
