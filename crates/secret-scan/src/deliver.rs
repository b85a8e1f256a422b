//! Delivery: hands parallel workers' results to one [`Sink`] in a
//! deterministic order, and carries the sink's wish to stop or its error back
//! to the workers.
//!
//! Every input gets a sequence number from whoever produces the inputs (the
//! walk, the history's blob order). Workers finish in any order; a batch
//! whose turn has not come waits in a reorder buffer, and each delivery
//! drains every batch that is now in turn. The buffer holds at most the
//! batches of inputs finished ahead of a slow one, never file contents.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::confirm::BufferResults;
use crate::error::Error;
use crate::finding::Skipped;
use crate::sink::Sink;

/// One input's results, as delivered.
#[derive(Debug)]
pub(crate) enum Batch {
    /// The input was scanned.
    Scanned {
        path: String,
        bytes: u64,
        results: BufferResults,
    },
    /// The input was skipped.
    Skipped(Skipped),
}

struct State<'s, S: Sink> {
    sink: &'s mut S,
    next: u64,
    pending: BTreeMap<u64, Batch>,
    error: Option<S::Error>,
}

/// The ordered, stoppable path from workers to a sink.
pub(crate) struct Delivery<'s, S: Sink> {
    state: Mutex<State<'s, S>>,
    stop: AtomicBool,
}

impl<'s, S: Sink> Delivery<'s, S> {
    pub fn new(sink: &'s mut S) -> Self {
        Delivery {
            state: Mutex::new(State {
                sink,
                next: 0,
                pending: BTreeMap::new(),
                error: None,
            }),
            stop: AtomicBool::new(false),
        }
    }

    /// Whether the sink asked to stop (or failed): workers read no more.
    pub fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State<'s, S>> {
        // A panic inside a user's sink poisons the lock; what follows is
        // still delivered rather than lost.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Delivers input number `seq`, and every waiting one whose turn follows.
    pub fn send(&self, seq: u64, batch: Batch) {
        if self.stopped() {
            return;
        }
        let mut state = self.lock();
        state.pending.insert(seq, batch);
        loop {
            let next = state.next;
            let Some(batch) = state.pending.remove(&next) else {
                break;
            };
            state.next += 1;
            match push(&mut *state.sink, batch) {
                Ok(true) => {}
                Ok(false) => {
                    self.stop.store(true, Ordering::Relaxed);
                    state.pending.clear();
                    break;
                }
                Err(e) => {
                    state.error = Some(e);
                    self.stop.store(true, Ordering::Relaxed);
                    state.pending.clear();
                    break;
                }
            }
        }
    }

    /// Passes a warning on at once (warnings are not ordered).
    pub fn warn(&self, message: &str) {
        if self.stopped() {
            return;
        }
        let mut state = self.lock();
        match state.sink.warning(message) {
            Ok(true) => {}
            Ok(false) => self.stop.store(true, Ordering::Relaxed),
            Err(e) => {
                state.error = Some(e);
                self.stop.store(true, Ordering::Relaxed);
            }
        }
    }

    /// Ends delivery: the sink's error, if it failed.
    pub fn finish(self) -> Result<(), Error> {
        let state = self.state.into_inner().unwrap_or_else(|p| p.into_inner());
        match state.error {
            Some(e) => Err(Error::Sink(Box::new(e))),
            None => Ok(()),
        }
    }
}

fn push<S: Sink + ?Sized>(sink: &mut S, batch: Batch) -> Result<bool, S::Error> {
    match batch {
        Batch::Skipped(s) => sink.skipped(s),
        Batch::Scanned {
            path,
            bytes,
            results,
        } => {
            if !sink.begin(&path)? {
                return Ok(false);
            }
            for f in results.findings {
                if !sink.finding(f)? {
                    return Ok(false);
                }
            }
            for d in results.dropped {
                if !sink.dropped(d)? {
                    return Ok(false);
                }
            }
            for message in results.omitted {
                if !sink.warning(&message)? {
                    return Ok(false);
                }
            }
            for s in results.skipped {
                if !sink.skipped(s)? {
                    return Ok(false);
                }
            }
            sink.finish(&path, bytes)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::SkipReason;
    use crate::sink::Collector;

    fn skip(path: &str) -> Batch {
        Batch::Skipped(Skipped {
            path: path.into(),
            reason: SkipReason::Binary,
        })
    }

    #[test]
    fn batches_finished_out_of_order_are_delivered_in_order() {
        let mut c = Collector::default();
        let d = Delivery::new(&mut c);
        d.send(2, skip("c"));
        d.send(0, skip("a"));
        d.send(1, skip("b"));
        d.finish().unwrap();
        let paths: Vec<&str> = c.skipped.iter().map(|s| s.path.as_str()).collect();
        assert_eq!(paths, ["a", "b", "c"]);
    }

    #[test]
    fn a_sink_that_says_stop_receives_nothing_more() {
        struct StopAfterOne(u32);
        impl Sink for StopAfterOne {
            type Error = std::convert::Infallible;
            fn finding(&mut self, _: crate::Finding) -> Result<bool, Self::Error> {
                Ok(true)
            }
            fn skipped(&mut self, _: Skipped) -> Result<bool, Self::Error> {
                self.0 += 1;
                Ok(false)
            }
        }
        let mut s = StopAfterOne(0);
        let d = Delivery::new(&mut s);
        d.send(0, skip("a"));
        assert!(d.stopped());
        d.send(1, skip("b"));
        d.finish().unwrap();
        assert_eq!(s.0, 1);
    }

    #[test]
    fn a_failing_sink_stops_the_scan_with_its_error() {
        struct Broken;
        impl Sink for Broken {
            type Error = std::io::Error;
            fn finding(&mut self, _: crate::Finding) -> Result<bool, Self::Error> {
                Ok(true)
            }
            fn skipped(&mut self, _: Skipped) -> Result<bool, Self::Error> {
                Err(std::io::Error::other("pipe closed"))
            }
        }
        let mut s = Broken;
        let d = Delivery::new(&mut s);
        d.send(0, skip("a"));
        assert!(d.stopped());
        let err = d.finish().unwrap_err();
        assert!(err.to_string().contains("pipe closed"), "{err}");
    }
}
