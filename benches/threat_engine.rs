//! The threat engine's cost over model size: load (parse, validate, index
//! the lines of ids) and analyse generated models of N elements with five
//! flows each, and load a chain of N nested boundaries. Both must grow
//! about linearly (issue 20: they grew with the square).
//! `cargo bench -p toolkit-benches --bench threat_engine`
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use stride_core::{Catalog, Model, analyze};

const KINDS: [(&str, &str); 5] = [
    ("process", "web_app"),
    ("process", "api"),
    ("data_store", "database"),
    ("external_entity", "user"),
    ("process", "microservice"),
];

/// A model of `n` elements over three boundaries, each element the source
/// of `per` flows to elements spread over the model.
pub fn generated_model(n: usize, per: usize) -> String {
    let mut y = String::from(
        "name: generated\nboundaries:\n  - { id: internet, name: Internet, kind: internet }\n  - { id: vpc, name: VPC, kind: cloud }\n  - { id: dmz, name: DMZ, kind: dmz, parent: vpc }\ndata:\n  - { id: cards, name: Cards, classification: restricted, pii: true }\nelements:\n",
    );
    let zones = ["internet", "vpc", "dmz"];
    for i in 0..n {
        let (kind, ty) = KINDS[i % KINDS.len()];
        y.push_str(&format!(
            "  - {{ id: e{i}, name: E{i}, kind: {kind}, type: {ty}, boundary: {}, attributes: {{ internet_facing: {} }} }}\n",
            zones[i % 3],
            i % 7 == 0
        ));
    }
    y.push_str("flows:\n");
    for i in 0..n {
        for j in 0..per {
            y.push_str(&format!(
                "  - {{ id: f{i}_{j}, from: e{i}, to: e{}, protocol: https, encrypted: {}, carries: [cards] }}\n",
                (i * 7 + j * 13 + 1) % n,
                j % 2 == 0
            ));
        }
    }
    y
}

/// A chain of `depth` boundaries, each inside the previous, with one
/// element in the innermost.
pub fn boundary_chain(depth: usize) -> String {
    let mut y = String::from("name: deep\nboundaries:\n  - { id: b0, name: B0, kind: internet }\n");
    for i in 1..depth {
        y.push_str(&format!(
            "  - {{ id: b{i}, name: B{i}, kind: cloud, parent: b{} }}\n",
            i - 1
        ));
    }
    y.push_str(&format!(
        "elements:\n  - {{ id: app, name: App, kind: process, type: api, boundary: b{} }}\n",
        depth - 1
    ));
    y
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("threat_engine/load+analyze");
    g.sample_size(10);
    for n in [250, 500, 1_000, 2_000, 10_000] {
        let yaml = generated_model(n, 5);
        g.throughput(Throughput::Elements(n as u64));
        g.bench_with_input(BenchmarkId::from_parameter(n), &yaml, |b, yaml| {
            b.iter(|| {
                let loaded = Model::load("generated.yaml", black_box(yaml)).ok();
                loaded.map(|l| analyze(&l.model, Catalog::builtin()).threats.len())
            })
        });
    }
    g.finish();
    let mut g = c.benchmark_group("threat_engine/boundary_chain");
    g.sample_size(10);
    for depth in [500, 1_000, 2_000, 4_000] {
        let yaml = boundary_chain(depth);
        g.bench_with_input(BenchmarkId::from_parameter(depth), &yaml, |b, yaml| {
            b.iter(|| {
                let loaded = Model::load("deep.yaml", black_box(yaml)).ok();
                loaded.map(|l| analyze(&l.model, Catalog::builtin()).threats.len())
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
