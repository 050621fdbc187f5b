//! What validation reports: a finding is a field path, the rule it breaks, a message and a
//! severity. A rule knows whether the vendor's schema states it (`FastAPI` answers 422) or it
//! is semantic (400), and how pydantic names it.

use super::FieldPath;
use std::fmt;

/// Errors block a submit; warnings are shown and let through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// The rule a finding breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    /// A value that must be an object (the body, a `{name, value}` item) is not one.
    NotAnObject,
    Required,
    /// A required text field is present but blank. Not a schema rule: the vendor's schema
    /// accepts "", but a connector without a name or URL is useless, so the sandbox answers 400.
    Blank,
    /// Wrong JSON type; holds what was expected (`string`, `integer`, `list`, `object`).
    Type(&'static str),
    MaxLength(usize),
    Minimum(i64),
    OneOf(&'static [&'static str]),
    UrlInvalid,
    UrlScheme,
    HeaderName,
    EmptyName,
    DuplicateName,
    TemplateSyntax,
    /// Rendering with the sample values hit one of the template bounds (fuel, output size,
    /// recursion); the message names which.
    TemplateLimit,
    /// The body list is set but the template replaces it.
    BodyIgnored,
    /// Too many entries in a map.
    MaxItems(usize),
    /// A slug contains whitespace.
    SlugSpaces,
    /// A field is set that only makes sense together with another (`client_secret` needs `client_id`).
    Requires(&'static str),
}

impl Rule {
    /// Whether the vendor's schema states this rule (`FastAPI` answers these with 422).
    pub fn is_schema(&self) -> bool {
        matches!(
            self,
            Rule::NotAnObject
                | Rule::Required
                | Rule::Type(_)
                | Rule::MaxLength(_)
                | Rule::Minimum(_)
                | Rule::MaxItems(_)
        )
    }

    /// A short stable name, used in `--json` output.
    pub fn code(&self) -> &'static str {
        match self {
            Rule::NotAnObject => "not_an_object",
            Rule::Required => "required",
            Rule::Blank => "blank",
            Rule::Type(_) => "type",
            Rule::MaxLength(_) => "max_length",
            Rule::Minimum(_) => "minimum",
            Rule::OneOf(_) => "one_of",
            Rule::UrlInvalid => "url_invalid",
            Rule::UrlScheme => "url_scheme",
            Rule::HeaderName => "header_name",
            Rule::EmptyName => "empty_name",
            Rule::DuplicateName => "duplicate_name",
            Rule::TemplateSyntax => "template_syntax",
            Rule::TemplateLimit => "template_limit",
            Rule::BodyIgnored => "body_ignored",
            Rule::MaxItems(_) => "max_items",
            Rule::SlugSpaces => "slug_spaces",
            Rule::Requires(_) => "requires",
        }
    }

    /// `FastAPI` / pydantic v2 error `type` and `msg` for schema rules.
    pub fn fastapi(&self) -> (&'static str, String) {
        match self {
            Rule::Required => ("missing", "Field required".into()),
            Rule::Type("string") => ("string_type", "Input should be a valid string".into()),
            Rule::Type("integer") => ("int_type", "Input should be a valid integer".into()),
            Rule::Type("list") => ("list_type", "Input should be a valid list".into()),
            Rule::Type("boolean") => ("bool_type", "Input should be a valid boolean".into()),
            Rule::Type("object") => ("dict_type", "Input should be a valid dictionary".into()),
            Rule::MaxItems(n) => (
                "too_long",
                format!("Dictionary should have at most {n} items"),
            ),
            Rule::NotAnObject | Rule::Type(_) => (
                "model_attributes_type",
                "Input should be a valid dictionary or object to extract fields from".into(),
            ),
            Rule::MaxLength(n) => (
                "string_too_long",
                format!("String should have at most {n} characters"),
            ),
            Rule::Minimum(n) => (
                "greater_than_equal",
                format!("Input should be greater than or equal to {n}"),
            ),
            _ => ("value_error", "Value error".into()),
        }
    }
}

/// One problem with a connector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub path: FieldPath,
    pub rule: Rule,
    pub severity: Severity,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}: {}", self.path, self.message)
    }
}

/// Whether any finding blocks a submit.
pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}
