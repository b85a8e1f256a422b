//! STRIDE-per-element threat modeling engine.
//!
//! This crate will own the system model (actors, processes, data stores, data
//! flows and trust boundaries, read from YAML or JSON), the STRIDE-per-element
//! engine that walks every element and interaction of a model, and the threat
//! catalogue, kept as data files embedded at build time. Each finding it
//! produces carries its mitigations, CWE and CAPEC references and a DREAD
//! score computed by the `dread` crate.
//!
//! The API lands with the `stride-core` issue; nothing is exported yet.
#![deny(missing_docs)]
