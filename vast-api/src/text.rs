//! A server's text made safe to show a person: what [`Error`](crate::Error)'s messages quote,
//! and what a program printing a response's fields to a terminal may want too.

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
const SCAN_CHARS: usize = EXCERPT_CHARS + crate::api_key::MAX_KEY_CHARS;

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
    if let Some(secret) = secret.filter(|s| s.len() >= SHORTEST_SECRET) {
        start = start.replace(secret, "<redacted>");
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

/// Bytes from outside that need not be UTF-8 (an argument, an environment variable) shown as
/// they are, escaped so that a terminal acts on none of them: invalid UTF-8 as `\xFF`, each
/// character [`is_unsafe`] and each `\` or `"` as Rust escapes it (`\n`, `\u{1b}`, `\"`);
/// at most `max_chars` characters (then `…`). For a message that must say what was given when
/// it cannot be read as text, where replacing the bytes would show something else.
pub fn escaped(bytes: &[u8], max_chars: usize) -> String {
    let mut shown = String::new();
    let mut count = 0;
    let pieces = bytes.utf8_chunks().flat_map(|chunk| {
        let valid = chunk.valid().chars().map(|c| {
            if is_unsafe(c) || matches!(c, '\\' | '"') {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        });
        valid.chain(chunk.invalid().iter().map(|b| format!("\\x{b:02X}")))
    });
    for piece in pieces {
        count += piece.chars().count();
        if count > max_chars {
            shown.push('…');
            break;
        }
        shown.push_str(&piece);
    }
    shown
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
            escaped(b"http://h/\xff\x1b[2J\n\"\\\xc3\xa9", 100),
            r#"http://h/\xFF\u{1b}[2J\n\"\\é"#
        );
        assert_eq!(escaped("a\u{202e}b".as_bytes(), 100), r"a\u{202e}b");
        assert_eq!(escaped(&[0xff; 1000], 8), r"\xFF\xFF…");
    }
}
