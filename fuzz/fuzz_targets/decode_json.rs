//! VI/JSON response decoding: `One`/`Maybe`/`Many` of `UserSession`, `ServiceContent`
//! and more, anyType values, and the fault path (`_typeName` body → `RawFault` → typed
//! fault and method error enum). Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    vsphere_fuzz::decode_json(data);
});
