//! The release binary, built when needed, and its peak memory: tests that measure the server (its peak memory, its
//! bounds under attack) measure what is deployed, at the speed it runs.

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn release_binary() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut build = Command::new(cargo);
    // Cargo gives a test the variables it gives build scripts (CARGO_PKG_NAME,
    // CARGO_MANIFEST_DIR, OUT_DIR...). Some build scripts (ring's) rerun when those change, so
    // inherited here they would make the release build of `tests/run.sh` stale and rebuild half
    // the dependencies (two minutes on CI) for the same binary.
    for (k, _) in std::env::vars_os() {
        let k = k.to_string_lossy();
        let de_cargo = ["CARGO_PKG_", "CARGO_MANIFEST_", "CARGO_BIN_", "CARGO_CRATE_", "CARGO_CFG_"]
            .iter()
            .any(|p| k.starts_with(p))
            || ["OUT_DIR", "CARGO_PRIMARY_PACKAGE", "CARGO_TARGET_TMPDIR", "CARGO_RUSTC_CURRENT_DIR"].contains(&&*k);
        if de_cargo {
            build.env_remove(&*k);
        }
    }
    let status = build
        .args(["build", "--release", "--locked", "--bin", "sne-gateway"])
        .current_dir(root)
        .status()
        .expect("cargo build --release");
    assert!(status.success(), "la construction en release a échoué");
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
    target.join("release").join("sne-gateway")
}

/// Peak resident memory of process `pid`, in bytes (`VmHWM`).
pub fn peak_rss(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let kb: u64 = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmHWM");
    kb * 1024
}
