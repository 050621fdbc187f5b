//! Vendors as data: each vendor's connector fields (kind, limits, default, help), its paths and
//! its auth scheme. The editor draws its form from these tables, the validator checks them and
//! the client and the sandbox take their paths from them, so adding a vendor adds a variant and
//! a table here (and its sandbox adapter). The words the tables are written in are `spec.rs`'s.

mod spec;

pub use spec::{
    Auth, Coercion, FieldKind, FieldSpec, IdKind, LinkSpec, Pace, Paging, RequestShape, UpdateMode,
    VendorSpec,
};
use std::fmt;

/// A connector-management API patchcord can talk to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vendor {
    Databar,
    AgentStack,
    Cargo,
    /// A plain JSON CRUD vendor that exists only in tests, to show that a vendor is its
    /// description plus its sandbox adapter (`src/fourth_vendor_tests.rs`).
    #[cfg(test)]
    Plain,
}

impl Vendor {
    /// The vendors patchcord ships, in the order pickers and help list them.
    pub const ALL: &'static [Vendor] = &[Vendor::Databar, Vendor::AgentStack, Vendor::Cargo];

    /// Vendors only tests know; kept out of [`Vendor::ALL`] so every shipped list (pickers,
    /// help, snapshots) stays as it is.
    #[cfg(test)]
    pub const TEST_ONLY: &'static [Vendor] = &[Vendor::Plain];
    #[cfg(not(test))]
    pub const TEST_ONLY: &'static [Vendor] = &[];

    /// The primary target: a file without metadata is its body, a new connector is its, and
    /// the sandbox answers as it when no `--vendor` says otherwise.
    pub const PRIMARY: Vendor = Vendor::Databar;

    /// Every vendor this build can read, serve and talk to: the shipped ones, then the
    /// test-only ones.
    pub fn known() -> impl Iterator<Item = Vendor> {
        Vendor::ALL.iter().chain(Vendor::TEST_ONLY).copied()
    }

    /// The vendor's description.
    pub fn spec(self) -> &'static VendorSpec {
        match self {
            Vendor::Databar => &DATABAR,
            Vendor::AgentStack => &AGENT_STACK,
            Vendor::Cargo => &CARGO,
            #[cfg(test)]
            Vendor::Plain => &PLAIN,
        }
    }

    /// The identifier used in files, config and `--vendor` flags.
    pub fn key(self) -> &'static str {
        self.spec().key
    }

    pub fn from_key(key: &str) -> Option<Vendor> {
        Vendor::known().find(|v| v.key() == key)
    }
}

impl fmt::Display for Vendor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.spec().label)
    }
}

/// Databar's `ConnectorCreate` (seed 003), field by field, in the schema's order.
pub static DATABAR: VendorSpec = VendorSpec {
    vendor: Vendor::Databar,
    key: "databar",
    label: "Databar",
    default_base_url: "https://api.databar.ai",
    public_base_url: true,
    request: Some(RequestShape {
        url: "url",
        method: Some("method"),
        headers: Some("headers"),
        params: Some("parameters"),
        body: Some("body"),
    }),
    link: None,
    pace: Pace {
        concurrency: Some("max_concurrency"),
        rate: Some("rate_limit"),
    },
    default_secret_env: "DATABAR_API_KEY",
    auth: Auth::Header("x-apikey"),
    coercion: Coercion::Lax,
    id_kind: IdKind::Integer,
    collection_path: "/v1/connectors/",
    item_path: "/v1/connectors/{id}",
    list_columns: &[("NAME", "name"), ("METHOD", "method"), ("URL", "url")],
    name_field: Some("name"),
    fields: &[
        FieldSpec::new("name", "Name", FieldKind::Text { max: Some(256) }, "Display name for the connector").required(),
        FieldSpec::new(
            "type",
            "Type",
            FieldKind::Choice { options: &["simple", "enrichment", "exporter"] },
            "Connector type: simple, enrichment, or exporter",
        )
        .default("enrichment"),
        FieldSpec::new(
            "method",
            "Method",
            FieldKind::Choice { options: &["get", "post", "put", "patch"] },
            "HTTP method: get, post, put, or patch",
        )
        .required(),
        FieldSpec::new(
            "url",
            "URL",
            FieldKind::Url { max: Some(512) },
            "Full API endpoint URL (e.g. https://api.example.com/v1/score)",
        )
        .required(),
        FieldSpec::new("headers", "Headers", FieldKind::NameValues { header_names: true }, "HTTP headers to send with each request"),
        FieldSpec::new("parameters", "Params", FieldKind::NameValues { header_names: false }, "Query parameters"),
        FieldSpec::new("body", "Body", FieldKind::NameValues { header_names: false }, "Request body fields"),
        FieldSpec::new(
            "body_template",
            "Template",
            FieldKind::Template { max: 2048 },
            "Jinja body template. When set, template variables become body params instead of 'body' list.",
        )
        .nullable(),
        FieldSpec::new("rate_limit", "Rate limit", FieldKind::Integer { min: 1 }, "Max requests per minute (capped by plan)")
            .nullable(),
        FieldSpec::new(
            "max_concurrency",
            "Max concurrency",
            FieldKind::Integer { min: 1 },
            "Max concurrent requests (capped by plan)",
        )
        .nullable(),
    ],
    server_fields: &["id", "created_at"],
    template_field: Some("body_template"),
    derived_field: Some("body"),
    id_field: "id",
    response_key: None,
    list_key: None,
    paging: None,
    update: UpdateMode::Replace,
    create_status: 201,
};

/// Agent Stack's create body (seed 002): registers a remote MCP server by URL.
pub static AGENT_STACK: VendorSpec = VendorSpec {
    vendor: Vendor::AgentStack,
    key: "agent_stack",
    label: "Agent Stack",
    default_base_url: "https://api.example.com",
    public_base_url: false,
    request: Some(RequestShape {
        url: "url",
        method: None,
        headers: None,
        params: None,
        body: None,
    }),
    link: Some(LinkSpec {
        state_field: "state",
        auth_field: "auth_request",
        disconnect_from: &["connected", "auth_required"],
    }),
    pace: Pace {
        concurrency: None,
        rate: None,
    },
    default_secret_env: "AGENT_STACK_PASSWORD",
    auth: Auth::Basic,
    coercion: Coercion::Lax,
    id_kind: IdKind::Uuid,
    collection_path: "/api/v1/connectors",
    item_path: "/api/v1/connectors/{id}",
    list_columns: &[
        ("STATE", "state"),
        ("CREATED", "created_at"),
        ("URL", "url"),
    ],
    // Not a field of its body, but a `name` a file keeps (unknown fields survive) still
    // titles it; without one its URL does.
    name_field: Some("name"),
    fields: &[
        FieldSpec::new(
            "url",
            "URL",
            FieldKind::Url { max: None },
            "The remote MCP server's URL (a URI)",
        )
        .required()
        .any_url(),
        FieldSpec::new(
            "client_id",
            "Client id",
            FieldKind::Text { max: None },
            "OAuth client id, if the server needs one",
        )
        .nullable()
        .write_only(),
        FieldSpec::new(
            "client_secret",
            "Client secret",
            FieldKind::SecretText,
            "OAuth client secret; needs a client id",
        )
        .nullable()
        .write_only()
        .requires("client_id"),
        FieldSpec::new(
            "metadata",
            "Metadata",
            FieldKind::StringMap {
                max_pairs: 16,
                key_max: 64,
                value_max: 512,
            },
            "Up to 16 key-value pairs; keys at most 64 characters, values at most 512",
        )
        .nullable(),
        FieldSpec::new(
            "match_preset",
            "Match preset",
            FieldKind::Bool,
            "Match the URL against the configured presets",
        )
        .default("true")
        .write_only(),
    ],
    server_fields: &[
        "id",
        "state",
        "auth_request",
        "disconnect_reason",
        "created_at",
        "updated_at",
        "created_by",
    ],
    template_field: None,
    derived_field: None,
    id_field: "id",
    response_key: None,
    list_key: Some("items"),
    paging: Some(Paging {
        more: "has_more",
        token: "next_page_token",
        param: "page_token",
    }),
    update: UpdateMode::Recreate,
    create_status: 201,
};

/// Cargo's create body (seed 004). `slug` and `integrationSlug` are fixed once created.
pub static CARGO: VendorSpec = VendorSpec {
    vendor: Vendor::Cargo,
    key: "cargo",
    label: "Cargo",
    default_base_url: "https://api.getcargo.io",
    public_base_url: true,
    request: None,
    link: None,
    pace: Pace {
        concurrency: None,
        rate: Some("rateLimit"),
    },
    default_secret_env: "CARGO_API_TOKEN",
    auth: Auth::Bearer,
    coercion: Coercion::Strict,
    id_kind: IdKind::Uuid,
    collection_path: "/v1/connection/connectors",
    item_path: "/v1/connection/connectors/{id}",
    list_columns: &[
        ("SLUG", "slug"),
        ("INTEGRATION", "integrationSlug"),
        ("NAME", "name"),
    ],
    name_field: Some("name"),
    fields: &[
        FieldSpec::new(
            "name",
            "Name",
            FieldKind::Text { max: None },
            "Connector name",
        )
        .required(),
        FieldSpec::new(
            "slug",
            "Slug",
            FieldKind::Slug,
            "Connector slug: unique, no spaces, fixed once created",
        )
        .required()
        .unique(),
        FieldSpec::new(
            "integrationSlug",
            "Integration",
            FieldKind::Slug,
            "Integration identifier, fixed once created",
        )
        .required(),
        FieldSpec::new(
            "config",
            "Config",
            FieldKind::JsonObject,
            "Connector configuration (a JSON object)",
        )
        .required(),
        FieldSpec::new(
            "rateLimit",
            "Rate limit",
            FieldKind::UnitRate {
                units: &["day", "hour", "minute"],
            },
            "At most `max` calls per day, hour or minute",
        ),
        FieldSpec::new(
            "cacheTtlMilliseconds",
            "Cache TTL (ms)",
            FieldKind::Integer { min: 0 },
            "Cache time-to-live in milliseconds",
        ),
    ],
    server_fields: &[
        "uuid",
        "workspaceUuid",
        "userUuid",
        "playsCount",
        "toolsCount",
        "modelsCount",
        "createdAt",
        "updatedAt",
        "deletedAt",
        "useCredits",
    ],
    template_field: None,
    derived_field: None,
    id_field: "uuid",
    response_key: Some("connector"),
    list_key: Some("connectors"),
    paging: None,
    update: UpdateMode::Partial(&["name", "config", "rateLimit", "cacheTtlMilliseconds"]),
    create_status: 200,
};

/// The test-only fourth vendor: plain JSON CRUD on widgets behind an API-key header, integer
/// ids, a full replace on `PUT`. Nothing outside this table and its sandbox adapter
/// (`src/sandbox/plain.rs`) knows it.
#[cfg(test)]
pub static PLAIN: VendorSpec = VendorSpec {
    vendor: Vendor::Plain,
    key: "plain",
    label: "Plain",
    default_base_url: "https://api.plain.test",
    public_base_url: false,
    request: Some(RequestShape {
        url: "target",
        method: Some("verb"),
        headers: Some("headers"),
        params: None,
        body: None,
    }),
    link: None,
    pace: Pace {
        concurrency: None,
        rate: None,
    },
    default_secret_env: "PLAIN_API_KEY",
    auth: Auth::Header("x-widget-key"),
    coercion: Coercion::Strict,
    id_kind: IdKind::Integer,
    collection_path: "/v1/widgets",
    item_path: "/v1/widgets/{id}",
    list_columns: &[("TITLE", "title"), ("VERB", "verb"), ("TARGET", "target")],
    name_field: Some("title"),
    fields: &[
        FieldSpec::new(
            "title",
            "Title",
            FieldKind::Text { max: Some(40) },
            "What the widget is called",
        )
        .required(),
        FieldSpec::new(
            "verb",
            "Verb",
            FieldKind::Choice {
                options: &["get", "post"],
            },
            "HTTP method",
        )
        .required(),
        FieldSpec::new(
            "target",
            "Target",
            FieldKind::Url { max: Some(120) },
            "The URL the widget calls",
        )
        .required(),
        FieldSpec::new(
            "headers",
            "Headers",
            FieldKind::NameValues { header_names: true },
            "Headers sent on each call",
        ),
        FieldSpec::new(
            "login",
            "Login",
            FieldKind::Text { max: None },
            "The upstream user",
        ),
        FieldSpec::new(
            "password",
            "Password",
            FieldKind::SecretText,
            "The upstream password; needs a login",
        )
        .requires("login"),
    ],
    server_fields: &["id", "created_at"],
    template_field: None,
    derived_field: None,
    id_field: "id",
    response_key: None,
    list_key: Some("widgets"),
    paging: None,
    update: UpdateMode::Replace,
    create_status: 201,
};
