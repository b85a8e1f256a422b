//! dread
#![deny(missing_docs)]
