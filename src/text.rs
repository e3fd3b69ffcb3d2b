//! Quoting caller-supplied text in errors, faults and anomalies.
//!
//! Every layer echoes some of what it refuses (a tag name, a header, a number) so the caller can
//! find the mistake; none may echo a hostile payload whole, since the text lands in a fault and a
//! log line. Neutral machinery: it knows nothing of XML, SOAP or housing.

/// At most `max` characters of `s`, with `…` when something was cut, and every control
/// character escaped (`\n`, `\r`, `\t`, `\u{1b}`...), bidirectional overrides included: what
/// a caller chose (a certificate's subject, an `href`, a path) reaches log lines and faults
/// through here, and must not forge a line or drive a terminal.
pub fn extrait(s: &str, max: usize) -> String {
    let coupe = match s.char_indices().nth(max) {
        None => s,
        Some((cut, _)) => &s[..cut],
    };
    let mut out = sans_controle(coupe).into_owned();
    if coupe.len() < s.len() {
        out.push('…');
    }
    out
}

/// `s` with its control characters and bidirectional overrides escaped as Rust writes them.
pub fn sans_controle(s: &str) -> std::borrow::Cow<'_, str> {
    let a_echapper = |c: char| {
        c.is_control() || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(a_echapper) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            c if c.is_control() => out.extend(c.escape_debug()),
            c if a_echapper(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    std::borrow::Cow::Owned(out)
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

    #[test]
    fn control_characters_and_bidi_overrides_are_escaped() {
        assert_eq!(extrait("CN=a\nINFO faux\u{1b}[31m", 100), "CN=a\\nINFO faux\\u{1b}[31m");
        assert_eq!(extrait("\r\t\u{7f}\u{85}", 100), "\\r\\t\\u{7f}\\u{85}");
        assert_eq!(extrait("a\u{202e}b", 100), "a\\u{202e}b");
        assert_eq!(extrait("\n\n\n", 2), "\\n\\n…");
        assert_eq!(extrait("Lefèvre", 100), "Lefèvre");
    }
}
