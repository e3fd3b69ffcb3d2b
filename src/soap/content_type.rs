//! Content-Type values: media type and parameters.
//!
//! The `mime` crate parses well-formed values. Deployed MTOM clients also send values it refuses
//! or misreads: unquoted parameter values holding `/`, `:`, `<`, `>` or `@`
//! (`start=<root@x>`, `start-info=application/soap+xml`), tabs or folded lines between
//! parameters, spaces around `=`, and quoted values with backslash escapes
//! (`start-info="application/soap+xml;action=\"urn:x\""`, which `mime` cuts at the first `\"`).
//! Those go through a lenient hand parser.

use super::SoapError;
use crate::text::extrait as truncate;

/// A parsed Content-Type: lowercase essence (`type/subtype`) and parameters in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContentType {
    essence: String,
    /// (lowercase name, unquoted and unescaped value)
    params: Vec<(String, String)>,
}

impl ContentType {
    /// Parses a Content-Type header value.
    pub fn parse(value: &str) -> Result<ContentType, SoapError> {
        let value = value.trim();
        if value.is_empty() {
            return Err(SoapError::MissingContentType);
        }
        if let Some(parsed) = Self::from_mime(value) {
            return Ok(parsed);
        }
        Self::parse_lenient(value)
    }

    /// The media type without parameters, lowercase (`multipart/related`).
    pub fn essence(&self) -> &str {
        &self.essence
    }

    /// True when the media type (case-insensitive) is `essence`.
    pub fn is(&self, essence: &str) -> bool {
        self.essence.eq_ignore_ascii_case(essence)
    }

    /// Value of the first parameter with this name (case-insensitive), unquoted.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn from_mime(value: &str) -> Option<ContentType> {
        let parsed: mime::Mime = value.parse().ok()?;
        let mut params = Vec::new();
        for (name, v) in parsed.params() {
            let v = v.as_str();
            // mime keeps quoted-pairs verbatim (and may stop at an escaped quote): let the
            // lenient parser unescape them.
            if v.contains('\\') {
                return None;
            }
            params.push((name.as_str().to_ascii_lowercase(), v.to_string()));
        }
        Some(ContentType { essence: parsed.essence_str().to_ascii_lowercase(), params })
    }

    fn parse_lenient(value: &str) -> Result<ContentType, SoapError> {
        let malformed = || SoapError::MalformedContentType(truncate(value, 200));
        let (head, rest) = match value.find(';') {
            Some(i) => (&value[..i], &value[i + 1..]),
            None => (value, ""),
        };
        let essence = head.trim().to_ascii_lowercase();
        let valid_essence = match essence.split_once('/') {
            Some((t, s)) => {
                !t.is_empty()
                    && !s.is_empty()
                    && !s.contains('/')
                    && !essence.bytes().any(|b| b.is_ascii_whitespace() || b == b'"')
            }
            None => false,
        };
        if !valid_essence {
            return Err(malformed());
        }

        let mut params = Vec::new();
        let mut chars = rest.char_indices().peekable();
        loop {
            while chars.next_if(|&(_, c)| c == ';' || c.is_ascii_whitespace()).is_some() {}
            let Some(&(name_start, _)) = chars.peek() else {
                break;
            };
            let mut name_end = rest.len();
            let mut has_value = false;
            for (i, c) in chars.by_ref() {
                if c == '=' || c == ';' {
                    name_end = i;
                    has_value = c == '=';
                    break;
                }
            }
            let name = rest[name_start..name_end].trim().to_ascii_lowercase();
            if name.is_empty() || name.contains(|c: char| c.is_ascii_whitespace() || c == '"') {
                return Err(malformed());
            }
            if !has_value {
                // A bare token without `=`: no meaning for us, tolerated.
                continue;
            }
            while chars.next_if(|&(_, c)| c.is_ascii_whitespace()).is_some() {}
            let mut v = String::new();
            if chars.next_if(|&(_, c)| c == '"').is_some() {
                let mut closed = false;
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            if let Some((_, escaped)) = chars.next() {
                                v.push(escaped);
                            }
                        }
                        '"' => {
                            closed = true;
                            break;
                        }
                        _ => v.push(c),
                    }
                }
                if !closed {
                    return Err(malformed());
                }
                // Anything between the closing quote and the next ';' is noise.
                for (_, c) in chars.by_ref() {
                    if c == ';' {
                        break;
                    }
                }
            } else {
                for (_, c) in chars.by_ref() {
                    if c == ';' {
                        break;
                    }
                    v.push(c);
                }
                v = v.trim().to_string();
            }
            params.push((name, v));
        }
        Ok(ContentType { essence, params })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_well_formed_mtom_header_with_mime() {
        let ct = ContentType::parse(
            "Multipart/Related; type=\"application/xop+xml\"; start=\"<root@x>\"; \
             start-info=\"application/soap+xml\"; action=\"http://ws/getNumUnique\"; \
             boundary=\"uuid:1234\"",
        )
        .unwrap();
        assert!(ct.is("multipart/related"));
        assert_eq!(ct.essence(), "multipart/related");
        assert_eq!(ct.param("TYPE"), Some("application/xop+xml"));
        assert_eq!(ct.param("start"), Some("<root@x>"));
        assert_eq!(ct.param("start-info"), Some("application/soap+xml"));
        assert_eq!(ct.param("action"), Some("http://ws/getNumUnique"));
        assert_eq!(ct.param("boundary"), Some("uuid:1234"));
        assert_eq!(ct.param("charset"), None);
    }

    #[test]
    fn parses_unquoted_special_values_tabs_and_spaces_around_equals() {
        let ct = ContentType::parse(
            "multipart/related;\ttype=application/xop+xml;\r\n\tstart=<root@x> ; \
             start-info = application/soap+xml;boundary=MIMEBoundary_abc:1;junk",
        )
        .unwrap();
        assert_eq!(ct.param("type"), Some("application/xop+xml"));
        assert_eq!(ct.param("start"), Some("<root@x>"));
        assert_eq!(ct.param("start-info"), Some("application/soap+xml"));
        assert_eq!(ct.param("boundary"), Some("MIMEBoundary_abc:1"));
    }

    #[test]
    fn javamail_style_unquoted_boundary_with_equals() {
        let ct =
            ContentType::parse("multipart/related; boundary=----=_Part_0_123.456; type=application/xop+xml").unwrap();
        assert_eq!(ct.param("boundary"), Some("----=_Part_0_123.456"));
        assert_eq!(ct.param("type"), Some("application/xop+xml"));
    }

    #[test]
    fn unescapes_quoted_pairs_inside_quoted_values() {
        let ct = ContentType::parse(
            "application/xop+xml;charset=utf-8;type=\"application/soap+xml;action=\\\"urn:x/op\\\"\"",
        )
        .unwrap();
        assert_eq!(ct.param("charset"), Some("utf-8"));
        let inner = ContentType::parse(ct.param("type").unwrap()).unwrap();
        assert!(inner.is("application/soap+xml"));
        assert_eq!(inner.param("action"), Some("urn:x/op"));
    }

    #[test]
    fn refuses_garbage_and_empty() {
        assert_eq!(ContentType::parse("  "), Err(SoapError::MissingContentType));
        assert!(matches!(ContentType::parse("not a type"), Err(SoapError::MalformedContentType(_))));
        assert!(matches!(ContentType::parse("text/xml; a=\"unterminated"), Err(SoapError::MalformedContentType(_))));
    }
}
