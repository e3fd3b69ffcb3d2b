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
