//! Lexical rules of the XML Schema built-ins the business files use (XSD 1.0 part 2).
//!
//! Whitespace: xs:string keeps its value as written (whiteSpace=preserve); every other built-in
//! here collapses it, so surrounding spaces and line breaks are dropped before the check.

use std::borrow::Cow;

/// The value after whiteSpace=collapse: runs of XML whitespace become one space, ends trimmed.
pub fn collapse(value: &str) -> Cow<'_, str> {
    let is_ws = |c: char| matches!(c, ' ' | '\t' | '\n' | '\r');
    let trimmed = value.trim_matches(is_ws);
    let needs_work = trimmed
        .as_bytes()
        .windows(2)
        .any(|w| matches!(w[0], b' ' | b'\t' | b'\n' | b'\r') && matches!(w[1], b' ' | b'\t' | b'\n' | b'\r'))
        || trimmed.contains(['\t', '\n', '\r']);
    if !needs_work {
        return Cow::Borrowed(trimmed);
    }
    let mut out = String::with_capacity(trimmed.len());
    let mut in_ws = false;
    for c in trimmed.chars() {
        if is_ws(c) {
            if !in_ws {
                out.push(' ');
            }
            in_ws = true;
        } else {
            out.push(c);
            in_ws = false;
        }
    }
    Cow::Owned(out)
}

/// Length in characters as an XML processor sees it: a CR LF pair (or a lone CR) is one line
/// break after end-of-line normalisation, which the tree reader does not perform.
pub fn char_len(value: &str) -> usize {
    let mut n = 0;
    let mut prev_cr = false;
    for c in value.chars() {
        if c == '\n' && prev_cr {
            prev_cr = false;
            continue;
        }
        prev_cr = c == '\r';
        n += 1;
    }
    n
}

/// Parses an integer lexical form (`[+-]?[0-9]+`, already collapsed) within `[min, max]`.
fn parse_integer(value: &str, min: i128, max: i128) -> Option<i64> {
    let digits = value.strip_prefix(['+', '-']).unwrap_or(value);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let negative = value.starts_with('-');
    // Leading zeros are allowed, so skip them before measuring magnitude.
    let significant = digits.trim_start_matches('0');
    if significant.len() > 20 {
        return None;
    }
    let magnitude: i128 = if significant.is_empty() { 0 } else { significant.parse().ok()? };
    let v = if negative { -magnitude } else { magnitude };
    if v < min || v > max {
        return None;
    }
    Some(v as i64)
}

/// xs:int value of a collapsed lexical form.
pub fn parse_int(value: &str) -> Option<i32> {
    parse_integer(value, i32::MIN as i128, i32::MAX as i128).map(|v| v as i32)
}

/// xs:long value of a collapsed lexical form.
pub fn parse_long(value: &str) -> Option<i64> {
    parse_integer(value, i64::MIN as i128, i64::MAX as i128)
}

/// xs:boolean value of a collapsed lexical form (`true`, `false`, `1`, `0`).
pub fn parse_boolean(value: &str) -> Option<bool> {
    match value {
        "true" | "1" => Some(true),
        "false" | "0" => Some(false),
        _ => None,
    }
}

/// The parts of an xs:date or xs:dateTime, as validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateParts {
    /// Year (negative for BCE, never 0).
    pub year: i64,
    /// Month 1-12.
    pub month: u8,
    /// Day 1-31 (valid for the month).
    pub day: u8,
    /// Timezone offset in minutes, when present.
    pub offset_minutes: Option<i16>,
}

fn two_digits(b: &[u8]) -> Option<u8> {
    if b.len() == 2 && b[0].is_ascii_digit() && b[1].is_ascii_digit() {
        Some((b[0] - b'0') * 10 + (b[1] - b'0'))
    } else {
        None
    }
}

fn is_leap(year: i64) -> bool {
    // Negative years use the same rule on the written number, as libxml2 (xmllint) does.
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

/// Parses `-?YYYY-MM-DD`, returning the parts and the rest of the input.
fn parse_date_prefix(value: &str) -> Option<(i64, u8, u8, &str)> {
    let b = value.as_bytes();
    let (negative, b) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    let year_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
    // Four digits at least; more only without a leading zero.
    if year_len < 4 || (year_len > 4 && b[0] == b'0') || year_len > 12 {
        return None;
    }
    let year: i64 = std::str::from_utf8(&b[..year_len]).ok()?.parse().ok()?;
    if year == 0 {
        return None;
    }
    let year = if negative { -year } else { year };
    let rest = &b[year_len..];
    if rest.len() < 6 || rest[0] != b'-' || rest[3] != b'-' {
        return None;
    }
    let month = two_digits(&rest[1..3])?;
    let day = two_digits(&rest[4..6])?;
    if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
        return None;
    }
    let consumed = value.len() - (rest.len() - 6);
    Some((year, month, day, &value[consumed..]))
}

/// Parses an optional timezone (`Z` or `±hh:mm`, at most 14:00) that must end the input.
fn parse_timezone(rest: &str) -> Option<Option<i16>> {
    match rest.as_bytes() {
        [] => Some(None),
        [b'Z'] => Some(Some(0)),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let h = two_digits(&[*h1, *h2])?;
            let m = two_digits(&[*m1, *m2])?;
            if m > 59 || h > 14 || (h == 14 && m != 0) {
                return None;
            }
            let minutes = i16::from(h) * 60 + i16::from(m);
            Some(Some(if *sign == b'-' { -minutes } else { minutes }))
        }
        _ => None,
    }
}

/// Validates a collapsed xs:date lexical form.
pub fn parse_date(value: &str) -> Option<DateParts> {
    let (year, month, day, rest) = parse_date_prefix(value)?;
    let offset_minutes = parse_timezone(rest)?;
    Some(DateParts { year, month, day, offset_minutes })
}

/// The parts of an xs:dateTime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateTimeParts {
    /// Date and timezone.
    pub date: DateParts,
    /// Hour 0-24 (24 only for 24:00:00).
    pub hour: u8,
    /// Minute.
    pub minute: u8,
    /// Second.
    pub second: u8,
    /// Fractional seconds in nanoseconds (truncated).
    pub nanosecond: u32,
}

/// Validates a collapsed xs:dateTime lexical form.
pub fn parse_datetime(value: &str) -> Option<DateTimeParts> {
    let (year, month, day, rest) = parse_date_prefix(value)?;
    let b = rest.as_bytes();
    if b.len() < 9 || b[0] != b'T' || b[3] != b':' || b[6] != b':' {
        return None;
    }
    let hour = two_digits(&b[1..3])?;
    let minute = two_digits(&b[4..6])?;
    let second = two_digits(&b[7..9])?;
    let mut i = 9;
    let mut nanosecond = 0u32;
    let mut fraction_nonzero = false;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while i < b.len() && b[i].is_ascii_digit() {
            let d = u32::from(b[i] - b'0');
            if i - start < 9 {
                nanosecond += d * 10u32.pow(8 - (i - start) as u32);
            }
            fraction_nonzero |= d != 0;
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    if minute > 59 || second > 59 {
        return None;
    }
    if hour > 24 || (hour == 24 && (minute != 0 || second != 0 || fraction_nonzero)) {
        return None;
    }
    let offset_minutes = parse_timezone(&rest[i..])?;
    Some(DateTimeParts { date: DateParts { year, month, day, offset_minutes }, hour, minute, second, nanosecond })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapse_trims_and_joins_whitespace() {
        assert_eq!(collapse(" 12 "), "12");
        assert_eq!(collapse("\n\t true\r\n"), "true");
        assert_eq!(collapse("a \n b"), "a b");
        assert!(matches!(collapse("x"), Cow::Borrowed(_)));
    }

    #[test]
    fn char_len_counts_characters_not_bytes() {
        assert_eq!(char_len("été"), 3);
        assert_eq!(char_len("a\r\nb"), 3);
        assert_eq!(char_len("a\rb"), 3);
        assert_eq!(char_len(""), 0);
    }

    #[test]
    fn int_and_long_ranges() {
        assert_eq!(parse_int("+5"), Some(5));
        assert_eq!(parse_int("-0"), Some(0));
        assert_eq!(parse_int("007"), Some(7));
        assert_eq!(parse_int("00000000000000000000000000005"), Some(5));
        assert_eq!(parse_int("-2147483648"), Some(i32::MIN));
        assert_eq!(parse_int("2147483647"), Some(i32::MAX));
        assert_eq!(parse_int("2147483648"), None);
        assert_eq!(parse_int(""), None);
        assert_eq!(parse_int("-"), None);
        assert_eq!(parse_int("+-5"), None);
        assert_eq!(parse_int("1 2"), None);
        assert_eq!(parse_int("1.0"), None);
        assert_eq!(parse_int("٣"), None);
        assert_eq!(parse_long("9223372036854775807"), Some(i64::MAX));
        assert_eq!(parse_long("9223372036854775808"), None);
        assert_eq!(parse_long("-9223372036854775808"), Some(i64::MIN));
    }

    #[test]
    fn booleans() {
        assert_eq!(parse_boolean("true"), Some(true));
        assert_eq!(parse_boolean("0"), Some(false));
        assert_eq!(parse_boolean("TRUE"), None);
        assert_eq!(parse_boolean("yes"), None);
    }

    #[test]
    fn dates() {
        assert!(parse_date("2024-02-29").is_some());
        assert!(parse_date("2023-02-29").is_none());
        assert!(parse_date("2023-04-31").is_none());
        assert!(parse_date("2023-13-01").is_none());
        assert!(parse_date("0000-01-01").is_none());
        assert!(parse_date("-0000-01-01").is_none());
        assert!(parse_date("-0001-01-01").is_some());
        assert!(parse_date("-2024-02-29").is_some());
        assert!(parse_date("-2025-02-29").is_none());
        assert!(parse_date("12024-01-01").is_some());
        assert!(parse_date("02024-01-01").is_none());
        assert!(parse_date("+2024-01-01").is_none());
        assert!(parse_date("2024-1-01").is_none());
        assert_eq!(parse_date("2024-01-01Z").unwrap().offset_minutes, Some(0));
        assert_eq!(parse_date("2024-01-01-14:00").unwrap().offset_minutes, Some(-840));
        assert!(parse_date("2024-01-01+14:01").is_none());
        assert!(parse_date("2024-01-01+1:00").is_none());
        assert!(parse_date("2024-01-01T00:00:00").is_none());
    }

    #[test]
    fn datetimes() {
        assert!(parse_datetime("2024-01-01T24:00:00").is_some());
        assert!(parse_datetime("2024-01-01T24:00:00.000").is_some());
        assert!(parse_datetime("2024-01-01T24:00:01").is_none());
        assert!(parse_datetime("2024-01-01T24:00:00.1").is_none());
        assert!(parse_datetime("2024-01-01T23:59:60").is_none());
        assert!(parse_datetime("2024-01-01T23:60:00").is_none());
        let p = parse_datetime("2024-01-01T23:59:59.123456789Z").unwrap();
        assert_eq!((p.hour, p.nanosecond, p.date.offset_minutes), (23, 123_456_789, Some(0)));
        assert!(parse_datetime("2024-01-01T23:59:59.").is_none());
        assert!(parse_datetime("2024-01-01T23:59").is_none());
        assert!(parse_datetime("2024-01-01T0:00:00").is_none());
        assert!(parse_datetime("2024-02-30T00:00:00").is_none());
        assert!(parse_datetime("2024-01-01T00:00:00+00:60").is_none());
        assert_eq!(parse_datetime("2024-01-01T00:00:00.5+05:30").unwrap().date.offset_minutes, Some(330));
        assert!(parse_datetime("2024-01-01").is_none());
    }
}
