//! Staff accounts of the web console (`agent/<login>`) and applicants' access codes
//! (`codeacces/<num>`, a keyed hash, erased with the application).

use super::{decode, Store, StoreError};
use crate::registry::depot::Agent;

pub(super) fn agent_key(login: &str) -> Vec<u8> {
    format!("agent/{login}").into_bytes()
}

pub(super) fn code_acces_key(num: &str) -> Vec<u8> {
    format!("codeacces/{num}").into_bytes()
}

impl Store {
    pub(super) fn lire_agent(&self, login: &str) -> Result<Option<Agent>, StoreError> {
        let key = agent_key(login);
        self.inner.engine.get(&key)?.map(|v| decode(&key, &v)).transpose()
    }

    pub(super) fn lire_agents(&self) -> Result<Vec<Agent>, StoreError> {
        self.inner.engine.scan_prefix(b"agent/")?.iter().map(|(k, v)| decode(k, v)).collect()
    }

    pub(super) fn lire_code_acces(&self, num: &str) -> Result<Option<String>, StoreError> {
        let key = code_acces_key(num);
        Ok(self.inner.engine.get(&key)?.map(|v| String::from_utf8_lossy(&v).into_owned()))
    }
}
