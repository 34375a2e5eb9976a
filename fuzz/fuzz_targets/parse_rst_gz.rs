//! `generator::load::document_from_bytes("fuzz.rst.gz", data)` then `generator::parse::parse_document`:
//! must never panic, whatever the bytes (errors are fine).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    vsphere_fuzz::parse_document_named("fuzz.rst.gz", data);
});
