//! sne-gateway: the national social-housing registry (SNE) SOAP contract, served.
//!
//! Data flows one way: [`http`] (TLS, identity, limits) -> [`soap`] (envelope, MTOM parts,
//! faults) -> [`operations`] (the edge between wire values and business values) -> [`contract`]
//! (typed files, validation into anomalies) and [`registry`] (business rules) -> [`store`]
//! (sled, encrypted, durable). See ARCHITECTURE.md.
#![deny(missing_docs)]

pub mod compute;
pub mod config;
pub mod contract;
pub mod control;
pub mod demo;
pub mod evenements;
pub mod guichets;
pub mod http;
pub mod import;
pub mod metrics;
pub mod operations;
pub mod pki;
pub mod registry;
pub mod school;
pub mod service_description;
pub mod soap;
pub mod startup;
pub mod store;
pub mod text;
pub mod web;
pub mod xml;

#[cfg(test)]
mod layers {
    //! The rule of ARCHITECTURE.md, read from the source: each layer names only the modules
    //! below it (and the neutral `text` and `compute`), never one above (rust-analyzer's tidy
    //! tests do the same).

    use std::path::Path;

    /// Layer, and what it may name besides itself.
    const ALLOWED: &[(&str, &[&str])] = &[
        ("text", &[]),
        ("compute", &[]),
        ("xml", &["text"]),
        // The store implements the registry's storage port, and names nothing else of it.
        ("store", &["text", "registry::depot"]),
        ("soap", &["xml", "text"]),
        ("contract", &["xml", "text"]),
        ("registry", &["compute", "text"]),
        ("metrics", &[]),
        ("operations", &["contract", "registry", "soap", "xml", "compute", "text"]),
        // The browser's room beside `operations`: it reads stored files as operations does.
        ("web", &["operations", "contract", "registry", "compute", "text"]),
        (
            "http",
            &[
                "operations",
                "web",
                "contract",
                "registry",
                "soap",
                "xml",
                "store",
                "compute",
                "text",
                "config",
                "metrics",
                "service_description",
            ],
        ),
    ];

    fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    #[test]
    fn layers_name_only_what_lies_below_them() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut wrong = Vec::new();
        for (layer, allowed) in ALLOWED {
            let mut paths = Vec::new();
            if src.join(layer).is_dir() {
                files(&src.join(layer), &mut paths);
            }
            if src.join(format!("{layer}.rs")).exists() {
                paths.push(src.join(format!("{layer}.rs")));
            }
            assert!(!paths.is_empty(), "couche {layer} introuvable");
            for path in paths {
                let text = std::fs::read_to_string(&path).unwrap();
                for (at, _) in text.match_indices("crate::") {
                    let chemin: String = text[at + 7..]
                        .chars()
                        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
                        .collect();
                    let name = chemin.split("::").next().unwrap_or("").to_string();
                    let permitted =
                        allowed.iter().any(|a| *a == name || chemin == *a || chemin.starts_with(&format!("{a}::")));
                    if name != *layer && !permitted {
                        wrong.push(format!("{} nomme crate::{name}", path.strip_prefix(&src).unwrap().display()));
                    }
                }
            }
        }
        assert!(wrong.is_empty(), "dépendances vers le haut :\n{}", wrong.join("\n"));
    }
}
