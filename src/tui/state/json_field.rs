//! The JSON-object field's editor (Cargo's `config`): why its text is not accepted.

use serde_json::Value;

/// Why the JSON editor's text is not accepted, and where (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonProblem {
    pub message: String,
    pub position: Option<(usize, usize)>,
}

/// What is wrong with a JSON field's value as the editor shows it: text that does not parse
/// (with where), or JSON that is not an object. `None` when it is an object or absent.
pub fn json_problem(value: Option<&Value>) -> Option<JsonProblem> {
    match value? {
        Value::Object(_) | Value::Null => None,
        Value::String(text) => Some(match serde_json::from_str::<Value>(text) {
            Ok(_) => JsonProblem {
                message: "must be a JSON object".into(),
                position: None,
            },
            Err(e) => {
                let message = e.to_string();
                let message = message
                    .split(" at line ")
                    .next()
                    .unwrap_or(&message)
                    .to_owned();
                JsonProblem {
                    message,
                    position: Some((e.line(), e.column().max(1))),
                }
            }
        }),
        _ => Some(JsonProblem {
            message: "must be a JSON object".into(),
            position: None,
        }),
    }
}
