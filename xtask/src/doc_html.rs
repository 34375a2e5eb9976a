//! Checks over the rustdoc HTML of the generated crate, after `cargo doc`: the documents'
//! markup (HTML in the tables Markdown, RST lists, entities, Markdown escapes) must have
//! become rustdoc Markdown, so no page shows it as literal text; and three pages — a
//! managed object, a method with faults, a data type with a list — render their lists,
//! links and fault sections as the docs say.

use std::path::Path;

use anyhow::{bail, Context, Result};

/// Text a page shows when markup of the documents was not converted: an HTML tag of
/// the docs escaped into text, an entity escaped twice, a Markdown escape kept.
const LEFTOVERS: &[&str] = &[
    "&lt;p&gt;",
    "&lt;/p&gt;",
    "&lt;ul&gt;",
    "&lt;li&gt;",
    "&lt;a href",
    "&lt;code&gt;",
    "&lt;b&gt;",
    "&lt;br",
    "&amp;#x60;",
    "&amp;#39;",
    "&amp;lt;",
    "&amp;gt;",
    "&amp;quot;",
    "&amp;nbsp;",
    "\\*",
];

/// A page and the HTML it must contain.
struct Page {
    /// Relative to the doc directory.
    path: &'static str,
    /// Fragments of rendered HTML, each of which must occur.
    expects: &'static [&'static str],
}

const PAGES: &[Page] = &[
    // The ServiceInstance description lists the inventory's object types, one item each
    // with a link to the type and its description.
    Page {
        path: "vsphere/managed/handles/struct.ServiceInstance.html",
        expects: &[
            "<li><a href=\"struct.Datacenter.html\" title=\"struct vsphere::managed::handles::Datacenter\"><code>Datacenter</code></a> – A container that represents a virtual data center.",
            "<li><a href=\"struct.Folder.html\" title=\"struct vsphere::managed::handles::Folder\"><code>Folder</code></a> – A container used for hierarchical organization of the inventory.</li>",
        ],
    },
    // SessionManager.Login: its parameters, its declared faults with the docs' sentence,
    // its privilege and since-version.
    Page {
        path: "vsphere/managed/handles/struct.SessionManager.html",
        expects: &[
            "<h5 id=\"errors\"><a class=\"doc-anchor\" href=\"#errors\">§</a>Errors</h5>",
            "<a href=\"../session_manager/enum.LoginError.html#variant.InvalidLogin\" title=\"variant vsphere::managed::session_manager::LoginError::InvalidLogin\"><code>InvalidLogin</code></a> (<code>vim.fault.InvalidLogin</code>): if the user and password combination is invalid.</li>",
            "<li>Required privilege: <code>System.Anonymous</code></li>",
        ],
    },
    // EVCMode's description ends in a list of links to fields of other types.
    Page {
        path: "vsphere/types/vim/struct.EVCMode.html",
        expects: &[
            "<ul>\n<li><a href=\"struct.ClusterComputeResourceSummary.html\" title=\"struct vsphere::types::vim::ClusterComputeResourceSummary\"><code>Summary</code></a>.<a href=\"struct.ClusterComputeResourceSummary.html#structfield.current_evc_mode_key\"",
        ],
    },
];

/// The leftovers `html` shows, each once, in [`LEFTOVERS`] order.
fn leftovers(html: &str) -> Vec<&'static str> {
    LEFTOVERS
        .iter()
        .copied()
        .filter(|l| html.contains(l))
        .collect()
}

/// Checks every page of the `vsphere` crate under `doc` (the `target/doc` of `cargo doc`)
/// for leftovers and the three pages for their fragments; returns how many pages were read.
pub fn check(doc: &Path) -> Result<usize> {
    let mut problems = Vec::new();
    for page in PAGES {
        let path = doc.join(page.path);
        let html = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {} (run `cargo doc` first)", path.display()))?;
        for fragment in page.expects {
            if !html.contains(fragment) {
                problems.push(format!("{}: does not contain {fragment:?}", page.path));
            }
        }
    }
    let mut pages = 0;
    let mut stack = vec![doc.join("vsphere")];
    while let Some(dir) = stack.pop() {
        let entries =
            std::fs::read_dir(&dir).with_context(|| format!("listing {}", dir.display()))?;
        for entry in entries {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                let html = std::fs::read_to_string(&path)
                    .with_context(|| format!("reading {}", path.display()))?;
                pages += 1;
                for l in leftovers(&html) {
                    let rel = path.strip_prefix(doc).unwrap_or(&path);
                    problems.push(format!("{}: shows {l:?} as text", rel.display()));
                }
            }
        }
    }
    if pages == 0 {
        bail!("no page under {}", doc.join("vsphere").display());
    }
    if !problems.is_empty() {
        problems.sort();
        bail!(
            "the generated crate's rustdoc HTML shows {} problem(s):\n{}",
            problems.len(),
            problems.join("\n")
        );
    }
    Ok(pages)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_are_found_in_rendered_text_and_not_in_markup() {
        // What rustdoc makes of `<p>a</p>` kept as text, and of an escaped `&#x60;`.
        assert_eq!(
            leftovers("<p>&lt;p&gt;One&lt;/p&gt; and &amp;#x60;x&amp;#x60;</p>"),
            ["&lt;p&gt;", "&lt;/p&gt;", "&amp;#x60;"]
        );
        assert_eq!(leftovers(r"<li>a \* b</li>"), [r"\*"]);
        // Converted markup: real tags and single entities are fine.
        assert!(leftovers(
            "<p>One <code>`x`</code> &lt; 2 &amp; &quot;q&quot;</p><ul><li>i</li></ul>"
        )
        .is_empty());
    }

    #[test]
    fn check_reports_a_missing_fragment_and_a_leftover_with_the_page() {
        let doc = std::env::temp_dir().join(format!("xtask-doc-html-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&doc);
        for page in PAGES {
            let path = doc.join(page.path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, page.expects.concat()).unwrap();
        }
        assert_eq!(check(&doc).unwrap(), PAGES.len());
        let extra = doc.join("vsphere/types/vim/struct.Other.html");
        std::fs::write(&extra, "<p>&lt;p&gt;x</p>").unwrap();
        std::fs::write(doc.join(PAGES[2].path), "<p>no list</p>").unwrap();
        let err = check(&doc).unwrap_err().to_string();
        let _ = std::fs::remove_dir_all(&doc);
        assert_eq!(
            err,
            format!(
                "the generated crate's rustdoc HTML shows 2 problem(s):\n\
                 vsphere/types/vim/struct.EVCMode.html: does not contain {:?}\n\
                 vsphere/types/vim/struct.Other.html: shows \"&lt;p&gt;\" as text",
                PAGES[2].expects[0]
            )
        );
    }
}
