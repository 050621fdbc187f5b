//! Where in a connector body something is: `headers[1].name`. Findings, server field errors
//! (a 422's `loc`) and the editor's error placement all speak in these paths.

use std::fmt;

/// One step of a path into the connector body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathSeg {
    Key(String),
    Index(usize),
}

/// Where a finding is: `headers[1].name`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FieldPath(pub Vec<PathSeg>);

impl FieldPath {
    pub fn key(key: &str) -> Self {
        FieldPath(vec![PathSeg::Key(key.to_owned())])
    }

    /// `key[index].sub`, a field of one item of a list.
    pub(super) fn item(key: &str, index: usize, sub: &str) -> Self {
        FieldPath(vec![
            PathSeg::Key(key.to_owned()),
            PathSeg::Index(index),
            PathSeg::Key(sub.to_owned()),
        ])
    }

    /// This path one step deeper.
    #[must_use]
    pub fn child(&self, seg: PathSeg) -> Self {
        let mut segs = self.0.clone();
        segs.push(seg);
        FieldPath(segs)
    }

    /// The top-level field this path is under.
    pub fn field(&self) -> Option<&str> {
        match self.0.first() {
            Some(PathSeg::Key(k)) => Some(k),
            _ => None,
        }
    }

    /// The list index, for paths into a name-value list.
    pub fn index(&self) -> Option<usize> {
        match self.0.get(1) {
            Some(PathSeg::Index(i)) => Some(*i),
            _ => None,
        }
    }

    /// Parses `headers[1].name` (the form servers and users write) back into a path.
    pub fn parse(text: &str) -> FieldPath {
        let mut segs = Vec::new();
        for part in text.split('.') {
            let mut rest = part;
            if let Some(open) = rest.find('[') {
                let (key, tail) = rest.split_at(open);
                if !key.is_empty() {
                    segs.push(PathSeg::Key(key.to_owned()));
                }
                rest = tail;
                while let Some(stripped) = rest.strip_prefix('[') {
                    let Some(close) = stripped.find(']') else {
                        break;
                    };
                    let (inner, after) = stripped.split_at(close);
                    match inner.parse() {
                        Ok(i) => segs.push(PathSeg::Index(i)),
                        Err(_) => segs.push(PathSeg::Key(inner.to_owned())),
                    }
                    rest = after.get(1..).unwrap_or_default();
                }
            } else if !rest.is_empty() {
                segs.push(PathSeg::Key(rest.to_owned()));
            }
        }
        FieldPath(segs)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                PathSeg::Key(k) if i == 0 => f.write_str(k)?,
                PathSeg::Key(k) => write!(f, ".{k}")?,
                PathSeg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}
