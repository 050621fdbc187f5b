//! Response bodies read with a ceiling: neither a vendor API nor an endpoint fired with "try it"
//! can make patchcord hold more than [`MAX_RESPONSE_BYTES`] of one answer in memory.

use super::error::{ApiError, snippet};

/// The most bytes read from one response body (16 MiB). Connector answers are kilobytes; a
/// body past this is a wrong endpoint or a hostile one, and reading stops there.
pub const MAX_RESPONSE_BYTES: usize = 16 * 1024 * 1024;

/// Why a body could not be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The body is longer than the limit: its first bytes, or its declared length when it was
    /// refused unread.
    TooLarge {
        head: Vec<u8>,
        declared: Option<u64>,
    },
    Http(reqwest::Error),
}

impl ReadError {
    /// As a vendor API error: an over-long answer is not a connector answer, so it is reported
    /// like any other answer that is not the JSON asked for (and never retried).
    pub(crate) fn into_api_error(
        self,
        url: &str,
        status: u16,
        http: impl FnOnce(&reqwest::Error) -> ApiError,
    ) -> ApiError {
        match self {
            ReadError::Http(error) => http(&error),
            ReadError::TooLarge { head, declared } => ApiError::NotJson {
                status,
                url: url.to_owned(),
                what: format!("a body over patchcord's {} limit", limit_text()),
                snippet: match declared {
                    Some(length) => format!("(not read: Content-Length {length})"),
                    None => snippet(&head),
                },
            },
        }
    }
}

/// The limit as people say it (`16 MiB`).
pub fn limit_text() -> String {
    format!("{} MiB", MAX_RESPONSE_BYTES / (1024 * 1024))
}

/// Reads the whole body, or stops with `TooLarge` as soon as it passes `limit` bytes (a
/// `Content-Length` over it is refused before reading anything).
pub(crate) async fn read_capped(
    mut response: reqwest::Response,
    limit: usize,
) -> Result<Vec<u8>, ReadError> {
    // Enough of the start to show what the server sent instead.
    const HEAD: usize = 512;
    if let Some(length) = response.content_length()
        && usize::try_from(length).map_or(true, |n| n > limit)
    {
        return Err(ReadError::TooLarge {
            head: Vec::new(),
            declared: Some(length),
        });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(ReadError::Http)? {
        if body.len() + chunk.len() > limit {
            body.truncate(HEAD);
            let room = HEAD.saturating_sub(body.len()).min(chunk.len());
            body.extend_from_slice(chunk.get(..room).unwrap_or_default());
            return Err(ReadError::TooLarge {
                head: body,
                declared: None,
            });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::fire::{self, FireError, FireRequest};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    /// A loopback server answering every request 200 with `size` bytes of body (chunked, so
    /// only reading tells how long it is); `None` never ends.
    async fn server(size: Option<usize>) -> String {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                tokio::spawn(async move {
                    let mut buf = [0u8; 4096];
                    let _ = stream.read(&mut buf).await;
                    let head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
                    let _ = stream.write_all(head.as_bytes()).await;
                    let piece = vec![b'z'; 64 * 1024];
                    let mut left = size.unwrap_or(usize::MAX);
                    while left > 0 {
                        let n = left.min(piece.len());
                        left -= n;
                        let mut chunk = format!("{n:x}\r\n").into_bytes();
                        chunk.extend_from_slice(&piece[..n]);
                        chunk.extend_from_slice(b"\r\n");
                        if stream.write_all(&chunk).await.is_err() {
                            return;
                        }
                    }
                    let _ = stream.write_all(b"0\r\n\r\n").await;
                });
            }
        });
        format!("http://{addr}/")
    }

    fn get(url: String) -> FireRequest {
        FireRequest {
            method: "GET".into(),
            url,
            headers: Vec::new(),
            body: None,
        }
    }

    #[tokio::test]
    async fn try_it_refuses_an_endless_body_with_the_status() {
        let url = server(None).await;
        let client = fire::client().unwrap();
        let err = fire::fire(&client, &get(url)).await.unwrap_err();
        assert_eq!(err, FireError::TooLarge { status: 200 });
        assert!(
            err.to_string()
                .contains("answered 200 with a body over patchcord's 16 MiB limit"),
            "{err}"
        );
    }

    #[tokio::test]
    async fn a_body_at_the_cap_is_read_and_shown_in_part() {
        let url = server(Some(MAX_RESPONSE_BYTES)).await;
        let client = fire::client().unwrap();
        let response = fire::fire(&client, &get(url)).await.unwrap();
        assert_eq!(response.body_bytes, MAX_RESPONSE_BYTES);
        assert!(response.truncated);
        assert_eq!(response.body.len(), fire::MAX_BODY_BYTES);
    }
}
