//! The binary as an operator runs it: init, check, serve, and the printed curl line.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_sne-gateway");

#[test]
fn init_check_serve_and_the_curl_line_registers_an_application() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("sne-data");
    let out = Command::new(BIN).args(["init", "--listen", "127.0.0.1:0", "--dir"]).arg(&dir).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(tmp.path().join("sne-data-master.key").exists(), "clé maîtresse hors du répertoire de données");
    let config = dir.join("sne-gateway.toml");

    let out = Command::new(BIN).arg("check").arg("--config").arg(&config).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("2 guichet(s)"));

    // A broken configuration is refused with a message naming the problem.
    let broken = tmp.path().join("broken.toml");
    std::fs::write(&broken, std::fs::read_to_string(&config).unwrap().replace("G2201", "G22")).unwrap();
    let out = Command::new(BIN).arg("check").arg("--config").arg(&broken).output().unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("5 lettres"), "{}", String::from_utf8_lossy(&out.stderr));

    let mut child = Command::new(BIN)
        .arg("serve")
        .arg("--config")
        .arg(&config)
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = BufReader::new(child.stderr.take().unwrap());
    let mut port = None;
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut lines = stderr.lines();
    while port.is_none() && Instant::now() < deadline {
        let Some(Ok(line)) = lines.next() else { break };
        if let Some(at) = line.find("adresse=127.0.0.1:") {
            let rest = &line[at + "adresse=127.0.0.1:".len()..];
            port = rest.split(|c: char| !c.is_ascii_digit()).next().and_then(|p| p.parse::<u16>().ok());
        }
    }
    let port = port.expect("le serveur n'a pas annoncé son adresse");
    std::thread::spawn(move || for _ in lines {});

    let curl = sne_gateway::school::curl_command(&dir, port);
    let out = Command::new("sh").arg("-c").arg(&curl).output().expect("curl");
    let _ = child.kill();
    let _ = child.wait();
    let body = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{curl}\n{}", String::from_utf8_lossy(&out.stderr));
    let at = body.find(":numUnique>").unwrap_or_else(|| panic!("pas de numUnique : {body}")) + ":numUnique>".len();
    let num = &body[at..at + 18];
    assert!(num.starts_with("111") && num.ends_with("G1104"), "{num}");
    assert!(body.contains("application/pdf"), "pas d'attestation PDF");
}
