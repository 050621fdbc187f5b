//! The template preview's bookkeeping. Rendering is bounded but not cheap, so it runs off the
//! UI loop: the state queues a numbered request, `update` hands it out as `Effect::Preview`,
//! and only the answer to the newest request is taken (`Msg::Previewed`).
//!
//! Compiling (the variables, a syntax error) is kept as the template's [`Analysis`], so an
//! edit elsewhere in the form never compiles it again. A template up to
//! [`SYNC_ANALYSIS_BYTES`] is compiled on the loop at once (well under a millisecond); a
//! larger one is compiled by the preview task with its render, the last analysis standing
//! until the answer comes, so a keystroke in a 2 MiB template never waits for a compile.

use super::State;
use crate::connector::TemplateFacts;
use crate::template::{self, Preview, Rendered, Samples};

/// Templates up to this size are compiled on the loop; larger ones by the preview task.
pub const SYNC_ANALYSIS_BYTES: usize = 64 * 1024;

/// What compiling one template text gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    pub source: String,
    pub facts: TemplateFacts,
}

/// One render for the preview task.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewJob {
    /// Which request this is; an answer with an older number is stale.
    pub generation: u64,
    pub source: String,
    pub samples: Samples,
    pub body_is_json: bool,
    /// Compile it first (a template too large to compile on the loop).
    pub analyze: bool,
}

/// What the preview task answers: the render, and the compile when the job asked for one.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewDone {
    pub rendered: Rendered,
    pub facts: Option<TemplateFacts>,
}

impl PreviewJob {
    /// Compiles (when asked) and renders it: what the preview task runs, off the loop.
    pub fn run(&self) -> PreviewDone {
        let facts = self.analyze.then(|| template::variables(&self.source));
        let rendered = match &facts {
            Some(Err(error)) => Rendered {
                output: Err(error.clone()),
                json: None,
            },
            _ => template::render_checked(&self.source, &self.samples, self.body_is_json),
        };
        PreviewDone { rendered, facts }
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
        let Some(source) = self.doc.connector.template() else {
            self.preview = Preview {
                variables: Vec::new(),
                output: Ok(String::new()),
                json: None,
            };
            self.rendering.settle();
            return;
        };
        let facts = self
            .analysis
            .as_ref()
            .filter(|a| a.source == source)
            .map(|a| &a.facts);
        let job = |analyze: bool| PreviewJob {
            generation: 0,
            source: source.to_owned(),
            samples: self.doc.samples.clone(),
            body_is_json: self.doc.connector.body_is_json(),
            analyze,
        };
        match facts {
            Some(Ok(variables)) => {
                self.preview.variables.clone_from(variables);
                let job = job(false);
                self.rendering.request(job);
            }
            // The last known variables stay, so the samples table does not flicker away
            // mid-edit.
            Some(Err(error)) => {
                self.preview.output = Err(error.clone());
                self.preview.json = None;
                self.rendering.settle();
            }
            // Too large to compile here: the preview task compiles it with its render.
            None => {
                let job = job(true);
                self.rendering.request(job);
            }
        }
    }

    /// Brings the template's analysis up to date: at once for a template up to
    /// [`SYNC_ANALYSIS_BYTES`]; a larger one keeps its last analysis until the preview task
    /// answers.
    pub(super) fn analyze_template(&mut self) {
        match self.doc.connector.template() {
            None => self.analysis = None,
            Some(source) if self.analysis.as_ref().is_some_and(|a| a.source == source) => {}
            Some(source) if source.len() <= SYNC_ANALYSIS_BYTES => {
                self.analysis = Some(Analysis {
                    source: source.to_owned(),
                    facts: template::variables(source),
                });
            }
            Some(_) => {}
        }
    }

    /// The template facts validation uses: the current analysis, or the last one while a
    /// large template's compile is on its way.
    pub(super) fn template_facts(&self) -> Option<&TemplateFacts> {
        self.doc.connector.template()?;
        self.analysis.as_ref().map(|a| &a.facts)
    }

    /// The render `update` should start, once.
    pub fn take_preview_job(&mut self) -> Option<PreviewJob> {
        self.rendering.queued.take()
    }

    /// Takes a render's answer if it answers the newest request; a stale one is dropped. A
    /// compile that came with it becomes the analysis, and the findings follow.
    pub fn previewed(&mut self, generation: u64, done: PreviewDone) {
        if generation != self.rendering.generation || !self.rendering.pending {
            return;
        }
        if let (Some(facts), Some(job)) = (done.facts, &self.rendering.latest) {
            if let Ok(variables) = &facts {
                self.preview.variables.clone_from(variables);
            }
            self.analysis = Some(Analysis {
                source: job.source.clone(),
                facts,
            });
            self.findings =
                crate::connector::validate_with(&self.doc.connector, self.template_facts());
        }
        self.preview.output = done.rendered.output;
        self.preview.json = done.rendered.json;
        self.rendering.pending = false;
        self.note_template_limit();
    }

    /// A render with the samples that ran past the template's bounds is an error of the
    /// connector, as `validate` with samples says on the command line: the status bar counts it
    /// and submit is blocked until it is fixed.
    pub(super) fn note_template_limit(&mut self) {
        self.findings
            .retain(|f| f.rule != crate::connector::Rule::TemplateLimit);
        if let (Err(error), Some(key)) = (
            &self.preview.output,
            self.doc.connector.spec().template_field,
        ) && error.limit.is_some()
        {
            self.findings.push(crate::connector::Finding {
                path: crate::connector::FieldPath::key(key),
                rule: crate::connector::Rule::TemplateLimit,
                severity: crate::connector::Severity::Error,
                message: error.to_string(),
                by: crate::connector::Enforcer::Client,
            });
        }
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
            let done = job.run();
            self.previewed(job.generation, done);
        }
    }
}
