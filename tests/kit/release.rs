//! The release binary, built when needed, and its peak memory: tests that measure the server (its peak memory, its
//! bounds under attack) measure what is deployed, at the speed it runs.

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn release_binary() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
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
