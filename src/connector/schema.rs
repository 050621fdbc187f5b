//! The vendor's request schema: what the vendor itself accepts and refuses, field by field,
//! in its framework's terms. Databar and Agent Stack are `FastAPI` services with pydantic v2
//! models, so for them this is pydantic's lax mode (`"5"` is an int, `"yes"` a bool, `AnyUrl`
//! parses any scheme) with pydantic's error vocabulary (`missing`, `string_type`, `int_parsing`,
//! ...); Cargo's JSON types are taken as they are.
//!
//! Pure: the sandbox answers these errors as the vendor would, and `validate` turns them into
//! findings for the editor and the CLI, so each vendor rule lives here once. Advice beyond the
//! schema (blank names, http(s) URLs, header tokens) is `validate.rs`'s.

use super::{Coercion, FieldKind, FieldPath, FieldSpec, PathSeg};
use serde_json::{Map, Value};

/// What a vendor's schema refused, named as pydantic names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    Missing,
    /// A model (the body, a `{name, value}` item) is not an object.
    ModelAttributesType,
    StringType,
    StringTooLong(usize),
    IntType,
    IntParsing,
    IntFromFloat,
    /// A number too large for an integer.
    IntParsingSize,
    GreaterThanEqual(i64),
    LessThanEqual(i64),
    BoolType,
    BoolParsing,
    ListType,
    DictType,
    UrlType,
    /// The URL parser's reason (`relative URL without a base`).
    UrlParsing(String),
    UuidType,
    UuidParsing(String),
    /// Not one of a fixed set of strings.
    Enum(&'static [&'static str]),
    /// The vendor's own check on a string map (Agent Stack's metadata validator), which
    /// pydantic reports as one `value_error` on the whole map. `key` is the first offender.
    MapLimit {
        limit: MapLimit,
        label: &'static str,
        key: Option<String>,
    },
}

/// Which limit of a string map was passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapLimit {
    Pairs(usize),
    KeyLength(usize),
    ValueLength(usize),
}

impl ErrorKind {
    /// Pydantic's error `type`.
    pub fn code(&self) -> &'static str {
        match self {
            ErrorKind::Missing => "missing",
            ErrorKind::ModelAttributesType => "model_attributes_type",
            ErrorKind::StringType => "string_type",
            ErrorKind::StringTooLong(_) => "string_too_long",
            ErrorKind::IntType => "int_type",
            ErrorKind::IntParsing => "int_parsing",
            ErrorKind::IntFromFloat => "int_from_float",
            ErrorKind::IntParsingSize => "int_parsing_size",
            ErrorKind::GreaterThanEqual(_) => "greater_than_equal",
            ErrorKind::LessThanEqual(_) => "less_than_equal",
            ErrorKind::BoolType => "bool_type",
            ErrorKind::BoolParsing => "bool_parsing",
            ErrorKind::ListType => "list_type",
            ErrorKind::DictType => "dict_type",
            ErrorKind::UrlType => "url_type",
            ErrorKind::UrlParsing(_) => "url_parsing",
            ErrorKind::UuidType => "uuid_type",
            ErrorKind::UuidParsing(_) => "uuid_parsing",
            ErrorKind::Enum(_) => "enum",
            ErrorKind::MapLimit { .. } => "value_error",
        }
    }

    /// Pydantic's `msg`.
    pub fn message(&self) -> String {
        match self {
            ErrorKind::Missing => "Field required".into(),
            ErrorKind::ModelAttributesType => {
                "Input should be a valid dictionary or object to extract fields from".into()
            }
            ErrorKind::StringType => "Input should be a valid string".into(),
            ErrorKind::StringTooLong(n) => format!("String should have at most {n} characters"),
            ErrorKind::IntType => "Input should be a valid integer".into(),
            ErrorKind::IntParsing => {
                "Input should be a valid integer, unable to parse string as an integer".into()
            }
            ErrorKind::IntFromFloat => {
                "Input should be a valid integer, got a number with a fractional part".into()
            }
            ErrorKind::IntParsingSize => {
                "Unable to parse input string as an integer, exceeded maximum size".into()
            }
            ErrorKind::GreaterThanEqual(n) => {
                format!("Input should be greater than or equal to {n}")
            }
            ErrorKind::LessThanEqual(n) => format!("Input should be less than or equal to {n}"),
            ErrorKind::BoolType => "Input should be a valid boolean".into(),
            ErrorKind::BoolParsing => {
                "Input should be a valid boolean, unable to interpret input".into()
            }
            ErrorKind::ListType => "Input should be a valid list".into(),
            ErrorKind::DictType => "Input should be a valid dictionary".into(),
            ErrorKind::UrlType => "URL input should be a string or URL".into(),
            ErrorKind::UrlParsing(reason) => format!("Input should be a valid URL, {reason}"),
            ErrorKind::UuidType => "UUID input should be a string, bytes or UUID object".into(),
            ErrorKind::UuidParsing(reason) => format!("Input should be a valid UUID, {reason}"),
            ErrorKind::Enum(options) => format!("Input should be {}", quoted_choice(options)),
            ErrorKind::MapLimit { limit, label, .. } => {
                let rule = match limit {
                    MapLimit::Pairs(n) => format!("{label} must be less than {n} keys."),
                    MapLimit::KeyLength(n) => {
                        format!("{label} keys must be less than {n} characters.")
                    }
                    MapLimit::ValueLength(n) => {
                        format!("{label} values must be less than {n} characters.")
                    }
                };
                format!("Value error, {rule}")
            }
        }
    }
}

/// `'day', 'hour' or 'minute'`, as pydantic lists the choices.
pub fn quoted_choice(options: &[&str]) -> String {
    let quoted: Vec<String> = options.iter().map(|o| format!("'{o}'")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// One error of the vendor's schema: where (pydantic's `loc` under `body`), what, and the
/// value that was judged (the enclosing object for a missing field).
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaError {
    pub path: FieldPath,
    pub kind: ErrorKind,
    pub input: Value,
}

/// Validates a request body as the vendor's model (`fields_of`) does and returns the model: every field of
/// the schema in the schema's order, coerced (`"5"` → 5), defaults filled in, unknown fields
/// dropped. Otherwise every error, in pydantic's order (fields in schema order, list items in
/// order).
pub fn model(
    fields_of: &[FieldSpec],
    coercion: Coercion,
    body: &Value,
) -> Result<Map<String, Value>, Vec<SchemaError>> {
    let mut errors = Vec::new();
    let Some(fields) = body.as_object() else {
        return Err(vec![SchemaError {
            path: FieldPath::default(),
            kind: ErrorKind::ModelAttributesType,
            input: body.clone(),
        }]);
    };
    let mut out = Map::new();
    for field in fields_of {
        let path = FieldPath::key(field.key);
        let value = match fields.get(field.key) {
            None if field.required => {
                errors.push(SchemaError {
                    path,
                    kind: ErrorKind::Missing,
                    input: body.clone(),
                });
                continue;
            }
            None => default_of(field),
            Some(Value::Null) if field.nullable => Value::Null,
            Some(given) => match check_field(coercion, field, &path, given, &mut errors) {
                Some(value) => value,
                None => continue,
            },
        };
        out.insert(field.key.to_owned(), value);
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The value of an absent optional field: its documented default, an empty list, or null.
fn default_of(field: &FieldSpec) -> Value {
    match (field.kind, field.default) {
        (FieldKind::Bool, Some(text)) => Value::Bool(text == "true"),
        (_, Some(text)) => Value::from(text),
        (FieldKind::NameValues { .. }, None) => Value::Array(Vec::new()),
        _ => Value::Null,
    }
}

/// One present field: its coerced value, or `None` after pushing its errors.
fn check_field(
    coercion: Coercion,
    field: &FieldSpec,
    path: &FieldPath,
    given: &Value,
    errors: &mut Vec<SchemaError>,
) -> Option<Value> {
    let result = match field.kind {
        FieldKind::NameValues { .. } => return name_values(path, given, errors),
        FieldKind::StringMap {
            max_pairs,
            key_max,
            value_max,
        } => {
            let limits = (max_pairs, key_max, value_max);
            return string_map(path, given, limits, field.label, errors);
        }
        FieldKind::UnitRate { units } => return unit_rate(coercion, path, given, units, errors),
        FieldKind::Text { .. } | FieldKind::Url { .. } if field.any_url => {
            any_url(given).map(Value::String)
        }
        FieldKind::Text { max } | FieldKind::Url { max } => string(given, max),
        FieldKind::Template { max } => string(given, Some(max)),
        FieldKind::Choice { .. } | FieldKind::SecretText | FieldKind::Slug => string(given, None),
        FieldKind::Integer { min } => integer(coercion, given, min).map(Value::from),
        FieldKind::Bool => boolean(coercion, given).map(Value::Bool),
        FieldKind::JsonObject => match given {
            Value::Object(_) => Ok(given.clone()),
            _ => Err(ErrorKind::DictType),
        },
    };
    match result {
        Ok(value) => Some(value),
        Err(kind) => {
            errors.push(SchemaError {
                path: path.clone(),
                kind,
                input: given.clone(),
            });
            None
        }
    }
}

/// A string of at most `max` characters (code points, as Python's `len` counts).
fn string(given: &Value, max: Option<usize>) -> Result<Value, ErrorKind> {
    let Value::String(text) = given else {
        return Err(ErrorKind::StringType);
    };
    match max {
        Some(max) if text.chars().count() > max => Err(ErrorKind::StringTooLong(max)),
        _ => Ok(given.clone()),
    }
}

/// Pydantic's `AnyUrl`: any scheme, parsed (and normalised) by the `url` crate, as
/// pydantic-core does; the normalised text is what the vendor stores.
pub fn any_url(given: &Value) -> Result<String, ErrorKind> {
    let Value::String(text) = given else {
        return Err(ErrorKind::UrlType);
    };
    if text.is_empty() {
        return Err(ErrorKind::UrlParsing("input is empty".into()));
    }
    url::Url::parse(text)
        .map(String::from)
        .map_err(|error| ErrorKind::UrlParsing(error.to_string()))
}

/// An integer at least `min`: pydantic's lax int for `FastAPI` vendors, a JSON integer otherwise.
fn integer(coercion: Coercion, given: &Value, min: i64) -> Result<i64, ErrorKind> {
    let n = match coercion {
        Coercion::Lax => lax_int(given)?,
        Coercion::Strict => given.as_i64().ok_or(ErrorKind::IntType)?,
    };
    if n < min {
        Err(ErrorKind::GreaterThanEqual(min))
    } else {
        Ok(n)
    }
}

/// Pydantic v2's lax int: a JSON integer (any size; beyond `i64` saturated, as only comparisons
/// and the plan's clamp read it), `true`/`false`, a float without a fraction, or a string of
/// digits (surrounding whitespace, a sign, single `_` between digits and a `.0…` tail allowed).
pub fn lax_int(given: &Value) -> Result<i64, ErrorKind> {
    match given {
        Value::Bool(b) => Ok(i64::from(*b)),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                return Ok(i);
            }
            if n.as_u64().is_some() {
                return Ok(i64::MAX);
            }
            let f = n.as_f64().unwrap_or(f64::NAN);
            if f.fract() != 0.0 {
                Err(ErrorKind::IntFromFloat)
            } else if f.abs() >= 9_223_372_036_854_775_808.0 {
                Err(ErrorKind::IntParsingSize)
            } else {
                #[expect(
                    clippy::cast_possible_truncation,
                    reason = "integral and within i64's range, checked above"
                )]
                Ok(f as i64)
            }
        }
        Value::String(text) => int_from_str(text).ok_or(ErrorKind::IntParsing),
        _ => Err(ErrorKind::IntType),
    }
}

fn int_from_str(text: &str) -> Option<i64> {
    let text = text.trim();
    let (negative, rest) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..)?),
        Some(b'+') => (false, text.get(1..)?),
        _ => (false, text),
    };
    let whole = match rest.split_once('.') {
        Some((whole, zeros)) if !zeros.is_empty() && zeros.bytes().all(|b| b == b'0') => whole,
        Some(_) => return None,
        None => rest,
    };
    // Python's int(): ASCII digits, single underscores between them.
    let bytes = whole.as_bytes();
    let well_formed = !bytes.is_empty()
        && bytes.first().is_some_and(u8::is_ascii_digit)
        && bytes.last().is_some_and(u8::is_ascii_digit)
        && bytes.iter().all(|b| b.is_ascii_digit() || *b == b'_')
        && !whole.contains("__");
    if !well_formed {
        return None;
    }
    let magnitude = bytes
        .iter()
        .filter(|b| b.is_ascii_digit())
        .fold(0i64, |acc, b| {
            acc.saturating_mul(10).saturating_add(i64::from(b - b'0'))
        });
    Some(if negative { -magnitude } else { magnitude })
}

fn boolean(coercion: Coercion, given: &Value) -> Result<bool, ErrorKind> {
    match coercion {
        Coercion::Lax => lax_bool(given),
        Coercion::Strict => given.as_bool().ok_or(ErrorKind::BoolType),
    }
}

/// Pydantic v2's lax bool: `true`/`false`, 0 and 1, and (any case) the strings true, false,
/// yes, no, on, off, t, f, y, n, 1, 0.
pub fn lax_bool(given: &Value) -> Result<bool, ErrorKind> {
    match given {
        Value::Bool(b) => Ok(*b),
        Value::Number(n) => {
            let f = n.as_f64().unwrap_or(f64::NAN);
            if !f.is_finite() || f.fract() != 0.0 {
                Err(ErrorKind::BoolType)
            } else if f.abs() < 0.5 {
                Ok(false)
            } else if (f - 1.0).abs() < 0.5 {
                Ok(true)
            } else {
                // Whole numbers other than 0 and 1 cannot be interpreted.
                Err(ErrorKind::BoolParsing)
            }
        }
        Value::String(text) => match text.to_ascii_lowercase().as_str() {
            "true" | "yes" | "on" | "t" | "y" | "1" => Ok(true),
            "false" | "no" | "off" | "f" | "n" | "0" => Ok(false),
            _ => Err(ErrorKind::BoolParsing),
        },
        _ => Err(ErrorKind::BoolType),
    }
}

/// A list of `NameValue` models: `{name: str, value: str = ""}`, unknown keys dropped.
fn name_values(path: &FieldPath, given: &Value, errors: &mut Vec<SchemaError>) -> Option<Value> {
    let Value::Array(items) = given else {
        errors.push(SchemaError {
            path: path.clone(),
            kind: ErrorKind::ListType,
            input: given.clone(),
        });
        return None;
    };
    let before = errors.len();
    let mut out = Vec::with_capacity(items.len());
    for (index, item) in items.iter().enumerate() {
        let at = path.child(PathSeg::Index(index));
        let Value::Object(object) = item else {
            errors.push(SchemaError {
                path: at,
                kind: ErrorKind::ModelAttributesType,
                input: item.clone(),
            });
            continue;
        };
        let name = match object.get("name") {
            None => Err((ErrorKind::Missing, item)),
            Some(Value::String(name)) => Ok(name.clone()),
            Some(other) => Err((ErrorKind::StringType, other)),
        };
        let value = match object.get("value") {
            None => Ok(String::new()),
            Some(Value::String(value)) => Ok(value.clone()),
            Some(other) => Err((ErrorKind::StringType, other)),
        };
        for (key, result) in [("name", &name), ("value", &value)] {
            if let Err((kind, input)) = result {
                errors.push(SchemaError {
                    path: at.child(PathSeg::Key(key.into())),
                    kind: kind.clone(),
                    input: (*input).clone(),
                });
            }
        }
        if let (Ok(name), Ok(value)) = (name, value) {
            out.push(super::NameValue::new(name, value).to_json());
        }
    }
    (errors.len() == before).then_some(Value::Array(out))
}

/// `dict[str, str]` with the vendor's limits checked after the types, as one error.
fn string_map(
    path: &FieldPath,
    given: &Value,
    (max_pairs, key_max, value_max): (usize, usize, usize),
    label: &'static str,
    errors: &mut Vec<SchemaError>,
) -> Option<Value> {
    let map = object(path, given, errors)?;
    let before = errors.len();
    for (key, value) in map {
        if !value.is_string() {
            errors.push(SchemaError {
                path: path.child(PathSeg::Key(key.clone())),
                kind: ErrorKind::StringType,
                input: value.clone(),
            });
        }
    }
    if errors.len() > before {
        return None;
    }
    let long = |max: usize, text: &str| text.chars().count() > max;
    let limit = if map.len() > max_pairs {
        Some((MapLimit::Pairs(max_pairs), None))
    } else if let Some(key) = map.keys().find(|k| long(key_max, k)) {
        Some((MapLimit::KeyLength(key_max), Some(key.clone())))
    } else {
        map.iter()
            .find(|(_, v)| v.as_str().is_some_and(|v| long(value_max, v)))
            .map(|(key, _)| (MapLimit::ValueLength(value_max), Some(key.clone())))
    };
    match limit {
        Some((limit, key)) => {
            errors.push(SchemaError {
                path: path.clone(),
                kind: ErrorKind::MapLimit { limit, label, key },
                input: given.clone(),
            });
            None
        }
        None => Some(given.clone()),
    }
}

/// The value as a JSON object, or a `dict_type` error.
fn object<'a>(
    path: &FieldPath,
    given: &'a Value,
    errors: &mut Vec<SchemaError>,
) -> Option<&'a Map<String, Value>> {
    if let Value::Object(map) = given {
        return Some(map);
    }
    errors.push(SchemaError {
        path: path.clone(),
        kind: ErrorKind::DictType,
        input: given.clone(),
    });
    None
}

/// Cargo's `rateLimit`: `{unit: one of units, max: integer ≥ 1}`.
fn unit_rate(
    coercion: Coercion,
    path: &FieldPath,
    given: &Value,
    units: &'static [&'static str],
    errors: &mut Vec<SchemaError>,
) -> Option<Value> {
    let rate = object(path, given, errors)?;
    let before = errors.len();
    let mut push = |key: &str, kind: ErrorKind, input: &Value| {
        errors.push(SchemaError {
            path: path.child(PathSeg::Key(key.into())),
            kind,
            input: input.clone(),
        });
    };
    let unit = match rate.get("unit") {
        None => Err((ErrorKind::Missing, given)),
        Some(value @ Value::String(unit)) if units.contains(&unit.as_str()) => Ok(value.clone()),
        Some(value @ Value::String(_)) => Err((ErrorKind::Enum(units), value)),
        Some(value) => Err((ErrorKind::StringType, value)),
    };
    let max = match rate.get("max") {
        None => Err((ErrorKind::Missing, given)),
        Some(value) => integer(coercion, value, 1)
            .map(Value::from)
            .map_err(|kind| (kind, value)),
    };
    if let Err((kind, input)) = &unit {
        push("unit", kind.clone(), input);
    }
    if let Err((kind, input)) = &max {
        push("max", kind.clone(), input);
    }
    if errors.len() > before {
        return None;
    }
    let mut out = rate.clone();
    out.insert("unit".into(), unit.unwrap_or_default());
    out.insert("max".into(), max.unwrap_or_default());
    Some(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;
    use serde_json::json;

    #[rstest]
    #[case::digits(json!("5"), Ok(5))]
    #[case::padded(json!(" +7 "), Ok(7))]
    #[case::zeros(json!("5.00"), Ok(5))]
    #[case::underscores(json!("1_000"), Ok(1000))]
    #[case::float(json!(5.0), Ok(5))]
    #[case::bool(json!(true), Ok(1))]
    #[case::huge(json!("99999999999999999999999"), Ok(i64::MAX))]
    #[case::dot(json!("5."), Err(ErrorKind::IntParsing))]
    #[case::fraction(json!("1.5"), Err(ErrorKind::IntParsing))]
    #[case::double_underscore(json!("1__0"), Err(ErrorKind::IntParsing))]
    #[case::exponent(json!("1e3"), Err(ErrorKind::IntParsing))]
    #[case::fractional(json!(1.5), Err(ErrorKind::IntFromFloat))]
    #[case::too_big(json!(1e20), Err(ErrorKind::IntParsingSize))]
    #[case::list(json!([]), Err(ErrorKind::IntType))]
    fn ints_are_pydantic_lax(#[case] given: Value, #[case] expected: Result<i64, ErrorKind>) {
        assert_eq!(lax_int(&given), expected);
    }

    #[rstest]
    #[case::yes(json!("YES"), Ok(true))]
    #[case::off(json!("off"), Ok(false))]
    #[case::one(json!(1), Ok(true))]
    #[case::zero_float(json!(0.0), Ok(false))]
    #[case::two(json!(2), Err(ErrorKind::BoolParsing))]
    #[case::half(json!(0.5), Err(ErrorKind::BoolType))]
    #[case::padded(json!(" yes"), Err(ErrorKind::BoolParsing))]
    #[case::null(json!(null), Err(ErrorKind::BoolType))]
    fn bools_are_pydantic_lax(#[case] given: Value, #[case] expected: Result<bool, ErrorKind>) {
        assert_eq!(lax_bool(&given), expected);
    }

    #[test]
    fn choices_read_like_pydantic() {
        assert_eq!(
            quoted_choice(&["day", "hour", "minute"]),
            "'day', 'hour' or 'minute'"
        );
        assert_eq!(quoted_choice(&["one"]), "'one'");
    }
}
