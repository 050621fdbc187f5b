//! Core benchmarks: what the editor does on every keystroke in the template (extract variables
//! and render a 2048-character template) and what every face does before a submit (validate).
//! Run: `cargo bench --bench core`.

mod common;

use common::{samples, scoring_with_template, template_2048};
use criterion::{Criterion, criterion_group, criterion_main};
use patchcord::connector;
use patchcord::template;
use std::hint::black_box;

fn benches(c: &mut Criterion) {
    let source = template_2048();
    assert_eq!(source.chars().count(), 2048);
    let samples = samples();
    c.bench_function("template/extract+render 2048 chars", |b| {
        b.iter(|| {
            let vars = template::variables(black_box(&source));
            let out = template::render(black_box(&source), black_box(&samples));
            black_box((vars, out))
        });
    });
    c.bench_function("template/preview 2048 chars (extract+render+json)", |b| {
        b.iter(|| {
            black_box(template::preview(
                black_box(&source),
                black_box(&samples),
                true,
            ))
        });
    });
    let connector = scoring_with_template();
    c.bench_function("connector/validate full connector", |b| {
        b.iter(|| black_box(connector::validate(black_box(&connector))));
    });
}

criterion_group!(core, benches);
criterion_main!(core);
