//! A server's text, and any other value from outside (a path, a URL), made safe to show a
//! person: what [`Error`](crate::Error)'s messages quote, and what a program printing a response's
//! fields to a terminal may want too; and a secret found however it is spelt, to be redacted.

use std::borrow::Cow;
use std::fmt;

/// How many characters of a server's text a message quotes at most.
pub const EXCERPT_CHARS: usize = 200;

/// A character a server must not get to a terminal as itself: control characters (C0, DEL,
/// C1 such as U+009B, the one-byte CSI), bidirectional controls that reorder what is shown
/// (U+202E, U+2066…), invisible format characters (U+200B, U+FEFF…) and the line and paragraph
/// separators U+2028 and U+2029.
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{ad}' | '\u{600}'..='\u{605}' | '\u{61c}' | '\u{6dd}' | '\u{70f}' | '\u{180e}'
            | '\u{200b}'..='\u{200f}' | '\u{2028}'..='\u{202e}' | '\u{2060}'..='\u{206f}'
            | '\u{feff}' | '\u{fff9}'..='\u{fffb}' | '\u{e0001}' | '\u{e0020}'..='\u{e007f}')
}

/// `text` with each character that would move the cursor, change colours, reorder a line or
/// break a row (see [`is_unsafe`]) replaced by a space.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if is_unsafe(c) { ' ' } else { c })
        .collect()
}

/// The most characters [`shown`] gives for one value.
pub const SHOWN_CHARS: usize = 100;

/// A value from outside the program (a path, a URL, an environment variable's value) as a message
/// quotes it: each character that would act on a terminal or break the line ([`is_unsafe`], line
/// breaks and tabs included) written as its escape (`\u{1b}`), so a value cannot forge a line of
/// its own or show what it does not hold; and a value longer than [`SHOWN_CHARS`] characters cut in
/// the middle, `…` standing for what is left out, so its start and its end (a file's name) show.
pub fn shown(text: &str) -> String {
    fitted(text.chars().map(char_shown).collect())
}

/// As [`shown`], for bytes that may not be UTF-8 (an argument, an environment variable): each
/// byte that is not part of a character written as `\xFF`, never replaced by one that hides it.
pub fn shown_bytes(bytes: &[u8]) -> String {
    let pieces = bytes.utf8_chunks().flat_map(|chunk| {
        let valid = chunk.valid().chars().map(char_shown);
        valid.chain(chunk.invalid().iter().map(|b| format!("\\x{b:02X}")))
    });
    fitted(pieces.collect())
}

/// One character as [`shown`] writes it: as itself, or as its escape (`\u{1b}`) when it
/// [`is_unsafe`].
pub fn char_shown(c: char) -> String {
    match is_unsafe(c) {
        true => c.escape_unicode().to_string(),
        false => c.to_string(),
    }
}

/// The pieces joined, cut in the middle when longer than [`SHOWN_CHARS`] characters: the start
/// gets a little more room than the end, which is mostly a file's name. A piece (an escape) is
/// never split.
fn fitted(pieces: Vec<String>) -> String {
    let width = |piece: &String| piece.chars().count();
    if pieces.iter().map(width).sum::<usize>() <= SHOWN_CHARS {
        return pieces.concat();
    }
    let head = (SHOWN_CHARS - 1) * 3 / 5;
    let tail = SHOWN_CHARS - 1 - head;
    let fitting = |pieces: &mut dyn Iterator<Item = &String>, room: usize| {
        let mut used = 0;
        pieces
            .take_while(|piece| {
                used += width(piece);
                used <= room
            })
            .cloned()
            .collect::<Vec<_>>()
    };
    let start = fitting(&mut pieces.iter(), head);
    let mut end = fitting(&mut pieces.iter().rev(), tail);
    end.reverse();
    format!("{}…{}", start.concat(), end.concat())
}

/// A path as a message quotes it: see [`shown`].
pub fn shown_path(path: &std::path::Path) -> String {
    shown(&path.to_string_lossy())
}

/// The longest spelling of one character of a secret that [`redact_spellings`] recognises: a JSON
/// escape (`\u0073`).
pub const SPELLING_BYTES: usize = 6;

/// `text` with `secret` replaced by `with` wherever it is spelt: as itself, with JSON escapes
/// (`\u0073`, `\/`), percent-encoded (`%73`, as in a URL), or any mix of these, since whatever
/// decodes the text (a JSON parser, a browser, a person) would find the secret there. Borrowed
/// when there is nothing to replace; secrets shorter than 8 characters are not looked for.
pub fn redact_spellings<'a>(text: &'a [u8], secret: &str, with: &[u8]) -> Cow<'a, [u8]> {
    let secret = secret.as_bytes();
    if secret.len() < SHORTEST_SECRET {
        return Cow::Borrowed(text);
    }
    let mut out: Option<Vec<u8>> = None;
    let (mut copied, mut at) = (0, 0);
    while let Some(found) = text[at..]
        .iter()
        .position(|b| *b == secret[0] || *b == b'\\' || *b == b'%')
    {
        let start = at + found;
        let end = match text[start..].starts_with(secret) {
            true => Some(start + secret.len()),
            false => spelt_at(text, start, secret),
        };
        let Some(end) = end else {
            at = start + 1;
            continue;
        };
        let out = out.get_or_insert_with(|| Vec::with_capacity(text.len()));
        out.extend_from_slice(&text[copied..start]);
        out.extend_from_slice(with);
        (copied, at) = (end, end);
    }
    match out {
        Some(mut out) => {
            out.extend_from_slice(&text[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(text),
    }
}

/// Where the spelling of `secret` that starts at `start` ends, if one does.
fn spelt_at(text: &[u8], start: usize, secret: &[u8]) -> Option<usize> {
    let mut at = start;
    for want in secret {
        let (got, next) = spelt_byte(text, at)?;
        if got != *want {
            return None;
        }
        at = next;
    }
    Some(at)
}

/// The ASCII character spelt at `at` and where its spelling ends: a JSON escape, a
/// percent-encoded byte, or the byte itself.
fn spelt_byte(text: &[u8], at: usize) -> Option<(u8, usize)> {
    let hex = |digits: &[u8]| {
        let digits = std::str::from_utf8(digits).ok()?;
        u8::from_str_radix(digits, 16).ok().filter(u8::is_ascii)
    };
    let byte = *text.get(at)?;
    let escaped = match byte {
        b'\\' => match text.get(at + 1) {
            Some(b'u') => text
                .get(at + 2..at + 4)
                .filter(|zeros| *zeros == b"00")
                .and_then(|_| hex(text.get(at + 4..at + 6)?))
                .map(|b| (b, at + 6)),
            Some(c @ (b'"' | b'\\' | b'/')) => Some((*c, at + 2)),
            _ => None,
        },
        b'%' => text.get(at + 1..at + 3).and_then(hex).map(|b| (b, at + 3)),
        _ => None,
    };
    Some(escaped.unwrap_or((byte, at + 1)))
}

/// `30 s`, `0.5 s`: a duration as a message shows it.
pub(crate) fn seconds(d: std::time::Duration) -> String {
    match d.subsec_millis() {
        0 => format!("{} s", d.as_secs()),
        _ => format!("{} s", d.as_secs_f64()),
    }
}

/// `32 MiB`, `512 KiB`, `100 bytes`: a size limit as a message shows it.
pub(crate) fn size_text(bytes: usize) -> String {
    match bytes {
        b if b >= 1 << 20 && b % (1 << 20) == 0 => format!("{} MiB", b >> 20),
        b if b >= 1 << 10 && b % (1 << 10) == 0 => format!("{} KiB", b >> 10),
        b => format!("{b} bytes"),
    }
}

/// The start of a body as a message quotes it: invalid UTF-8 replaced, whitespace runs collapsed
/// to one space, unsafe characters replaced, at most [`EXCERPT_CHARS`] characters (then `…`);
/// `(empty)` for nothing. `secret`, when given and at least 8 characters long, is shown as
/// `<redacted>`. Only the start is read, so a body of any size costs no more than a short one.
pub fn excerpt(body: &[u8], secret: Option<&str>) -> String {
    let chars = body.utf8_chunks().flat_map(|chunk| {
        let bad = (!chunk.invalid().is_empty()).then_some('\u{fffd}');
        chunk.valid().chars().chain(bad)
    });
    safe_start(chars, secret)
}

/// A server's message (or the decoder's, which quotes a value whole) as an excerpt.
pub(crate) fn said(text: &str, secret: Option<&str>) -> String {
    safe_start(text.chars(), secret)
}

/// The longest text a secret is looked for in before the cut, so a secret that starts inside the
/// excerpt is replaced whole rather than cut into a part no longer recognisable.
const SCAN_CHARS: usize = EXCERPT_CHARS + SPELLING_BYTES * LONGEST_SECRET_CHARS;

/// The longest secret there is: [`MAX_KEY_CHARS`](crate::api_key::MAX_KEY_CHARS), the longest
/// key accepted, is this (kept here, where secrets are looked for, so this module needs no other).
pub(crate) const LONGEST_SECRET_CHARS: usize = 256;

/// Secrets shorter than this are not looked for: no issued key is that short, and replacing every
/// `k` in a message would garble it.
const SHORTEST_SECRET: usize = 8;

fn safe_start(text: impl Iterator<Item = char>, secret: Option<&str>) -> String {
    let (mut start, mut count, mut space) = (String::new(), 0, false);
    for c in text {
        if count >= SCAN_CHARS {
            // One more character than fits: the cut below marks it.
            start.push('…');
            break;
        }
        if c.is_whitespace() {
            space = !start.is_empty();
            continue;
        }
        if std::mem::take(&mut space) {
            start.push(' ');
            count += 1;
        }
        start.push(if is_unsafe(c) { ' ' } else { c });
        count += 1;
    }
    if start.is_empty() {
        return "(empty)".into();
    }
    if let Some(secret) = secret {
        let redacted = match redact_spellings(start.as_bytes(), secret, b"<redacted>") {
            // A spelling starts and ends at an ASCII character: the text around it is whole.
            Cow::Owned(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
            Cow::Borrowed(_) => None,
        };
        if let Some(redacted) = redacted {
            start = redacted;
        }
    }
    if start.chars().count() <= EXCERPT_CHARS {
        return start;
    }
    let cut: String = start.chars().take(EXCERPT_CHARS).collect();
    format!("{cut}…")
}

/// The text a Vast.ai error body carries, under whichever name the endpoint uses for it (`msg`,
/// `detail`, `message`, `error`), as an excerpt. Only those fields are decoded: the rest of a
/// body, however large, is read past.
pub(crate) fn server_message(body: &[u8], secret: Option<&str>) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct Said {
        msg: Option<Text>,
        detail: Option<Text>,
        message: Option<Text>,
        error: Option<Text>,
    }
    let said: Said = serde_json::from_slice(body).ok()?;
    [said.msg, said.detail, said.message, said.error]
        .into_iter()
        .flatten()
        .filter_map(|text| text.0)
        .find(|s| !s.trim().is_empty())
        .map(|s| self::said(s.trim(), secret))
}

/// What a body the spec does not describe says: its message if it is a JSON error, else an
/// excerpt; nothing for an empty body.
pub(crate) fn body_message(body: &[u8], secret: Option<&str>) -> Option<String> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return None;
    }
    server_message(body, secret).or_else(|| Some(excerpt(body, secret)))
}

/// A field that is text, or `None` for any other JSON value (read past, not kept).
struct Text(Option<String>);

impl<'de> serde::Deserialize<'de> for Text {
    fn deserialize<D: serde::Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct AnyValue;
        impl<'de> serde::de::Visitor<'de> for AnyValue {
            type Value = Text;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_str<E>(self, text: &str) -> Result<Text, E> {
                Ok(Text(Some(text.to_string())))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Text, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(Text(None))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Text, A::Error> {
                while map
                    .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
                    .is_some()
                {}
                Ok(Text(None))
            }
            fn visit_unit<E>(self) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_bool<E>(self, _: bool) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_i64<E>(self, _: i64) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_u64<E>(self, _: u64) -> Result<Text, E> {
                Ok(Text(None))
            }
            fn visit_f64<E>(self, _: f64) -> Result<Text, E> {
                Ok(Text(None))
            }
        }
        de.deserialize_any(AnyValue)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn message(body: Value) -> Option<String> {
        server_message(&serde_json::to_vec(&body).unwrap(), None)
    }

    #[test]
    fn messages_come_from_msg_or_detail() {
        assert_eq!(
            message(json!({"success": false, "error": "auth", "msg": "Invalid key"})).unwrap(),
            "Invalid key"
        );
        assert_eq!(
            message(json!({"detail": "slow down"})).unwrap(),
            "slow down"
        );
        assert_eq!(message(json!({"msg": ""})), None);
        assert_eq!(
            message(json!({"msg": {"x": 1}, "error": "e"})).unwrap(),
            "e"
        );
        assert_eq!(message(json!([1])), None);
    }

    #[test]
    fn excerpts_are_short_and_printable() {
        assert_eq!(
            excerpt(b"<html>\n  <h1>502 Bad Gateway</h1>\n</html>", None),
            "<html> <h1>502 Bad Gateway</h1> </html>"
        );
        assert_eq!(excerpt(&[0x66, 0xff, 0x1b, 0x6f], None), "f\u{fffd} o");
        assert_eq!(
            excerpt(&[b'a'; 500], None).chars().count(),
            EXCERPT_CHARS + 1
        );
        assert_eq!(excerpt(b"", None), "(empty)");
        let long = "a ".repeat(5_000_000);
        assert_eq!(said(&long, None).chars().count(), EXCERPT_CHARS + 1);
        assert_eq!(said("a\u{9b}b\u{202e}c", None), "a b c");
    }

    #[test]
    fn values_from_outside_are_shown_escaped_on_one_line_and_bounded() {
        assert_eq!(shown("/home/ann/.vast_api_key"), "/home/ann/.vast_api_key");
        assert_eq!(
            shown("/h\u{1b}]0;x\u{7}\u{202e}\nvast: server https://console.vast.ai"),
            "/h\\u{1b}]0;x\\u{7}\\u{202e}\\u{a}vast: server https://console.vast.ai"
        );
        let long = format!("/{}/.vast_api_key", "a".repeat(100_000));
        let cut = shown(&long);
        assert_eq!(
            cut,
            format!("/{}…{}/.vast_api_key", "a".repeat(58), "a".repeat(26))
        );
        assert_eq!(cut.chars().count(), SHOWN_CHARS);
        // An escape is never cut in two.
        let escapes = "\u{1b}".repeat(50);
        let cut = shown(&escapes);
        assert!(cut.chars().count() <= SHOWN_CHARS, "{cut}");
        assert_eq!(
            cut,
            format!("{}…{}", "\\u{1b}".repeat(9), "\\u{1b}".repeat(6))
        );
    }

    #[test]
    fn a_secret_is_found_in_every_spelling() {
        let key = "sekrit-key/42";
        let redact = |text: &str| {
            String::from_utf8(redact_spellings(text.as_bytes(), key, b"<r>").into_owned()).unwrap()
        };
        assert_eq!(redact("a sekrit-key/42 b"), "a <r> b");
        assert_eq!(redact(r#""\u0073ekrit-key\/4\u0032""#), r#""<r>""#);
        assert_eq!(redact(r#"\n"\u0073EKRIT""#), r#"\n"\u0073EKRIT""#);
        assert_eq!(
            redact("https://h/?k=%73ekrit%2Dkey%2f42&x"),
            "https://h/?k=<r>&x"
        );
        assert_eq!(
            redact(r#"\u0073ekrit%2dkey/42 sekrit-key"#),
            "<r> sekrit-key"
        );
        assert!(matches!(
            redact_spellings(b"\\u00zz %zz sekrit", key, b"<r>"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(
            redact_spellings(b"short k", "k", b"<r>"),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_secret_is_redacted_even_where_the_cut_would_split_it() {
        let key = "k".repeat(64);
        let text = format!("{} {key}", "x".repeat(180));
        let shown = said(&text, Some(&key));
        assert!(!shown.contains("kkkkkkkk"), "{shown}");
        assert_eq!(shown, format!("{} <redacted>", "x".repeat(180)));
        assert_eq!(said("short k", Some("k")), "short k");
    }

    #[test]
    fn bytes_that_are_not_text_are_shown_escaped_and_cut() {
        assert_eq!(
            shown_bytes(b"http://h/\xff\x1b[2J\n\xc3\xa9"),
            r"http://h/\xFF\u{1b}[2J\u{a}é"
        );
        assert_eq!(shown_bytes("a\u{202e}b".as_bytes()), r"a\u{202e}b");
        let long = shown_bytes(&[0xff; 1000]);
        assert!(
            long.starts_with(r"\xFF\xFF") && long.contains('…'),
            "{long}"
        );
        assert!(long.chars().count() <= SHOWN_CHARS, "{long}");
    }
}
