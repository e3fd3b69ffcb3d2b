//! Response bodies: whole (every answer built in memory), or streamed (a piece read from disk
//! between the head and the tail of its MTOM package), one type for both.

use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use http_body_util::combinators::BoxBody;
use http_body_util::{BodyExt, Full};
use hyper::body::{Body, Frame, SizeHint};
use tokio::sync::mpsc;

/// The body of every answer.
pub type Corps = BoxBody<Bytes, std::io::Error>;

/// A body held whole.
pub fn plein(bytes: impl Into<Bytes>) -> Corps {
    Full::new(bytes.into()).map_err(|never| match never {}).boxed()
}

/// A body sent as `head`, then the chunks `rx` yields (read from disk by a blocking task), then
/// `tail`; `longueur` is the total, announced as Content-Length. A read error ends the body with
/// that error: the connection is closed rather than an answer cut short passing for whole.
pub fn flux(head: Bytes, rx: mpsc::Receiver<std::io::Result<Bytes>>, tail: Bytes, longueur: u64) -> Corps {
    Flux { head: Some(head), rx, tail: Some(tail), longueur, envoye: 0 }.boxed()
}

struct Flux {
    head: Option<Bytes>,
    rx: mpsc::Receiver<std::io::Result<Bytes>>,
    tail: Option<Bytes>,
    longueur: u64,
    envoye: u64,
}

impl Body for Flux {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        if let Some(h) = self.head.take() {
            self.envoye += h.len() as u64;
            return Poll::Ready(Some(Ok(Frame::data(h))));
        }
        match self.rx.poll_recv(cx) {
            Poll::Pending => Poll::Pending,
            Poll::Ready(Some(Ok(chunk))) => {
                self.envoye += chunk.len() as u64;
                Poll::Ready(Some(Ok(Frame::data(chunk))))
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
            Poll::Ready(None) => match self.tail.take() {
                Some(t) => {
                    self.envoye += t.len() as u64;
                    if self.envoye != self.longueur {
                        return Poll::Ready(Some(Err(std::io::Error::other(format!(
                            "contenu de pièce de {} octets au lieu de {} annoncés",
                            self.envoye, self.longueur
                        )))));
                    }
                    Poll::Ready(Some(Ok(Frame::data(t))))
                }
                None => Poll::Ready(None),
            },
        }
    }

    fn size_hint(&self) -> SizeHint {
        SizeHint::with_exact(self.longueur)
    }
}

/// Reads `contenu` on a blocking thread into a channel of 64 KiB chunks (at most four waiting:
/// memory stays bounded whatever the size, and a slow client slows the reading).
pub fn lire_en_flux(mut contenu: Box<dyn std::io::Read + Send>) -> mpsc::Receiver<std::io::Result<Bytes>> {
    let (tx, rx) = mpsc::channel(4);
    tokio::task::spawn_blocking(move || loop {
        let mut buf = vec![0u8; 64 * 1024];
        let n = match read_full(&mut contenu, &mut buf) {
            Ok(0) => return,
            Ok(n) => n,
            Err(e) => {
                let _ = tx.blocking_send(Err(e));
                return;
            }
        };
        buf.truncate(n);
        if tx.blocking_send(Ok(Bytes::from(buf))).is_err() {
            return;
        }
    });
    rx
}

fn read_full(r: &mut dyn std::io::Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}
