//! `$ref`: local JSON pointers (`#/components/schemas/Pet`) followed within the document;
//! anything else (another file, a URL) is refused, since patchcord reads one document. A
//! chain of references that comes back to itself is a cycle, refused with its path.

use super::OpenApiError;
use serde_json::Value;

/// The object `value` stands for: itself, or where its `$ref` (chain) leads.
pub(super) fn resolve<'a>(doc: &'a Value, value: &'a Value) -> Result<&'a Value, OpenApiError> {
    let mut seen: Vec<&str> = Vec::new();
    let mut current = value;
    while let Some(reference) = current.get("$ref").and_then(Value::as_str) {
        if seen.contains(&reference) {
            seen.push(reference);
            return Err(OpenApiError::Cycle(seen.join(" → ")));
        }
        seen.push(reference);
        current = lookup(doc, reference)?;
    }
    Ok(current)
}

/// The references a walk through nested schemas is inside of, so a schema that contains
/// itself (directly or through others) is found instead of walked for ever.
#[derive(Debug, Default)]
pub(super) struct Trail {
    refs: Vec<String>,
    /// Schemas entered so far: a document whose schemas share each other many times over
    /// would otherwise take exponential time to walk without any cycle.
    steps: usize,
}

/// How many schemas one import enters to compose examples; past it, no more are composed.
const MAX_STEPS: usize = 100_000;

impl Trail {
    /// Enters `schema`: resolves its `$ref` chain, refusing one already on the trail. The
    /// returned count is what [`Trail::leave`] takes back off.
    pub(super) fn enter<'a>(
        &mut self,
        doc: &'a Value,
        schema: &'a Value,
    ) -> Result<(&'a Value, usize), OpenApiError> {
        self.steps += 1;
        let mut current = schema;
        let mut pushed = 0;
        while let Some(reference) = current.get("$ref").and_then(Value::as_str) {
            if self.refs.iter().any(|r| r == reference) {
                let mut chain = self.refs.clone();
                chain.push(reference.to_owned());
                return Err(OpenApiError::Cycle(chain.join(" → ")));
            }
            self.refs.push(reference.to_owned());
            pushed += 1;
            current = lookup(doc, reference)?;
        }
        Ok((current, pushed))
    }

    /// Whether the walk has used its budget (examples are then left out, not the import).
    pub(super) fn spent(&self) -> bool {
        self.steps > MAX_STEPS
    }

    pub(super) fn leave(&mut self, pushed: usize) {
        self.refs.truncate(self.refs.len().saturating_sub(pushed));
    }
}

fn lookup<'a>(doc: &'a Value, reference: &str) -> Result<&'a Value, OpenApiError> {
    let refused = |reason| OpenApiError::Ref {
        reference: reference.to_owned(),
        reason,
    };
    let Some(fragment) = reference.strip_prefix('#') else {
        return Err(refused(
            "it points into another document; patchcord reads one (bundle the spec into one file first)",
        ));
    };
    let pointer = percent_decoded(fragment).ok_or_else(|| refused("it is not a JSON pointer"))?;
    if !pointer.is_empty() && !pointer.starts_with('/') {
        return Err(refused("it is not a JSON pointer"));
    }
    doc.pointer(&pointer)
        .ok_or_else(|| refused("nothing in the document is at that place"))
}

/// A URI fragment's `%XX` escapes decoded (`~0`/`~1` stay for the JSON pointer).
fn percent_decoded(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
