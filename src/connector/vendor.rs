//! Vendors as data: each vendor's connector fields (kind, limits, default, help), its paths and
//! its auth scheme. The editor draws its form from these tables, the validator checks them and
//! the client and the sandbox take their paths from them, so adding a vendor adds a table here.

use std::fmt;

/// A connector-management API patchcord can talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vendor {
    Databar,
}

impl Vendor {
    pub const ALL: &'static [Vendor] = &[Vendor::Databar];

    /// The vendor's description.
    pub fn spec(self) -> &'static VendorSpec {
        match self {
            Vendor::Databar => &DATABAR,
        }
    }

    /// The identifier used in files, config and `--vendor` flags.
    pub fn key(self) -> &'static str {
        match self {
            Vendor::Databar => "databar",
        }
    }

    pub fn from_key(key: &str) -> Option<Vendor> {
        Vendor::ALL.iter().copied().find(|v| v.key() == key)
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.spec().label)
    }
}

/// How a vendor's API carries the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// The key as the value of a named header (Databar: `x-apikey`).
    Header(&'static str),
}

/// How a remote connector is identified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Integer,
}

/// What a field holds; decides the editor widget and the validation rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text, at most `max` characters.
    Text { max: Option<usize> },
    /// An absolute http(s) URL, at most `max` characters.
    Url { max: Option<usize> },
    /// One of a fixed set of values (a picker in the editor).
    Choice { options: &'static [&'static str] },
    /// An integer no smaller than `min`.
    Integer { min: i64 },
    /// A list of `{name, value}` pairs; `header_names` demands valid HTTP header names.
    NameValues { header_names: bool },
    /// A Jinja template of at most `max` characters.
    Template { max: usize },
}

/// One field of a vendor's connector body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The JSON key in the request body.
    pub key: &'static str,
    /// The label in the editor.
    pub label: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    /// Whether JSON `null` is accepted.
    pub nullable: bool,
    /// The server's default, shown in the editor when the field is absent.
    pub default: Option<&'static str>,
    /// One line of help, from the vendor's documentation.
    pub help: &'static str,
}

/// Everything patchcord knows about one vendor's connector API.
#[derive(Debug)]
pub struct VendorSpec {
    pub vendor: Vendor,
    pub label: &'static str,
    pub default_base_url: &'static str,
    /// The environment variable the key comes from when no config says otherwise.
    pub default_secret_env: &'static str,
    pub auth: Auth,
    pub id_kind: IdKind,
    /// `GET` (list) and `POST` (create) path.
    pub collection_path: &'static str,
    /// `GET`, `PUT`, `DELETE` path; `{id}` is replaced by the remote id.
    pub item_path: &'static str,
    /// The connector's body fields, in the vendor's order.
    pub fields: &'static [FieldSpec],
    /// Fields only the server sets (dropped when a pulled connector becomes a file).
    pub server_fields: &'static [&'static str],
    /// The field holding a Jinja body template, if the vendor has one.
    pub template_field: Option<&'static str>,
    /// The list the template's variables replace when a template is set.
    pub derived_field: Option<&'static str>,
}

impl VendorSpec {
    pub fn field(&self, key: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The item path for a remote id.
    pub fn item_path_for(&self, id: &str) -> String {
        self.item_path.replace("{id}", id)
    }
}

/// Databar's `ConnectorCreate` (seed 003), field by field, in the schema's order.
pub static DATABAR: VendorSpec = VendorSpec {
    vendor: Vendor::Databar,
    label: "Databar",
    default_base_url: "https://api.databar.ai",
    default_secret_env: "DATABAR_API_KEY",
    auth: Auth::Header("x-apikey"),
    id_kind: IdKind::Integer,
    collection_path: "/v1/connectors/",
    item_path: "/v1/connectors/{id}",
    fields: &[
        FieldSpec {
            key: "name",
            label: "Name",
            kind: FieldKind::Text { max: Some(256) },
            required: true,
            nullable: false,
            default: None,
            help: "Display name for the connector",
        },
        FieldSpec {
            key: "type",
            label: "Type",
            kind: FieldKind::Choice {
                options: &["simple", "enrichment", "exporter"],
            },
            required: false,
            nullable: false,
            default: Some("enrichment"),
            help: "Connector type: simple, enrichment, or exporter",
        },
        FieldSpec {
            key: "method",
            label: "Method",
            kind: FieldKind::Choice {
                options: &["get", "post", "put", "patch"],
            },
            required: true,
            nullable: false,
            default: None,
            help: "HTTP method: get, post, put, or patch",
        },
        FieldSpec {
            key: "url",
            label: "URL",
            kind: FieldKind::Url { max: Some(512) },
            required: true,
            nullable: false,
            default: None,
            help: "Full API endpoint URL (e.g. https://api.example.com/v1/score)",
        },
        FieldSpec {
            key: "headers",
            label: "Headers",
            kind: FieldKind::NameValues { header_names: true },
            required: false,
            nullable: false,
            default: None,
            help: "HTTP headers to send with each request",
        },
        FieldSpec {
            key: "parameters",
            label: "Params",
            kind: FieldKind::NameValues {
                header_names: false,
            },
            required: false,
            nullable: false,
            default: None,
            help: "Query parameters",
        },
        FieldSpec {
            key: "body",
            label: "Body",
            kind: FieldKind::NameValues {
                header_names: false,
            },
            required: false,
            nullable: false,
            default: None,
            help: "Request body fields",
        },
        FieldSpec {
            key: "body_template",
            label: "Template",
            kind: FieldKind::Template { max: 2048 },
            required: false,
            nullable: true,
            default: None,
            help: "Jinja body template. When set, template variables become body params instead of 'body' list.",
        },
        FieldSpec {
            key: "rate_limit",
            label: "Rate limit",
            kind: FieldKind::Integer { min: 1 },
            required: false,
            nullable: true,
            default: None,
            help: "Max requests per minute (capped by plan)",
        },
        FieldSpec {
            key: "max_concurrency",
            label: "Max concurrency",
            kind: FieldKind::Integer { min: 1 },
            required: false,
            nullable: true,
            default: None,
            help: "Max concurrent requests (capped by plan)",
        },
    ],
    server_fields: &["id", "created_at"],
    template_field: Some("body_template"),
    derived_field: Some("body"),
};
