//! `NameValue` (seed 003): one header, query parameter or body field.

use serde_json::{Map, Value};

/// A `{name, value}` pair. A value of "" is an input slot the platform later fills from a table
/// column; a non-empty value is a constant sent on every call.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct NameValue {
    pub name: String,
    #[serde(default)]
    pub value: String,
}

impl NameValue {
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        NameValue {
            name: name.into(),
            value: value.into(),
        }
    }

    /// An input slot: a name with an empty value.
    pub fn slot(name: impl Into<String>) -> Self {
        NameValue::new(name, "")
    }

    /// Reads a pair from JSON; `value` defaults to "" as the schema says. `None` when the
    /// item is not an object with a string `name` (and, if present, a string `value`).
    pub fn from_json(item: &Value) -> Option<Self> {
        let object = item.as_object()?;
        let name = object.get("name")?.as_str()?.to_owned();
        let value = match object.get("value") {
            None => String::new(),
            Some(v) => v.as_str()?.to_owned(),
        };
        Some(NameValue { name, value })
    }

    pub fn to_json(&self) -> Value {
        let mut object = Map::new();
        object.insert("name".into(), Value::String(self.name.clone()));
        object.insert("value".into(), Value::String(self.value.clone()));
        Value::Object(object)
    }

    /// Whether the value should be masked on screen: the name says it is a credential.
    pub fn looks_secret(&self) -> bool {
        super::mask::is_secret_name(&self.name)
    }
}
