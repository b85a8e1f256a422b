//! Hot paths of the secret scanner on an in-memory corpus:
//!
//! - `catalog/builtin`: getting the built-in catalogue after the first call
//!   (a clone of the compiled rules; the first call parses and compiles them
//!   once per process);
//! - `prefilter/clean-source`: text with no keyword at all, so the cost is
//!   the aho-corasick pass alone;
//! - `confirm/keyword-dense`: text where common keywords (`password`,
//!   `token`, `secret`, `key`) occur on every line, so windows and regexes
//!   dominate;
//! - `file/mixed`: a realistic mix (code, config, a few real-looking leaks).
//!
//! Throughput is reported in bytes per second. Run with
//! `cargo bench -p toolkit-benches --bench secret_scan`.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use secret_patterns::Catalog;
use secret_scan::{FnSink, ScanOptions, Scanner};

const SIZE: usize = 4 * 1024 * 1024;

fn repeat_to(pattern: &str, size: usize) -> Vec<u8> {
    pattern.repeat(size / pattern.len() + 1).into_bytes()[..size].to_vec()
}

fn corpora() -> Vec<(&'static str, Vec<u8>)> {
    let clean = repeat_to(
        "fn parse_header(input: &[u8]) -> Option<Header> {\n    let (name, rest) = split_once(input, b':')?;\n    Some(Header { name: trim(name), value: trim(rest) })\n}\n",
        SIZE,
    );
    let dense = repeat_to(
        "password = get_password(user)\ntoken: ${API_TOKEN}\nsecret_key = settings.secret\napi_key=\"<your-key>\"\n",
        SIZE,
    );
    let mut mixed = String::new();
    let mut i = 0u32;
    while mixed.len() < SIZE {
        mixed.push_str("import os\nDEBUG = os.environ.get('DEBUG') == '1'\n<div class=\"nav\"><a href=\"/docs\">Docs</a></div>\n");
        if i.is_multiple_of(500) {
            // A credential-shaped line now and then; assembled here, never stored.
            mixed.push_str(&format!(
                "DATABASE_URL=postgres://app:{}Xq{}@db:5432/app\n",
                "k8Zr2", i
            ));
        }
        i += 1;
    }
    vec![
        ("prefilter/clean-source", clean),
        ("confirm/keyword-dense", dense),
        ("file/mixed", mixed.into_bytes()),
    ]
}

fn bench(c: &mut Criterion) {
    c.bench_function("catalog/builtin", |b| {
        b.iter(|| black_box(Catalog::builtin().len()))
    });

    let scanner = match Scanner::new(Catalog::builtin(), {
        let mut o = ScanOptions::default();
        o.threads = 1;
        o
    }) {
        Ok(s) => s,
        Err(e) => panic!("cannot build the scanner: {e}"),
    };
    let mut group = c.benchmark_group("scan_bytes");
    group.sample_size(20);
    for (name, data) in corpora() {
        group.throughput(Throughput::Bytes(data.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| {
                let mut n = 0usize;
                let _ = scanner.scan_bytes("bench.txt", black_box(&data), &mut FnSink(|_| n += 1));
                black_box(n)
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
