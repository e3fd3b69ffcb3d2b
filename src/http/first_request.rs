//! The first request's headers, read under our own deadline.
//!
//! hyper's `header_read_timeout` closes the connection without a word. A slow client deserves
//! an answer that names the limit, so the gateway reads the first request's head itself, answers
//! 408 with a SOAP fault when the deadline passes, and otherwise hands hyper the bytes it read
//! followed by the rest of the stream. Later requests on a kept-alive connection stay under
//! hyper's timeout: an idle connection being closed is ordinary HTTP.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use bytes::{Buf, Bytes, BytesMut};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};

use crate::soap::{self, FaultCode};

/// Beyond this, the head is handed to hyper as is, which refuses it (431).
const MAX_HEAD: usize = 64 * 1024;

/// What reading the first head gave.
pub enum Head {
    /// Bytes up to (at least) the end of the headers.
    Complete(Bytes),
    /// The client closed before sending a full head.
    Closed,
    /// The deadline passed; what had arrived.
    TooSlow(Bytes),
}

/// Reads until the end of the first request's headers, or the deadline.
pub async fn read_head<S: AsyncRead + Unpin>(stream: &mut S, deadline: Duration) -> Head {
    let mut buf = BytesMut::with_capacity(4096);
    let read = async {
        loop {
            if ends_headers(&buf) || buf.len() >= MAX_HEAD {
                return true;
            }
            match stream.read_buf(&mut buf).await {
                Ok(0) | Err(_) => return false,
                Ok(_) => {}
            }
        }
    };
    match tokio::time::timeout(deadline, read).await {
        Ok(true) => Head::Complete(buf.freeze()),
        Ok(false) => Head::Closed,
        Err(_) => Head::TooSlow(buf.freeze()),
    }
}

fn ends_headers(buf: &[u8]) -> bool {
    memchr::memmem::find(buf, b"\r\n\r\n").is_some() || memchr::memmem::find(buf, b"\n\n").is_some()
}

/// Answers a too-slow head with 408 and a SOAP fault naming the limit, then closes.
pub async fn answer_too_slow<S: AsyncWrite + Unpin>(stream: &mut S, partial: &[u8], deadline: Duration) {
    let head = String::from_utf8_lossy(partial);
    let content_type = head
        .lines()
        .find_map(|l| l.split_once(':').filter(|(k, _)| k.trim().eq_ignore_ascii_case("content-type")))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let fault = crate::operations::faute(
        FaultCode::Sender,
        format!(
            "Requête trop lente : en-têtes HTTP non reçus dans le délai de {} secondes (limits.header_timeout_secs).",
            deadline.as_secs()
        ),
    );
    let encoded = soap::encode_fault(super::handler::version_annoncee(&content_type), false, &fault);
    let mut out = format!(
        "HTTP/1.1 408 Request Timeout\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        encoded.content_type,
        encoded.body.len()
    )
    .into_bytes();
    out.extend_from_slice(&encoded.body);
    let _ = stream.write_all(&out).await;
    let _ = stream.shutdown().await;
}

/// A stream that first yields bytes already read from it.
pub struct Prefixed<S> {
    prefix: Bytes,
    inner: S,
}

impl<S> Prefixed<S> {
    /// `prefix` is served before anything else is read from `inner`.
    pub fn new(prefix: Bytes, inner: S) -> Self {
        Prefixed { prefix, inner }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Prefixed<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        if self.prefix.has_remaining() {
            let n = self.prefix.len().min(buf.remaining());
            let chunk = self.prefix.split_to(n);
            buf.put_slice(&chunk);
            return Poll::Ready(Ok(()));
        }
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Prefixed<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, data)
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write_vectored(cx, bufs)
    }
    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hands_over_the_head_then_the_rest() {
        let (mut client, mut server) = tokio::io::duplex(1024);
        client.write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\nBODY").await.unwrap();
        let Head::Complete(prefix) = read_head(&mut server, Duration::from_secs(1)).await else { panic!() };
        client.write_all(b"MORE").await.unwrap();
        drop(client);
        let mut all = Vec::new();
        Prefixed::new(prefix, server).read_to_end(&mut all).await.unwrap();
        assert_eq!(all, b"GET / HTTP/1.1\r\nHost: x\r\n\r\nBODYMORE");
    }

    #[tokio::test]
    async fn a_slow_head_gets_a_408_fault_naming_the_limit() {
        let (mut client, mut server) = tokio::io::duplex(4096);
        client.write_all(b"POST / HTTP/1.1\r\nContent-Type: text/xml\r\n").await.unwrap();
        let Head::TooSlow(partial) = read_head(&mut server, Duration::from_millis(50)).await else { panic!() };
        answer_too_slow(&mut server, &partial, Duration::from_secs(7)).await;
        let mut answer = Vec::new();
        client.read_to_end(&mut answer).await.unwrap();
        let text = String::from_utf8(answer).unwrap();
        assert!(text.starts_with("HTTP/1.1 408"), "{text}");
        assert!(text.contains("7 secondes") && text.contains("faultcode"), "{text}");
    }
}
