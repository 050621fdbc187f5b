//! What the template editor offers to complete as you type (`template::complete`), and the
//! variable under its cursor: both derived from the state when asked, never stored.

use super::{Focus, State};
use crate::template::complete::{self, Completion};

impl State {
    /// Names completing the word before the template editor's cursor, while the editor has
    /// the keys and nothing is selected: variables (the template's and the samples'), filters
    /// after `|`, tests after `is`. Tab takes the first.
    pub fn completion(&self) -> Option<Completion> {
        if self.focus != Focus::Panel
            || !self.on_template_tab()
            || self.overlay.is_some()
            || self.template.selection().is_some()
        {
            return None;
        }
        let cursor = self.template.cursor();
        let line = self.template.lines().get(cursor.row)?;
        let head: String = line.chars().take(cursor.col).collect();
        let mut names = self.preview.variables.clone();
        names.extend(self.doc.samples.keys().cloned());
        complete::complete(&head, &names)
    }

    /// The name under the template editor's cursor while it has the focus (the variables
    /// table marks it).
    pub fn name_at_cursor(&self) -> Option<String> {
        if self.focus != Focus::Panel || !self.on_template_tab() {
            return None;
        }
        let cursor = self.template.cursor();
        complete::name_at(self.template.lines().get(cursor.row)?, cursor.col)
    }
}
