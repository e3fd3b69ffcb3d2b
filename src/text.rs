//! Quoting caller-supplied text in errors, faults and anomalies.
//!
//! Every layer echoes some of what it refuses (a tag name, a header, a number) so the caller can
//! find the mistake; none may echo a hostile payload whole, since the text lands in a fault and a
//! log line. Neutral machinery: it knows nothing of XML, SOAP or housing.

/// At most `max` characters of `s`, with `…` when something was cut.
pub fn extrait(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some((cut, _)) => format!("{}…", &s[..cut]),
    }
}

/// A file-system error in French: the system's own text is English, and operators read ours.
pub fn erreur_io(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    match e.kind() {
        NotFound => "fichier ou répertoire introuvable".into(),
        PermissionDenied => "accès refusé (droits du fichier)".into(),
        AlreadyExists => "existe déjà".into(),
        InvalidData => "contenu illisible (UTF-8 attendu)".into(),
        IsADirectory => "c'est un répertoire, un fichier est attendu".into(),
        NotADirectory => "un répertoire est attendu".into(),
        StorageFull => "disque plein".into(),
        ReadOnlyFilesystem => "système de fichiers en lecture seule".into(),
        AddrInUse => "adresse déjà utilisée par un autre programme".into(),
        AddrNotAvailable => "adresse non disponible sur cette machine".into(),
        ConnectionRefused => "connexion refusée".into(),
        _ => format!("erreur d'entrée-sortie (code {})", e.raw_os_error().unwrap_or(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::extrait;

    #[test]
    fn cuts_on_characters_and_says_so() {
        assert_eq!(extrait("abc", 3), "abc");
        assert_eq!(extrait("éèêë", 2), "éè…");
        assert_eq!(extrait("", 0), "");
    }
}
