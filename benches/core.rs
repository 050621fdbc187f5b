//! Core benchmarks: what the editor does on every keystroke in the template (extract variables
//! and render a 2048-character template) and what every face does before a submit (validate).
//! Run: `cargo bench --bench core`.

use criterion::{Criterion, criterion_group, criterion_main};
use patchcord::connector::{self, Connector};
use patchcord::template::{self, Samples};
use std::fmt::Write;
use std::hint::black_box;

/// A realistic JSON template padded to exactly 2048 characters, the vendor's limit.
fn template_2048() -> String {
    let mut source = String::from("{\n");
    let mut i = 0;
    while source.chars().count() < 1900 {
        let _ = writeln!(source, "  \"field_{i}\": {{{{ var_{}|tojson }}}},", i % 12);
        i += 1;
    }
    source.push_str("  \"done\": true\n}");
    while source.chars().count() < 2048 {
        source.insert(2, ' ');
    }
    source
}

fn samples() -> Samples {
    (0..12)
        .map(|i| (format!("var_{i}"), format!("value {i}")))
        .collect()
}

fn full_connector(template: &str) -> Connector {
    let bytes = include_bytes!("../assets/connectors/scoring.json");
    let mut connector =
        connector::parse_file(bytes).unwrap_or_else(|_| Connector::new(connector::Vendor::Databar));
    connector.set("body_template", template.into());
    connector
}

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
    let connector = full_connector(&source);
    c.bench_function("connector/validate full connector", |b| {
        b.iter(|| black_box(connector::validate(black_box(&connector))));
    });
}

criterion_group!(core, benches);
criterion_main!(core);
