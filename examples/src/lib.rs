//! Examples live beside this file: `cargo run -p toolkit-examples --example NAME`.
