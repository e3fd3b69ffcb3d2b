//! A stream with two deadlines: the connection is closed when nothing moves in either direction
//! for the idle time (a kept-alive connection nobody uses), or when a write stays blocked for
//! the write time (a client that does not read its answer holds our buffers otherwise).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::{sleep, Instant, Sleep};

/// The deadlines.
#[derive(Debug, Clone, Copy)]
pub struct Deadlines {
    /// No byte read or written for this long: the connection is idle and closed.
    pub idle: Duration,
    /// A write blocked for this long: the client does not read; closed.
    pub write: Duration,
}

/// `S` under [`Deadlines`].
pub struct Watched<S> {
    inner: S,
    deadlines: Deadlines,
    idle: Pin<Box<Sleep>>,
    write_blocked: Option<Pin<Box<Sleep>>>,
}

impl<S> Watched<S> {
    /// Watches `inner` from now.
    pub fn new(inner: S, deadlines: Deadlines) -> Self {
        Watched { inner, deadlines, idle: Box::pin(sleep(deadlines.idle)), write_blocked: None }
    }

    fn progress(&mut self) {
        self.idle.as_mut().reset(Instant::now() + self.deadlines.idle);
    }

    fn write_pending(&mut self, cx: &mut Context<'_>) -> io::Result<()> {
        let write = self.deadlines.write;
        let timer = self.write_blocked.get_or_insert_with(|| Box::pin(sleep(write)));
        if timer.as_mut().poll(cx).is_ready() {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "écriture bloquée : le client ne lit pas sa réponse"));
        }
        Ok(())
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Watched<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(Ok(())) => {
                if buf.filled().len() > before {
                    self.progress();
                }
                Poll::Ready(Ok(()))
            }
            Poll::Pending => {
                if self.idle.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(Err(io::Error::new(io::ErrorKind::TimedOut, "connexion inactive")));
                }
                Poll::Pending
            }
            other => other,
        }
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Watched<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, data: &[u8]) -> Poll<io::Result<usize>> {
        match Pin::new(&mut self.inner).poll_write(cx, data) {
            Poll::Ready(r) => {
                self.write_blocked = None;
                self.progress();
                Poll::Ready(r)
            }
            Poll::Pending => match self.write_pending(cx) {
                Ok(()) => Poll::Pending,
                Err(e) => Poll::Ready(Err(e)),
            },
        }
    }
    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match Pin::new(&mut self.inner).poll_flush(cx) {
            Poll::Ready(r) => {
                self.write_blocked = None;
                Poll::Ready(r)
            }
            Poll::Pending => match self.write_pending(cx) {
                Ok(()) => Poll::Pending,
                Err(e) => Poll::Ready(Err(e)),
            },
        }
    }
    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    const SHORT: Deadlines = Deadlines { idle: Duration::from_millis(100), write: Duration::from_millis(100) };

    #[tokio::test(start_paused = true)]
    async fn an_idle_connection_is_closed_and_traffic_keeps_it_open() {
        let (mut client, server) = tokio::io::duplex(64);
        let mut watched = Watched::new(server, SHORT);
        let mut buf = [0u8; 8];
        for _ in 0..5 {
            tokio::time::sleep(Duration::from_millis(60)).await;
            client.write_all(b"x").await.unwrap();
            assert_eq!(watched.read(&mut buf).await.unwrap(), 1);
        }
        let err = watched.read(&mut buf).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
    }

    #[tokio::test(start_paused = true)]
    async fn a_client_that_does_not_read_is_cut_at_the_write_deadline() {
        let (_client, server) = tokio::io::duplex(16);
        let mut watched = Watched::new(server, Deadlines { idle: Duration::from_secs(3600), ..SHORT });
        let err = watched.write_all(&[0u8; 1024]).await.unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
    }
}
