//! Decoding a `sessionList` of 10,000 `UserSession`s.
//!
//! - `json_sdk`: the VI/JSON body decoded as the SDK does it,
//!   `<Many<vsphere::UserSession> as Response>::from_json`.
//! - `json_plain_serde`: the same bytes decoded by `serde_json` into a hand-written struct
//!   with the same fields (String/bool/i64, chrono `DateTime` for the two timestamps): the
//!   floor the SDK is compared with.
//! - `soap_sdk`: a `RetrievePropertiesEx` response whose `val` is an
//!   `ArrayOfUserSession` of the same 10,000 sessions, decoded with
//!   the path `session_list()` takes over SOAP: `reply::soap_reply` with
//!   `PropertyValue<Many<UserSession>>`, which parses the envelope into an
//!   `XmlDocument` and reads the property's `val` straight into the generated type.
//! - `soap_xml_parse_only`: `xml::parse` of the same body into an `XmlDocument`.
//! - `soap_tokenise_only`: quick-xml's reader alone over the same body (every event,
//!   names, attributes and text unescaped, nothing kept): the floor under the other two.
//!
//! Throughput is the body's size in bytes.
//!
//! ```sh
//! cargo bench -p vsphere-tests --bench decode
//! ```

use std::time::Duration;

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use serde::Deserialize;
use vsphere_runtime::{Many, PropertyValue, Response};

const SESSIONS: usize = 10_000;

/// One session's values, varied and realistic (vCenter/vcsim shapes).
struct Values {
    key: String,
    user_name: String,
    full_name: String,
    login_time: String,
    last_active_time: String,
    locale: &'static str,
    message_locale: &'static str,
    extension_session: bool,
    ip_address: String,
    user_agent: &'static str,
    call_count: i64,
}

fn values() -> Vec<Values> {
    const AGENTS: &[&str] = &[
        "pyvmomi Python/3.11.7 (Linux; 6.1.0-18-amd64; x86_64)",
        "govmomi/0.37.0 (go1.22.1;linux;amd64)",
        "VMware vim-java 1.0",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/122.0 Safari/537.36",
        "vsphere-rs/0.1.0",
    ];
    const LOCALES: &[&str] = &["en", "de", "fr_CA", "ja", "zh_CN"];
    // A small LCG: deterministic, no dependency.
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        seed >> 33
    };
    (0..SESSIONS)
        .map(|i| {
            let r = next();
            let day = 1 + r % 28;
            let (h, m, s) = (r % 24, (r >> 5) % 60, (r >> 11) % 60);
            let nanos = next() % 1_000_000_000;
            let locale = LOCALES[(r % LOCALES.len() as u64) as usize];
            Values {
                key: format!(
                    "52{:06x}-{:04x}-{:04x}-{:04x}-{:012x}",
                    next() & 0xff_ffff,
                    next() & 0xffff,
                    next() & 0xffff,
                    next() & 0xffff,
                    (next() << 16) ^ next()
                ),
                user_name: if i % 10 == 0 {
                    format!("com.vmware.vim.eam.ext{i}")
                } else {
                    format!("VSPHERE.LOCAL\\user{i:05}")
                },
                full_name: format!("User {i:05} (Operations, Site {})", r % 7),
                login_time: format!("2024-05-{day:02}T{h:02}:{m:02}:{s:02}.{nanos:09}Z"),
                last_active_time: format!(
                    "2024-05-{day:02}T{:02}:{:02}:{:02}.{:06}Z",
                    (h + 1) % 24,
                    (m + 7) % 60,
                    s,
                    nanos / 1000
                ),
                locale,
                message_locale: locale,
                extension_session: i % 10 == 0,
                ip_address: format!("10.{}.{}.{}", r % 256, (r >> 8) % 256, 1 + (r >> 16) % 254),
                user_agent: AGENTS[i % AGENTS.len()],
                call_count: (next() % 100_000) as i64,
            }
        })
        .collect()
}

fn json_body(vs: &[Values]) -> Vec<u8> {
    let array: Vec<serde_json::Value> = vs
        .iter()
        .map(|v| {
            serde_json::json!({
                "_typeName": "UserSession",
                "key": v.key,
                "userName": v.user_name,
                "fullName": v.full_name,
                "loginTime": v.login_time,
                "lastActiveTime": v.last_active_time,
                "locale": v.locale,
                "messageLocale": v.message_locale,
                "extensionSession": v.extension_session,
                "ipAddress": v.ip_address,
                "userAgent": v.user_agent,
                "callCount": v.call_count,
            })
        })
        .collect();
    serde_json::to_vec(&array).expect("serializing the body")
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn soap_body(vs: &[Values]) -> Vec<u8> {
    let mut out = String::with_capacity(vs.len() * 800);
    out.push_str(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<soapenv:Body>
<RetrievePropertiesExResponse xmlns="urn:vim25">
<returnval>
<objects>
<obj type="SessionManager">SessionManager</obj>
<propSet>
<name>sessionList</name>
<val xsi:type="ArrayOfUserSession">"#,
    );
    for v in vs {
        out.push_str(&format!(
            "<UserSession xsi:type=\"UserSession\"><key>{}</key><userName>{}</userName>\
             <fullName>{}</fullName><loginTime>{}</loginTime><lastActiveTime>{}</lastActiveTime>\
             <locale>{}</locale><messageLocale>{}</messageLocale>\
             <extensionSession>{}</extensionSession><ipAddress>{}</ipAddress>\
             <userAgent>{}</userAgent><callCount>{}</callCount></UserSession>",
            escape(&v.key),
            escape(&v.user_name),
            escape(&v.full_name),
            v.login_time,
            v.last_active_time,
            v.locale,
            v.message_locale,
            v.extension_session,
            escape(&v.ip_address),
            escape(v.user_agent),
            v.call_count
        ));
    }
    out.push_str(
        "</val>\n</propSet>\n</objects>\n</returnval>\n</RetrievePropertiesExResponse>\n\
         </soapenv:Body>\n</soapenv:Envelope>\n",
    );
    out.into_bytes()
}

/// The hand-written comparison struct: same fields, plain types.
#[allow(dead_code)]
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PlainUserSession {
    key: String,
    user_name: String,
    full_name: String,
    login_time: chrono::DateTime<chrono::FixedOffset>,
    last_active_time: chrono::DateTime<chrono::FixedOffset>,
    locale: String,
    message_locale: String,
    extension_session: bool,
    ip_address: String,
    user_agent: String,
    call_count: i64,
}

fn decode_json_sdk(body: &[u8]) -> Vec<vsphere::UserSession> {
    <Many<vsphere::UserSession> as Response>::from_json_bytes(body)
        .expect("the SDK decodes the JSON body")
        .0
}

fn decode_json_plain(body: &[u8]) -> Vec<PlainUserSession> {
    serde_json::from_slice(body).expect("serde decodes the JSON body")
}

/// What `SessionManager::session_list()` does with this reply over SOAP: the
/// connection's reply decoding, with the property's value read as `UserSession[]`.
fn decode_soap_sdk(body: &[u8]) -> Vec<vsphere::UserSession> {
    vsphere_runtime::reply::soap_reply::<PropertyValue<Many<vsphere::UserSession>>>(
        200,
        true,
        body,
        "RetrievePropertiesEx",
    )
    .expect("the SDK decodes the SOAP reply")
    .0
     .0
}

/// quick-xml's reader over the whole body, touching every name, attribute and text.
fn tokenise_soap(body: &[u8]) -> usize {
    use quick_xml::events::Event;
    std::str::from_utf8(body).expect("UTF-8");
    let mut reader = quick_xml::Reader::from_reader(body);
    let mut seen = 0;
    loop {
        match reader.read_event().expect("well-formed") {
            Event::Eof => return seen,
            Event::Start(s) | Event::Empty(s) => {
                seen += s.local_name().as_ref().len();
                for a in s.attributes() {
                    seen += a.expect("attribute").value.len();
                }
            }
            Event::Text(t) => seen += t.xml10_content().expect("UTF-8").len(),
            _ => seen += 1,
        }
    }
}

fn decode(c: &mut Criterion) {
    let vs = values();
    let json = json_body(&vs);
    let soap = soap_body(&vs);

    // The three decoders agree with the generated values before anything is timed.
    let sdk = decode_json_sdk(&json);
    let plain = decode_json_plain(&json);
    let from_soap = decode_soap_sdk(&soap);
    assert_eq!(sdk.len(), SESSIONS);
    assert_eq!(plain.len(), SESSIONS);
    assert_eq!(from_soap.len(), SESSIONS);
    for ((a, b), (x, v)) in sdk.iter().zip(&plain).zip(from_soap.iter().zip(&vs)) {
        assert_eq!(a.key.expose(), &v.key);
        assert_eq!(b.key, v.key);
        assert_eq!(x.key.expose(), &v.key);
        assert_eq!(a.user_name, x.user_name);
        assert_eq!(a.login_time, b.login_time);
        assert_eq!(a.login_time, x.login_time);
        assert_eq!(a.last_active_time, x.last_active_time);
        assert_eq!(a.call_count, v.call_count);
        assert_eq!(x.call_count, v.call_count);
        assert_eq!(x.extension_session, v.extension_session);
        assert_eq!(x.user_agent, v.user_agent);
    }
    eprintln!(
        "decode: {SESSIONS} sessions; VI/JSON body {} bytes, SOAP body {} bytes",
        json.len(),
        soap.len()
    );

    let mut group = c.benchmark_group("decode_session_list_10k");
    group.sample_size(50);
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Bytes(json.len() as u64));
    group.bench_function("json_sdk", |b| {
        b.iter(|| black_box(decode_json_sdk(black_box(&json))))
    });
    group.bench_function("json_plain_serde", |b| {
        b.iter(|| black_box(decode_json_plain(black_box(&json))))
    });
    group.throughput(Throughput::Bytes(soap.len() as u64));
    group.bench_function("soap_sdk", |b| {
        b.iter(|| black_box(decode_soap_sdk(black_box(&soap))))
    });
    group.bench_function("soap_xml_parse_only", |b| {
        b.iter(|| black_box(vsphere_runtime::xml::parse(black_box(&soap)).unwrap()))
    });
    group.bench_function("soap_tokenise_only", |b| {
        b.iter(|| black_box(tokenise_soap(black_box(&soap))))
    });
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
