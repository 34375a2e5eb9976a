//! Splitting a document into segments: logical lines of the normal layout, or the pieces a
//! whitespace-collapsed document is cut back into.

use super::tokens::*;

/// The run of `=` or `-` under a heading.
#[derive(Clone, Copy, Debug)]
pub(super) struct Underline {
    pub(super) ch: u8,
}

/// A logical line.
#[derive(Clone, Copy, Debug)]
pub(super) struct Seg<'a> {
    /// Byte offset of the first character of `text`.
    pub(super) start: usize,
    /// The line without surrounding whitespace.
    pub(super) text: &'a str,
    /// Leading whitespace of the physical line; `None` in the collapsed layout.
    pub(super) indent: Option<usize>,
    /// Set when the segment is a heading.
    pub(super) underline: Option<Underline>,
}

pub(super) fn is_run(s: &str, ch: u8) -> bool {
    s.len() >= 3 && s.bytes().all(|b| b == ch)
}

pub(super) fn run_char(s: &str) -> Option<u8> {
    [b'=', b'-'].into_iter().find(|&c| is_run(s, c))
}

/// Normal layout: one segment per non-blank line; a line at the margin followed by an
/// underline at least as long becomes a heading.
pub(super) fn split_lines(text: &str) -> Vec<Seg<'_>> {
    let mut lines = Vec::new();
    let mut off = 0;
    for line in text.split_inclusive('\n') {
        lines.push((off, line.trim_end_matches(['\n', '\r'])));
        off += line.len();
    }
    let mut segs = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let (start, line) = lines[i];
        i += 1;
        let body = line.trim_start();
        let indent = line.len() - body.len();
        let body = body.trim_end();
        if body.is_empty() {
            continue;
        }
        let mut seg = Seg {
            start: start + indent,
            text: body,
            indent: Some(indent),
            underline: None,
        };
        if indent == 0 && run_char(body).is_none() {
            if let Some(&(_, next)) = lines.get(i) {
                let next = next.trim_end();
                if let Some(ch) = run_char(next) {
                    if next.len() >= body.chars().count() {
                        seg.underline = Some(Underline { ch });
                        i += 1;
                    }
                }
            }
        }
        segs.push(seg);
    }
    segs
}

/// Collapsed layout: re-derives logical lines from structural tokens (see the module
/// documentation).
pub(super) fn split_collapsed(text: &str) -> Vec<Seg<'_>> {
    let words = word_spans(text);
    let mut segs = Vec::new();
    let title_idx = words.iter().position(|&(s, e)| is_run(&text[s..e], b'='));
    let pending = collapsed_preamble(text, &words, title_idx.unwrap_or(words.len()), &mut segs);
    let Some(u) = title_idx else {
        if let Some(from) = pending {
            push_seg(&mut segs, text, from, text.len());
        }
        return segs;
    };
    collapsed_title(text, &words, u, pending, &mut segs);
    collapsed_body(text, &words, u, &mut segs);
    segs
}

/// The trimmed text between `from` and `to` as a segment, unless it is blank.
fn push_seg<'a>(segs: &mut Vec<Seg<'a>>, text: &'a str, from: usize, to: usize) {
    let t = text[from..to].trim();
    if !t.is_empty() {
        let lead = text[from..to].len() - text[from..to].trim_start().len();
        segs.push(Seg {
            start: from + lead,
            text: t,
            indent: None,
            underline: None,
        });
    }
}

/// Before the title: hyperlink targets, one segment each. Returns where the text after the
/// last target starts (the title is at its end).
fn collapsed_preamble<'a>(
    text: &'a str,
    words: &[(usize, usize)],
    pre_end: usize,
    segs: &mut Vec<Seg<'a>>,
) -> Option<usize> {
    let mut pending: Option<usize> = None;
    let mut i = 0;
    while i < pre_end {
        let s = words[i].0;
        if let Some((Head::Target { .. }, len)) = target(&text[s..]) {
            if let Some(from) = pending.take() {
                push_seg(segs, text, from, s);
            }
            push_seg(segs, text, s, s + len);
            while i < pre_end && words[i].0 < s + len {
                i += 1;
            }
        } else {
            pending.get_or_insert(s);
            i += 1;
        }
    }
    pending
}

/// The title above the `=` run at word `u`: the longest run of trailing words that the
/// underline covers (words before it are a segment of their own).
fn collapsed_title<'a>(
    text: &'a str,
    words: &[(usize, usize)],
    u: usize,
    pending: Option<usize>,
    segs: &mut Vec<Seg<'a>>,
) {
    let (us, ue) = words[u];
    let first = words[..u]
        .iter()
        .position(|&(s, _)| pending.is_some_and(|p| s >= p))
        .unwrap_or(u);
    let mut title_from = u;
    for k in (first..u).rev() {
        if text[words[k].0..us].trim_end().chars().count() <= ue - us {
            title_from = k;
        } else {
            break;
        }
    }
    if first < title_from {
        push_seg(segs, text, words[first].0, words[title_from].0);
    }
    let title_start = words.get(title_from).map_or(us, |w| w.0.min(us));
    segs.push(Seg {
        start: title_start,
        text: text[title_start..us].trim_end(),
        indent: None,
        underline: Some(Underline { ch: b'=' }),
    });
}

/// After the title (word `u`): cut wherever a heading or a token valid in the current
/// section begins.
fn collapsed_body<'a>(text: &'a str, words: &[(usize, usize)], u: usize, segs: &mut Vec<Seg<'a>>) {
    let closes = text.rfind(')');
    let mut ctx = Ctx::Header;
    let mut open = words.get(u + 1).map(|w| w.0);
    let mut i = u + 1;
    while i < words.len() {
        let (s, e) = words[i];
        if let Some(ch) = collapsed_heading(text, words, i) {
            if let Some(from) = open {
                push_seg(segs, text, from, s);
            }
            segs.push(Seg {
                start: s,
                text: &text[s..e],
                indent: None,
                underline: Some(Underline { ch }),
            });
            ctx = Ctx::after_heading(&text[s..e], ch);
            i += 2;
            open = words.get(i).map(|w| w.0);
            continue;
        }
        let closes_after = closes.is_some_and(|c| c > s);
        if let Some((head, len)) = classify(ctx, &text[s..], false, closes_after) {
            if let Some(from) = open {
                push_seg(segs, text, from, s);
            }
            open = Some(s);
            ctx = ctx.after(&head);
            i += 1;
            while i < words.len() && words[i].0 < s + len {
                i += 1;
            }
            continue;
        }
        i += 1;
    }
    if let Some(from) = open {
        push_seg(segs, text, from, text.len());
    }
}

/// The underline character when word `i` is a section heading: a word followed by a run of
/// `=`/`-` about as long as it.
fn collapsed_heading(text: &str, words: &[(usize, usize)], i: usize) -> Option<u8> {
    let (s, e) = words[i];
    let &(ns, ne) = words.get(i + 1)?;
    let ch = run_char(&text[ns..ne])?;
    let title_len = text[s..e].chars().count();
    let plausible = text.as_bytes()[s].is_ascii_alphabetic()
        && (title_len..=title_len + 2).contains(&(ne - ns));
    plausible.then_some(ch)
}

pub(super) fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                out.push((s, i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}
