//! What validation reports: a finding is a field path, the rule it breaks, a message, a
//! severity and who enforces it (the vendor's schema, the vendor's service, or only patchcord).

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
    /// A required text field is present but blank. The vendor's schema accepts "", but a
    /// connector without a name or URL is useless: patchcord's advice.
    Blank,
    /// Wrong JSON type; holds what was expected (`string`, `integer`, `list`, `object`).
    Type(&'static str),
    MaxLength(usize),
    Minimum(i64),
    Maximum(i64),
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
    /// A lax vendor reads the value as another type (`"5"` as the integer 5).
    Coerced,
}

impl Rule {
    /// A short stable name, used in `--json` output.
    pub fn code(&self) -> &'static str {
        match self {
            Rule::NotAnObject => "not_an_object",
            Rule::Required => "required",
            Rule::Blank => "blank",
            Rule::Type(_) => "type",
            Rule::MaxLength(_) => "max_length",
            Rule::Minimum(_) => "minimum",
            Rule::Maximum(_) => "maximum",
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
            Rule::Coerced => "coerced",
        }
    }
}

/// Who refuses what a rule refuses: the vendor (so the sandbox does too) or only patchcord.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Enforcer {
    /// The vendor's request schema (`connector::schema`): a `FastAPI` vendor answers 422.
    Schema,
    /// The vendor's service, once the schema passed (Agent Stack's 400 for a client secret
    /// without a client id, Cargo's slug rules).
    Service,
    /// patchcord's own advice: the vendor accepts it, the editor and the CLI warn or refuse.
    Client,
}

impl Enforcer {
    /// A short stable name, used in `--json` output.
    pub fn code(self) -> &'static str {
        match self {
            Enforcer::Schema => "schema",
            Enforcer::Service => "service",
            Enforcer::Client => "client",
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
    /// Who refuses it.
    pub by: Enforcer,
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
