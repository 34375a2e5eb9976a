//! Round trips of generated data types through both wire formats, with proptest:
//! value → VI/JSON (serde_json) → value, and value → SOAP (`SoapWrite` into a response
//! envelope, `xml::parse`, `SoapRead`) → value, unchanged.
//!
//! The strategies use arbitrary strings (markup characters, quotes, CR/LF/tab, any
//! Unicode including controls, empty), `i64` extremes, date-times with and without a
//! fraction (leap seconds included) at any whole-minute UTC offset in years from -9999 to
//! 99999, optional fields set and unset, and arrays empty and not.
//!
//! What the strategies leave out, because the wire format itself cannot carry it:
//! - UTC offsets with seconds: `xsd:dateTime` and RFC 3339 write offsets as `±hh:mm`.
//! - NaN and infinities in VI/JSON `anyType` values: JSON numbers have none (SOAP has
//!   `NaN`/`INF`, covered by the runtime's unit tests).
//! - Across protocols: an `anyType` value keeps the form of the protocol that delivered it
//!   (`AnyValue::Json` or `AnyValue::Xml`), so each format's strategy makes its own form;
//!   `json_any_values_written_as_soap_decode_to_the_same_primitive` checks the crossing.
//!
//! Equality of `DateTime` (chrono) ignores the offset, so the offsets are compared too.
//!
//! What XML 1.0 cannot carry but the strategies do send: C0 control characters other than
//! tab, LF and CR, and U+FFFE/U+FFFF. The writer emits them as they are and this SDK's
//! reader accepts them, so they round-trip here; a strict XML parser on a server would
//! refuse such a request.

use chrono::{FixedOffset, NaiveDate, TimeZone};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use vsphere::{
    AboutInfo, AnySessionManagerServiceRequestSpec, DynamicData, DynamicProperty, KeyAnyValue,
    LocalizableMessage, ServiceContent, SessionManagerGenericServiceTicket,
    SessionManagerHttpServiceRequestSpec, SessionManagerLocalTicket,
    SessionManagerServiceRequestSpec, SessionManagerVmomiServiceRequestSpec, UserSession,
};
use vsphere_runtime::{
    xml, AnyValue, DateTime, JsonRead, JsonWrite, ManagedObjectReference, One, Response, Secret,
    SoapRead, SoapWrite, SoapWriter, XmlNode,
};

// ---------------------------------------------------------------------------------------
// The two round trips

fn via_json<T: JsonWrite + JsonRead>(value: &T) -> Result<T, String> {
    let text = vsphere_runtime::json::to_string(value);
    vsphere_runtime::json::from_str(&text).map_err(|e| format!("{e} in {text}"))
}

/// Writes `value` as the `returnval` of a response envelope, parses the document and
/// reads the `returnval` back, as the SOAP transport does.
fn via_soap<T: SoapWrite + SoapRead>(value: &T) -> Result<T, String> {
    let mut w = SoapWriter::new();
    value.write("returnval", &mut w);
    let doc = format!(
        concat!(
            r#"<?xml version="1.0" encoding="UTF-8"?>"#,
            r#"<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/""#,
            r#" xmlns:xsd="http://www.w3.org/2001/XMLSchema""#,
            r#" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
            r#"<soapenv:Body><TestResponse xmlns="urn:vim25">{}</TestResponse>"#,
            "</soapenv:Body></soapenv:Envelope>"
        ),
        w.finish()
    );
    let parsed = xml::parse(doc.as_bytes()).map_err(|e| format!("{e} in {doc}"))?;
    let returnval = parsed
        .root()
        .child("Body")
        .and_then(|b| b.child("TestResponse"))
        .and_then(|r| r.child("returnval"))
        .ok_or_else(|| format!("no returnval in {doc}"))?;
    T::read(returnval).map_err(|e| format!("{e} in {doc}"))
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 256,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------
// Strategies: primitives

/// Strings a server or caller may send: empty, markup and whitespace, any Unicode.
fn text() -> BoxedStrategy<String> {
    prop_oneof![
        Just(String::new()),
        "[ <>&\"';=/\t\r\n]{1,8}",
        "[a-z<&>\"']{0,6}(\r\n|\r|\n|\t| )[a-z<&>\"']{0,6}",
        "\\PC{0,24}",
        any::<String>(),
    ]
    .boxed()
}

fn secret() -> impl Strategy<Value = Secret<String>> {
    text().prop_map(Secret::new)
}

fn long() -> BoxedStrategy<i64> {
    prop_oneof![
        Just(i64::MIN),
        Just(i64::MAX),
        Just(0),
        Just(-1),
        any::<i64>()
    ]
    .boxed()
}

/// Date-times in years -9999..=99999, whole seconds or with milli-, micro- or nanosecond
/// fractions, leap seconds, at a whole-minute offset within ±23:59.
fn date_time() -> BoxedStrategy<DateTime> {
    let year = prop_oneof![4 => 1970..2100i32, 1 => -9999..=99_999i32];
    let fraction = prop_oneof![
        Just(0u32),
        (0..1000u32).prop_map(|ms| ms * 1_000_000),
        (0..1_000_000u32).prop_map(|us| us * 1000),
        0..1_000_000_000u32,
    ];
    let offset_minutes = prop_oneof![Just(0i32), -(23 * 60 + 59)..=(23 * 60 + 59)];
    (
        year,
        1..=12u32,
        1..=28u32,
        0..24u32,
        0..60u32,
        0..60u32,
        fraction,
        any::<bool>(),
        offset_minutes,
    )
        .prop_map(|(y, mo, d, h, mi, s, nanos, leap, off)| {
            // chrono keeps a leap second as second 59 with 1e9 nanoseconds added.
            let (s, nanos) = if leap && nanos % 7 == 0 {
                (59, 1_000_000_000 + nanos % 1_000_000_000)
            } else {
                (s, nanos)
            };
            let naive = NaiveDate::from_ymd_opt(y, mo, d)
                .unwrap()
                .and_hms_nano_opt(h, mi, s, nanos)
                .unwrap();
            FixedOffset::east_opt(off * 60)
                .unwrap()
                .from_local_datetime(&naive)
                .single()
                .unwrap()
        })
        .boxed()
}

fn moref() -> BoxedStrategy<ManagedObjectReference> {
    (text(), text())
        .prop_map(|(t, v)| ManagedObjectReference::new(t, v))
        .boxed()
}

/// `anyType` values as VI/JSON delivers them: JSON values, boxed primitives, arrays and
/// objects (finite numbers only: JSON has no NaN).
fn json_any() -> BoxedStrategy<AnyValue> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        long().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        text().prop_map(serde_json::Value::from),
    ];
    let value = leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            vec(("[a-zA-Z_]{1,8}", inner), 0..4)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    });
    prop_oneof![
        value.prop_map(AnyValue::Json),
        ("(string|int|long|boolean|FutureType)", text()).prop_map(|(t, v)| {
            AnyValue::Json(serde_json::json!({"_typeName": t, "_value": v}))
        }),
    ]
    .boxed()
}

/// `anyType` values as SOAP delivers them: an element with an optional `xsi:type`,
/// text, or typed children (`ArrayOfString`), possibly `xsi:nil`. The element's name is
/// set by the field that holds it.
fn xml_any() -> BoxedStrategy<AnyValue> {
    let leaf = (
        option::of("(string|int|long|boolean|dateTime|FutureType)"),
        text(),
        any::<bool>(),
    )
        .prop_map(|(ty, text, nil)| XmlNode {
            xsi_type: ty,
            attrs: if nil && text.is_empty() {
                vec![("nil".into(), "true".into())]
            } else {
                Vec::new()
            },
            text,
            ..XmlNode::new("")
        });
    let array = vec(text(), 0..4).prop_map(|items| XmlNode {
        xsi_type: Some("ArrayOfString".into()),
        children: items
            .into_iter()
            .map(|text| XmlNode {
                xsi_type: Some("string".into()),
                text,
                ..XmlNode::new("string")
            })
            .collect(),
        ..XmlNode::new("")
    });
    prop_oneof![leaf, array].prop_map(AnyValue::Xml).boxed()
}

/// Gives an XML `anyType` value the name of the element that holds it.
fn named(value: AnyValue, name: &str) -> AnyValue {
    match value {
        AnyValue::Xml(mut node) => {
            node.name = name.to_string();
            AnyValue::Xml(node)
        }
        json => json,
    }
}

// ---------------------------------------------------------------------------------------
// Strategies: data objects (`any` is `json_any` or `xml_any`)

fn dynamic_properties(anyv: BoxedStrategy<AnyValue>) -> BoxedStrategy<Vec<DynamicProperty>> {
    vec(
        (text(), anyv).prop_map(|(name, val)| DynamicProperty {
            name,
            val: named(val, "val"),
        }),
        0..3,
    )
    .boxed()
}

fn base(anyv: BoxedStrategy<AnyValue>) -> BoxedStrategy<DynamicData> {
    (option::of(text()), dynamic_properties(anyv))
        .prop_map(|(dynamic_type, dynamic_property)| DynamicData {
            dynamic_type,
            dynamic_property,
        })
        .boxed()
}

fn user_session(anyv: BoxedStrategy<AnyValue>) -> BoxedStrategy<UserSession> {
    (
        base(anyv),
        (secret(), text(), text()),
        (date_time(), date_time()),
        (text(), text(), any::<bool>(), text(), text(), long()),
    )
        .prop_map(
            |(
                base,
                (key, user_name, full_name),
                (login_time, last_active_time),
                (locale, message_locale, extension_session, ip_address, user_agent, call_count),
            )| UserSession {
                base,
                key,
                user_name,
                full_name,
                login_time,
                last_active_time,
                locale,
                message_locale,
                extension_session,
                ip_address,
                user_agent,
                call_count,
            },
        )
        .boxed()
}

fn local_ticket(anyv: BoxedStrategy<AnyValue>) -> BoxedStrategy<SessionManagerLocalTicket> {
    (base(anyv), text(), text())
        .prop_map(
            |(base, user_name, password_file_path)| SessionManagerLocalTicket {
                base,
                user_name,
                password_file_path,
            },
        )
        .boxed()
}

fn generic_ticket(
    anyv: BoxedStrategy<AnyValue>,
) -> BoxedStrategy<SessionManagerGenericServiceTicket> {
    (
        base(anyv),
        secret(),
        option::of(text()),
        option::of(text()),
        option::of(text()),
    )
        .prop_map(|(base, id, host_name, ssl_thumbprint, ticket_type)| {
            SessionManagerGenericServiceTicket {
                base,
                id,
                host_name,
                ssl_thumbprint,
                // Added in 8.0; its element type is covered by its own round trip.
                cert_thumbprint_list: Vec::new(),
                ticket_type,
            }
        })
        .boxed()
}

fn service_request_spec(
    anyv: BoxedStrategy<AnyValue>,
) -> BoxedStrategy<AnySessionManagerServiceRequestSpec> {
    prop_oneof![
        base(anyv.clone()).prop_map(|base| { SessionManagerServiceRequestSpec { base }.into() }),
        (base(anyv.clone()), option::of(text()), text()).prop_map(|(base, method, url)| {
            SessionManagerHttpServiceRequestSpec {
                base: SessionManagerServiceRequestSpec { base },
                method,
                url,
            }
            .into()
        }),
        (base(anyv), text()).prop_map(|(base, method)| {
            SessionManagerVmomiServiceRequestSpec {
                base: SessionManagerServiceRequestSpec { base },
                method,
            }
            .into()
        }),
    ]
    .boxed()
}

fn about_info(anyv: BoxedStrategy<AnyValue>) -> BoxedStrategy<AboutInfo> {
    (
        base(anyv),
        (text(), text(), text(), text(), text()),
        (option::of(text()), option::of(text())),
        (text(), text(), text(), text()),
        (
            option::of(text()),
            option::of(text()),
            option::of(text()),
            option::of(text()),
        ),
    )
        .prop_map(
            |(
                base,
                (name, full_name, vendor, version, build),
                (locale_version, locale_build),
                (os_type, product_line_id, api_type, api_version),
                (instance_uuid, license_product_name, license_product_version, patch_level),
            )| AboutInfo {
                base,
                name,
                full_name,
                vendor,
                version,
                build,
                locale_version,
                locale_build,
                os_type,
                product_line_id,
                api_type,
                api_version,
                instance_uuid,
                license_product_name,
                license_product_version,
                patch_level,
            },
        )
        .boxed()
}

fn localizable_message(anyv: BoxedStrategy<AnyValue>) -> BoxedStrategy<LocalizableMessage> {
    let arg =
        (base(anyv.clone()), text(), anyv.clone()).prop_map(|(base, key, value)| KeyAnyValue {
            base,
            key,
            value: named(value, "value"),
        });
    (base(anyv), text(), vec(arg, 0..4), option::of(text()))
        .prop_map(|(base, key, arg, message)| LocalizableMessage {
            base,
            key,
            arg,
            message,
        })
        .boxed()
}

/// The service content's references and about info; of its 36 optional references a
/// sample of 8 (set or unset), the rest unset.
fn service_content(anyv: BoxedStrategy<AnyValue>) -> BoxedStrategy<ServiceContent> {
    (
        base(anyv.clone()),
        (moref(), moref(), about_info(anyv)),
        (
            option::of(moref()),
            option::of(moref()),
            option::of(moref()),
            option::of(moref()),
        ),
        (
            option::of(moref()),
            option::of(moref()),
            option::of(moref()),
            option::of(moref()),
        ),
    )
        .prop_map(
            |(
                base,
                (root_folder, property_collector, about),
                (view_manager, setting, session_manager, perf_manager),
                (event_manager, search_index, ovf_manager, guest_operations_manager),
            )| ServiceContent {
                base,
                root_folder,
                property_collector,
                about,
                view_manager,
                setting,
                session_manager,
                perf_manager,
                event_manager,
                search_index,
                ovf_manager,
                guest_operations_manager,
                ..Default::default()
            },
        )
        .boxed()
}

// ---------------------------------------------------------------------------------------
// Properties

fn same_offsets(a: &UserSession, b: &UserSession) -> bool {
    a.login_time.offset() == b.login_time.offset()
        && a.last_active_time.offset() == b.last_active_time.offset()
}

macro_rules! round_trips {
    ($($name:ident: $strategy:ident => $check:expr;)*) => {
        mod json {
            use super::*;
            proptest! {
                #![proptest_config(config())]
                $(
                    #[test]
                    fn $name(value in super::$strategy(json_any().boxed())) {
                        let back = via_json(&value).map_err(TestCaseError::fail)?;
                        prop_assert_eq!(&back, &value);
                        let check: fn(&_, &_) -> bool = $check;
                        prop_assert!(check(&back, &value), "{:?} != {:?}", back, value);
                    }
                )*
            }
        }
        mod soap {
            use super::*;
            proptest! {
                #![proptest_config(config())]
                $(
                    #[test]
                    fn $name(value in super::$strategy(xml_any().boxed())) {
                        let back = via_soap(&value).map_err(TestCaseError::fail)?;
                        prop_assert_eq!(&back, &value);
                        let check: fn(&_, &_) -> bool = $check;
                        prop_assert!(check(&back, &value), "{:?} != {:?}", back, value);
                    }
                )*
            }
        }
    };
}

round_trips! {
    user_session: user_session => same_offsets;
    local_ticket: local_ticket => |_, _| true;
    generic_service_ticket: generic_ticket => |_, _| true;
    any_service_request_spec: service_request_spec => |_, _| true;
    about_info: about_info => |_, _| true;
    localizable_message: localizable_message => |_, _| true;
    service_content: service_content => |_, _| true;
}

proptest! {
    #![proptest_config(config())]

    /// Dates alone, in both formats, offsets included.
    #[test]
    fn date_times_keep_instant_and_offset(t in date_time()) {
        for back in [via_json(&t), via_soap(&t)] {
            let back = back.map_err(TestCaseError::fail)?;
            prop_assert_eq!(back, t);
            prop_assert_eq!(back.offset(), t.offset());
        }
    }

    /// Strings and references alone, in both formats.
    #[test]
    fn strings_and_references(s in text(), r in moref()) {
        prop_assert_eq!(via_json(&s).map_err(TestCaseError::fail)?, s.clone());
        prop_assert_eq!(via_soap(&s).map_err(TestCaseError::fail)?, s);
        prop_assert_eq!(via_json(&r).map_err(TestCaseError::fail)?, r.clone());
        prop_assert_eq!(via_soap(&r).map_err(TestCaseError::fail)?, r);
    }

    /// The crossing: a VI/JSON boxed primitive (or array of strings) written over SOAP
    /// reads back as an XML value that decodes to the same primitive.
    #[test]
    fn json_any_values_written_as_soap_decode_to_the_same_primitive(
        s in text(), n in long(), i in any::<i32>(), b in any::<bool>(), items in vec(text(), 0..4),
    ) {
        fn check<T: Response + PartialEq + std::fmt::Debug>(json: serde_json::Value, expected: T) -> Result<(), TestCaseError> {
            let written = via_soap(&AnyValue::Json(json)).map_err(TestCaseError::fail)?;
            prop_assert!(matches!(written, AnyValue::Xml(_)));
            let decoded = written.decode::<T>().map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(decoded, expected);
            Ok(())
        }
        use serde_json::json;
        check(json!({"_typeName": "string", "_value": s}), One(s.clone()))?;
        check(json!({"_typeName": "long", "_value": n}), One(n))?;
        check(json!({"_typeName": "int", "_value": i}), One(i))?;
        check(json!({"_typeName": "boolean", "_value": b}), One(b))?;
        check(json!(s), One(s.clone()))?;
        check(
            json!({"_typeName": "ArrayOfString", "_value": items}),
            vsphere_runtime::Many(items.clone()),
        )?;
    }
}
