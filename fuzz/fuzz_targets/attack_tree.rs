//! The attack-tree loader and the computations over a tree must never
//! panic on any input: a tree either fails with a located error or
//! evaluates.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(tree) = stride_core::attack::AttackTree::load("fuzz.yaml", text) {
        let _ = stride_core::attack::evaluate(&tree);
    }
});
