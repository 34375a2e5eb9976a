//! SOAP response decoding: `vsphere_runtime::xml::parse`, the generated `SoapRead`s of
//! `UserSession`, `ServiceContent` and more, anyType values, and the client's envelope
//! path (Body → Fault → typed fault, or `…Response/returnval` → `One`/`Many`/`Maybe`).
//! Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    vsphere_fuzz::decode_soap(data);
});
