//! Rows to try a connector over: a CSV file (its header names the columns) or JSON Lines (one
//! object per line), each row becoming the sample values its request is filled from, as the
//! platform fills a connector's slots from a table's columns. Also which slots a connector
//! has, which of them a set of columns leaves unfilled (and which columns it does not use),
//! the connector's own limits (`max_concurrency`, `rate_limit`), and `--select` queries on a
//! response. Pure: bytes in, values out.

use super::Connector;
use crate::template::{self, Samples};
use serde_json::Value;

/// Why a rows file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RowsError {
    #[error("not UTF-8: invalid byte at offset {offset}")]
    NotUtf8 { offset: usize },
    #[error("CSV line {line}: {message}")]
    Csv { line: u64, message: String },
    #[error("the CSV header has an empty column name (column {column})")]
    EmptyColumn { column: usize },
    #[error("the CSV header names {name:?} twice")]
    DuplicateColumn { name: String },
    #[error("line {line}: {message}")]
    JsonLine { line: usize, message: String },
    #[error("there are no rows")]
    Empty,
}

/// How a rows file is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowsFormat {
    Csv,
    JsonLines,
}

impl RowsFormat {
    /// By the file's extension (`.csv`; `.jsonl`, `.ndjson`, `.json`), else by its content: a
    /// first non-blank character `{` is JSON Lines, anything else CSV.
    pub fn detect(file_name: &str, bytes: &[u8]) -> RowsFormat {
        let extension = file_name
            .rsplit_once('.')
            .map(|(_, x)| x.to_ascii_lowercase());
        match extension.as_deref() {
            Some("csv") => return RowsFormat::Csv,
            Some("jsonl" | "ndjson" | "json") => return RowsFormat::JsonLines,
            _ => {}
        }
        let text = bytes.strip_prefix(BOM).unwrap_or(bytes);
        match text.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => RowsFormat::JsonLines,
            _ => RowsFormat::Csv,
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Rows read from a file: the column names in order of first appearance, and one set of
/// values per row (a JSON Lines row holds only the keys it has).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rows {
    pub columns: Vec<String>,
    pub rows: Vec<Samples>,
}

/// Reads rows in `format`. A UTF-8 byte-order mark is skipped; CSV cells may hold quoted
/// commas and newlines; a JSON Lines value that is not a string is taken as its JSON text
/// (`null` as empty).
pub fn parse(bytes: &[u8], format: RowsFormat) -> Result<Rows, RowsError> {
    let bytes = bytes.strip_prefix(BOM).unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| RowsError::NotUtf8 {
        offset: e.valid_up_to(),
    })?;
    let rows = match format {
        RowsFormat::Csv => parse_csv(bytes)?,
        RowsFormat::JsonLines => parse_json_lines(bytes)?,
    };
    if rows.rows.is_empty() {
        return Err(RowsError::Empty);
    }
    Ok(rows)
}

fn parse_csv(bytes: &[u8]) -> Result<Rows, RowsError> {
    let mut reader = csv::ReaderBuilder::new().flexible(false).from_reader(bytes);
    let csv_error = |e: &csv::Error| RowsError::Csv {
        line: e.position().map_or(1, csv::Position::line),
        message: e.to_string(),
    };
    let header = reader.headers().map_err(|e| csv_error(&e))?.clone();
    let mut columns: Vec<String> = Vec::new();
    for (index, name) in header.iter().enumerate() {
        let name = name.trim();
        if name.is_empty() {
            return Err(RowsError::EmptyColumn { column: index + 1 });
        }
        if columns.iter().any(|c| c == name) {
            return Err(RowsError::DuplicateColumn { name: name.into() });
        }
        columns.push(name.to_owned());
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(&e))?;
        let row: Samples = columns
            .iter()
            .cloned()
            .zip(record.iter().map(str::to_owned))
            .collect();
        rows.push(row);
    }
    Ok(Rows { columns, rows })
}

fn parse_json_lines(bytes: &[u8]) -> Result<Rows, RowsError> {
    let text = String::from_utf8_lossy(bytes);
    let mut out = Rows::default();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let fail = |message: String| RowsError::JsonLine {
            line: index + 1,
            message,
        };
        let value: Value =
            serde_json::from_str(line).map_err(|e| fail(template::json_message(&e)))?;
        let Value::Object(object) = value else {
            return Err(fail("each line must be a JSON object".into()));
        };
        let mut row = Samples::new();
        for (key, value) in object {
            if !out.columns.contains(&key) {
                out.columns.push(key.clone());
            }
            row.insert(key, cell_text(&value));
        }
        out.rows.push(row);
    }
    Ok(out)
}

/// A JSON value as a cell: a string as it is, `null` empty, anything else its JSON text.
fn cell_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

/// The connector's slots, each name once in order: query params, headers and body fields
/// with empty values, and the template's variables (which are the body when one is set).
pub fn slots(connector: &Connector) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    let mut add = |name: &str| {
        if !name.is_empty() && !names.iter().any(|n| n == name) {
            names.push(name.to_owned());
        }
    };
    let empty = |key: Option<&str>| {
        key.map(|key| connector.name_values(key))
            .unwrap_or_default()
            .into_iter()
            .filter(|p| p.value.is_empty())
    };
    let shape = connector.spec().request;
    let lists = shape.map_or([None, None], |r| [r.params, r.headers]);
    for pair in lists.into_iter().flat_map(empty) {
        add(&pair.name);
    }
    match connector.template() {
        Some(source) => {
            for name in template::variables(source).unwrap_or_default() {
                add(&name);
            }
        }
        None => {
            for pair in empty(shape.and_then(|r| r.body)) {
                add(&pair.name);
            }
        }
    }
    names
}

/// How a set of columns meets a connector's slots.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Coverage {
    /// Columns no slot takes: their values are not sent.
    pub unused_columns: Vec<String>,
    /// Slots no column fills: they get the sample value, or are sent empty.
    pub unfilled_slots: Vec<String>,
}

pub fn coverage(slots: &[String], columns: &[String]) -> Coverage {
    Coverage {
        unused_columns: columns
            .iter()
            .filter(|c| !slots.contains(c))
            .cloned()
            .collect(),
        unfilled_slots: slots
            .iter()
            .filter(|s| !columns.contains(s))
            .cloned()
            .collect(),
    }
}

/// A row's sample values: the row's cells over the connector's own samples.
pub fn fill(samples: &Samples, row: &Samples) -> Samples {
    let mut filled = samples.clone();
    for (name, value) in row {
        filled.insert(name.clone(), value.clone());
    }
    filled
}

/// How fast a connector may be called: at most `max_concurrency` requests in flight and
/// `per_minute` started per minute (`None`: no limit set).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limits {
    pub max_concurrency: Option<u32>,
    pub per_minute: Option<f64>,
}

impl Limits {
    /// The vendor's pace fields (`VendorSpec::pace`): the concurrency, and the rate as
    /// requests per minute (Databar's `rate_limit`) or `{unit, max}` (Cargo's `rateLimit`)
    /// turned into a rate per minute.
    pub fn of(connector: &Connector) -> Limits {
        let pace = connector.spec().pace;
        let positive = |key: Option<&str>| {
            key.and_then(|key| connector.fields.get(key))
                .and_then(Value::as_u64)
                .filter(|n| *n >= 1)
        };
        let max_concurrency =
            positive(pace.concurrency).map(|n| u32::try_from(n).unwrap_or(u32::MAX));
        #[expect(clippy::cast_precision_loss, reason = "a rate limit is far below 2^52")]
        let per_minute = positive(pace.rate).map(|n| n as f64).or_else(|| {
            let rate = connector.fields.get(pace.rate?)?;
            let max = rate
                .get("max")
                .and_then(Value::as_f64)
                .filter(|m| *m > 0.0)?;
            let minutes = match rate.get("unit").and_then(Value::as_str)? {
                "minute" => 1.0,
                "hour" => 60.0,
                "day" => 1440.0,
                _ => return None,
            };
            Some(max / minutes)
        });
        Limits {
            max_concurrency,
            per_minute,
        }
    }
}

/// A `--select` `JSONPath` expression, compiled.
#[derive(Debug, Clone)]
pub struct Select {
    pub expr: String,
    path: serde_json_path::JsonPath,
}

impl PartialEq for Select {
    fn eq(&self, other: &Self) -> bool {
        self.expr == other.expr
    }
}

/// At most this many descendant segments (`..`) in one expression: each one can multiply the
/// nodes the next one walks (`$..*..*` visits every pair of nodes), so with one the work stays
/// in proportion to the response.
pub const MAX_DESCENDANTS: usize = 1;

/// How many `..` an expression holds outside its string literals.
fn descendants(expr: &str) -> usize {
    let (mut count, mut quote, mut escaped, mut last_dot) = (0, None, false, false);
    for c in expr.chars() {
        match quote {
            Some(q) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    quote = None;
                }
                last_dot = false;
            }
            None if c == '\'' || c == '"' => {
                quote = Some(c);
                last_dot = false;
            }
            None if c == '.' && last_dot => {
                count += 1;
                last_dot = false;
            }
            None => last_dot = c == '.',
        }
    }
    count
}

impl Select {
    pub fn parse(expr: &str) -> Result<Select, String> {
        let path = serde_json_path::JsonPath::parse(expr)
            .map_err(|e| format!("{expr:?} is not a JSONPath expression: {e}"))?;
        if descendants(expr) > MAX_DESCENDANTS {
            return Err(format!(
                "{expr:?} has more than {MAX_DESCENDANTS} descendant segment (..): each one \
                 walks the whole response again"
            ));
        }
        Ok(Select {
            expr: expr.to_owned(),
            path,
        })
    }

    /// What the expression selects: the one value it matches, `null` for none, an array
    /// when it matches several.
    pub fn value(&self, response: &Value) -> Value {
        let mut found: Vec<Value> = self
            .path
            .query(response)
            .all()
            .into_iter()
            .cloned()
            .collect();
        match found.len() {
            0 => Value::Null,
            1 => found.pop().unwrap_or_default(),
            _ => Value::Array(found),
        }
    }

    /// Where the selected values sit in the response, as JSON Pointers (`/company/name`), for
    /// the editor to highlight them.
    pub fn pointers(&self, response: &Value) -> Vec<String> {
        self.path
            .query_located(response)
            .locations()
            .map(serde_json_path::NormalizedPath::to_json_pointer)
            .collect()
    }
}

/// Several `--select` expressions typed on one line (the editor's prompt), split at each `;`
/// outside a quoted name, blanks skipped. The first that does not parse is the error.
pub fn parse_selects(text: &str) -> Result<Vec<Select>, String> {
    let mut parts = vec![String::new()];
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for c in text.chars() {
        match (quote, c) {
            (Some(_), _) if escaped => escaped = false,
            (Some(_), '\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, ';') => {
                parts.push(String::new());
                continue;
            }
            _ => {}
        }
        if let Some(part) = parts.last_mut() {
            part.push(c);
        }
    }
    parts
        .iter()
        .map(|p| p.trim())
        .filter(|p| !p.is_empty())
        .map(Select::parse)
        .collect()
}

/// A selected value as a table cell: a string without its quotes, anything else as JSON.
pub fn cell(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        other => cell_text(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connector::{NameValue, Vendor};
    use serde_json::json;

    fn values(rows: &Rows, column: &str) -> Vec<String> {
        rows.rows
            .iter()
            .map(|r| r.get(column).cloned().unwrap_or_default())
            .collect()
    }

    #[test]
    fn csv_reads_quoted_commas_newlines_and_a_bom() {
        let text = "\u{feff}domain,note\n\"acme.com\",\"a, b\"\nglobex.com,\"two\nlines\"\n";
        let rows = parse(text.as_bytes(), RowsFormat::Csv).unwrap();
        assert_eq!(rows.columns, ["domain", "note"]);
        assert_eq!(values(&rows, "domain"), ["acme.com", "globex.com"]);
        assert_eq!(values(&rows, "note"), ["a, b", "two\nlines"]);
    }

    #[test]
    fn csv_refuses_a_short_row_and_a_bad_header_naming_the_line() {
        let error = parse(b"a,b\n1,2\n3\n", RowsFormat::Csv).unwrap_err();
        assert!(matches!(error, RowsError::Csv { line: 3, .. }), "{error}");
        assert_eq!(
            parse(b"a,,b\n1,2,3\n", RowsFormat::Csv),
            Err(RowsError::EmptyColumn { column: 2 })
        );
        assert_eq!(parse(b"a\n", RowsFormat::Csv), Err(RowsError::Empty));
    }

    #[test]
    fn json_lines_take_any_value_and_name_a_bad_line() {
        let text = "{\"domain\": \"acme.com\", \"n\": 3}\n\n{\"domain\": null, \"x\": true}\n";
        let rows = parse(text.as_bytes(), RowsFormat::JsonLines).unwrap();
        assert_eq!(rows.columns, ["domain", "n", "x"]);
        assert_eq!(values(&rows, "domain"), ["acme.com", ""]);
        assert_eq!(values(&rows, "n"), ["3", ""]);
        let error = parse(b"{}\n[1]\n", RowsFormat::JsonLines).unwrap_err();
        assert_eq!(error.to_string(), "line 2: each line must be a JSON object");
    }

    #[test]
    fn the_format_follows_the_extension_then_the_content() {
        assert_eq!(RowsFormat::detect("r.CSV", b"{"), RowsFormat::Csv);
        assert_eq!(RowsFormat::detect("r.jsonl", b"a,b"), RowsFormat::JsonLines);
        assert_eq!(
            RowsFormat::detect("rows", b"\xEF\xBB\xBF {\"a\":1}"),
            RowsFormat::JsonLines
        );
        assert_eq!(RowsFormat::detect("rows", b"a,b"), RowsFormat::Csv);
    }

    #[test]
    fn slots_and_coverage_name_what_is_missing_and_unused() {
        let mut c = Connector::new(Vendor::Databar);
        c.set_name_values(
            "parameters",
            &[NameValue::slot("company_domain"), NameValue::new("k", "v")],
        );
        c.set_name_values(
            "body",
            &[NameValue::slot("domain"), NameValue::slot("company_domain")],
        );
        assert_eq!(slots(&c), ["company_domain", "domain"]);
        c.set("body_template", json!("{\"e\": {{ email|tojson }}}"));
        assert_eq!(slots(&c), ["company_domain", "email"]);
        let got = coverage(&slots(&c), &["email".into(), "name".into()]);
        assert_eq!(got.unused_columns, ["name"]);
        assert_eq!(got.unfilled_slots, ["company_domain"]);
    }

    #[test]
    fn limits_read_databar_and_cargo_fields() {
        let mut c = Connector::new(Vendor::Databar);
        c.set("max_concurrency", json!(3));
        c.set("rate_limit", json!(120));
        let limits = Limits::of(&c);
        assert_eq!(limits.max_concurrency, Some(3));
        assert_eq!(limits.per_minute, Some(120.0));
        let mut cargo = Connector::new(Vendor::Cargo);
        cargo.set("rateLimit", json!({"unit": "hour", "max": 120}));
        assert_eq!(Limits::of(&cargo).per_minute, Some(2.0));
        assert_eq!(
            Limits::of(&Connector::new(Vendor::Databar)).per_minute,
            None
        );
    }

    #[test]
    fn select_gives_one_value_none_or_all_and_their_places() {
        let response = json!({"company": {"name": "Acme"}, "tags": ["a", "b"]});
        let one = Select::parse("$.company.name").unwrap();
        assert_eq!(one.value(&response), json!("Acme"));
        assert_eq!(one.pointers(&response), ["/company/name"]);
        assert_eq!(
            Select::parse("$.tags[*]").unwrap().value(&response),
            json!(["a", "b"])
        );
        assert_eq!(
            Select::parse("$.nope").unwrap().value(&response),
            Value::Null
        );
        assert!(Select::parse("company[").is_err());
    }

    #[test]
    fn several_selects_split_at_semicolons_outside_quotes() {
        let exprs = |text: &str| -> Vec<String> {
            parse_selects(text)
                .unwrap()
                .into_iter()
                .map(|s| s.expr)
                .collect()
        };
        assert_eq!(exprs(" $.name ; $.employees;"), ["$.name", "$.employees"]);
        assert_eq!(
            exprs("$['a;b']; $[\"c;\\\"d\"]"),
            ["$['a;b']", "$[\"c;\\\"d\"]"]
        );
        assert!(exprs("  ").is_empty());
        let error = parse_selects("$.name; company[").unwrap_err();
        assert!(
            error.starts_with("\"company[\" is not a JSONPath expression"),
            "{error}"
        );
    }

    #[test]
    fn a_select_walks_the_response_at_most_once_deep() {
        assert!(Select::parse("$..name").is_ok());
        assert!(
            Select::parse("$['a..b']..name").is_ok(),
            "dots in a name are not a segment"
        );
        let error = Select::parse("$..*..*").expect_err("two descendant segments");
        assert!(error.contains("descendant"), "{error}");
        assert!(
            Select::parse("$..a[?@..b]").is_err(),
            "one inside a filter counts too"
        );
    }
}
