//! `mrc`: MRC Desk from a terminal. The same core and the same database file
//! as the desktop app, for set-up, demo data, quick look-ups and benchmarks.

mod args;
mod commands;
mod db;
mod error;
mod output;

use std::io::Write;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    // Bad arguments exit here with clap's message and code 2.
    let cli = args::Cli::parse();
    db::set_user(cli.user.clone());
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let result = commands::run(cli, &mut out).and_then(|()| out.flush().map_err(Into::into));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader went away (`mrc migrants list | head`): nothing left to say.
        Err(error::CliError::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            error::report(&e);
            ExitCode::from(1)
        }
    }
}
