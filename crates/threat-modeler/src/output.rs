//! Where the output goes: a file or stdout (quietly ending on a closed
//! pipe), whether stdout gets colour, and the `outln!` line builder the
//! subcommands fill their text with before writing it once.

/// Appends a line to a `String` (printing goes through [`write_out`], which
/// ends quietly on a closed pipe).
#[macro_export]
macro_rules! outln {
    ($o:expr, $($t:tt)*) => {{
        $o.push_str(&format!($($t)*));
        $o.push('\n');
    }};
}

/// Writes to a file, or to stdout. A reader that closed the pipe early
/// (`| head`) ends the program quietly with exit 0, as ripgrep does.
pub fn write_out(output: Option<&std::path::Path>, text: &str) -> Result<(), String> {
    match output {
        Some(p) => std::fs::write(p, text).map_err(|e| format!("{}: {e}", p.display())),
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => Ok(()),
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
                Err(e) => Err(format!("cannot write to stdout: {e}")),
            }
        }
    }
}

/// Whether text on stdout gets colour: a terminal, and `NO_COLOR` unset or
/// empty (<https://no-color.org>).
pub fn colour_stdout(output: Option<&std::path::Path>) -> bool {
    use std::io::IsTerminal;
    output.is_none()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
        && std::io::stdout().is_terminal()
}
