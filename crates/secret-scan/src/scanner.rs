//! The [`Scanner`]: built once, then run over paths, buffers or readers.

use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::mpsc::sync_channel;
use std::time::Instant;

use rayon::iter::{ParallelBridge, ParallelIterator};
use secret_patterns::Catalog;

use crate::ScanOptions;
use crate::archive::{self, Entry, archive_kind};
use crate::confirm::{BufferResults, Limits, Scratch, scan_buffer};

use crate::decode::{decode, is_binary};
use crate::deliver::{Batch, Delivery};
use crate::error::Error;
use crate::finding::{SkipReason, Skipped};
use crate::prefilter::Prefilter;
use crate::sink::Sink;
use crate::stats::{Counters, Stats};
use crate::walk::{Root, WalkItem, display_path, walk};

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
        let threads = options.threads.min(crate::options::max_threads());
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("secret-scan-{i}"))
            .build()
            .map_err(|e| Error::ThreadPool {
                threads,
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
    /// module](crate#how-a-file-is-scanned) rules); files given explicitly
    /// are scanned even when an ignore file would exclude them. Results go to
    /// `sink` as each file is done, in the walk's order (file names sorted at
    /// each level), whatever the thread count.
    ///
    /// A root that does not exist or cannot be read is an error, and so is
    /// a failing sink; every other problem (an unreadable file inside a
    /// folder, a folder that cannot be listed, a symbolic link that is not
    /// followed) is reported to the sink as [`Skipped`] and the scan goes
    /// on. A root that is not a regular file nor a folder (`/dev/stdin`, a
    /// named pipe, process substitution, a device) is read as a stream,
    /// bounded by [`ScanOptions::max_file_size`].
    ///
    /// ```
    /// use secret_patterns::Catalog;
    /// use secret_scan::{Collector, ScanOptions, Scanner};
    ///
    /// let dir = std::env::temp_dir().join(format!("scan-paths-doc-{}", std::process::id()));
    /// std::fs::create_dir_all(&dir)?;
    /// let key = format!("sk_{}_{}", "live", "4eC39HqLyjWDarjtT1zdp7dc9Xw2LmQa");
    /// std::fs::write(dir.join("settings.env"), format!("STRIPE_KEY={key}\n"))?;
    ///
    /// let scanner = Scanner::new(Catalog::builtin(), ScanOptions::default())?;
    /// let mut found = Collector::default();
    /// let stats = scanner.scan_paths(&[&dir], &mut found)?;
    /// assert_eq!(stats.files_scanned, 1);
    /// assert_eq!(found.findings.len(), 1);
    /// assert!(found.findings[0].path.ends_with("settings.env"));
    /// # std::fs::remove_dir_all(&dir)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn scan_paths<P: AsRef<Path>, S: Sink>(
        &self,
        roots: &[P],
        sink: &mut S,
    ) -> Result<Stats, Error> {
        let started = Instant::now();
        let roots = roots
            .iter()
            .map(|p| classify_root(p.as_ref()))
            .collect::<Result<Vec<Root>, Error>>()?;
        let counters = Counters::default();
        let delivery = Delivery::new(sink);
        let (tx, rx) = sync_channel::<(u64, WalkItem)>(4096);
        std::thread::scope(|scope| {
            let options = &self.options;
            let delivery = &delivery;
            scope.spawn(move || walk(roots, options, &tx, &|| delivery.stopped()));
            self.pool.install(|| {
                rx.into_iter().par_bridge().for_each_init(
                    Worker::default,
                    |worker, (seq, item)| {
                        if delivery.stopped() {
                            return;
                        }
                        let batch = match item {
                            WalkItem::File(path) => self.scan_file(&path, worker, &counters),
                            WalkItem::Stream(path, file) => {
                                self.scan_stream(&path, file, worker, &counters)
                            }
                            WalkItem::Skip { path, reason } => {
                                counters.count_skip(&reason);
                                Batch::Skipped(Skipped { path, reason })
                            }
                        };
                        delivery.send(seq, batch);
                    },
                );
            });
        });
        delivery.finish()?;
        Ok(counters.snapshot(started.elapsed()))
    }

    /// Scans an in-memory buffer named `name` (the name stands for a path in
    /// findings and in rules' path conditions). Binary and size checks apply
    /// as for files. Only a failing sink is an error.
    pub fn scan_bytes<S: Sink>(
        &self,
        name: &str,
        bytes: &[u8],
        sink: &mut S,
    ) -> Result<Stats, Error> {
        let started = Instant::now();
        let counters = Counters::default();
        let delivery = Delivery::new(sink);
        let mut worker = Worker::default();
        let batch = self.scan_content(name, Some(name), bytes, &mut worker.scratch, &counters);
        delivery.send(0, batch);
        delivery.finish()?;
        Ok(counters.snapshot(started.elapsed()))
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
        let delivery = Delivery::new(sink);
        let batch = if buffer.len() as u64 > limit {
            let reason = SkipReason::TooLarge {
                size: buffer.len() as u64,
                limit,
            };
            counters.count_skip(&reason);
            Batch::Skipped(Skipped {
                path: name.to_string(),
                reason,
            })
        } else {
            let mut worker = Worker::default();
            self.scan_content(name, None, &buffer, &mut worker.scratch, &counters)
        };
        delivery.send(0, batch);
        delivery.finish()?;
        Ok(counters.snapshot(started.elapsed()))
    }

    /// Reads a named stream to its end (one byte past the limit at most)
    /// and scans it.
    fn scan_stream(
        &self,
        path: &Path,
        file: File,
        worker: &mut Worker,
        counters: &Counters,
    ) -> Batch {
        let shown = display_path(path);
        let limit = self.options.max_file_size;
        worker.buffer.clear();
        let read = file
            .take(limit.saturating_add(1))
            .read_to_end(&mut worker.buffer);
        let reason = match read {
            Err(e) => Some(SkipReason::Unreadable {
                error: e.to_string(),
            }),
            Ok(_) if worker.buffer.len() as u64 > limit => Some(SkipReason::TooLarge {
                size: worker.buffer.len() as u64,
                limit,
            }),
            Ok(_) => None,
        };
        if let Some(reason) = reason {
            counters.count_skip(&reason);
            return Batch::Skipped(Skipped {
                path: shown,
                reason,
            });
        }
        let buffer = std::mem::take(&mut worker.buffer);
        let batch = self.scan_content(&shown, Some(&shown), &buffer, &mut worker.scratch, counters);
        worker.buffer = buffer;
        batch
    }

    fn scan_file(&self, path: &Path, worker: &mut Worker, counters: &Counters) -> Batch {
        let shown = display_path(path);
        let limit = self.options.max_file_size;
        let skip = |reason: SkipReason| {
            counters.count_skip(&reason);
            Batch::Skipped(Skipped {
                path: shown.clone(),
                reason,
            })
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
        let batch = self.scan_content(&shown, Some(&shown), &buffer, &mut worker.scratch, counters);
        worker.buffer = buffer;
        batch
    }

    /// Archive expansion, binary check, decoding and confirmation for one
    /// input, without delivery: the results, or why the input was skipped.
    /// An archive's findings and skipped members are named
    /// `shown!member/path`.
    pub(crate) fn confirm_content(
        &self,
        shown: &str,
        rule_path: Option<&str>,
        bytes: &[u8],
        scratch: &mut Scratch,
    ) -> Result<(BufferResults, u64), SkipReason> {
        if self.options.archives.max_depth > 0 && archive_kind(bytes).is_some() {
            return self.confirm_archive(shown, rule_path, bytes, scratch);
        }
        if !self.options.include_binary && is_binary(bytes) {
            return Err(SkipReason::Binary);
        }
        Ok(self.confirm_text(shown, rule_path, bytes, scratch))
    }

    /// Decoding and confirmation of bytes known to be scanned.
    fn confirm_text(
        &self,
        shown: &str,
        rule_path: Option<&str>,
        bytes: &[u8],
        scratch: &mut Scratch,
    ) -> (BufferResults, u64) {
        let text = decode(bytes);
        let limits = Limits {
            per_rule: self.options.max_findings_per_rule,
            per_file: self.options.max_findings_per_file,
        };
        let results = scan_buffer(
            &self.catalog,
            &self.prefilter,
            self.options.explain,
            limits,
            shown,
            rule_path,
            &text,
            scratch,
            self.options.max_decode_depth,
        );
        (results, text.len() as u64)
    }

    /// Every member of an archive, under the bounds. Binary members are
    /// passed over silently (a jar holds hundreds of class files) unless
    /// binary files are scanned.
    fn confirm_archive(
        &self,
        shown: &str,
        rule_path: Option<&str>,
        bytes: &[u8],
        scratch: &mut Scratch,
    ) -> Result<(BufferResults, u64), SkipReason> {
        let mut all = BufferResults::default();
        let mut total = 0u64;
        let name = rule_path.unwrap_or(shown);
        archive::expand(
            name,
            bytes,
            &self.options.archives,
            self.options.max_file_size,
            &mut |entry| match entry {
                Entry::File { path, bytes } => {
                    if !self.options.include_binary && is_binary(bytes) {
                        return;
                    }
                    let member_shown = format!("{shown}!{path}");
                    let member_path = path.rsplit('!').next().unwrap_or(path);
                    let (results, len) =
                        self.confirm_text(&member_shown, Some(member_path), bytes, scratch);
                    all.findings.extend(results.findings);
                    all.dropped.extend(results.dropped);
                    total += len;
                }
                Entry::Skipped { path, reason } => all.skipped.push(Skipped {
                    path: format!("{shown}!{path}"),
                    reason,
                }),
            },
        )?;
        Ok((all, total))
    }

    /// Binary check, decoding and confirmation for one input, counted: the
    /// batch to deliver.
    fn scan_content(
        &self,
        shown: &str,
        rule_path: Option<&str>,
        bytes: &[u8],
        scratch: &mut Scratch,
        counters: &Counters,
    ) -> Batch {
        match self.confirm_content(shown, rule_path, bytes, scratch) {
            Err(reason) => {
                counters.count_skip(&reason);
                Batch::Skipped(Skipped {
                    path: shown.to_string(),
                    reason,
                })
            }
            Ok((results, len)) => {
                counters.count_scanned(len, results.findings.len());
                for s in &results.skipped {
                    counters.count_skip(&s.reason);
                }
                Batch::Scanned {
                    path: shown.to_string(),
                    bytes: len,
                    results,
                }
            }
        }
    }
}

/// Checks a root before the walk: a missing or unreadable root is an error
/// (named inputs are never skipped in silence); a root that is neither a
/// file nor a folder is opened as a stream.
fn classify_root(path: &Path) -> Result<Root, Error> {
    let unreadable = |source: std::io::Error| Error::UnreadableRoot {
        path: path.to_path_buf(),
        source,
    };
    match path.symlink_metadata() {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::MissingRoot(path.to_path_buf()));
        }
        Err(e) => return Err(unreadable(e)),
        Ok(_) => {}
    }
    // Follows a link: a named link stands for its target.
    let meta = path.metadata().map_err(unreadable)?;
    if meta.is_dir() {
        std::fs::read_dir(path).map_err(unreadable)?;
        Ok(Root::Dir(path.to_path_buf()))
    } else if meta.is_file() {
        File::open(path).map_err(unreadable)?;
        Ok(Root::File(path.to_path_buf()))
    } else {
        let file = File::open(path).map_err(unreadable)?;
        Ok(Root::Stream(path.to_path_buf(), file))
    }
}
