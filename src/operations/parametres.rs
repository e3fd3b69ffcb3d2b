//! Reading a wrapper's children: unqualified elements in a fixed order, nothing left over.

use crate::soap::Fault;
use crate::xml::Element;

use super::{extrait, faute_appelant};

/// One expected child: name and whether it is required.
pub(super) struct Champ {
    pub nom: &'static str,
    pub requis: bool,
}

/// The children of a wrapper, by declaration index.
pub(super) struct Champs<'a> {
    valeurs: Vec<Option<&'a Element>>,
}

impl<'a> Champs<'a> {
    /// Matches the wrapper's children against `champs` in order; unknown, repeated, misplaced,
    /// qualified or missing required children are faults naming the element.
    pub fn lire(wrapper: &'a Element, champs: &[Champ]) -> Result<Champs<'a>, Fault> {
        let mut valeurs = vec![None; champs.len()];
        let mut next = 0;
        if wrapper.has_significant_text() {
            return Err(faute_appelant(format!("Texte inattendu dans {}", wrapper.name)));
        }
        for child in wrapper.elements() {
            let pos = champs.iter().position(|c| c.nom == child.name);
            match pos {
                Some(i) if child.ns.is_none() && i >= next => {
                    valeurs[i] = Some(child);
                    next = i + 1;
                }
                Some(_) if child.ns.is_some() => {
                    return Err(faute_appelant(format!(
                        "L'élément {} de {} doit être sans espace de noms (elementFormDefault=unqualified)",
                        child.name, wrapper.name
                    )))
                }
                Some(_) => {
                    return Err(faute_appelant(format!(
                        "Élément {} répété ou mal placé dans {}",
                        child.name, wrapper.name
                    )))
                }
                None => {
                    return Err(faute_appelant(format!(
                        "Élément inattendu {} dans {} (attendus : {})",
                        extrait(&child.name),
                        wrapper.name,
                        champs.iter().map(|c| c.nom).collect::<Vec<_>>().join(", ")
                    )))
                }
            }
        }
        for (c, v) in champs.iter().zip(&valeurs) {
            if c.requis && v.is_none() {
                return Err(faute_appelant(format!("Élément obligatoire {} absent de {}", c.nom, wrapper.name)));
            }
        }
        Ok(Champs { valeurs })
    }

    /// The child at declaration index `i`.
    pub fn get(&self, i: usize) -> Option<&'a Element> {
        self.valeurs[i]
    }

    /// Text of the child at `i`, trimmed; empty when absent.
    pub fn texte(&self, i: usize) -> String {
        self.valeurs[i].map(|e| e.text().trim().to_string()).unwrap_or_default()
    }
}
