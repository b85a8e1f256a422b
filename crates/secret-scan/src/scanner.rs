//! The [`Scanner`]: built once, then run over paths, buffers or readers.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::Ordering;
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use rayon::iter::{ParallelBridge, ParallelIterator};
use secret_patterns::Catalog;

use crate::ScanOptions;
use crate::confirm::{BufferResults, Scratch, scan_buffer};
use crate::decode::{decode, is_binary};
use crate::error::Error;
use crate::finding::{SkipReason, Skipped};
use crate::prefilter::Prefilter;
use crate::sink::Sink;
use crate::stats::{Counters, Stats};
use crate::walk::{WalkItem, display_path, walk};

/// A secret scanner: a rule catalogue, its keyword automaton and the options.
///
/// Building one compiles every regex and the automaton; build it once and
/// reuse it. Scans run on a private thread pool of
/// [`ScanOptions::threads`] workers.
#[derive(Debug)]
pub struct Scanner {
    catalog: Catalog,
    prefilter: Prefilter,
    options: ScanOptions,
    pub(crate) pool: rayon::ThreadPool,
}

/// Per-worker state: the file buffer and the confirmation scratch space.
#[derive(Debug, Default)]
struct Worker {
    buffer: Vec<u8>,
    scratch: Scratch,
}

impl Scanner {
    /// Builds a scanner over `catalog`.
    pub fn new(catalog: Catalog, options: ScanOptions) -> Result<Scanner, Error> {
        let prefilter = Prefilter::new(&catalog)?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(options.threads)
            .thread_name(|i| format!("secret-scan-{i}"))
            .build()
            .map_err(|e| Error::ThreadPool {
                threads: options.threads,
                message: e.to_string(),
            })?;
        Ok(Scanner {
            catalog,
            prefilter,
            options,
            pool,
        })
    }

    /// The rules this scanner runs.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The options it was built with.
    pub fn options(&self) -> &ScanOptions {
        &self.options
    }

    /// Scans files and folders. Folders are walked (see the [`walk`
    /// module](crate#the-walk) rules); files given explicitly are scanned even
    /// when an ignore file would exclude them. Results go to `sink` as each
    /// file is done.
    ///
    /// Only a root that does not exist is an error; every other problem
    /// (an unreadable file, a folder that cannot be listed) is reported to
    /// the sink as [`Skipped`] and the scan goes on.
    pub fn scan_paths<P: AsRef<Path>, S: Sink>(
        &self,
        roots: &[P],
        sink: &mut S,
    ) -> Result<Stats, Error> {
        let started = Instant::now();
        let roots: Vec<PathBuf> = roots.iter().map(|p| p.as_ref().to_path_buf()).collect();
        for root in &roots {
            if root.symlink_metadata().is_err() {
                return Err(Error::MissingRoot(root.clone()));
            }
        }
        let counters = Counters::default();
        let sink = Mutex::new(sink);
        let (tx, rx) = sync_channel::<WalkItem>(4096);
        std::thread::scope(|scope| {
            let options = &self.options;
            let roots = &roots;
            scope.spawn(move || walk(roots, options, &tx));
            self.pool.install(|| {
                rx.into_iter().par_bridge().for_each_init(
                    Worker::default,
                    |worker, item| match item {
                        WalkItem::File(path) => self.scan_file(&path, worker, &counters, &sink),
                        WalkItem::Error { path, error } => {
                            counters.unreadable.fetch_add(1, Ordering::Relaxed);
                            deliver_skip(&sink, path, SkipReason::Unreadable { error });
                        }
                    },
                );
            });
        });
        Ok(counters.snapshot(started.elapsed()))
    }

    /// Scans an in-memory buffer named `name` (the name stands for a path in
    /// findings and in rules' path conditions). Binary and size checks apply
    /// as for files.
    pub fn scan_bytes<S: Sink>(&self, name: &str, bytes: &[u8], sink: &mut S) -> Stats {
        let started = Instant::now();
        let counters = Counters::default();
        let sink = Mutex::new(sink);
        let mut worker = Worker::default();
        self.scan_content(
            name,
            Some(name),
            bytes,
            &mut worker.scratch,
            &counters,
            &sink,
        );
        counters.snapshot(started.elapsed())
    }

    /// Reads `reader` to its end (stdin, a pipe) and scans what it gave.
    /// Path-limited rules do not run (a stream has no path). A stream longer
    /// than the size limit is skipped with a reason.
    pub fn scan_reader<R: Read, S: Sink>(
        &self,
        name: &str,
        reader: R,
        sink: &mut S,
    ) -> Result<Stats, Error> {
        let started = Instant::now();
        let counters = Counters::default();
        let mut buffer = Vec::new();
        let limit = self.options.max_file_size;
        reader
            .take(limit.saturating_add(1))
            .read_to_end(&mut buffer)
            .map_err(|source| Error::Read {
                name: name.to_string(),
                source,
            })?;
        let sink = Mutex::new(sink);
        if buffer.len() as u64 > limit {
            counters.too_large.fetch_add(1, Ordering::Relaxed);
            deliver_skip(
                &sink,
                name.to_string(),
                SkipReason::TooLarge {
                    size: buffer.len() as u64,
                    limit,
                },
            );
        } else {
            let mut worker = Worker::default();
            self.scan_content(name, None, &buffer, &mut worker.scratch, &counters, &sink);
        }
        Ok(counters.snapshot(started.elapsed()))
    }

    fn scan_file<S: Sink>(
        &self,
        path: &Path,
        worker: &mut Worker,
        counters: &Counters,
        sink: &Mutex<&mut S>,
    ) {
        let shown = display_path(path);
        let limit = self.options.max_file_size;
        let skip = |reason: SkipReason| {
            match reason {
                SkipReason::Binary => &counters.binary,
                SkipReason::TooLarge { .. } => &counters.too_large,
                SkipReason::Unreadable { .. } => &counters.unreadable,
            }
            .fetch_add(1, Ordering::Relaxed);
            deliver_skip(sink, shown.clone(), reason);
        };
        let mut file = match File::open(path) {
            Ok(f) => f,
            Err(e) => {
                return skip(SkipReason::Unreadable {
                    error: e.to_string(),
                });
            }
        };
        if let Ok(meta) = file.metadata()
            && meta.len() > limit
        {
            return skip(SkipReason::TooLarge {
                size: meta.len(),
                limit,
            });
        }
        worker.buffer.clear();
        // Read at most one byte past the limit: a file that grew since its
        // metadata was read is still caught.
        if let Err(e) = (&mut file)
            .take(limit.saturating_add(1))
            .read_to_end(&mut worker.buffer)
        {
            return skip(SkipReason::Unreadable {
                error: e.to_string(),
            });
        }
        if worker.buffer.len() as u64 > limit {
            return skip(SkipReason::TooLarge {
                size: worker.buffer.len() as u64,
                limit,
            });
        }
        let buffer = std::mem::take(&mut worker.buffer);
        self.scan_content(
            &shown,
            Some(&shown),
            &buffer,
            &mut worker.scratch,
            counters,
            sink,
        );
        worker.buffer = buffer;
    }

    /// Binary check, decoding and confirmation for one input, without
    /// delivery: the results, or why the input was skipped.
    pub(crate) fn confirm_content(
        &self,
        shown: &str,
        rule_path: Option<&str>,
        bytes: &[u8],
        scratch: &mut Scratch,
    ) -> Result<(BufferResults, u64), SkipReason> {
        if !self.options.include_binary && is_binary(bytes) {
            return Err(SkipReason::Binary);
        }
        let text = decode(bytes);
        let results = scan_buffer(
            &self.catalog,
            &self.prefilter,
            self.options.explain,
            shown,
            rule_path,
            &text,
            scratch,
        );
        Ok((results, text.len() as u64))
    }

    /// Binary check, decoding, confirmation and delivery for one input.
    fn scan_content<S: Sink>(
        &self,
        shown: &str,
        rule_path: Option<&str>,
        bytes: &[u8],
        scratch: &mut Scratch,
        counters: &Counters,
        sink: &Mutex<&mut S>,
    ) {
        match self.confirm_content(shown, rule_path, bytes, scratch) {
            Err(reason) => {
                counters.binary.fetch_add(1, Ordering::Relaxed);
                deliver_skip(sink, shown.to_string(), reason);
            }
            Ok((results, len)) => {
                counters.files.fetch_add(1, Ordering::Relaxed);
                counters.bytes.fetch_add(len, Ordering::Relaxed);
                counters
                    .findings
                    .fetch_add(results.findings.len() as u64, Ordering::Relaxed);
                deliver(sink, shown, len, results);
            }
        }
    }
}

pub(crate) fn lock<'a, 'b, S: Sink>(
    sink: &'a Mutex<&'b mut S>,
) -> std::sync::MutexGuard<'a, &'b mut S> {
    // A panic inside a user's sink poisons the lock; the results that
    // follow are still delivered rather than lost.
    sink.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(crate) fn deliver<S: Sink>(
    sink: &Mutex<&mut S>,
    path: &str,
    bytes: u64,
    results: BufferResults,
) {
    let mut sink = lock(sink);
    for f in results.findings {
        sink.finding(f);
    }
    for d in results.dropped {
        sink.dropped(d);
    }
    sink.file_done(path, bytes);
}

pub(crate) fn deliver_skip<S: Sink>(sink: &Mutex<&mut S>, path: String, reason: SkipReason) {
    lock(sink).skipped(Skipped { path, reason });
}
