//! `patchcord import curl` and the editor's paste: one curl command (as browsers' "Copy as
//! cURL" and API docs write it) read into the request it describes ([`parse`]), then into a
//! connector that describes the same request ([`import`]).
//!
//! Pure: the command is text, never run; options that would read a file (`-d @file`, `-F`,
//! `-T`) are refused with the reason rather than guessed. Options that change how curl runs but
//! not the request a connector holds (`--compressed`, `-L`, `-s`, timeouts) are ignored and
//! named in a note.

mod build;
mod words;

pub use build::{Imported, import, template_of};
// The OpenAPI importer fills a connector by the same rules.
pub(crate) use build::{MAX_NAME, keep_list, name_key, name_of, set_method, url_shape};
pub use words::WordsError;

use super::NameValue;
use base64::Engine as _;

/// The request a curl command sends, as far as a connector can hold it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CurlRequest {
    /// Upper-case, as given by `-X` or inferred as curl does.
    pub method: String,
    /// The whole URL, query included.
    pub url: String,
    /// The headers the command sets (`-H`, `-A`, `-b`, `-e`, `-u`, `--json`), in order;
    /// curl's own defaults are not included.
    pub headers: Vec<NameValue>,
    pub body: Option<CurlBody>,
}

/// A request body, by what the connector makes of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CurlBody {
    /// JSON text (the Content-Type says JSON, or there is none and the data parses as JSON).
    Json(String),
    /// `a=1&b=2`, decoded.
    Form(Vec<NameValue>),
    /// Anything else, sent as it is.
    Text(String),
}

/// Why a command cannot be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    #[error("{0}")]
    Words(#[from] WordsError),
    #[error("this is not a curl command (it does not start with `curl`)")]
    NotCurl,
    #[error("the command has no URL")]
    NoUrl,
    #[error("the command has two URLs ({0} and {1}); a connector is one request")]
    TwoUrls(String, String),
    #[error("{0} needs a value")]
    MissingValue(String),
    #[error("{option} is refused: {reason}")]
    Refused {
        option: String,
        reason: &'static str,
    },
    #[error("unknown curl option {0}: patchcord cannot tell what it changes")]
    Unknown(String),
    #[error("method {method}: {vendor} connectors use {allowed}")]
    Method {
        method: String,
        vendor: &'static str,
        allowed: String,
    },
    #[error("{vendor} connectors have no {what}; the request's {what} cannot be kept")]
    Unsupported {
        vendor: &'static str,
        what: &'static str,
    },
}

/// Whether pasted text is a curl command (so the editor's URL field takes it as one).
pub fn looks_like_curl(text: &str) -> bool {
    let text = text.trim_start();
    ["curl ", "curl\t", "curl\n", "curl.exe ", "curl \\"]
        .iter()
        .any(|p| text.starts_with(p))
}

/// Options that change how curl runs, not the request: ignored with a note.
const IGNORED_FLAGS: &[&str] = &[
    "compressed",
    "silent",
    "show-error",
    "location",
    "insecure",
    "include",
    "verbose",
    "fail",
    "fail-with-body",
    "no-buffer",
    "globoff",
    "http1.0",
    "http1.1",
    "http2",
    "http2-prior-knowledge",
    "http3",
    "tlsv1",
    "tlsv1.2",
    "tlsv1.3",
    "no-keepalive",
    "progress-bar",
    "location-trusted",
    "path-as-is",
    "raw",
    "tr-encoding",
    "no-progress-meter",
    "ssl-no-revoke",
    "compressed-ssh",
    "ipv4",
    "ipv6",
];

/// The same, taking a value.
const IGNORED_WITH_VALUE: &[&str] = &[
    "output",
    "write-out",
    "max-time",
    "connect-timeout",
    "retry",
    "retry-delay",
    "retry-max-time",
    "proxy",
    "max-redirs",
    "resolve",
    "cacert",
    "cert",
    "key",
    "cookie-jar",
    "limit-rate",
    "dump-header",
    "trace",
    "trace-ascii",
    "stderr",
    "interface",
    "connect-to",
    "proxy-user",
    "capath",
    "cert-type",
    "key-type",
    "ciphers",
    "keepalive-time",
];

/// curl's one-letter options, by long name.
fn long_of(short: char) -> Option<&'static str> {
    Some(match short {
        'X' => "request",
        'H' => "header",
        'd' => "data",
        'G' => "get",
        'u' => "user",
        'A' => "user-agent",
        'b' => "cookie",
        'e' => "referer",
        'F' => "form",
        'I' => "head",
        'T' => "upload-file",
        's' => "silent",
        'S' => "show-error",
        'L' => "location",
        'k' => "insecure",
        'i' => "include",
        'v' => "verbose",
        'f' => "fail",
        'N' => "no-buffer",
        'g' => "globoff",
        '0' => "http1.0",
        '#' => "progress-bar",
        '4' => "ipv4",
        '6' => "ipv6",
        'o' => "output",
        'w' => "write-out",
        'm' => "max-time",
        'x' => "proxy",
        'c' => "cookie-jar",
        'D' => "dump-header",
        'E' => "cert",
        'U' => "proxy-user",
        _ => return None,
    })
}

fn takes_value(long: &str) -> bool {
    matches!(
        long,
        "request"
            | "header"
            | "data"
            | "data-ascii"
            | "data-raw"
            | "data-binary"
            | "data-urlencode"
            | "json"
            | "user"
            | "user-agent"
            | "cookie"
            | "referer"
            | "url"
            | "form"
            | "form-string"
            | "upload-file"
    ) || IGNORED_WITH_VALUE.contains(&long)
}

/// What the options said, before the method and body are settled.
#[derive(Default)]
struct Seen {
    method: Option<String>,
    url: Option<String>,
    headers: Vec<NameValue>,
    data: Vec<String>,
    json: bool,
    get: bool,
    ignored: Vec<String>,
    notes: Vec<String>,
}

/// Reads a curl command into the request it sends, with notes on what was ignored.
pub fn parse(text: &str) -> Result<(CurlRequest, Vec<String>), ImportError> {
    let words = words::split(text)?;
    let mut words = words.into_iter();
    match words.next().as_deref() {
        Some("curl" | "curl.exe") => {}
        _ => return Err(ImportError::NotCurl),
    }
    let mut seen = Seen::default();
    let mut rest = words.peekable();
    while let Some(word) = rest.next() {
        if let Some(long) = word.strip_prefix("--").filter(|l| !l.is_empty()) {
            let value = if takes_value(long) {
                Some(
                    rest.next()
                        .ok_or_else(|| ImportError::MissingValue(word.clone()))?,
                )
            } else {
                None
            };
            seen.option(long, value)?;
        } else if word.len() > 1 && word.starts_with('-') {
            short_options(&word, &mut rest, &mut seen)?;
        } else {
            seen.set_url(word)?;
        }
    }
    seen.finish()
}

/// `-sSL`, `-XPOST`, `-H 'a: b'`: letters until one takes a value, which is the rest of the
/// word or the next word.
fn short_options(
    word: &str,
    rest: &mut impl Iterator<Item = String>,
    seen: &mut Seen,
) -> Result<(), ImportError> {
    for (at, letter) in word.char_indices().skip(1) {
        let long = long_of(letter).ok_or_else(|| ImportError::Unknown(format!("-{letter}")))?;
        if takes_value(long) {
            let attached = word.get(at + letter.len_utf8()..).unwrap_or_default();
            let value = if attached.is_empty() {
                rest.next()
                    .ok_or_else(|| ImportError::MissingValue(format!("-{letter}")))?
            } else {
                attached.to_owned()
            };
            return seen.option(long, Some(value));
        }
        seen.option(long, None)?;
    }
    Ok(())
}

fn refused(option: &str, reason: &'static str) -> ImportError {
    ImportError::Refused {
        option: format!("--{option}"),
        reason,
    }
}

const READS_FILE: &str = "it reads a file, which a connector cannot hold; paste the data itself";

impl Seen {
    fn set_url(&mut self, url: String) -> Result<(), ImportError> {
        if let Some(first) = &self.url {
            return Err(ImportError::TwoUrls(first.clone(), url));
        }
        self.url = Some(url);
        Ok(())
    }

    fn option(&mut self, long: &str, value: Option<String>) -> Result<(), ImportError> {
        let value = value.unwrap_or_default();
        match long {
            "request" => self.method = Some(value.to_ascii_uppercase()),
            "header" => self.header(&value)?,
            "data" | "data-ascii" | "data-binary" if value.starts_with('@') => {
                return Err(refused(long, READS_FILE));
            }
            "data" | "data-ascii" => self.data.push(value.replace(['\r', '\n'], "")),
            "data-raw" | "data-binary" => self.data.push(value),
            "data-urlencode" => self.data.push(urlencoded(&value)?),
            "json" if value.starts_with('@') => return Err(refused(long, READS_FILE)),
            "json" => {
                self.json = true;
                self.data.push(value);
            }
            "get" => self.get = true,
            "user" => self.user(&value)?,
            "user-agent" => self.headers.push(NameValue::new("User-Agent", value)),
            "cookie" if !value.contains('=') => return Err(refused(long, READS_FILE)),
            "cookie" => self.headers.push(NameValue::new("Cookie", value)),
            "referer" => self.headers.push(NameValue::new("Referer", value)),
            "url" => self.set_url(value)?,
            "form" | "form-string" => {
                return Err(refused(
                    long,
                    "a multipart form cannot be a connector's body, which is JSON fields or a template",
                ));
            }
            "head" => return Err(refused(long, "HEAD is not a connector method")),
            "upload-file" => return Err(refused(long, READS_FILE)),
            other if IGNORED_FLAGS.contains(&other) || IGNORED_WITH_VALUE.contains(&other) => {
                self.ignored.push(format!("--{other}"));
            }
            other => return Err(ImportError::Unknown(format!("--{other}"))),
        }
        Ok(())
    }

    /// `Name: value`; `Name;` is an empty value; `Name:` (curl: remove a default) and `@file`
    /// set nothing a connector holds.
    fn header(&mut self, text: &str) -> Result<(), ImportError> {
        if text.starts_with('@') {
            return Err(refused("header", READS_FILE));
        }
        if let Some((name, value)) = text.split_once(':') {
            let value = value.trim();
            if value.is_empty() {
                self.notes.push(format!(
                    "-H {name:?} only removes one of curl's own headers; ignored"
                ));
            } else {
                self.headers.push(NameValue::new(name.trim(), value));
            }
        } else if let Some(name) = text.strip_suffix(';') {
            self.headers.push(NameValue::new(name.trim(), ""));
        } else {
            self.notes
                .push(format!("-H {text:?} is not `Name: value`; ignored"));
        }
        Ok(())
    }

    fn user(&mut self, value: &str) -> Result<(), ImportError> {
        if !value.contains(':') {
            return Err(refused(
                "user",
                "without `:password` curl asks for the password; write -u user:password",
            ));
        }
        let token = base64::engine::general_purpose::STANDARD.encode(value);
        self.headers
            .push(NameValue::new("Authorization", format!("Basic {token}")));
        Ok(())
    }

    fn finish(mut self) -> Result<(CurlRequest, Vec<String>), ImportError> {
        let mut url = self.url.take().ok_or(ImportError::NoUrl)?;
        if !url.contains("://") {
            url = format!("http://{url}");
        }
        if self.json {
            for (name, value) in [
                ("Content-Type", "application/json"),
                ("Accept", "application/json"),
            ] {
                if !self.has_header(name) {
                    self.headers.push(NameValue::new(name, value));
                }
            }
        }
        let data = (!self.data.is_empty()).then(|| self.data.join("&"));
        let (body, method) = match data {
            Some(data) if self.get => {
                let joiner = if url.contains('?') { '&' } else { '?' };
                url = format!("{url}{joiner}{data}");
                (None, "GET")
            }
            Some(data) => (Some(self.classify(data)), "POST"),
            None => (None, "GET"),
        };
        let method = self.method.take().unwrap_or_else(|| method.to_owned());
        let mut notes = self.notes;
        if !self.ignored.is_empty() {
            notes.insert(
                0,
                format!(
                    "ignored {}: they change how curl runs, not the request a connector holds",
                    self.ignored.join(", ")
                ),
            );
        }
        let request = CurlRequest {
            method,
            url,
            headers: self.headers,
            body,
        };
        Ok((request, notes))
    }

    fn has_header(&self, name: &str) -> bool {
        self.headers
            .iter()
            .any(|h| h.name.eq_ignore_ascii_case(name))
    }

    fn classify(&self, data: String) -> CurlBody {
        let content_type = self
            .headers
            .iter()
            .rev()
            .find(|h| h.name.eq_ignore_ascii_case("content-type"))
            .map(|h| h.value.to_ascii_lowercase());
        let is_json = serde_json::from_str::<serde_json::Value>(&data).is_ok();
        match content_type.as_deref() {
            Some(ct) if ct.contains("json") && is_json => CurlBody::Json(data),
            None if is_json && data.trim_start().starts_with(['{', '[']) => CurlBody::Json(data),
            Some(ct) if !ct.contains("x-www-form-urlencoded") => CurlBody::Text(data),
            _ => CurlBody::Form(
                url::form_urlencoded::parse(data.as_bytes())
                    .map(|(name, value)| NameValue::new(name, value))
                    .collect(),
            ),
        }
    }
}

/// `--data-urlencode`: `content`, `=content` or `name=content`, the content percent-encoded.
fn urlencoded(value: &str) -> Result<String, ImportError> {
    let encode =
        |text: &str| url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
    // curl reads a file when an `@` comes before any `=`.
    if value
        .find(['=', '@'])
        .is_some_and(|i| value.as_bytes().get(i) == Some(&b'@'))
    {
        return Err(refused("data-urlencode", READS_FILE));
    }
    Ok(match value.split_once('=') {
        Some(("", content)) => encode(content),
        Some((name, content)) => format!("{name}={}", encode(content)),
        None => encode(value),
    })
}

#[cfg(test)]
mod tests;
