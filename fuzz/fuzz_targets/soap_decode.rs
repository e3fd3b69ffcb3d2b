//! `soap::decode` on arbitrary bytes. The input is split on its first 0xFF byte: what comes
//! before is the Content-Type (lossily decoded), what follows the body. Without 0xFF the whole
//! input is a body under the Content-Type of the MTOM fixtures, so the seed corpus (fixture
//! bodies) starts in the interesting part of the input space.
//!
//! Beyond "no panic": every error has a non-empty message, and a decoded `fichierDemande` goes
//! on to the contract layer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sne_gateway::{contract, soap, xml};

const MTOM: &str = "multipart/related; type=\"application/xop+xml\"; \
    boundary=\"uuid:0f6c2a9e-4d3b-4c7a-8e21-5b9d1f3a6c40\"; \
    start=\"<rootpart*0f6c2a9e-4d3b-4c7a-8e21-5b9d1f3a6c40@example.jaxws.sun.com>\"; \
    start-info=\"application/soap+xml\"; action=\"http://ws.metier.nuu.application.i2/getNumUnique\"";

fuzz_target!(|data: &[u8]| {
    let (content_type, body) = match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (
            String::from_utf8_lossy(&data[..i]).into_owned(),
            &data[i + 1..],
        ),
        None => (MTOM.to_string(), data),
    };
    match soap::decode(&content_type, None, body, &soap::Limits::default()) {
        Err(e) => assert!(!e.to_string().trim().is_empty()),
        Ok(env) => {
            for child in env.body.elements() {
                match soap::binary_content(child) {
                    Err(e) => assert!(!e.to_string().trim().is_empty()),
                    Ok(bytes) if child.name == "fichierDemande" => {
                        let _ = contract::lire_demande(&bytes, xml::Limits::default());
                    }
                    Ok(_) => {}
                }
            }
        }
    }
});
