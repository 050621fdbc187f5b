//! `State`: everything the editor shows, in one value. `update` changes it, `view` reads it.
//! No IO and no terminal here; derived data (findings, preview) is recomputed by `refresh`,
//! except the preview's render, which `refresh` only asks for (`state/preview.rs`).

use super::items::{LocalItem, RemoteItem};
use super::keymap::Keymap;
use crate::connector::{
    self, Connector, FieldChange, FieldKind, FieldSpec, Finding, NameValue, TargetRef, Vendor,
};
use crate::template::{Preview, Samples};
use serde_json::Value;
use std::path::PathBuf;

mod browse;
pub mod code_editor;
mod completion;
mod history;
mod import;
mod json_field;
mod line_input;
mod link;
mod overlay;
mod palette;
mod preview;
mod problems;
mod rows_run;
mod rows_table;
mod session;
pub use code_editor::CodeEditor;
pub use history::History;
pub use import::{ImportKind, OperationPick, spec_source};
pub use json_field::{JsonProblem, json_problem};
pub use line_input::LineInput;
pub use link::{LinkState, has_link_state};
pub use overlay::Overlay;
pub use palette::{CommandPalette, PaletteEntry};
pub use preview::{Analysis, PreviewDone, PreviewJob, Rendering, SYNC_ANALYSIS_BYTES};
pub use problems::{Goto, Problem, ProblemKind};
pub use rows_run::{Origin, RowResult, RowsRun, selected_cells};
pub use rows_table::{RowsTable, TrySession};
pub use session::{BeforeImport, Document, Journal, Session, Status, Target};

/// The smallest terminal the editor lays itself out in; below it says so instead.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

/// Where keys go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    /// The target picker (which server a submit goes to).
    Target,
    /// A form field, by index into `form_fields`.
    Field(usize),
    /// The current tab's table (or, on the template tab, the editor).
    Panel,
    /// The template tab's table of sample values.
    Samples,
}

/// Another connector to open in place of the current one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Switch {
    /// A file (`as_new`: an example, opened as a new connector with no file).
    File { path: PathBuf, as_new: bool },
    /// A connector on the target.
    Remote { vendor: Vendor, id: String },
    /// An empty connector of a vendor.
    New(Vendor),
}

/// Which column of a name-value row is being edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Name,
    Value,
}

/// A table row being edited in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CellEdit {
    pub row: usize,
    pub column: Column,
    pub input: LineInput,
    /// The row before editing, restored by Esc (`None`: the row was just added; Esc removes it).
    pub original: Option<NameValue>,
}

/// The browse overlay's lists.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Browse {
    pub remote: Option<Result<Vec<RemoteItem>, String>>,
    pub files: Vec<LocalItem>,
    /// Each file's state against the target, once compared (`connector::sync`).
    pub sync: Vec<(PathBuf, connector::SyncState)>,
    pub examples: Vec<LocalItem>,
    /// The selected row of `entries()` (the filtered list).
    pub selected: usize,
    /// The fuzzy filter typed after `/`; `None` when not filtering.
    pub filter: Option<LineInput>,
}

/// One entry of the browse list, in display order.
#[derive(Debug, Clone, PartialEq)]
pub enum BrowseEntry<'a> {
    Remote(&'a RemoteItem),
    File(&'a LocalItem),
    Example(&'a LocalItem),
    /// An empty connector for a vendor.
    New(Vendor),
    /// Import into the form: a curl command, or an OpenAPI operation.
    Import(ImportKind),
}

impl Browse {
    pub fn entries(&self) -> Vec<BrowseEntry<'_>> {
        let mut out: Vec<BrowseEntry<'_>> = Vec::new();
        if let Some(Ok(items)) = &self.remote {
            out.extend(items.iter().map(BrowseEntry::Remote));
        }
        out.extend(self.files.iter().map(BrowseEntry::File));
        out.extend(self.examples.iter().map(BrowseEntry::Example));
        out.extend(Vendor::ALL.iter().copied().map(BrowseEntry::New));
        out.extend([ImportKind::Curl, ImportKind::OpenApi].map(BrowseEntry::Import));
        match &self.filter {
            Some(filter) if !filter.text.is_empty() => {
                let texts: Vec<String> = out.iter().map(BrowseEntry::search_text).collect();
                let mut keep = super::fuzzy::filter(&filter.text, texts.iter().map(String::as_str));
                // In list order, so each section stays together under its heading.
                keep.sort_unstable();
                keep.into_iter()
                    .filter_map(|i| out.get(i).cloned())
                    .collect()
            }
            _ => out,
        }
    }
}

/// The editor's whole state.
#[derive(Debug)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent flags the view reads; an enum would couple them"
)]
pub struct State {
    /// The effective keys: the defaults with the config's `[keys]` patched in. Part of the
    /// state (not a global) so `update` and `view` stay functions of what they are given.
    pub keymap: Keymap,
    /// The colours the screen is drawn in (`[theme]`, or none with `NO_COLOR`).
    pub palette: super::theme::Palette,
    /// The open connector, its samples and file (replaced whole when another one opens).
    pub doc: Document,
    /// The target, the journal's place and the terminal: kept when another connector opens.
    pub session: Session,
    /// Text was typed into the open overlay (bulk edit, save as, connect), so the journal
    /// keeps it.
    pub drafted: bool,
    pub focus: Focus,
    /// Index into `panel_fields`.
    pub tab: usize,
    /// Selected row per panel field (same index as `panel_fields`), and in the samples table.
    pub rows: Vec<usize>,
    pub sample_row: usize,
    pub form_input: LineInput,
    pub cell: Option<CellEdit>,
    pub template: CodeEditor,
    /// The JSON editor of a `JsonObject` field (Cargo's `config`), on its own tab.
    pub json: CodeEditor,
    /// Why the JSON editor's text is not a JSON object (recomputed by `refresh`).
    pub json_problem: Option<JsonProblem>,
    /// The connector's connection state on the target (vendors that have one: Agent Stack).
    pub link: Option<LinkState>,
    /// What the next "copied" toast says was copied (and which values were masked in it).
    pub copy_label: String,
    pub preview: Preview,
    /// The preview's render, which runs off the loop (`state/preview.rs`).
    pub rendering: Rendering,
    /// The template's last compile (variables or syntax error), kept with its text.
    pub analysis: Option<Analysis>,
    pub findings: Vec<Finding>,
    /// Messages the server attached to fields on the last refused submit.
    pub server_errors: Vec<(connector::FieldPath, String)>,
    /// Fields the server stored differently on the last submit (highlighted until edited).
    pub changes: Vec<FieldChange>,
    pub reveal: bool,
    pub overlay: Option<Overlay>,
    /// A short confirmation in the status bar ("saved", "copied").
    pub toast: Option<String>,
    pub spinner: usize,
    /// The quit prompt chose "save and quit": quit once the save lands.
    pub quit_pending: bool,
    /// The switch prompt chose "save first": open the other connector once the save lands.
    pub switch_pending: Option<Switch>,
    pub quit: bool,
    /// The try-it selects (kept when another connector opens) and the typed rows.
    pub tries: TrySession,
}

/// The form's fields: every vendor field that is not a list or a template, in table order.
pub fn form_fields(vendor: Vendor) -> Vec<&'static FieldSpec> {
    vendor
        .spec()
        .fields
        .iter()
        .filter(|f| !is_panel_kind(f.kind))
        .collect()
}

/// The vendor's JSON-object field (Cargo's `config`), edited on its own tab.
pub fn json_field(vendor: Vendor) -> Option<&'static FieldSpec> {
    vendor
        .spec()
        .fields
        .iter()
        .find(|f| matches!(f.kind, FieldKind::JsonObject))
}

/// Lists and the template get a tab of their own; everything else is a form row.
fn is_panel_kind(kind: FieldKind) -> bool {
    matches!(
        kind,
        FieldKind::NameValues { .. }
            | FieldKind::Template { .. }
            | FieldKind::StringMap { .. }
            | FieldKind::JsonObject
    )
}

/// The tabs: name-value lists, string maps and the template, in table order.
pub fn panel_fields(vendor: Vendor) -> Vec<&'static FieldSpec> {
    vendor
        .spec()
        .fields
        .iter()
        .filter(|f| is_panel_kind(f.kind))
        .collect()
}

/// The template editor over a template's text.
pub fn template_area(text: &str) -> CodeEditor {
    CodeEditor::new(text, "{\"domain\": {{ domain|tojson }}}", true)
}

/// The JSON editor over a field's value: an object pretty-printed, text kept as typed.
pub fn json_area(value: Option<&Value>) -> CodeEditor {
    let text = match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => serde_json::to_string_pretty(other).unwrap_or_default(),
    };
    CodeEditor::new(&text, "{\"key\": \"value\"}", true)
}

/// The bulk editor over `name: value` lines.
pub fn bulk_area(text: &str) -> CodeEditor {
    CodeEditor::new(text, "Content-Type: application/json", false)
}

impl State {
    /// A fresh editor over a connector.
    pub fn new(connector: Connector, samples: Samples, file: Option<PathBuf>) -> Self {
        let panels = panel_fields(connector.vendor).len();
        let template = template_area(connector.template().unwrap_or_default());
        let json =
            json_area(json_field(connector.vendor).and_then(|f| connector.fields.get(f.key)));
        let mut state = State {
            keymap: Keymap::default(),
            palette: super::theme::Palette::default(),
            doc: Document::new(connector, samples, file),
            session: Session::default(),
            drafted: false,
            focus: Focus::Field(0),
            tab: 0,
            rows: vec![0; panels],
            sample_row: 0,
            form_input: LineInput::default(),
            cell: None,
            template,
            json,
            json_problem: None,
            link: None,
            copy_label: String::new(),
            preview: Preview {
                variables: Vec::new(),
                output: Ok(String::new()),
                json: None,
            },
            rendering: Rendering::default(),
            analysis: None,
            findings: Vec::new(),
            server_errors: Vec::new(),
            changes: Vec::new(),
            reveal: false,
            overlay: None,
            toast: None,
            spinner: 0,
            quit_pending: false,
            switch_pending: None,
            quit: false,
            tries: TrySession::default(),
        };
        state.refresh();
        state.load_form_input();
        state.mark_saved();
        state
    }

    /// Switches to another document (an opened file, an example, a recovered journal), keeping
    /// the settings (keys, colours), the session (the target and its connection, the journal's
    /// place, the terminal size, the request counter) and the preview's render in flight.
    pub fn replace_document(
        &mut self,
        connector: Connector,
        samples: Samples,
        file: Option<PathBuf>,
    ) {
        let mut next = State::new(connector, samples, file);
        next.keymap = std::mem::take(&mut self.keymap);
        next.palette = self.palette;
        next.session = std::mem::take(&mut self.session);
        next.tries.selects = std::mem::take(&mut self.tries.selects);
        next.rendering.continue_from(&self.rendering);
        next.refresh_preview();
        *self = next;
    }

    /// Recomputes what is derived from the connector: the findings and the template preview.
    pub fn refresh(&mut self) {
        self.analyze_template();
        self.findings = connector::validate_with(&self.doc.connector, self.template_facts());
        self.json_problem = json_field(self.doc.connector.vendor)
            .and_then(|f| json_problem(self.doc.connector.fields.get(f.key)));
        self.refresh_preview();
        // The render the preview shows still stands (nothing new to render): so does its limit.
        if !self.rendering.pending {
            self.note_template_limit();
        }
    }

    /// Reloads the JSON editor from the connector (after a submit adopted the server's value).
    pub fn reload_json(&mut self) {
        let value = json_field(self.doc.connector.vendor)
            .and_then(|f| self.doc.connector.fields.get(f.key));
        self.json = json_area(value);
    }

    /// The picked target as ids refer to it: the one connected to, or before the connection
    /// is up the picked name (whose base URL is not known yet, so no remote id matches it).
    pub fn target_ref(&self) -> TargetRef {
        match self.session.target.connected_to() {
            Some(target) => target.clone(),
            None => TargetRef::new(&self.session.target.picked, ""),
        }
    }

    /// Connected to a live target (not the sandbox).
    pub fn live(&self) -> bool {
        self.session
            .target
            .connected_to()
            .is_some_and(|t| !t.is_sandbox())
    }

    /// The connector's id on the current target.
    pub fn remote_id(&self) -> Option<&str> {
        self.doc.connector.remote_id_for(&self.target_ref())
    }

    /// Whether the current tab is a JSON editor.
    pub fn on_json_tab(&self) -> bool {
        self.tab_field()
            .is_some_and(|f| matches!(f.kind, FieldKind::JsonObject))
    }

    /// Whether the current tab is a text editor (the template or a JSON object).
    pub fn on_editor_tab(&self) -> bool {
        self.on_template_tab() || self.on_json_tab()
    }

    /// Whether a field cannot be changed any more: created on the target, and the vendor's
    /// partial update does not send it (Cargo's slugs).
    pub fn read_only(&self, field: &FieldSpec) -> bool {
        self.remote_id().is_some()
            && matches!(
                self.doc.connector.spec().update,
                connector::UpdateMode::Partial(_)
            )
            && !self.doc.connector.spec().updatable(field.key)
    }

    /// Reloads the template editor from the connector (after an open or an external edit).
    pub fn reload_template(&mut self) {
        self.template = template_area(self.doc.connector.template().unwrap_or_default());
    }

    /// The focused form field's spec, if a form field has the focus.
    pub fn focused_field(&self) -> Option<&'static FieldSpec> {
        match self.focus {
            Focus::Field(i) => form_fields(self.doc.connector.vendor).get(i).copied(),
            _ => None,
        }
    }

    /// The current tab's field.
    pub fn tab_field(&self) -> Option<&'static FieldSpec> {
        panel_fields(self.doc.connector.vendor)
            .get(self.tab)
            .copied()
    }

    /// Whether the current tab is the template.
    pub fn on_template_tab(&self) -> bool {
        self.tab_field()
            .is_some_and(|f| matches!(f.kind, FieldKind::Template { .. }))
    }

    /// Whether the current tab's list is derived from the template (read-only).
    pub fn tab_is_derived(&self) -> bool {
        let spec = self.doc.connector.spec();
        self.tab_field().map(|f| f.key) == spec.derived_field
            && self.doc.connector.template().is_some()
    }

    /// The rows the current tab shows: the list, or the derived body when a template is set.
    pub fn tab_rows(&self) -> Vec<NameValue> {
        let Some(field) = self.tab_field() else {
            return Vec::new();
        };
        if self.tab_is_derived() {
            return self.doc.connector.derived_body().unwrap_or_default();
        }
        self.rows_of(field)
    }

    /// A list field's rows as stored (a name-value list, or a string map's entries).
    pub fn rows_of(&self, field: &FieldSpec) -> Vec<NameValue> {
        if matches!(field.kind, FieldKind::StringMap { .. }) {
            // A JSON object of strings (Agent Stack's metadata), shown as name-value rows.
            return self
                .doc
                .connector
                .fields
                .get(field.key)
                .and_then(Value::as_object)
                .map(|map| {
                    map.iter()
                        .map(|(k, v)| {
                            let value = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
                            NameValue::new(k.clone(), value)
                        })
                        .collect()
                })
                .unwrap_or_default();
        }
        self.doc.connector.name_values(field.key)
    }

    /// The selected row of the current tab, clamped to the list.
    pub fn selected_row(&self) -> usize {
        let len = self.tab_rows().len();
        self.rows
            .get(self.tab)
            .copied()
            .unwrap_or(0)
            .min(len.saturating_sub(1))
    }

    /// The text a form field shows when it is not focused (its value or its default).
    pub fn field_text(&self, field: &FieldSpec) -> String {
        if matches!(field.kind, FieldKind::UnitRate { .. }) {
            // The number only; the unit has its own picker beside it.
            return match self.doc.connector.fields.get(field.key) {
                Some(Value::Object(rate)) => rate.get("max").map_or_else(String::new, |m| {
                    m.as_str().map_or_else(|| m.to_string(), str::to_owned)
                }),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
        }
        match self.doc.connector.fields.get(field.key) {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        }
    }

    /// The unit picked for a rate field (`{unit, max}`), if one is.
    pub fn rate_unit(&self, key: &str) -> Option<&str> {
        self.doc
            .connector
            .fields
            .get(key)
            .and_then(|v| v.get("unit"))
            .and_then(Value::as_str)
    }

    /// Loads the focused text field into the input (cursor at the end).
    pub fn load_form_input(&mut self) {
        if let Some(field) = self.focused_field() {
            self.form_input = LineInput::new(&self.field_text(field));
        }
    }

    /// The first problem on a field (or one of its rows): server errors first, then errors,
    /// then warnings.
    pub fn problem_for(&self, key: &str, index: Option<usize>) -> Option<(String, bool)> {
        let matches = |path: &connector::FieldPath| {
            path.field() == Some(key) && (index.is_none() || path.index() == index)
        };
        if let Some((_, message)) = self.server_errors.iter().find(|(p, _)| matches(p)) {
            return Some((format!("server: {message}"), true));
        }
        let mut findings: Vec<&Finding> =
            self.findings.iter().filter(|f| matches(&f.path)).collect();
        findings.sort_by_key(|f| f.severity);
        findings
            .first()
            .map(|f| (f.message.clone(), f.severity == connector::Severity::Error))
    }

    /// How many problems block a submit (errors) and how many are warnings.
    pub fn problem_counts(&self) -> (usize, usize) {
        let errors = self
            .findings
            .iter()
            .filter(|f| f.severity == connector::Severity::Error)
            .count();
        (errors, self.findings.len() - errors)
    }

    /// Whether a request is in flight (the only time the spinner ticks).
    pub fn busy(&self) -> bool {
        matches!(
            self.overlay,
            Some(Overlay::Sending { .. } | Overlay::Firing { .. } | Overlay::Linking { .. })
        )
    }

    /// Whether the server changed this field on the last submit.
    pub fn changed(&self, key: &str) -> Option<&FieldChange> {
        self.changes.iter().find(|c| c.key == key)
    }

    /// "also open in PID 123" while other live editors have the file open.
    pub fn elsewhere_label(&self) -> Option<String> {
        let pids: Vec<String> = self
            .session
            .journal
            .elsewhere
            .iter()
            .map(|pid| pid.map_or_else(|| "?".to_owned(), |p| p.to_string()))
            .collect();
        match pids.as_slice() {
            [] => None,
            [one] => Some(format!("also open in another patchcord (PID {one})")),
            many => Some(format!(
                "also open in other patchcords (PIDs {})",
                many.join(", ")
            )),
        }
    }

    /// A new request id (for cancellation and to drop stale answers).
    pub fn new_request(&mut self) -> u64 {
        let id = self.session.next_request;
        self.session.next_request += 1;
        id
    }
}
