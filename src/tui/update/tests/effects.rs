//! The effects a key returned, checked: dropping them unread fails the test when any of them
//! is more than the ambient ones (the journal write and the preview render that follow every
//! edit). So a test that presses Enter and ignores an answer cannot hide a submit, a save or a
//! request that escaped; it says what it expects with `expect`, or reads the list.

use super::super::super::effect::Effect;
use std::cell::Cell;
use std::ops::{Deref, DerefMut};

/// What one or more keys returned.
#[derive(Debug, Default)]
pub struct Effects {
    list: Vec<Effect>,
    /// The test looked at the list (any read counts).
    read: Cell<bool>,
}

/// Effects every edit has: the journal keeps the edit, the preview renders it.
fn ambient(effect: &Effect) -> bool {
    matches!(effect, Effect::Journal { .. } | Effect::Preview(_))
}

impl Effects {
    pub fn new(list: Vec<Effect>) -> Self {
        Effects {
            list,
            read: Cell::new(false),
        }
    }

    /// Asserts that these effects, and no others beside the ambient ones, were returned (in
    /// any order; each predicate must match one effect).
    #[track_caller]
    pub fn expect(self, wanted: &[fn(&Effect) -> bool]) {
        let mut rest: Vec<&Effect> = self.list.iter().filter(|e| !ambient(e)).collect();
        for want in wanted {
            let at = rest.iter().position(|e| want(e));
            assert!(at.is_some(), "an expected effect is missing from {rest:#?}");
            if let Some(at) = at {
                rest.remove(at);
            }
        }
        assert!(rest.is_empty(), "unexpected effects: {rest:#?}");
        self.read.set(true);
    }

    /// Asserts that nothing beyond the ambient effects was returned.
    #[track_caller]
    pub fn none(self) {
        self.expect(&[]);
    }

    /// The effects, for a test that asserts on them itself.
    pub fn into_vec(self) -> Vec<Effect> {
        self.read.set(true);
        std::mem::take(&mut std::mem::ManuallyDrop::new(self).list)
    }
}

impl Deref for Effects {
    type Target = Vec<Effect>;
    fn deref(&self) -> &Vec<Effect> {
        self.read.set(true);
        &self.list
    }
}

impl DerefMut for Effects {
    fn deref_mut(&mut self) -> &mut Vec<Effect> {
        self.read.set(true);
        &mut self.list
    }
}

impl IntoIterator for Effects {
    type Item = Effect;
    type IntoIter = std::vec::IntoIter<Effect>;
    fn into_iter(self) -> Self::IntoIter {
        self.into_vec().into_iter()
    }
}

impl PartialEq<Vec<Effect>> for Effects {
    fn eq(&self, other: &Vec<Effect>) -> bool {
        self.read.set(true);
        &self.list == other
    }
}

impl<const N: usize> PartialEq<[Effect; N]> for Effects {
    fn eq(&self, other: &[Effect; N]) -> bool {
        self.read.set(true);
        self.list == other
    }
}

impl Drop for Effects {
    fn drop(&mut self) {
        if self.read.get() || std::thread::panicking() {
            return;
        }
        let escaped: Vec<&Effect> = self.list.iter().filter(|e| !ambient(e)).collect();
        assert!(
            escaped.is_empty(),
            "a key's effects were dropped unread; say what is expected (`.expect`, `.none`) \
             or read them: {escaped:#?}"
        );
    }
}

#[test]
#[should_panic(expected = "dropped unread")]
fn an_unread_submit_fails_the_test() {
    let mut s = super::state();
    s.doc.connector.set("name", "x".into());
    // Ctrl-R opens the review, Enter submits: the submit is dropped unread.
    let _ = super::ctrl(&mut s, 'r');
    super::press(&mut s, crossterm::event::KeyCode::Enter);
}

#[test]
fn journal_writes_and_renders_are_ambient() {
    let mut s = super::state();
    super::focus_field(&mut s, "name");
    // Typing journals and re-renders: nothing else, so dropping it is fine.
    super::typed(&mut s, "abc");
    super::typed(&mut s, "d").none();
}
