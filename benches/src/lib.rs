//! Benchmarks live beside this file: `cargo bench -p toolkit-benches`.
