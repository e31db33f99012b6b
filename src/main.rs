//! The `headroom` binary: a thin shell over the library. No arguments opens the desktop app on
//! the seed scenario (with the `gui` feature); subcommands run the same engine headless.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
