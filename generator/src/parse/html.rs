//! Inline HTML in descriptions (`<p>`, `<ul><li>`, `<code>`, `<b>`, tables, definition
//! lists) → the model's description markup (see [`crate::model`]).

use std::borrow::Cow;

/// What one tag becomes: `(tag names, markup for the opening tag, markup for the closing
/// tag)`. A paragraph or block boundary is a blank line, a list item or table row or
/// definition term a new `- ` line, code and bold their Markdown markers. Tags of layout
/// only (`<i>`, `<span>`, `<font>`, `<div>`, an `<a>` no parser turned into a link) become
/// nothing.
const TAGS: &[(&[&str], &str, &str)] = &[
    (&["p", "br", "hr", "blockquote"], "\n\n", "\n\n"),
    (&["ul", "ol", "dl", "table"], "\n\n", "\n\n"),
    (&["li", "dt", "tr"], "\n- ", ""),
    (&["dd"], ": ", ""),
    (&["td", "th"], " | ", ""),
    (&["code", "tt", "pre", "samp", "kbd", "var"], "`", "`"),
    (&["b", "strong"], "**", "**"),
    (
        &[
            "i", "em", "u", "span", "font", "div", "small", "big", "sup", "sub", "cite", "center",
            "nobr", "tbody", "thead", "caption", "a",
        ],
        "",
        "",
    ),
    (&["h1", "h2", "h3", "h4", "h5", "h6"], "\n\n**", "**\n\n"),
];

/// The markup for one inline HTML tag (`<p>`, `</ul>`, `<li class="x">`, `<br/>`), or
/// `None` for a tag this table does not know (the caller reports it).
pub(crate) fn tag_markup(html: &str) -> Option<&'static str> {
    let inner = html.trim().strip_prefix('<')?.strip_suffix('>')?.trim();
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest.trim_start()),
        None => (false, inner.trim_end_matches('/').trim_end()),
    };
    let name_len = inner
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(inner.len());
    let name = inner[..name_len].to_ascii_lowercase();
    if name.is_empty() {
        return None;
    }
    let (_, open, close) = TAGS
        .iter()
        .find(|(names, _, _)| names.contains(&name.as_str()))?;
    Some(if closing { close } else { open })
}

/// Replaces the HTML tags this module knows inside plain text (HTML a document wrote as
/// entities, `&lt;code&gt;`, decoded to `<code>`); other `<…>` text (`<host>`) stays.
pub(crate) fn replace_tags(text: &str) -> Cow<'_, str> {
    if !text.contains('<') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let candidate = &rest[lt..];
        let tag_end = candidate[1..]
            .find(['>', '<'])
            .map(|i| i + 1)
            .filter(|&i| candidate.as_bytes()[i] == b'>');
        match tag_end.and_then(|end| Some((end, tag_markup(&candidate[..=end])?))) {
            Some((end, markup)) => {
                out.push_str(markup);
                rest = &candidate[end + 1..];
            }
            None => {
                out.push('<');
                rest = &candidate[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// HTML entities the documents escape twice (`\&quot;`), so Markdown leaves them as text.
const ENTITIES: &[(&str, &str)] = &[
    ("&quot;", "\""),
    ("&#39;", "'"),
    ("&#x60;", "`"),
    ("&apos;", "'"),
    ("&lt;", "<"),
    ("&gt;", ">"),
    ("&nbsp;", " "),
    ("&amp;", "&"),
];

/// Decodes the entities of [`ENTITIES`] and numeric ones (`&#39;`, `&#x60;`).
pub(crate) fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        if let Some((entity, value)) = ENTITIES.iter().find(|(e, _)| rest.starts_with(e)) {
            out.push_str(value);
            rest = &rest[entity.len()..];
        } else if let Some((c, len)) = numeric_entity(rest) {
            out.push(c);
            rest = &rest[len..];
        } else {
            out.push('&');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// `&#39;` or `&#x60;` at the start of `text`: the character and the entity's length.
fn numeric_entity(text: &str) -> Option<(char, usize)> {
    let body = text.strip_prefix("&#")?;
    let end = body.find(';')?;
    let digits = &body[..end];
    let code = match digits.strip_prefix(['x', 'X']) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => digits.parse().ok()?,
    };
    Some((char::from_u32(code)?, end + 3))
}

/// A tables-Markdown description's text: entities the documents escaped with a
/// backslash (`\&lt;portIndex&gt;`, which Markdown leaves as text) decoded, and an anchor
/// the documents left unclosed (`<a href = "URL" Unattend.txt …`, with no `>`) made a
/// link to its URL.
pub(crate) fn docs_text(text: &str) -> Cow<'_, str> {
    if !text.contains('&') && !text.contains("<a") {
        return Cow::Borrowed(text);
    }
    static ANCHOR: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let anchor = ANCHOR.get_or_init(|| {
        regex::Regex::new(r#"<a\s+href\s*=\s*"([^"<>]+)"(\s*)([^\s>]|$)"#).expect("a valid pattern")
    });
    let decoded = decode_entities(text);
    Cow::Owned(anchor.replace_all(&decoded, "[$1]($1)$2$3").into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entities_are_decoded() {
        assert_eq!(
            decode_entities("like &quot;en&quot; &#39;a&#39; &#x60;b&#x60; &amp;"),
            "like \"en\" 'a' `b` &"
        );
        assert_eq!(decode_entities("a & b &bogus;"), "a & b &bogus;");
    }

    #[test]
    fn docs_text_decodes_escaped_entities_and_links_an_unclosed_anchor() {
        assert_eq!(
            docs_text(r#"the format string "abc&lt;portIndex&gt;def" results"#),
            r#"the format string "abc<portIndex>def" results"#
        );
        assert_eq!(
            docs_text(r#"listed at <a href =   "http://x.org/a.mspx"   Unattend.txt File"#),
            "listed at [http://x.org/a.mspx](http://x.org/a.mspx)   Unattend.txt File"
        );
        // A closed anchor is the tag table's, untouched here, whatever its spacing.
        assert_eq!(
            docs_text(r#"<a href="vim.X.md">X</a>"#),
            r#"<a href="vim.X.md">X</a>"#
        );
        assert_eq!(
            docs_text(r#"<a href = "u"   >Windows"#),
            r#"<a href = "u"   >Windows"#
        );
        assert_eq!(docs_text("plain"), "plain");
    }

    #[test]
    fn block_tags_break_paragraphs_and_items_start_lines() {
        assert_eq!(tag_markup("<p>"), Some("\n\n"));
        assert_eq!(tag_markup("</P>"), Some("\n\n"));
        assert_eq!(tag_markup("<br/>"), Some("\n\n"));
        assert_eq!(tag_markup("<li>"), Some("\n- "));
        assert_eq!(tag_markup("</li>"), Some(""));
        assert_eq!(tag_markup("<td style=\"border:0\">"), Some(" | "));
        assert_eq!(tag_markup("<dd>"), Some(": "));
    }

    #[test]
    fn inline_tags_become_markers_or_nothing() {
        assert_eq!(tag_markup("<code>"), Some("`"));
        assert_eq!(tag_markup("</code>"), Some("`"));
        assert_eq!(tag_markup("<b>"), Some("**"));
        assert_eq!(tag_markup("<i>"), Some(""));
        assert_eq!(tag_markup("<img src=\"x.png\">"), None);
        assert_eq!(tag_markup("<!-- x -->"), None);
        assert_eq!(tag_markup("a <b"), None);
    }

    #[test]
    fn known_tags_in_text_are_replaced_and_other_angle_brackets_kept() {
        assert_eq!(
            replace_tags("use <code>x</code> at https://<host>/sdk, a < b"),
            "use `x` at https://<host>/sdk, a < b"
        );
        assert_eq!(replace_tags("<dt>A</dt><dd>first"), "\n- A: first");
        assert_eq!(replace_tags("no tags"), "no tags");
    }
}
