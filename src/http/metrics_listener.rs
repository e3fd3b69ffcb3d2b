//! The plain-HTTP listener for operators: `/metrics` (Prometheus), `/health`, `/ready`.
//!
//! It is separate from the HTTPS port so that a scraper needs no client certificate, and bound to
//! 127.0.0.1 by default: it tells nothing personal, but it is not authenticated.

use std::sync::Arc;

use hyper::header::{HeaderValue, CONTENT_TYPE};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;
use tokio::sync::watch;

use super::connections::Connections;
use super::handler::{ready, Gateway};
use crate::metrics::Sample;

/// Serves until `stop` turns true.
pub async fn serve_metrics(
    listener: TcpListener,
    gateway: Arc<Gateway>,
    connections: Arc<Connections>,
    mut stop: watch::Receiver<bool>,
) {
    loop {
        let (tcp, _) = tokio::select! {
            _ = async { let _ = stop.wait_for(|s| *s).await; } => return,
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(_) => {
                    tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        let (gateway, connections) = (gateway.clone(), connections.clone());
        tokio::spawn(async move {
            let svc = service_fn(move |req: Request<hyper::body::Incoming>| {
                let response = answer(&gateway, &connections, &req);
                async move { Ok::<_, std::convert::Infallible>(response) }
            });
            let mut builder = http1::Builder::new();
            builder.timer(TokioTimer::new()).header_read_timeout(std::time::Duration::from_secs(10));
            let _ = builder.serve_connection(TokioIo::new(tcp), svc).await;
        });
    }
}

fn answer(
    gw: &Gateway,
    connections: &Connections,
    req: &Request<hyper::body::Incoming>,
) -> Response<super::corps::Corps> {
    if req.method() != Method::GET {
        return plain(StatusCode::METHOD_NOT_ALLOWED, "GET seulement\n".into());
    }
    match req.uri().path() {
        "/metrics" => {
            let counts = connections.counts();
            let text = gw.metrics.encode(Sample {
                flushes: gw.store.flush_count(),
                acknowledged: gw.store.acknowledged_count(),
                journal_entries: gw.store.journal_entry_count(),
                bytes_in_flight: gw.budget.in_flight(),
                anonymous: counts.anonymous,
                counters: counts.counters,
                store_bytes: gw.store.size_on_disk(),
                compute_busy: gw.compute.busy(),
                compute_waiting: gw.compute.waiting(),
            });
            let mut r = Response::new(super::corps::plein(text));
            r.headers_mut().insert(
                CONTENT_TYPE,
                HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
            );
            r
        }
        "/health" => plain(StatusCode::OK, "ok\n".into()),
        "/ready" => ready(gw),
        _ => plain(StatusCode::NOT_FOUND, "/metrics, /health ou /ready\n".into()),
    }
}

fn plain(status: StatusCode, text: String) -> Response<super::corps::Corps> {
    let mut r = Response::new(super::corps::plein(text));
    *r.status_mut() = status;
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
    r
}
