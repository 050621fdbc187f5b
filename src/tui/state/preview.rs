//! The template preview's bookkeeping. Compiling (variables, syntax errors) is cheap and done
//! here at once; rendering is bounded but not cheap, so it runs off the UI loop: the state
//! queues a numbered request, `update` hands it out as `Effect::Preview`, and only the answer
//! to the newest request is taken (`Msg::Previewed`).

use super::State;
use crate::template::{self, Preview, Rendered, Samples};

/// One render for the preview task.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewJob {
    /// Which request this is; an answer with an older number is stale.
    pub generation: u64,
    pub source: String,
    pub samples: Samples,
    pub body_is_json: bool,
}

impl PreviewJob {
    /// Renders it (what the preview task runs, off the loop).
    pub fn run(&self) -> Rendered {
        template::render_checked(&self.source, &self.samples, self.body_is_json)
    }

    fn same_input(&self, other: &PreviewJob) -> bool {
        self.source == other.source
            && self.samples == other.samples
            && self.body_is_json == other.body_is_json
    }
}

/// Where the preview's render stands.
#[derive(Debug, Default)]
pub struct Rendering {
    /// The newest request's number.
    generation: u64,
    /// What the newest request renders: an edit elsewhere in the form does not render again.
    latest: Option<PreviewJob>,
    /// The newest request, until `update` hands it out.
    queued: Option<PreviewJob>,
    /// The newest request has not been answered: the preview says "rendering…".
    pub pending: bool,
}

impl Rendering {
    fn request(&mut self, mut job: PreviewJob) {
        if self.latest.as_ref().is_some_and(|l| l.same_input(&job)) {
            return;
        }
        self.generation += 1;
        job.generation = self.generation;
        self.latest = Some(job.clone());
        self.queued = Some(job);
        self.pending = true;
    }

    /// Nothing to render (no template, or one that does not compile); any answer still on its
    /// way is for something older and is dropped.
    fn settle(&mut self) {
        self.generation += 1;
        self.latest = None;
        self.queued = None;
        self.pending = false;
    }

    /// Continues another document's numbering, so its late answers are not taken for ours.
    pub(super) fn continue_from(&mut self, before: &Rendering) {
        self.generation = self.generation.max(before.generation);
        self.latest = None;
        self.queued = None;
    }
}

impl State {
    /// Brings the preview up to date with the template and samples: the variables and any
    /// syntax error at once, the rendered output by a request for the preview task.
    pub fn refresh_preview(&mut self) {
        let Some(source) = self.connector.template() else {
            self.preview = Preview {
                variables: Vec::new(),
                output: Ok(String::new()),
                json: None,
            };
            self.rendering.settle();
            return;
        };
        match template::variables(source) {
            Ok(variables) => {
                self.preview.variables = variables;
                let job = PreviewJob {
                    generation: 0,
                    source: source.to_owned(),
                    samples: self.samples.clone(),
                    body_is_json: self.connector.body_is_json(),
                };
                self.rendering.request(job);
            }
            // The last known variables stay, so the samples table does not flicker away
            // mid-edit.
            Err(error) => {
                self.preview.output = Err(error);
                self.preview.json = None;
                self.rendering.settle();
            }
        }
    }

    /// The render `update` should start, once.
    pub fn take_preview_job(&mut self) -> Option<PreviewJob> {
        self.rendering.queued.take()
    }

    /// Takes a render's answer if it answers the newest request; a stale one is dropped.
    pub fn previewed(&mut self, generation: u64, rendered: Rendered) {
        if generation != self.rendering.generation || !self.rendering.pending {
            return;
        }
        self.preview.output = rendered.output;
        self.preview.json = rendered.json;
        self.rendering.pending = false;
    }

    /// Answers the newest request here and now, as the preview task would (tests only: the
    /// editor never renders on its loop).
    #[cfg(test)]
    pub fn render_preview_now(&mut self) {
        self.rendering.queued = None;
        if let Some(job) = self
            .rendering
            .latest
            .clone()
            .filter(|_| self.rendering.pending)
        {
            let rendered = job.run();
            self.previewed(job.generation, rendered);
        }
    }
}
