//! Formatting shared by every renderer: numbers, intervals, and escaping
//! for XML/HTML and Markdown. The only escaping functions in the crate.

use crate::score::Interval;

/// `0.1234` → "0.123", `None` → "—".
pub fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), |v| format!("{v:.3}"))
}

/// "[0.812, 0.954]" or "".
pub fn interval(ci: Option<Interval>) -> String {
    ci.map_or_else(String::new, |i| format!("[{:.3}, {:.3}]", i.low, i.high))
}

/// Escapes text for XML/HTML element content and quoted attributes; drops
/// control characters XML 1.0 does not allow.
pub fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' && c != '\r' => {}
            c => o.push(c),
        }
    }
    o
}

/// Removes ANSI escape sequences (`ESC [ … letter`) and other control
/// characters but tab.
pub fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            if chars.peek() == Some(&'[') {
                chars.next();
                for d in chars.by_ref() {
                    if d.is_ascii_alphabetic() {
                        break;
                    }
                }
            }
            continue;
        }
        if c.is_control() && c != '\t' {
            out.push(' ');
            continue;
        }
        out.push(c);
    }
    out
}

/// Text for one Markdown table cell or line: ANSI stripped, one line, and
/// every character Markdown or GitHub's HTML would read as markup escaped.
pub fn markdown(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in strip_ansi(s).chars() {
        match c {
            '|' | '`' | '*' | '_' | '[' | ']' | '\\' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_escapes_markup_and_strips_ansi() {
        assert_eq!(
            markdown("a|b `c` <script>\x1b[31mred\x1b[0m\nnext"),
            "a\\|b \\`c\\` &lt;script&gt;red next"
        );
        assert_eq!(strip_ansi("\x1b[1;32mok\x1b[0m"), "ok");
    }

    #[test]
    fn xml_escape_drops_forbidden_controls() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
