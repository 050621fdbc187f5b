//! The Jinja `body_template`: render with sample values, list its variables, locate its errors.
//!
//! Pure: no IO, no terminal, no async. Every face (CLI, editor preview, sandbox) goes through
//! these functions so a template means the same thing everywhere. Positions given to users are
//! 1-based lines and 1-based *character* columns; user text is never sliced at raw byte offsets
//! that could fall inside a character.

use indexmap::IndexMap;
use minijinja::machinery::{Token, tokenize};
use minijinja::syntax::SyntaxConfig;
use minijinja::value::Serde;
use minijinja::{Environment, UndefinedBehavior, Value};
use std::collections::HashSet;
use std::fmt;
use std::io;

/// The work one render may do, in minijinja fuel: about one instruction, or 64 bytes of data
/// created, per unit. A body template needs at most a few thousand; this stops a runaway loop
/// in a fraction of a second and bounds what it can allocate (64 bytes a unit: 32 MiB).
pub const FUEL: u64 = 500_000;

/// The most text a render may produce (1 MiB): far more than any request body, little enough
/// to preview.
pub const MAX_OUTPUT_BYTES: usize = 1024 * 1024;

/// How deep a render may nest (minijinja counts a macro call as several levels). Well within
/// the 2 MiB stack of the threads that render.
pub const RECURSION_LIMIT: usize = 100;

/// A bound every render is held to; hitting one fails the render with a message naming it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// [`FUEL`] ran out.
    Fuel,
    /// The output grew past [`MAX_OUTPUT_BYTES`].
    Output,
    /// Nesting went deeper than [`RECURSION_LIMIT`].
    Recursion,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Fuel => write!(
                f,
                "the template did not finish within its budget (fuel {FUEL})"
            ),
            Limit::Output => write!(
                f,
                "the template renders more than {} MiB",
                MAX_OUTPUT_BYTES / (1024 * 1024)
            ),
            Limit::Recursion => write!(
                f,
                "the template nests deeper than its recursion limit ({RECURSION_LIMIT})"
            ),
        }
    }
}

/// Sample values for template variables, by name, in the order the user sees them.
/// Kept locally beside a connector file and never sent to a server.
pub type Samples = IndexMap<String, String>;

/// A position in user text: 1-based line, 1-based character column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Position {
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// Why a template could not be compiled or rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}{}", .position.map(|p| format!(" ({p})")).unwrap_or_default())]
pub struct TemplateError {
    /// minijinja's description, without its own location suffix.
    pub message: String,
    /// Where in the template, when minijinja knows.
    pub position: Option<Position>,
    /// True for a syntax error (the template does not compile), false for a render-time error.
    pub syntax: bool,
    /// Set when the render was stopped by one of its bounds rather than by a mistake.
    pub limit: Option<Limit>,
}

/// Why rendered output is not valid JSON, with the place in the *rendered* text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not valid JSON: {message} ({position})")]
pub struct JsonError {
    pub message: String,
    pub position: Position,
}

/// The result of rendering a template for the preview.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// The template's variables in order of first appearance.
    pub variables: Vec<String>,
    /// The rendered text, or why rendering failed.
    pub output: Result<String, TemplateError>,
    /// When the body is JSON and rendering succeeded: the parsed value or where it breaks.
    pub json: Option<Result<serde_json::Value, JsonError>>,
}

/// A render and its JSON verdict: the part of a [`Preview`] that evaluates the template.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    pub output: Result<String, TemplateError>,
    pub json: Option<Result<serde_json::Value, JsonError>>,
}

/// The one environment every face renders with, so the bounds are the same everywhere.
fn environment() -> Environment<'static> {
    let mut env = Environment::new();
    // A variable without a sample renders as empty instead of failing the whole preview,
    // and `company.domain` on a missing `company` stays undefined rather than erroring.
    env.set_undefined_behavior(UndefinedBehavior::Chainable);
    env.set_fuel(Some(FUEL));
    env.set_recursion_limit(RECURSION_LIMIT);
    env
}

fn convert_error(source: &str, err: &minijinja::Error) -> TemplateError {
    let position = match err.range() {
        Some(range) => Some(position_of_byte(source, range.start)),
        None => err.line().map(|line| Position { line, column: 1 }),
    };
    let limit = match (err.kind(), err.detail()) {
        (minijinja::ErrorKind::OutOfFuel, _) => Some(Limit::Fuel),
        // minijinja has no kind of its own for this one; its message is the only mark.
        (minijinja::ErrorKind::InvalidOperation, Some("recursion limit exceeded")) => {
            Some(Limit::Recursion)
        }
        _ => None,
    };
    let message = match (limit, err.detail()) {
        (Some(limit), _) => limit.to_string(),
        (None, Some(detail)) => format!("{}: {detail}", err.kind()),
        (None, None) => err.kind().to_string(),
    };
    TemplateError {
        message,
        position,
        syntax: err.kind() == minijinja::ErrorKind::SyntaxError,
        limit,
    }
}

/// Collects rendered output and fails the render once it would pass [`MAX_OUTPUT_BYTES`]
/// (minijinja itself has no output cap).
#[derive(Default)]
struct CappedOutput {
    bytes: Vec<u8>,
    overflowed: bool,
}

impl io::Write for CappedOutput {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_OUTPUT_BYTES {
            self.overflowed = true;
            return Err(io::Error::other(Limit::Output.to_string()));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Converts a byte offset into a line and character column. An offset past the end or inside
/// a character is clamped to the nearest character boundary before it.
pub fn position_of_byte(source: &str, offset: usize) -> Position {
    let mut offset = offset.min(source.len());
    while !source.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = source.get(..offset).unwrap_or_default();
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).unwrap_or_default().chars().count() + 1;
    Position { line, column }
}

/// Checks that the template compiles.
pub fn check(source: &str) -> Result<(), TemplateError> {
    let env = environment();
    env.template_from_str(source)
        .map(|_| ())
        .map_err(|e| convert_error(source, &e))
}

/// The template's variables (its body params) in order of first appearance.
///
/// minijinja decides *which* names are undeclared (names the template `{% set %}`s or loops over
/// are not params; `company.domain` gives `company`); the token stream decides their *order*, so
/// the list does not jump around while the user types. Global functions (`range`, `dict`, ...)
/// are not params.
pub fn variables(source: &str) -> Result<Vec<String>, TemplateError> {
    let env = environment();
    let template = env
        .template_from_str(source)
        .map_err(|e| convert_error(source, &e))?;
    let mut undeclared = template.undeclared_variables(false);
    for (name, _) in env.globals() {
        undeclared.remove(name);
    }
    Ok(in_order_of_appearance(source, undeclared))
}

fn in_order_of_appearance(source: &str, mut wanted: HashSet<String>) -> Vec<String> {
    let mut ordered = Vec::with_capacity(wanted.len());
    let mut previous: Option<Token<'_>> = None;
    for item in tokenize(source, false, SyntaxConfig::default()) {
        let Ok((token, _)) = item else { break };
        if let Token::Ident(name) = token {
            // `a.b`: `b` is an attribute, `x|f`: `f` is a filter; neither is a variable here.
            let is_member = matches!(previous, Some(Token::Dot | Token::Pipe));
            if !is_member && wanted.remove(name) {
                ordered.push(name.to_owned());
            }
        }
        previous = Some(token);
    }
    // Anything the token walk missed still belongs in the list; sorted for stability.
    let mut rest: Vec<String> = wanted.into_iter().collect();
    rest.sort();
    ordered.extend(rest);
    ordered
}

/// Turns a sample string into a template value: a sample that is a JSON object or array is used
/// as structured data (so `{{ company.domain }}` can be previewed), anything else is a string.
fn sample_value(raw: &str) -> Value {
    let trimmed = raw.trim_start();
    if (trimmed.starts_with('{') || trimmed.starts_with('['))
        && let Ok(json) = serde_json::from_str::<serde_json::Value>(raw)
    {
        return Value::from(Serde(&json));
    }
    Value::from(raw)
}

/// Renders the template with the given sample values. Variables without a sample are undefined
/// (they render as empty text). Every render is bounded by [`FUEL`], [`MAX_OUTPUT_BYTES`] and
/// [`RECURSION_LIMIT`]; hitting one is an error whose `limit` says which.
pub fn render(source: &str, samples: &Samples) -> Result<String, TemplateError> {
    let env = environment();
    let template = env
        .template_from_str(source)
        .map_err(|e| convert_error(source, &e))?;
    let ctx: IndexMap<&str, Value> = samples
        .iter()
        .map(|(k, v)| (k.as_str(), sample_value(v)))
        .collect();
    let mut output = CappedOutput::default();
    match template.render_captured_to(Value::from(Serde(&ctx)), &mut output) {
        Ok(_) => Ok(String::from_utf8_lossy(&output.bytes).into_owned()),
        Err(_) if output.overflowed => Err(TemplateError {
            message: Limit::Output.to_string(),
            position: None,
            syntax: false,
            limit: Some(Limit::Output),
        }),
        Err(e) => Err(convert_error(source, &e)),
    }
}

/// Parses rendered output as JSON, locating the first error by line and character column.
pub fn check_json(rendered: &str) -> Result<serde_json::Value, JsonError> {
    serde_json::from_str(rendered).map_err(|e| {
        // serde_json counts columns in bytes; re-count them in characters on that line.
        let line_text = rendered
            .lines()
            .nth(e.line().saturating_sub(1))
            .unwrap_or("");
        let byte_col = e.column().saturating_sub(1).min(line_text.len());
        let column = position_of_byte(line_text, byte_col).column;
        let message = json_message(&e);
        JsonError {
            message,
            position: Position {
                line: e.line().max(1),
                column,
            },
        }
    })
}

/// `serde_json`'s message without the " at line X column Y" it appends: callers report the
/// position separately, in their own terms.
pub fn json_message(error: &serde_json::Error) -> String {
    let message = error.to_string();
    message
        .rfind(" at line ")
        .and_then(|i| message.get(..i))
        .unwrap_or(&message)
        .to_owned()
}

/// Renders and, when the body is JSON, checks the output: what the preview shows on the right.
pub fn render_checked(source: &str, samples: &Samples, body_is_json: bool) -> Rendered {
    let output = render(source, samples);
    let json = match (&output, body_is_json) {
        (Ok(text), true) => Some(check_json(text)),
        _ => None,
    };
    Rendered { output, json }
}

/// Everything the preview shows, in one call: variables, rendered output, JSON verdict.
pub fn preview(source: &str, samples: &Samples, body_is_json: bool) -> Preview {
    let variables = variables(source).unwrap_or_default();
    let Rendered { output, json } = render_checked(source, samples, body_is_json);
    Preview {
        variables,
        output,
        json,
    }
}

pub mod complete;
pub mod highlight;
pub use highlight::KEYWORDS;

#[cfg(test)]
mod tests;
