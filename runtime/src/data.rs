//! Table-driven encoding of the generated types, for both protocols.
//!
//! A generated data object type gives a static [`DataInfo`] (its wire name and fields) and
//! two accessors from a field's index to the field as a trait object. Everything else —
//! JSON and SOAP, writing and reading, `Debug` — is the non-generic code of this module,
//! compiled once for every type rather than expanded per type. The macros
//! [`data_object!`](crate::data_object), [`polymorphic!`](crate::polymorphic) and
//! [`string_enum!`](crate::string_enum) implement the wire traits for a generated type
//! in one line each.

use std::fmt;

use serde_json::Value;

use crate::json::{JsonError, JsonRead, JsonWrite, JsonWriter};
use crate::soap::{SoapError, SoapRead, SoapWrite, SoapWriter};
use crate::xml::XmlElement;
use crate::{AnyValue, ApiVersion, TooNew, VersionGate};

/// A data object type: its wire name, Rust name and fields.
#[derive(Debug)]
pub struct DataInfo {
    /// The wire name (`_typeName`, `xsi:type`), e.g. `VirtualDisk`.
    pub wire: &'static str,
    /// The Rust struct name.
    pub rust: &'static str,
    /// The type's own fields, in the order the schema writes them (after the inherited
    /// ones, which its base type's table lists).
    pub fields: &'static [FieldInfo],
    /// The version that introduced the type, when documented: a value of it is not sent
    /// to an older server.
    pub since: Option<ApiVersion>,
}

/// One field of a data object type.
#[derive(Debug)]
pub struct FieldInfo {
    /// The wire name, e.g. `hashAlgorithm`.
    pub wire: &'static str,
    /// The Rust field name as written in the struct, e.g. `hash_algorithm` (`r#type` for
    /// a raw identifier; `Debug` shows it without the `r#`).
    pub rust: &'static str,
    /// Whether a value must be present (neither optional nor an array).
    pub required: bool,
    /// The version that introduced the field, when newer than its type: a value in it
    /// is not sent to an older server.
    pub since: Option<ApiVersion>,
}

impl FieldInfo {
    /// A field that must be present.
    pub const fn required(wire: &'static str, rust: &'static str) -> Self {
        FieldInfo {
            wire,
            rust,
            required: true,
            since: None,
        }
    }

    /// An optional or array field.
    pub const fn optional(wire: &'static str, rust: &'static str) -> Self {
        FieldInfo {
            wire,
            rust,
            required: false,
            since: None,
        }
    }

    /// The field, introduced in API version `since`.
    pub const fn since(self, since: ApiVersion) -> Self {
        FieldInfo {
            since: Some(since),
            ..self
        }
    }
}

/// A generated data object: its type's table, its own fields by index (the index into
/// [`DataInfo::fields`]) and the base-type value that holds its inherited fields.
pub trait DataObject {
    /// The type's table.
    fn info(&self) -> &'static DataInfo;
    /// Field `index`, to write.
    fn field(&self, index: usize) -> &dyn FieldOut;
    /// Field `index`, to read into.
    fn field_mut(&mut self, index: usize) -> &mut dyn FieldIn;
    /// The value of the base type, holding the inherited fields (none for a root type).
    fn base(&self) -> Option<&dyn DataObject> {
        None
    }
    /// [`DataObject::base`], to read into.
    fn base_mut(&mut self) -> Option<&mut dyn DataObject> {
        None
    }
}

/// A generated `Any…` enum: a data object of a type or any of its subtypes.
pub trait Polymorphic: Default {
    /// The object held.
    fn object(&self) -> &dyn DataObject;
    /// The object held, to read into.
    fn object_mut(&mut self) -> &mut dyn DataObject;
    /// An empty object of the subtype with wire name `wire`, if the enum knows it.
    fn of_type(wire: &str) -> Option<Self>;
    /// A value of subtype `type_name`, which the enum does not know, kept whole as `raw`;
    /// its base type's fields are read into it next.
    fn unknown(type_name: &str, raw: AnyValue) -> Self;
    /// The wire name and value of a subtype the enum does not know.
    fn as_unknown(&self) -> Option<(&str, &AnyValue)>;
}

/// A value of a subtype this SDK does not know (a newer server's), in an `Any…` enum:
/// its wire name, the base type's fields as decoded, and the whole value as the server
/// sent it, which is what is written back.
#[derive(Clone, PartialEq)]
pub struct Unknown<B> {
    /// The subtype's wire name (`_typeName`, `xsi:type`).
    pub type_name: String,
    /// The fields the base type declares, decoded.
    pub known: B,
    /// The value as received (any secrets in it included: `Debug` leaves it out).
    pub raw: AnyValue,
}

impl<B: fmt::Debug> fmt::Debug for Unknown<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Unknown")
            .field("type_name", &self.type_name)
            .field("known", &self.known)
            .finish_non_exhaustive()
    }
}

/// A field or parameter value that can be written (and printed): a value, an
/// `Option` (nothing when unset), or an array.
pub trait FieldOut: fmt::Debug {
    /// Writes `,"key":value` in VI/JSON, or nothing when the value is absent.
    fn write_member(&self, key: &str, w: &mut JsonWriter);
    /// Writes the value as `<name>` elements (none when absent, one per item).
    fn write_elements(&self, name: &str, w: &mut SoapWriter);
    /// Whether the value is an array parameter with no items.
    fn is_empty_array(&self) -> bool {
        false
    }
}

/// A field that can be read into.
pub trait FieldIn {
    /// Reads the member's value (`null` only for a required field: an optional one
    /// that is `null` is absent).
    fn read_member(&mut self, v: &Value) -> Result<(), JsonError>;
    /// Reads one element of the field (an array field gets one more item).
    fn read_element(&mut self, e: XmlElement<'_>) -> Result<(), SoapError>;
}

impl<T: JsonWrite + SoapWrite + fmt::Debug + ?Sized> FieldOut for T {
    fn write_member(&self, key: &str, w: &mut JsonWriter) {
        w.key(key);
        self.write_json(w);
    }
    fn write_elements(&self, name: &str, w: &mut SoapWriter) {
        self.write(name, w);
    }
}

impl<T: JsonWrite + SoapWrite + fmt::Debug> FieldOut for Option<T> {
    fn write_member(&self, key: &str, w: &mut JsonWriter) {
        if let Some(v) = self {
            v.write_member(key, w);
        }
    }
    fn write_elements(&self, name: &str, w: &mut SoapWriter) {
        if let Some(v) = self {
            v.write(name, w);
        }
    }
}

/// A data object's array field: omitted from JSON when empty.
impl<T: JsonWrite + SoapWrite + fmt::Debug> FieldOut for Vec<T> {
    fn write_member(&self, key: &str, w: &mut JsonWriter) {
        if !self.is_empty() {
            w.key(key);
            w.array(self);
        }
    }
    fn write_elements(&self, name: &str, w: &mut SoapWriter) {
        for v in self {
            v.write(name, w);
        }
    }
}

/// An array parameter: written even when empty, unless the parameter is optional
/// ([`Param::optional`]).
impl<T: JsonWrite + SoapWrite + fmt::Debug> FieldOut for &[T] {
    fn write_member(&self, key: &str, w: &mut JsonWriter) {
        w.key(key);
        w.array(self);
    }
    fn write_elements(&self, name: &str, w: &mut SoapWriter) {
        for v in *self {
            v.write(name, w);
        }
    }
    fn is_empty_array(&self) -> bool {
        self.is_empty()
    }
}

impl<T: JsonRead + SoapRead> FieldIn for T {
    fn read_member(&mut self, v: &Value) -> Result<(), JsonError> {
        *self = T::read_json(v)?;
        Ok(())
    }
    fn read_element(&mut self, e: XmlElement<'_>) -> Result<(), SoapError> {
        *self = T::read(e)?;
        Ok(())
    }
}

impl<T: JsonRead + SoapRead> FieldIn for Option<T> {
    fn read_member(&mut self, v: &Value) -> Result<(), JsonError> {
        *self = Some(T::read_json(v)?);
        Ok(())
    }
    fn read_element(&mut self, e: XmlElement<'_>) -> Result<(), SoapError> {
        *self = Some(T::read(e)?);
        Ok(())
    }
}

impl<T: JsonRead + SoapRead> FieldIn for Vec<T> {
    fn read_member(&mut self, v: &Value) -> Result<(), JsonError> {
        let items = v
            .as_array()
            .ok_or_else(|| JsonError::invalid(v, "an array"))?;
        self.reserve(items.len());
        for (i, item) in items.iter().enumerate() {
            self.push(T::read_json(item).map_err(|e| e.within(&format!("[{i}]")))?);
        }
        Ok(())
    }
    fn read_element(&mut self, e: XmlElement<'_>) -> Result<(), SoapError> {
        self.push(T::read(e)?);
        Ok(())
    }
}

/// The field of a type without fields, which is never asked for: it writes and reads
/// nothing.
#[derive(Debug)]
pub struct NoField;

/// [`NoField`] for `DataObject::field` and `field_mut` of a type without fields.
pub fn no_field() -> &'static mut NoField {
    // A zero-sized value: leaking it allocates nothing.
    Box::leak(Box::new(NoField))
}

impl FieldOut for NoField {
    fn write_member(&self, _: &str, _: &mut JsonWriter) {}
    fn write_elements(&self, _: &str, _: &mut SoapWriter) {}
}

impl FieldIn for NoField {
    fn read_member(&mut self, _: &Value) -> Result<(), JsonError> {
        Ok(())
    }
    fn read_element(&mut self, _: XmlElement<'_>) -> Result<(), SoapError> {
        Ok(())
    }
}

/// One parameter of a method call: its wire name and value.
#[derive(Clone, Copy)]
pub struct Param<'a> {
    /// The wire name, e.g. `userName`.
    pub name: &'static str,
    /// The value (an `Option` is left out when unset).
    pub value: &'a (dyn FieldOut + Sync),
    /// The version that added the parameter, when newer than its method: a value for it
    /// is not sent to an older server.
    pub since: Option<ApiVersion>,
    /// Whether the parameter may be left out: an empty array is then not sent (a
    /// required array is sent as `[]` over VI/JSON).
    pub optional: bool,
}

impl<'a> Param<'a> {
    /// A parameter.
    pub fn new(name: &'static str, value: &'a (dyn FieldOut + Sync)) -> Self {
        Param {
            name,
            value,
            since: None,
            optional: false,
        }
    }

    /// The parameter, which may be left out.
    pub fn optional(self) -> Self {
        Param {
            optional: true,
            ..self
        }
    }

    /// The parameter, added in API version `since`.
    pub fn since(self, since: ApiVersion) -> Self {
        Param {
            since: Some(since),
            ..self
        }
    }
}

/// A method's parameters as the VI/JSON request body, an object without `_typeName`
/// (`None` when there is nothing to send), written through `gate`; or the first
/// parameter, type or field in them that `gate`'s server does not have.
pub fn json_params(params: &[Param<'_>], gate: VersionGate) -> Result<Option<Vec<u8>>, TooNew> {
    let mut w = JsonWriter::new();
    *w.gate_mut() = gate;
    write_json_params(params, &mut w);
    if let Some(too_new) = w.gate_mut().too_new() {
        return Err(too_new.clone());
    }
    let body = w.finish();
    Ok((body != b"{}").then_some(body))
}

/// [`json_params`] for a log: every secret written as `"[REDACTED]"`, nothing gated.
pub fn json_params_redacted(params: &[Param<'_>]) -> String {
    let mut w = JsonWriter::redacting();
    write_json_params(params, &mut w);
    String::from_utf8_lossy(&w.finish()).into_owned()
}

fn write_json_params(params: &[Param<'_>], w: &mut JsonWriter) {
    w.begin_object(None);
    for p in params.iter().filter(|p| !p.left_out()) {
        let before = w.written();
        p.value.write_member(p.name, w);
        note_param(p, before < w.written(), w.gate_mut());
    }
    w.end_object();
}

/// Writes a method's parameters as the SOAP request's elements, recording in `w`'s gate
/// the first parameter, type or field the server does not have.
pub fn soap_params(params: &[Param<'_>], w: &mut SoapWriter) {
    for p in params {
        let before = w.written();
        p.value.write_elements(p.name, w);
        note_param(p, before < w.written(), w.gate_mut());
    }
}

impl Param<'_> {
    /// Whether nothing is sent for the parameter: an optional one that is an empty array.
    fn left_out(&self) -> bool {
        self.optional && self.value.is_empty_array()
    }
}

/// Records parameter `p` in `gate` when it was `written` and is newer than the server.
fn note_param(p: &Param<'_>, written: bool, gate: &mut VersionGate) {
    if let Some(since) = p.since.filter(|_| written && gate.refuses(p.since)) {
        gate.record(|| format!("parameter `{}`", p.name), since);
    }
}

/// Records in `gate` the field `f` of `info` when it was `written` and is newer than the
/// server.
#[inline]
fn note_field(info: &DataInfo, f: &FieldInfo, written: bool, gate: &mut VersionGate) {
    if let Some(since) = f.since.filter(|_| written && gate.refuses(f.since)) {
        gate.record(|| format!("field `{}.{}`", info.wire, f.wire), since);
    }
}

/// Records in `gate` the type of `info` when it is newer than the server.
#[inline]
fn note_type(info: &DataInfo, gate: &mut VersionGate) {
    if let Some(since) = info.since.filter(|_| gate.refuses(info.since)) {
        gate.record(|| format!("type `{}`", info.wire), since);
    }
}

// ---------------------------------------------------------------------------------------
// Data objects

/// The tables of `object`'s own type and its base types, own type first.
fn chain(object: &dyn DataObject) -> Vec<&'static DataInfo> {
    let mut infos = vec![object.info()];
    let mut current = object.base();
    while let Some(b) = current {
        infos.push(b.info());
        current = b.base();
    }
    infos
}

/// The base value `depth` levels up from `object` (`object` itself at 0).
fn level_mut(object: &mut dyn DataObject, depth: usize) -> Option<&mut dyn DataObject> {
    if depth == 0 {
        return Some(object);
    }
    level_mut(object.base_mut()?, depth - 1)
}

/// Writes `object` as a JSON object, `_typeName` first, inherited fields before its own.
pub fn write_json(object: &dyn DataObject, w: &mut JsonWriter) {
    note_type(object.info(), w.gate_mut());
    w.begin_object(Some(object.info().wire));
    write_members(object, w);
    w.end_object();
}

fn write_members(object: &dyn DataObject, w: &mut JsonWriter) {
    if let Some(base) = object.base() {
        write_members(base, w);
    }
    let info = object.info();
    for (i, f) in info.fields.iter().enumerate() {
        let before = w.written();
        object.field(i).write_member(f.wire, w);
        note_field(info, f, before < w.written(), w.gate_mut());
    }
}

/// Reads the members of JSON object `v` into `object`'s fields and its base's; unknown
/// members are skipped, a missing required one is an error.
pub fn read_json(object: &mut dyn DataObject, v: &Value) -> Result<(), JsonError> {
    let wire = object.info().wire;
    let map = v
        .as_object()
        .ok_or_else(|| JsonError::invalid(v, &format!("a {wire} object")))?;
    read_members(object, map, wire)
}

/// Reads the members of `map` that belong to `object`'s type and its base types; `wire`
/// names the value's type in messages.
fn read_members(
    object: &mut dyn DataObject,
    map: &serde_json::Map<String, Value>,
    wire: &str,
) -> Result<(), JsonError> {
    if let Some(base) = object.base_mut() {
        read_members(base, map, wire)?;
    }
    for (i, f) in object.info().fields.iter().enumerate() {
        // A `null` optional member is absent; a `null` required one is the field's to
        // read (an `anyType` value may be `null`).
        match map.get(f.wire) {
            None if f.required && !absent_allowed(wire, f.wire) => {
                return Err(JsonError::missing(wire, f.wire))
            }
            None => {}
            Some(Value::Null) if !f.required => {}
            Some(member) => object
                .field_mut(i)
                .read_member(member)
                .map_err(|e| e.within(&format!("{wire}.{}", f.wire)))?,
        }
    }
    Ok(())
}

thread_local! {
    /// While [`leniently`] runs on this thread: the required fields found absent.
    static ABSENT: std::cell::RefCell<Option<Vec<String>>> = const { std::cell::RefCell::new(None) };
}

/// Runs `decode` with lenient decoding on this thread: a required field that is absent
/// keeps its empty value instead of failing, and is returned as `Type.field`.
pub fn leniently<T>(decode: impl FnOnce() -> T) -> (T, Vec<String>) {
    let outer = ABSENT.with(|a| a.borrow_mut().replace(Vec::new()));
    let value = decode();
    let absent = ABSENT.with(|a| std::mem::replace(&mut *a.borrow_mut(), outer));
    (value, absent.unwrap_or_default())
}

/// Whether required field `field` of `wire` may be absent (lenient decoding is on); if so
/// it is recorded.
fn absent_allowed(wire: &str, field: &str) -> bool {
    ABSENT.with(|a| match a.borrow_mut().as_mut() {
        Some(list) => {
            list.push(format!("{wire}.{field}"));
            true
        }
        None => false,
    })
}

/// Writes `object` as element `name` with its fields, inherited first, as children.
pub fn write_soap(object: &dyn DataObject, name: &str, w: &mut SoapWriter) {
    note_type(object.info(), w.gate_mut());
    w.open(name, None);
    write_elements(object, w);
    w.close(name);
}

fn write_elements(object: &dyn DataObject, w: &mut SoapWriter) {
    if let Some(base) = object.base() {
        write_elements(base, w);
    }
    let info = object.info();
    for (i, f) in info.fields.iter().enumerate() {
        let before = w.written();
        object.field(i).write_elements(f.wire, w);
        note_field(info, f, before < w.written(), w.gate_mut());
    }
}

/// Reads the child elements of `node` into `object`'s fields and its base's; unknown
/// children are skipped, a missing required one is an error.
pub fn read_soap(object: &mut dyn DataObject, node: XmlElement<'_>) -> Result<(), SoapError> {
    let infos = chain(object);
    let wire = infos[0].wire;
    // Every field in schema order (the root type's first) as (depth, index).
    let fields: Vec<(usize, usize, &'static FieldInfo)> = infos
        .iter()
        .enumerate()
        .rev()
        .flat_map(|(depth, info)| {
            info.fields
                .iter()
                .enumerate()
                .map(move |(i, f)| (depth, i, f))
        })
        .collect();
    let mut seen = vec![false; fields.len()];
    // Children come in schema order: look from the last match on, then wrap around.
    let mut next = 0;
    for child in node.children() {
        let name = child.name();
        let found = (next..fields.len())
            .chain(0..next)
            .find(|&k| fields[k].2.wire == name);
        if let Some(k) = found {
            let (depth, index, _) = fields[k];
            if let Some(level) = level_mut(object, depth) {
                level.field_mut(index).read_element(child)?;
            }
            seen[k] = true;
            next = k;
        }
    }
    match fields
        .iter()
        .zip(&seen)
        .find(|((_, _, f), seen)| f.required && !**seen && !absent_allowed(wire, f.wire))
    {
        Some(((_, _, f), _)) => Err(SoapError::missing(wire, f.wire)),
        None => Ok(()),
    }
}

/// `Debug` of a data object: its Rust name, its `base` and its fields, as
/// `#[derive(Debug)]` prints them.
pub fn debug(object: &dyn DataObject, f: &mut fmt::Formatter<'_>) -> fmt::Result {
    let info = object.info();
    let mut s = f.debug_struct(info.rust);
    if let Some(base) = object.base() {
        s.field("base", &DebugObject(base));
    }
    for (i, field) in info.fields.iter().enumerate() {
        let name = field.rust.strip_prefix("r#").unwrap_or(field.rust);
        s.field(name, object.field(i));
    }
    s.finish()
}

/// Prints a data object with [`debug`].
struct DebugObject<'a>(&'a dyn DataObject);

impl fmt::Debug for DebugObject<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug(self.0, f)
    }
}

// ---------------------------------------------------------------------------------------
// Polymorphic values

/// Reads a JSON object by its `_typeName`: the base type when absent, an unknown
/// subtype kept whole (with its base's fields read) when the enum does not know it.
pub fn read_json_polymorphic<P: Polymorphic>(v: &Value) -> Result<P, JsonError> {
    let mut value = match v.get("_typeName").and_then(Value::as_str) {
        None => P::default(),
        Some(t) => P::of_type(t).unwrap_or_else(|| P::unknown(t, AnyValue::Json(v.clone()))),
    };
    read_json(value.object_mut(), v)?;
    Ok(value)
}

/// Reads an element by its `xsi:type`, as [`read_json_polymorphic`] does.
pub fn read_soap_polymorphic<P: Polymorphic>(node: XmlElement<'_>) -> Result<P, SoapError> {
    let mut value = match node.xsi_type() {
        None => P::default(),
        Some(t) => P::of_type(t).unwrap_or_else(|| P::unknown(t, AnyValue::Xml(node.to_node()))),
    };
    read_soap(value.object_mut(), node)?;
    Ok(value)
}

/// Writes a polymorphic value in VI/JSON: an unknown subtype as received.
pub fn write_json_polymorphic(
    object: &dyn DataObject,
    unknown: Option<(&str, &AnyValue)>,
    w: &mut JsonWriter,
) {
    match unknown {
        Some((_, raw)) => raw.write_json(w),
        None => write_json(object, w),
    }
}

/// Writes a polymorphic value as element `name` with `xsi:type`: an unknown subtype as
/// received.
pub fn write_soap_polymorphic(
    object: &dyn DataObject,
    unknown: Option<(&str, &AnyValue)>,
    name: &str,
    w: &mut SoapWriter,
) {
    match unknown {
        // The raw value carries its type (`xsi:type`, `_typeName`).
        Some((_, raw)) => raw.write(name, w),
        None => {
            w.set_type(object.info().wire);
            write_soap(object, name, w);
        }
    }
}

/// `Debug` of a polymorphic value: the object's, or `Unknown { type_name, known }`.
pub fn debug_polymorphic(
    object: &dyn DataObject,
    unknown: Option<(&str, &AnyValue)>,
    f: &mut fmt::Formatter<'_>,
) -> fmt::Result {
    match unknown {
        Some((t, _)) => f
            .debug_struct("Unknown")
            .field("type_name", &t)
            .field("known", &DebugObject(object))
            .finish_non_exhaustive(),
        None => debug(object, f),
    }
}

// ---------------------------------------------------------------------------------------
// Macros the generated code implements the wire traits with

/// Implements a data object type: [`DataObject`] from its field table, `Deref`/`DerefMut`
/// to the base type that holds its inherited fields, and `JsonWrite`, `JsonRead`,
/// `SoapWrite`, `SoapRead` and `Debug`. Each field is listed with its index in the table,
/// its wire name and whether it is `required` or `optional` (arrays are optional); the
/// type implements `Default`. A type or field newer than the oldest servers names its
/// since-version, `since(major, minor, patch, build, update)`: a value of it is not sent
/// to an older server.
///
/// ```text
/// vsphere_runtime::data_object! {
///     InvalidPowerState = "InvalidPowerState", base: InvalidState {
///         0 requested_state = "requestedState" optional,
///         1 existing_state = "existingState" required since(7, 0, 0, 0, 0),
///     }
/// }
/// ```
///
/// `data_object!(T)` implements only the wire traits and `Debug`, for a type that
/// implements [`DataObject`] by hand.
#[macro_export]
macro_rules! data_object {
    (@since) => { None };
    (@since $a:literal, $b:literal, $c:literal, $d:literal, $u:literal) => {
        Some($crate::ApiVersion::new([$a, $b, $c, $d], $u))
    };
    (
        $t:ident = $wire:literal
        $( since($ta:literal, $tb:literal, $tc:literal, $td:literal, $tu:literal) )?
        $(, $base_field:ident : $base:ident)? {
            $(
                $i:literal $f:ident = $fw:literal $kind:ident
                $( since($a:literal, $b:literal, $c:literal, $d:literal, $u:literal) )?,
            )*
        }
    ) => {
        impl $crate::DataObject for $t {
            #[inline]
            fn info(&self) -> &'static $crate::DataInfo {
                static INFO: $crate::DataInfo = $crate::DataInfo {
                    wire: $wire,
                    rust: stringify!($t),
                    fields: &[
                        $(
                            $crate::FieldInfo::$kind($fw, stringify!($f))
                            $( .since($crate::ApiVersion::new([$a, $b, $c, $d], $u)) )?,
                        )*
                    ],
                    since: $crate::data_object!(@since $( $ta, $tb, $tc, $td, $tu )?),
                };
                &INFO
            }
            #[inline]
            fn field(&self, index: usize) -> &dyn $crate::FieldOut {
                match index {
                    $( $i => &self.$f, )*
                    _ => $crate::data::no_field(),
                }
            }
            #[inline]
            fn field_mut(&mut self, index: usize) -> &mut dyn $crate::FieldIn {
                match index {
                    $( $i => &mut self.$f, )*
                    _ => $crate::data::no_field(),
                }
            }
            $(
                #[inline]
                fn base(&self) -> Option<&dyn $crate::DataObject> {
                    Some(&self.$base_field)
                }
                #[inline]
                fn base_mut(&mut self) -> Option<&mut dyn $crate::DataObject> {
                    Some(&mut self.$base_field)
                }
            )?
        }
        $(
            impl ::std::ops::Deref for $t {
                type Target = $base;
                #[inline]
                fn deref(&self) -> &$base {
                    &self.$base_field
                }
            }
            impl ::std::ops::DerefMut for $t {
                #[inline]
                fn deref_mut(&mut self) -> &mut $base {
                    &mut self.$base_field
                }
            }
        )?
        $crate::data_object!($t);
    };
    ($t:ty) => {
        impl $crate::JsonWrite for $t {
            #[inline]
            fn write_json(&self, w: &mut $crate::JsonWriter) {
                $crate::data::write_json(self, w)
            }
        }
        impl $crate::JsonRead for $t {
            #[inline]
            fn read_json(
                v: &$crate::reexport::serde_json::Value,
            ) -> Result<Self, $crate::JsonError> {
                let mut value = <$t>::default();
                $crate::data::read_json(&mut value, v)?;
                Ok(value)
            }
        }
        impl $crate::SoapWrite for $t {
            #[inline]
            fn write(&self, name: &str, w: &mut $crate::SoapWriter) {
                $crate::data::write_soap(self, name, w)
            }
        }
        impl $crate::SoapRead for $t {
            #[inline]
            fn read(node: $crate::XmlElement<'_>) -> Result<Self, $crate::SoapError> {
                let mut value = <$t>::default();
                $crate::data::read_soap(&mut value, node)?;
                Ok(value)
            }
        }
        impl ::std::fmt::Debug for $t {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::data::debug(self, f)
            }
        }
    };
}

/// Declares an `Any…` enum — a value of a base data type or any of its subtypes, a
/// variant per type, each holding that type's struct — with [`Polymorphic`] (`of_type`
/// by wire name), the wire traits, `Debug`, `Default` (an empty base value), `Deref` and
/// `DerefMut` to the base type and `From` each member. A variant may carry one `cfg`,
/// applied to everything that names it.
///
/// ```text
/// vsphere_runtime::any_enum! {
///     /// A `VirtualDevice` or any of its subtypes.
///     pub enum AnyVirtualDevice: VirtualDevice {
///         VirtualDevice = "VirtualDevice",
///         #[cfg(feature = "VirtualMachine")]
///         VirtualDisk = "VirtualDisk",
///     }
/// }
/// ```
#[macro_export]
macro_rules! any_enum {
    (
        $(#[doc = $doc:expr])*
        pub enum $any:ident : $base:ident {
            $( $(#[cfg($gate:meta)])? $variant:ident = $wire:literal, )*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Clone, PartialEq)]
        #[non_exhaustive]
        pub enum $any {
            $(
                #[doc = concat!(" A `", $wire, "`.")]
                $(#[cfg($gate)])?
                $variant($variant),
            )*
            /// A subtype this SDK does not know (a newer server's): the base type's
            /// fields and the value as received.
            Unknown($crate::data::Unknown<$base>),
        }
        impl Default for $any {
            #[inline]
            fn default() -> Self {
                Self::$base(Default::default())
            }
        }
        impl $crate::data::Polymorphic for $any {
            #[inline]
            fn object(&self) -> &dyn $crate::data::DataObject {
                match self {
                    $( $(#[cfg($gate)])? Self::$variant(v) => v, )*
                    Self::Unknown(u) => &u.known,
                }
            }
            #[inline]
            fn object_mut(&mut self) -> &mut dyn $crate::data::DataObject {
                match self {
                    $( $(#[cfg($gate)])? Self::$variant(v) => v, )*
                    Self::Unknown(u) => &mut u.known,
                }
            }
            #[inline]
            fn of_type(wire: &str) -> Option<Self> {
                Some(match wire {
                    $( $(#[cfg($gate)])? $wire => Self::$variant(Default::default()), )*
                    _ => return None,
                })
            }
            #[inline]
            fn unknown(type_name: &str, raw: $crate::AnyValue) -> Self {
                Self::Unknown($crate::data::Unknown {
                    type_name: type_name.to_string(),
                    known: Default::default(),
                    raw,
                })
            }
            #[inline]
            fn as_unknown(&self) -> Option<(&str, &$crate::AnyValue)> {
                match self {
                    Self::Unknown(u) => Some((&u.type_name, &u.raw)),
                    _ => None,
                }
            }
        }
        $crate::polymorphic!($any);
        impl ::std::ops::Deref for $any {
            type Target = $base;
            #[inline]
            fn deref(&self) -> &$base {
                match self {
                    $( $(#[cfg($gate)])? Self::$variant(v) => v, )*
                    Self::Unknown(u) => &u.known,
                }
            }
        }
        impl ::std::ops::DerefMut for $any {
            #[inline]
            fn deref_mut(&mut self) -> &mut $base {
                match self {
                    $( $(#[cfg($gate)])? Self::$variant(v) => v, )*
                    Self::Unknown(u) => &mut u.known,
                }
            }
        }
        $(
            $(#[cfg($gate)])?
            impl From<$variant> for $any {
                #[inline]
                fn from(v: $variant) -> Self {
                    Self::$variant(v)
                }
            }
        )*
    };
}

/// Declares a method's error enum: a variant per declared fault, holding the decoded
/// [`Fault`](crate::Fault), with the wire names that land in it (its own and those of
/// subtypes whose nearest declared ancestor it is); `OtherFault` for any other fault and
/// `Transport` for everything that is not a fault. A declared fault whose body does not
/// decode becomes `Transport` with [`Error::UndecodableFault`](crate::Error), keeping it.
/// Implements `Display`, `Error` and `From<CallError>`.
///
/// ```text
/// vsphere_runtime::error_enum! {
///     /// Errors of `SessionManager::login`.
///     pub enum LoginError {
///         /// The user name or password is wrong.
///         InvalidLogin(InvalidLogin) = "InvalidLogin" | "InvalidClientCertificate",
///     }
/// }
/// ```
#[macro_export]
macro_rules! error_enum {
    (
        $(#[doc = $doc:expr])*
        pub enum $error:ident {
            $( $(#[doc = $vdoc:expr])* $variant:ident($detail:ty) = $($wire:literal)|+, )*
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug)]
        #[non_exhaustive]
        pub enum $error {
            $( $(#[doc = $vdoc])* $variant($crate::Fault<$detail>), )*
            /// A fault the documentation does not list for this method.
            OtherFault($crate::RawFault),
            /// The call did not reach the server, or its answer could not be understood,
            /// or the server's API version is too old for the method.
            Transport($crate::Error),
        }
        impl ::std::fmt::Display for $error {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                match self {
                    $( Self::$variant(fault) => ::std::fmt::Display::fmt(fault, f), )*
                    Self::OtherFault(fault) => ::std::fmt::Display::fmt(fault, f),
                    Self::Transport(e) => ::std::fmt::Display::fmt(e, f),
                }
            }
        }
        impl ::std::error::Error for $error {
            #[inline]
            fn source(&self) -> Option<&(dyn ::std::error::Error + 'static)> {
                match self {
                    Self::Transport(e) => Some(e),
                    _ => None,
                }
            }
        }
        impl From<$crate::CallError> for $error {
            #[inline]
            fn from(e: $crate::CallError) -> Self {
                match e {
                    $crate::CallError::Fault(raw) => match raw.type_name.as_str() {
                        $( $($wire)|+ => match raw.decode() {
                            Ok(fault) => Self::$variant(fault),
                            Err(e) => Self::Transport(e),
                        }, )*
                        _ => Self::OtherFault(raw),
                    },
                    $crate::CallError::Other(e) => Self::Transport(e),
                }
            }
        }
    };
}

/// Implements the wire traits and `Debug` for an `Any…` enum (which implements
/// [`Polymorphic`]).
#[macro_export]
macro_rules! polymorphic {
    ($t:ty) => {
        impl $crate::JsonWrite for $t {
            #[inline]
            fn write_json(&self, w: &mut $crate::JsonWriter) {
                $crate::data::write_json_polymorphic(
                    $crate::data::Polymorphic::object(self),
                    $crate::data::Polymorphic::as_unknown(self),
                    w,
                )
            }
        }
        impl $crate::JsonRead for $t {
            #[inline]
            fn read_json(
                v: &$crate::reexport::serde_json::Value,
            ) -> Result<Self, $crate::JsonError> {
                $crate::data::read_json_polymorphic(v)
            }
        }
        impl $crate::SoapWrite for $t {
            #[inline]
            fn write(&self, name: &str, w: &mut $crate::SoapWriter) {
                $crate::data::write_soap_polymorphic(
                    $crate::data::Polymorphic::object(self),
                    $crate::data::Polymorphic::as_unknown(self),
                    name,
                    w,
                )
            }
        }
        impl $crate::SoapRead for $t {
            #[inline]
            fn read(node: $crate::XmlElement<'_>) -> Result<Self, $crate::SoapError> {
                $crate::data::read_soap_polymorphic(node)
            }
        }
        impl ::std::fmt::Debug for $t {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                $crate::data::debug_polymorphic(
                    $crate::data::Polymorphic::object(self),
                    $crate::data::Polymorphic::as_unknown(self),
                    f,
                )
            }
        }
    };
}

/// Implements the wire traits, `Display`, `From<&str>` and `Default` (the empty
/// `Other`) for a string enum, from its inherent `as_str` and `from_wire`.
#[macro_export]
macro_rules! string_enum {
    ($t:ident) => {
        impl $crate::JsonWrite for $t {
            #[inline]
            fn write_json(&self, w: &mut $crate::JsonWriter) {
                w.string(self.as_str())
            }
        }
        impl $crate::JsonRead for $t {
            #[inline]
            fn read_json(
                v: &$crate::reexport::serde_json::Value,
            ) -> Result<Self, $crate::JsonError> {
                v.as_str()
                    .map($t::from_wire)
                    .ok_or_else(|| $crate::JsonError::invalid(v, "a string"))
            }
        }
        impl $crate::SoapWrite for $t {
            #[inline]
            fn write(&self, name: &str, w: &mut $crate::SoapWriter) {
                w.simple(name, self.as_str())
            }
        }
        impl $crate::SoapRead for $t {
            #[inline]
            fn read(node: $crate::XmlElement<'_>) -> Result<Self, $crate::SoapError> {
                Ok($t::from_wire(node.text()))
            }
        }
        impl ::std::fmt::Display for $t {
            #[inline]
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        impl From<&str> for $t {
            #[inline]
            fn from(s: &str) -> Self {
                $t::from_wire(s)
            }
        }
        /// The empty [`Other`](Self::Other) value: a placeholder for a required field
        /// not yet set.
        impl Default for $t {
            #[inline]
            fn default() -> Self {
                $t::Other(String::new())
            }
        }
    };
}

#[cfg(test)]
mod tests {
    /// A base type and a subtype declared with `data_object!`, one field a raw identifier.
    #[derive(Clone, Default, PartialEq)]
    struct Base {
        key: String,
    }
    crate::data_object! {
        Base = "Base" {
            0 key = "key" required,
        }
    }
    #[derive(Clone, Default, PartialEq)]
    struct Sub {
        base: Base,
        r#type: Option<String>,
        count: i32,
    }
    crate::data_object! {
        Sub = "Sub", base: Base {
            0 r#type = "type" optional,
            1 count = "count" required,
        }
    }

    #[test]
    fn declared_table_accessors_deref_and_debug() {
        use super::DataObject;
        let mut sub = Sub {
            r#type: Some("t".into()),
            count: 3,
            ..Default::default()
        };
        sub.key = "k".into();
        let info = sub.info();
        assert_eq!((info.wire, info.rust), ("Sub", "Sub"));
        let fields: Vec<_> = info
            .fields
            .iter()
            .map(|f| (f.wire, f.rust, f.required))
            .collect();
        assert_eq!(
            fields,
            [("type", "r#type", false), ("count", "count", true)]
        );
        assert_eq!(sub.base().map(|b| b.info().wire), Some("Base"));
        assert_eq!(
            format!("{sub:?}"),
            r#"Sub { base: Base { key: "k" }, type: Some("t"), count: 3 }"#
        );
        let mut w = crate::JsonWriter::new();
        crate::JsonWrite::write_json(&sub, &mut w);
        let json = String::from_utf8(w.finish()).unwrap();
        assert_eq!(
            json,
            r#"{"_typeName":"Sub","key":"k","type":"t","count":3}"#
        );
        let value = crate::reexport::serde_json::from_str(&json).unwrap();
        let back: Sub = crate::JsonRead::read_json(&value).unwrap();
        assert!(back == sub);
    }
}
