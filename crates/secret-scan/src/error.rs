//! Errors that stop a scan before it starts. Problems with single inputs
//! never stop a scan: they become [`Skipped`](crate::Skipped) events.

use std::path::PathBuf;

/// Why a scan could not run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A root path given to the scanner does not exist.
    #[error("{}: no such file or directory", .0.display())]
    MissingRoot(PathBuf),
    /// A root path given to the scanner exists but cannot be read
    /// (permissions, a name too long, a broken link).
    #[error("{}: cannot read: {source}", .path.display())]
    UnreadableRoot {
        /// The root as given.
        path: PathBuf,
        /// The operating system's error.
        source: std::io::Error,
    },
    /// The keyword automaton could not be built.
    #[error("cannot build the keyword prefilter: {0}")]
    Prefilter(String),
    /// The worker thread pool could not be started.
    #[error("cannot start {threads} worker threads: {message}")]
    ThreadPool {
        /// The number asked for.
        threads: usize,
        /// The system's message.
        message: String,
    },
    /// The path is not a git repository, or the repository cannot be read.
    #[error("{}: {message}", .path.display())]
    Git {
        /// The repository path given.
        path: PathBuf,
        /// What went wrong.
        message: String,
    },
    /// Reading a stream (stdin) failed.
    #[error("cannot read {name}: {source}")]
    Read {
        /// The stream's name.
        name: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The sink failed (a printer could not write): the scan stopped there.
    #[error("{0}")]
    Sink(Box<dyn std::error::Error + Send + Sync>),
}
