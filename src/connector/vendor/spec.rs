//! The words a vendor's description is written in: its auth, ids, update mode, coercion,
//! field kinds and field specs, the request a connector describes, its pace, paging and
//! connection state, and `VendorSpec`, which holds them all.

use super::Vendor;

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

    /// The keys whose text titles a connector, in order: its name, then the URL it calls.
    pub fn title_keys(&self) -> impl Iterator<Item = &'static str> {
        [self.name_field, self.request.map(|r| r.url)]
            .into_iter()
            .flatten()
    }

    /// The item path for a remote id.
    pub fn item_path_for(&self, id: &str) -> String {
        self.item_path.replace("{id}", id)
    }
}
