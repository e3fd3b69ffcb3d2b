//! Support the generated types stand on: value types, reading from a validated tree, and the
//! XML writer.
//!
//! Reading assumes the tree already passed the validator: it never fails, and a missing value
//! (which validation rules out for required ones) becomes the type's default.

use std::fmt;

use crate::xml::{Element, Node};

use super::lexical;
use super::NS_FICHIER;

/// A value of simple content carrying the optional `modifie` flag (types `t_date`, `t_tel`...).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Valeur<T> {
    /// The element's value.
    pub valeur: T,
    /// The `ns2:modifie` attribute: true on the elements a MOD file changes.
    pub modifie: Option<bool>,
}

impl<T> Valeur<T> {
    /// A value without the `modifie` flag.
    pub fn new(valeur: T) -> Self {
        Valeur { valeur, modifie: None }
    }
}

/// An xs:date in its validated lexical form (timezone kept as written).
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct XsDate(String);

impl XsDate {
    /// Checks the lexical form (surrounding whitespace is dropped).
    pub fn parse(value: &str) -> Option<XsDate> {
        let v = lexical::collapse(value);
        lexical::parse_date(&v)?;
        Some(XsDate(v.into_owned()))
    }

    /// The date written as `YYYY-MM-DD`.
    pub fn from_date(date: time::Date) -> XsDate {
        XsDate(format!("{:04}-{:02}-{:02}", date.year(), u8::from(date.month()), date.day()))
    }

    /// The lexical form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The calendar date (timezone ignored); `None` outside the years `time` supports or for
    /// a value that was never validated.
    pub fn to_date(&self) -> Option<time::Date> {
        let p = lexical::parse_date(&self.0)?;
        let month = time::Month::try_from(p.month).ok()?;
        time::Date::from_calendar_date(i32::try_from(p.year).ok()?, month, p.day).ok()
    }
}

impl fmt::Display for XsDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// An xs:dateTime in its validated lexical form.
#[derive(Debug, Clone, PartialEq, Eq, Default, Hash)]
pub struct XsDateTime(String);

impl XsDateTime {
    /// Checks the lexical form (surrounding whitespace is dropped).
    pub fn parse(value: &str) -> Option<XsDateTime> {
        let v = lexical::collapse(value);
        lexical::parse_datetime(&v)?;
        Some(XsDateTime(v.into_owned()))
    }

    /// The instant written as `YYYY-MM-DDThh:mm:ss` with its offset (`Z` for UTC, `±hh:mm`).
    pub fn from_offset_datetime(dt: time::OffsetDateTime) -> XsDateTime {
        let offset = dt.offset();
        let tz = if offset.is_utc() {
            "Z".to_string()
        } else {
            let total = offset.whole_minutes();
            let sign = if total < 0 { '-' } else { '+' };
            format!("{sign}{:02}:{:02}", total.abs() / 60, total.abs() % 60)
        };
        XsDateTime(format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{tz}",
            dt.year(),
            u8::from(dt.month()),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second()
        ))
    }

    /// The lexical form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The calendar date part (timezone ignored).
    pub fn to_date(&self) -> Option<time::Date> {
        let p = lexical::parse_datetime(&self.0)?;
        let month = time::Month::try_from(p.date.month).ok()?;
        time::Date::from_calendar_date(i32::try_from(p.date.year).ok()?, month, p.date.day).ok()
    }

    /// The local date and time as written (timezone ignored; 24:00:00 is the next day's
    /// midnight).
    pub fn to_primitive(&self) -> Option<time::PrimitiveDateTime> {
        let p = lexical::parse_datetime(&self.0)?;
        let date = self.to_date()?;
        if p.hour == 24 {
            return Some(date.next_day()?.midnight());
        }
        let t = time::Time::from_hms_nano(p.hour, p.minute, p.second, p.nanosecond).ok()?;
        Some(time::PrimitiveDateTime::new(date, t))
    }
}

impl fmt::Display for XsDateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A Rust value standing for an XSD simple value.
pub trait SimpleValue: Sized + Default {
    /// The value of a lexical form already checked by the validator (default otherwise).
    fn from_lexical(text: &str) -> Self;
    /// The lexical form to write.
    fn to_lexical(&self) -> std::borrow::Cow<'_, str>;
}

impl SimpleValue for String {
    fn from_lexical(text: &str) -> Self {
        text.to_string()
    }
    fn to_lexical(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(self)
    }
}

impl SimpleValue for i32 {
    fn from_lexical(text: &str) -> Self {
        lexical::parse_int(&lexical::collapse(text)).unwrap_or_default()
    }
    fn to_lexical(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Owned(self.to_string())
    }
}

impl SimpleValue for i64 {
    fn from_lexical(text: &str) -> Self {
        lexical::parse_long(&lexical::collapse(text)).unwrap_or_default()
    }
    fn to_lexical(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Owned(self.to_string())
    }
}

impl SimpleValue for bool {
    fn from_lexical(text: &str) -> Self {
        lexical::parse_boolean(&lexical::collapse(text)).unwrap_or_default()
    }
    fn to_lexical(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(if *self { "true" } else { "false" })
    }
}

impl SimpleValue for XsDate {
    fn from_lexical(text: &str) -> Self {
        XsDate::parse(text).unwrap_or_default()
    }
    fn to_lexical(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(&self.0)
    }
}

impl SimpleValue for XsDateTime {
    fn from_lexical(text: &str) -> Self {
        XsDateTime::parse(text).unwrap_or_default()
    }
    fn to_lexical(&self) -> std::borrow::Cow<'_, str> {
        std::borrow::Cow::Borrowed(&self.0)
    }
}

/// A value built from a validated element.
pub trait FromXml: Sized + Default {
    /// Builds the value; never fails, defaults what is missing.
    fn from_xml(e: &Element) -> Self;
}

/// A value written as one element named by its parent.
pub trait WriteXml {
    /// Writes the element `name` (in the file namespace) holding this value.
    fn write_xml(&self, w: &mut Writer, name: &str);
}

macro_rules! simple_xml {
    ($($t:ty),*) => {$(
        impl FromXml for $t {
            fn from_xml(e: &Element) -> Self {
                <$t as SimpleValue>::from_lexical(&e.text())
            }
        }
        impl WriteXml for $t {
            fn write_xml(&self, w: &mut Writer, name: &str) {
                w.start(name);
                w.text(&self.to_lexical());
                w.end(name);
            }
        }
    )*};
}
simple_xml!(String, i32, i64, bool, XsDate, XsDateTime);

impl<T: SimpleValue> FromXml for Valeur<T> {
    fn from_xml(e: &Element) -> Self {
        Valeur { valeur: T::from_lexical(&e.text()), modifie: attr(e, Some(NS_FICHIER), "modifie") }
    }
}

impl<T: SimpleValue> WriteXml for Valeur<T> {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        w.start(name);
        w.attr(Some(NS_FICHIER), "modifie", &self.modifie);
        w.text(&self.valeur.to_lexical());
        w.end(name);
    }
}

impl<T: WriteXml> WriteXml for Option<T> {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        if let Some(v) = self {
            v.write_xml(w, name);
        }
    }
}

impl<T: WriteXml> WriteXml for Vec<T> {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        for v in self {
            v.write_xml(w, name);
        }
    }
}

impl<T: WriteXml> WriteXml for Box<T> {
    fn write_xml(&self, w: &mut Writer, name: &str) {
        (**self).write_xml(w, name);
    }
}

impl<T: FromXml> FromXml for Box<T> {
    fn from_xml(e: &Element) -> Self {
        Box::new(T::from_xml(e))
    }
}

/// The value of attribute `name` (namespace `ns`) of `e`, if present.
pub fn attr<T: SimpleValue>(e: &Element, ns: Option<&str>, name: &str) -> Option<T> {
    e.attributes.iter().find(|a| a.ns.as_deref() == ns && a.name == name).map(|a| T::from_lexical(&a.value))
}

/// Reads the children of a validated element in schema order.
pub struct Cursor<'a> {
    children: Vec<&'a Element>,
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor over the children of `e` in the file namespace whose names the content model
    /// knows (`names`); anything else is passed over.
    pub fn new(e: &'a Element, names: &[&str]) -> Cursor<'a> {
        let children = e
            .children
            .iter()
            .filter_map(|n| match n {
                Node::Element(c) if c.ns.as_deref() == Some(NS_FICHIER) && names.contains(&c.name.as_str()) => Some(c),
                _ => None,
            })
            .collect();
        Cursor { children, pos: 0 }
    }

    /// Name of the next child, if any.
    pub fn peek(&self) -> Option<&str> {
        self.children.get(self.pos).map(|e| e.name.as_str())
    }

    /// True when the next child is named `name`.
    pub fn at(&self, name: &str) -> bool {
        self.peek() == Some(name)
    }

    /// The next child if it is named `name`.
    pub fn opt<T: FromXml>(&mut self, name: &str) -> Option<T> {
        if self.at(name) {
            let e = self.children[self.pos];
            self.pos += 1;
            Some(T::from_xml(e))
        } else {
            None
        }
    }

    /// The next child named `name`, or the default when it is (unexpectedly) missing.
    pub fn one<T: FromXml>(&mut self, name: &str) -> T {
        self.opt(name).unwrap_or_default()
    }

    /// All the following children named `name`.
    pub fn many<T: FromXml>(&mut self, name: &str) -> Vec<T> {
        let mut out = Vec::new();
        while let Some(v) = self.opt(name) {
            out.push(v);
        }
        out
    }
}

/// A choice between branches, read from the cursor's position.
pub trait ReadChoice: Sized + Default {
    /// True when an element named `name` starts one of the branches.
    fn starts(name: &str) -> bool;
    /// Reads the branch the next children belong to.
    fn read(c: &mut Cursor<'_>) -> Self;
}

/// A choice written as the elements of its branch.
pub trait WriteChoice {
    /// Writes the branch's elements.
    fn write_choice(&self, w: &mut Writer);
}

impl<T: WriteChoice> WriteChoice for Option<T> {
    fn write_choice(&self, w: &mut Writer) {
        if let Some(v) = self {
            v.write_choice(w);
        }
    }
}

impl<T: WriteChoice> WriteChoice for Vec<T> {
    fn write_choice(&self, w: &mut Writer) {
        for v in self {
            v.write_choice(w);
        }
    }
}

impl Cursor<'_> {
    /// A required choice.
    pub fn choice<T: ReadChoice>(&mut self) -> T {
        T::read(self)
    }

    /// An optional choice: present when the next child starts a branch.
    pub fn choice_opt<T: ReadChoice>(&mut self) -> Option<T> {
        if self.peek().is_some_and(T::starts) {
            Some(T::read(self))
        } else {
            None
        }
    }

    /// A repeated choice.
    pub fn choice_many<T: ReadChoice>(&mut self) -> Vec<T> {
        let mut out = Vec::new();
        while self.peek().is_some_and(T::starts) {
            let before = self.pos;
            out.push(T::read(self));
            if self.pos == before {
                break;
            }
        }
        out
    }
}

/// Writes a business file: every element in the file namespace with prefix `ns2`, declared on
/// the first element written.
pub struct Writer {
    buf: Vec<u8>,
    /// True while the last start tag is still open (`<ns2:x a="1"` without `>`).
    open: bool,
    depth: usize,
    declared: bool,
}

impl Default for Writer {
    fn default() -> Self {
        Writer::new()
    }
}

impl Writer {
    /// A writer that starts with the XML declaration deployed clients expect.
    pub fn new() -> Writer {
        let mut buf = Vec::with_capacity(8192);
        buf.extend_from_slice(b"<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>");
        Writer { buf, open: false, depth: 0, declared: false }
    }

    fn close_start(&mut self) {
        if self.open {
            self.buf.push(b'>');
            self.open = false;
        }
    }

    /// Opens element `name` in the file namespace.
    pub fn start(&mut self, name: &str) {
        self.close_start();
        self.buf.extend_from_slice(b"<ns2:");
        self.buf.extend_from_slice(name.as_bytes());
        if !self.declared {
            self.buf.extend_from_slice(b" xmlns:ns2=\"");
            self.buf.extend_from_slice(NS_FICHIER.as_bytes());
            self.buf.push(b'"');
            self.declared = true;
        }
        self.open = true;
        self.depth += 1;
    }

    /// Adds an attribute to the element just opened (nothing for `None`).
    pub fn attr<T: SimpleValue>(&mut self, ns: Option<&str>, name: &str, value: &Option<T>) {
        if let Some(v) = value {
            self.attr_str(ns, name, &v.to_lexical());
        }
    }

    /// Adds an attribute with a ready lexical form.
    pub fn attr_str(&mut self, ns: Option<&str>, name: &str, value: &str) {
        debug_assert!(self.open, "attribut {name} écrit hors d'une balise ouvrante");
        self.buf.push(b' ');
        if ns == Some(NS_FICHIER) {
            self.buf.extend_from_slice(b"ns2:");
        }
        self.buf.extend_from_slice(name.as_bytes());
        self.buf.extend_from_slice(b"=\"");
        escape_into(&mut self.buf, value, true);
        self.buf.push(b'"');
    }

    /// Character data inside the current element.
    pub fn text(&mut self, value: &str) {
        if value.is_empty() {
            return;
        }
        self.close_start();
        escape_into(&mut self.buf, value, false);
    }

    /// Closes element `name`.
    pub fn end(&mut self, name: &str) {
        self.depth -= 1;
        if self.open {
            self.buf.extend_from_slice(b"/>");
            self.open = false;
        } else {
            self.buf.extend_from_slice(b"</ns2:");
            self.buf.extend_from_slice(name.as_bytes());
            self.buf.push(b'>');
        }
    }

    /// The document written so far.
    pub fn into_bytes(self) -> Vec<u8> {
        debug_assert_eq!(self.depth, 0, "élément non fermé");
        self.buf
    }
}

/// Escapes markup characters; in attributes also whitespace that attribute-value normalisation
/// would otherwise turn into spaces, and CR everywhere so that it survives end-of-line handling.
/// Characters XML 1.0 cannot carry at all, not even as references, become U+FFFD (as in the SOAP
/// writer), so that what is written is always well-formed whatever the tree holds.
pub(crate) fn escape_into(buf: &mut Vec<u8>, value: &str, attribute: bool) {
    let mut last = 0;
    for (i, c) in value.char_indices() {
        let rep: &str = match c {
            '&' => "&amp;",
            '<' => "&lt;",
            '>' => "&gt;",
            '"' if attribute => "&quot;",
            '\r' => "&#13;",
            '\n' if attribute => "&#10;",
            '\t' if attribute => "&#9;",
            c if !is_xml_char(c) => "\u{FFFD}",
            _ => continue,
        };
        buf.extend_from_slice(&value.as_bytes()[last..i]);
        buf.extend_from_slice(rep.as_bytes());
        last = i + c.len_utf8();
    }
    buf.extend_from_slice(&value.as_bytes()[last..]);
}

/// True for an XML 1.0 (fifth edition) name without colon (`NCName`): what a local name or a
/// prefix may be.
pub(crate) fn is_ncname(name: &str) -> bool {
    let start = |c: char| {
        matches!(c, 'A'..='Z' | '_' | 'a'..='z' | '\u{C0}'..='\u{D6}' | '\u{D8}'..='\u{F6}'
            | '\u{F8}'..='\u{2FF}' | '\u{370}'..='\u{37D}' | '\u{37F}'..='\u{1FFF}'
            | '\u{200C}'..='\u{200D}' | '\u{2070}'..='\u{218F}' | '\u{2C00}'..='\u{2FEF}'
            | '\u{3001}'..='\u{D7FF}' | '\u{F900}'..='\u{FDCF}' | '\u{FDF0}'..='\u{FFFD}'
            | '\u{10000}'..='\u{EFFFF}')
    };
    let rest = |c: char| {
        start(c) || matches!(c, '-' | '.' | '0'..='9' | '\u{B7}' | '\u{300}'..='\u{36F}' | '\u{203F}'..='\u{2040}')
    };
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if start(c)) && chars.all(rest)
}

/// True for the characters of XML 1.0's `Char` production.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..='\u{10FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn characters_outside_xml_1_0_are_never_written() {
        let mut buf = Vec::new();
        escape_into(&mut buf, "a\u{1}b\u{FFFE}c\u{0}é\t", false);
        assert_eq!(String::from_utf8(buf).unwrap(), "a\u{FFFD}b\u{FFFD}c\u{FFFD}é\t");
        let mut buf = Vec::new();
        escape_into(&mut buf, "\u{1B}\"\t", true);
        assert_eq!(String::from_utf8(buf).unwrap(), "\u{FFFD}&quot;&#9;");
    }

    #[test]
    fn writer_prefixes_declares_once_and_escapes() {
        let mut w = Writer::new();
        w.start("a");
        w.attr_str(None, "v", "1");
        w.start("b");
        w.attr(Some(NS_FICHIER), "modifie", &Some(true));
        w.text("x<&>\r\"");
        w.end("b");
        w.start("c");
        w.attr_str(None, "code", "a\"b\n");
        w.end("c");
        w.end("a");
        let out = String::from_utf8(w.into_bytes()).unwrap();
        assert_eq!(
            out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><ns2:a xmlns:ns2=\"http://nuu.application.i2/\" v=\"1\"><ns2:b ns2:modifie=\"true\">x&lt;&amp;&gt;&#13;\"</ns2:b><ns2:c code=\"a&quot;b&#10;\"/></ns2:a>"
        );
    }

    #[test]
    fn dates_convert() {
        let d = XsDate::parse(" 2024-02-29 ").unwrap();
        assert_eq!(d.as_str(), "2024-02-29");
        assert_eq!(d.to_date(), Some(time::macros::date!(2024 - 02 - 29)));
        assert_eq!(XsDate::from_date(time::macros::date!(2024 - 03 - 01)).as_str(), "2024-03-01");
        assert!(XsDate::parse("2024-02-30").is_none());
        let t = XsDateTime::parse("2024-01-31T24:00:00").unwrap();
        assert_eq!(t.to_primitive(), Some(time::macros::datetime!(2024 - 02 - 01 0:00)));
        let odt = time::macros::datetime!(2024-05-06 07:08:09 +02:00);
        assert_eq!(XsDateTime::from_offset_datetime(odt).as_str(), "2024-05-06T07:08:09+02:00");
        let utc = time::macros::datetime!(2024-05-06 07:08:09 UTC);
        assert_eq!(XsDateTime::from_offset_datetime(utc).as_str(), "2024-05-06T07:08:09Z");
    }
}
