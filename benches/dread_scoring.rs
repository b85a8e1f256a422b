//! Parsing and scoring costs of the `dread` crate's three vector forms.
//! `cargo bench -p toolkit-benches --bench dread_scoring`
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use dread::{CvssScore, DreadScore, DreadVariant, OwaspRisk};

fn bench(c: &mut Criterion) {
    c.bench_function("dread/parse+score", |b| {
        b.iter(|| {
            black_box("D:8/R:6/E:7/A:9/D:5")
                .parse::<DreadScore>()
                .map(|d| d.score(DreadVariant::Standard))
        })
    });
    c.bench_function("owasp/parse+severity", |b| {
        b.iter(|| {
            black_box(
                "SL:5/M:2/O:7/S:1/ED:3/EE:6/A:9/ID:2/LC:9/LI:7/LAV:5/LAC:8/FD:1/RD:2/NC:1/PV:5",
            )
            .parse::<OwaspRisk>()
            .map(|r| r.severity())
        })
    });
    c.bench_function("cvss3.1/parse+score", |b| {
        b.iter(|| black_box("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").parse::<CvssScore>())
    });
    c.bench_function("cvss4.0/parse+score", |b| {
        b.iter(|| {
            black_box("CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")
                .parse::<CvssScore>()
        })
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
