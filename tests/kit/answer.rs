//! Reading one raw HTTP answer, shared by the test binaries that speak to the server byte by
//! byte (hostile input, deadlines).

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};

/// What the server answered: status (0 when it closed without a word) and text.
pub struct Outcome {
    pub status: u16,
    pub text: String,
}

/// Reads one HTTP answer (up to its Content-Length), or what came before the server closed.
pub async fn read_answer(stream: &mut (impl AsyncRead + Unpin)) -> Outcome {
    let mut buf = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(30), async {
        let mut chunk = [0u8; 16384];
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
            let text = String::from_utf8_lossy(&buf);
            if let Some(end) = text.find("\r\n\r\n") {
                let len = text[..end]
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string()))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(0);
                if buf.len() >= end + 4 + len {
                    break;
                }
            }
        }
    })
    .await;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let status = text.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    Outcome { status, text }
}
