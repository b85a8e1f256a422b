//! Where results go: the [`Sink`] trait, a [`Collector`] that keeps them and
//! an [`FnSink`] made of a closure.
//!
//! A scan is a pipeline: the scanner pushes each input's results into a sink
//! as soon as that input is done, and a sink may wrap another (a filter that
//! drops suppressed findings, a redactor, a progress display) until the last
//! one prints or keeps them. This is the shape of ripgrep's `grep-searcher`:
//! the searcher knows nothing of printing, and printers are sinks.
//!
//! # Order and threads
//!
//! Inputs are scanned in parallel, but the scanner hands them to the sink in
//! a deterministic order, one input at a time and from one thread at a time:
//! the order of the walk (file names sorted at each level) for
//! [`Scanner::scan_paths`](crate::Scanner::scan_paths), the order of first
//! introduction for history scans. An input finished early waits in a small
//! reorder buffer until those before it are delivered. So a printer that
//! writes each finding as it arrives produces the same bytes whatever the
//! thread count, and the first finding appears while the scan still runs.
//!
//! For each scanned input the sink sees [`Sink::begin`], then its findings
//! (ordered by position), then its dropped candidates (explain mode), then
//! [`Sink::finish`]. An input that could not be scanned produces one
//! [`Sink::skipped`] call instead.
//!
//! # Stopping and failing
//!
//! Every method returns `Result<bool, Self::Error>`. `Ok(true)` goes on;
//! `Ok(false)` stops the scan: no further input is read and the scan returns
//! normally with what it had. `Err(e)` stops the scan too, and the scan
//! returns [`Error::Sink`](crate::Error::Sink) holding `e`. A printer whose
//! output pipe closed returns an error; a sink that needs only the first
//! finding returns `false`.
//!
//! # Example
//!
//! A sink that keeps the first finding and stops:
//!
//! ```
//! use std::convert::Infallible;
//! use secret_patterns::Catalog;
//! use secret_scan::{Finding, ScanOptions, Scanner, Sink};
//!
//! #[derive(Default)]
//! struct First(Option<Finding>);
//!
//! impl Sink for First {
//!     type Error = Infallible;
//!     fn finding(&mut self, finding: Finding) -> Result<bool, Infallible> {
//!         self.0 = Some(finding);
//!         Ok(false) // one is enough
//!     }
//! }
//!
//! let scanner = Scanner::new(Catalog::builtin(), ScanOptions::default())?;
//! let key = format!("sk_{}_{}", "live", "4eC39HqLyjWDarjtT1zdp7dc9Xw2LmQa");
//! let text = format!("STRIPE_KEY={key}\nOTHER_KEY={key}\n");
//! let mut first = First::default();
//! scanner.scan_bytes("config.env", text.as_bytes(), &mut first)?;
//! assert_eq!(first.0.map(|f| f.line), Some(1));
//! # Ok::<(), secret_scan::Error>(())
//! ```

use std::convert::Infallible;

use crate::finding::{Dropped, Finding, Skipped};

/// Receives results as the scanner produces them.
///
/// Only [`Sink::finding`] and the error type are required; every other
/// method defaults to accepting and going on. See the [module
/// docs](crate::sink) for the order of calls and what the return values do.
pub trait Sink: Send {
    /// What a failing sink reports (use [`Infallible`] for one that cannot
    /// fail, `std::io::Error` for a printer).
    type Error: std::error::Error + Send + Sync + 'static;

    /// An input is about to deliver its results.
    fn begin(&mut self, _path: &str) -> Result<bool, Self::Error> {
        Ok(true)
    }
    /// A credential was found.
    fn finding(&mut self, finding: Finding) -> Result<bool, Self::Error>;
    /// A candidate was dropped by a filter (in explain mode), or by an inline
    /// allow marker (always: a summary can count them).
    fn dropped(&mut self, _dropped: Dropped) -> Result<bool, Self::Error> {
        Ok(true)
    }
    /// An input was scanned completely (`bytes` long, after decoding).
    fn finish(&mut self, _path: &str, _bytes: u64) -> Result<bool, Self::Error> {
        Ok(true)
    }
    /// An input was skipped, with the reason.
    fn skipped(&mut self, _skipped: Skipped) -> Result<bool, Self::Error> {
        Ok(true)
    }
    /// Something went wrong that loses no input (a cache that could not be
    /// written): worth telling the user, not worth stopping for.
    fn warning(&mut self, _message: &str) -> Result<bool, Self::Error> {
        Ok(true)
    }
}

/// Writes the [`Sink`] methods that a wrapping sink passes on unchanged:
/// each method named calls the same method of the given field, so a wrapper
/// writes only the methods it changes.
///
/// ```
/// use secret_scan::{Collector, Finding, Sink, forward_sink};
///
/// /// Counts findings on their way to another sink.
/// struct Count<S> {
///     inner: S,
///     seen: u64,
/// }
///
/// impl<S: Sink> Sink for Count<S> {
///     type Error = S::Error;
///     fn finding(&mut self, f: Finding) -> Result<bool, S::Error> {
///         self.seen += 1;
///         self.inner.finding(f)
///     }
///     forward_sink!(inner: begin, dropped, finish, skipped, warning);
/// }
///
/// let mut count = Count { inner: Collector::default(), seen: 0 };
/// assert!(count.begin("a.txt")?);
/// assert_eq!((count.seen, count.inner.findings.len()), (0, 0));
/// # Ok::<(), std::convert::Infallible>(())
/// ```
#[macro_export]
macro_rules! forward_sink {
    ($field:ident: $($method:ident),+ $(,)?) => {
        $($crate::forward_sink!(@one $field $method);)+
    };
    (@one $field:ident begin) => {
        fn begin(&mut self, path: &str) -> ::std::result::Result<bool, Self::Error> {
            self.$field.begin(path)
        }
    };
    (@one $field:ident finding) => {
        fn finding(&mut self, finding: $crate::Finding) -> ::std::result::Result<bool, Self::Error> {
            self.$field.finding(finding)
        }
    };
    (@one $field:ident dropped) => {
        fn dropped(&mut self, dropped: $crate::Dropped) -> ::std::result::Result<bool, Self::Error> {
            self.$field.dropped(dropped)
        }
    };
    (@one $field:ident finish) => {
        fn finish(&mut self, path: &str, bytes: u64) -> ::std::result::Result<bool, Self::Error> {
            self.$field.finish(path, bytes)
        }
    };
    (@one $field:ident skipped) => {
        fn skipped(&mut self, skipped: $crate::Skipped) -> ::std::result::Result<bool, Self::Error> {
            self.$field.skipped(skipped)
        }
    };
    (@one $field:ident warning) => {
        fn warning(&mut self, message: &str) -> ::std::result::Result<bool, Self::Error> {
            self.$field.warning(message)
        }
    };
}

/// Forwards every method to the sink behind a pointer.
macro_rules! forward_through_pointer {
    ($($ptr:ty),*) => {$(
        impl<S: Sink + ?Sized> Sink for $ptr {
            type Error = S::Error;
            fn begin(&mut self, path: &str) -> Result<bool, S::Error> {
                (**self).begin(path)
            }
            fn finding(&mut self, finding: Finding) -> Result<bool, S::Error> {
                (**self).finding(finding)
            }
            fn dropped(&mut self, dropped: Dropped) -> Result<bool, S::Error> {
                (**self).dropped(dropped)
            }
            fn finish(&mut self, path: &str, bytes: u64) -> Result<bool, S::Error> {
                (**self).finish(path, bytes)
            }
            fn skipped(&mut self, skipped: Skipped) -> Result<bool, S::Error> {
                (**self).skipped(skipped)
            }
            fn warning(&mut self, message: &str) -> Result<bool, S::Error> {
                (**self).warning(message)
            }
        }
    )*};
}

forward_through_pointer!(&mut S, Box<S>);

/// A sink made of a closure called for each finding; everything else is
/// ignored and the scan always goes on.
///
/// ```
/// use secret_patterns::Catalog;
/// use secret_scan::{FnSink, Finding, ScanOptions, Scanner};
///
/// let scanner = Scanner::new(Catalog::builtin(), ScanOptions::default())?;
/// let key = format!("sk_{}_{}", "live", "4eC39HqLyjWDarjtT1zdp7dc9Xw2LmQa");
/// let mut rules = Vec::new();
/// let mut sink = FnSink(|f: Finding| rules.push(f.rule_id));
/// scanner.scan_bytes("a.env", format!("STRIPE_KEY={key}").as_bytes(), &mut sink)?;
/// assert_eq!(rules, ["stripe-secret-key"]);
/// # Ok::<(), secret_scan::Error>(())
/// ```
#[derive(Debug)]
pub struct FnSink<F>(pub F);

impl<F: FnMut(Finding) + Send> Sink for FnSink<F> {
    type Error = Infallible;
    fn finding(&mut self, finding: Finding) -> Result<bool, Infallible> {
        (self.0)(finding);
        Ok(true)
    }
}

/// A sink that keeps everything, for reports that need the whole set (JSON,
/// SARIF) and for tests.
#[derive(Debug, Default, Clone)]
pub struct Collector {
    /// Every finding.
    pub findings: Vec<Finding>,
    /// Every skipped input.
    pub skipped: Vec<Skipped>,
    /// Every dropped candidate (explain mode).
    pub dropped: Vec<Dropped>,
    /// Every warning.
    pub warnings: Vec<String>,
}

impl Collector {
    /// Sorts findings by (path, line, column, rule id), dropped candidates
    /// the same way and skipped inputs by path: the same input then gives
    /// the same order whatever the thread count or the walk order.
    pub fn sort(&mut self) {
        self.findings.sort_by(|a, b| {
            (&a.path, a.line, a.column, &a.rule_id, &a.secret)
                .cmp(&(&b.path, b.line, b.column, &b.rule_id, &b.secret))
        });
        self.dropped.sort_by(|a, b| {
            (&a.path, a.line, a.column, &a.rule_id, &a.secret)
                .cmp(&(&b.path, b.line, b.column, &b.rule_id, &b.secret))
        });
        self.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    }
}

impl Sink for Collector {
    type Error = Infallible;
    fn finding(&mut self, finding: Finding) -> Result<bool, Infallible> {
        self.findings.push(finding);
        Ok(true)
    }
    fn dropped(&mut self, dropped: Dropped) -> Result<bool, Infallible> {
        self.dropped.push(dropped);
        Ok(true)
    }
    fn skipped(&mut self, skipped: Skipped) -> Result<bool, Infallible> {
        self.skipped.push(skipped);
        Ok(true)
    }
    fn warning(&mut self, message: &str) -> Result<bool, Infallible> {
        self.warnings.push(message.to_string());
        Ok(true)
    }
}
