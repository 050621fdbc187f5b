//! Vendors as data: each vendor's connector fields (kind, limits, default, help), its paths and
//! its auth scheme. The editor draws its form from these tables, the validator checks them and
//! the client and the sandbox take their paths from them, so adding a vendor adds a table here.

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

/// How a vendor's API carries the secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// The key as the value of a named header (Databar: `x-apikey`).
    Header(&'static str),
    /// HTTP Basic; the key is the password (Agent Stack checks only the password).
    Basic,
    /// `Authorization: Bearer KEY` (Cargo).
    Bearer,
}

/// How a remote connector is identified.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IdKind {
    Integer,
    /// A UUID string (Agent Stack's `id`, Cargo's `uuid`).
    Uuid,
}

/// How an existing remote connector is changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateMode {
    /// `PUT` the whole object (Databar: a full replace).
    Replace,
    /// `PUT` only these fields; the others are immutable after create (Cargo).
    Partial(&'static [&'static str]),
    /// No update endpoint: delete and create again (Agent Stack). The editor says so first.
    Recreate,
}

/// How the vendor's framework reads JSON types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coercion {
    /// Pydantic v2's lax mode (`FastAPI` vendors): `"5"` and `5.0` are the int 5, `"yes"` is true.
    Lax,
    /// JSON types as they are.
    Strict,
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
    /// `true` or `false`.
    Bool,
    /// Text shown masked, such as an OAuth client secret.
    SecretText,
    /// An identifier without whitespace, unique per workspace on the server (Cargo's slugs).
    Slug,
    /// A JSON object of string keys to string values with limits (Agent Stack's `metadata`).
    StringMap {
        max_pairs: usize,
        key_max: usize,
        value_max: usize,
    },
    /// Any JSON object (Cargo's `config`).
    JsonObject,
    /// `{unit, max}`: at most `max` calls per `unit` (Cargo's `rateLimit`).
    UnitRate { units: &'static [&'static str] },
}

/// One field of a vendor's connector body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "each flag is one independent fact of the vendor's documentation"
)]
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
    /// Sent but never returned by the server (Agent Stack's `client_secret`), so not a change.
    pub write_only: bool,
    /// The vendor's schema parses the text as a URL of any scheme (pydantic's `AnyUrl`);
    /// otherwise a URL field is plain text to the vendor and http(s) is patchcord's advice.
    pub any_url: bool,
    /// Unique per workspace: the vendor's 409 (conflict) is about this field.
    pub unique: bool,
    /// The field that must be set (a non-empty string) when this one is: the vendor's
    /// service answers 400 otherwise (Agent Stack's `client_secret` needs `client_id`).
    pub requires: Option<&'static str>,
}

/// The HTTP request a connector describes, by the fields that hold its parts: what try-it
/// fires and `patchcord curl` prints for the connector's own call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RequestShape {
    /// The field with the URL the connector calls.
    pub url: &'static str,
    /// The field with the method (absent: `GET`).
    pub method: Option<&'static str>,
    /// The name-value list of headers.
    pub headers: Option<&'static str>,
    /// The name-value list of query parameters.
    pub params: Option<&'static str>,
    /// The name-value list sent as a JSON object when no template is set.
    pub body: Option<&'static str>,
}

/// The fields that say how fast the platform may call a connector, which try-rows keeps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pace {
    /// The integer field with the most requests in flight (Databar's `max_concurrency`).
    pub concurrency: Option<&'static str>,
    /// The field with the rate: an integer per minute (Databar's `rate_limit`), or a
    /// [`FieldKind::UnitRate`] (Cargo's `rateLimit`).
    pub rate: Option<&'static str>,
}

/// How a list answer says a next page follows, and how to ask for it (Agent Stack's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// The answer's boolean: another page follows.
    pub more: &'static str,
    /// The answer's token for the next page.
    pub token: &'static str,
    /// The query parameter the token goes back in.
    pub param: &'static str,
}

/// How a vendor's connector connects to the server it registers, and which states allow
/// which transition (Agent Stack's MCP servers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkSpec {
    /// The server field with the connection state.
    pub state_field: &'static str,
    /// The server field with the authorization request (`authorization_endpoint`).
    pub auth_field: &'static str,
    /// The states a disconnect is allowed from (the vendor answers 400 from the others).
    /// Connect is allowed from every state.
    pub disconnect_from: &'static [&'static str],
}

impl LinkSpec {
    /// Whether a connector in `state` can be disconnected.
    pub fn can_disconnect(&self, state: Option<&str>) -> bool {
        state.is_some_and(|s| self.disconnect_from.contains(&s))
    }
}

/// Everything patchcord knows about one vendor's connector API.
#[derive(Debug)]
pub struct VendorSpec {
    pub vendor: Vendor,
    /// The identifier used in files, config and `--vendor` flags.
    pub key: &'static str,
    pub label: &'static str,
    /// The documentation's base URL (Agent Stack's is a placeholder: each runs at its own).
    pub default_base_url: &'static str,
    /// Whether `default_base_url` is a real public address a built-in target can use.
    pub public_base_url: bool,
    /// The request a connector describes, if it describes one (Cargo's do not).
    pub request: Option<RequestShape>,
    /// How a connector connects, if the vendor has a connection state.
    pub link: Option<LinkSpec>,
    /// Its rate and concurrency fields, if it has them.
    pub pace: Pace,
    /// The environment variable the key comes from when no config says otherwise.
    pub default_secret_env: &'static str,
    pub auth: Auth,
    /// How the vendor's schema reads JSON types.
    pub coercion: Coercion,
    pub id_kind: IdKind,
    /// `GET` (list) and `POST` (create) path.
    pub collection_path: &'static str,
    /// `GET`, `PUT`, `DELETE` path; `{id}` is replaced by the remote id.
    pub item_path: &'static str,
    /// The columns `patchcord list` shows after the id, as (heading, field of the server's
    /// connector), the widest last.
    pub list_columns: &'static [(&'static str, &'static str)],
    /// The key whose text people know a connector by; when it is empty, the URL it calls
    /// stands in.
    pub name_field: Option<&'static str>,
    /// The connector's body fields, in the vendor's order.
    pub fields: &'static [FieldSpec],
    /// Fields only the server sets (dropped when a pulled connector becomes a file).
    pub server_fields: &'static [&'static str],
    /// The field holding a Jinja body template, if the vendor has one.
    pub template_field: Option<&'static str>,
    /// The list the template's variables replace when a template is set.
    pub derived_field: Option<&'static str>,
    /// The key of the id in the server's connector object.
    pub id_field: &'static str,
    /// The key wrapping the connector in single-connector answers (Cargo: `connector`).
    pub response_key: Option<&'static str>,
    /// The key of the array in list answers (`None`: a bare array).
    pub list_key: Option<&'static str>,
    /// How list answers page (`None`: one answer holds every connector).
    pub paging: Option<Paging>,
    pub update: UpdateMode,
    /// The status code of a successful create.
    pub create_status: u16,
}

impl FieldSpec {
    /// An optional, non-null field without a default; the builders below add the rest, so the
    /// vendor tables read as one line per fact.
    pub const fn new(
        key: &'static str,
        label: &'static str,
        kind: FieldKind,
        help: &'static str,
    ) -> Self {
        FieldSpec {
            key,
            label,
            kind,
            required: false,
            nullable: false,
            default: None,
            help,
            write_only: false,
            any_url: false,
            unique: false,
            requires: None,
        }
    }

    #[must_use]
    pub const fn required(mut self) -> Self {
        self.required = true;
        self
    }

    #[must_use]
    pub const fn nullable(mut self) -> Self {
        self.nullable = true;
        self
    }

    #[must_use]
    pub const fn default(mut self, value: &'static str) -> Self {
        self.default = Some(value);
        self
    }

    #[must_use]
    pub const fn write_only(mut self) -> Self {
        self.write_only = true;
        self
    }

    #[must_use]
    pub const fn any_url(mut self) -> Self {
        self.any_url = true;
        self
    }

    #[must_use]
    pub const fn unique(mut self) -> Self {
        self.unique = true;
        self
    }

    #[must_use]
    pub const fn requires(mut self, key: &'static str) -> Self {
        self.requires = Some(key);
        self
    }
}

impl VendorSpec {
    /// The field a 409 (conflict) without field details is about: the one unique per
    /// workspace (Cargo's slug).
    pub fn conflict_field(&self) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.unique)
    }

    pub fn field(&self, key: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.key == key)
    }

    /// The fields an update sends (all of them for a replace).
    pub fn updatable(&self, key: &str) -> bool {
        match self.update {
            UpdateMode::Partial(keys) => keys.contains(&key),
            UpdateMode::Replace | UpdateMode::Recreate => true,
        }
    }

    /// Whether the vendor is a `FastAPI` app: pydantic's lax coercion is how its schema reads
    /// JSON, and Starlette redirects the other spelling of its paths' trailing slash.
    pub fn is_fastapi(&self) -> bool {
        self.coercion == Coercion::Lax
    }

    /// The item path for a remote id.
    pub fn item_path_for(&self, id: &str) -> String {
        self.item_path.replace("{id}", id)
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
