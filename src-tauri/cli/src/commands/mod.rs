//! One module per command area; each writes its output to `out`.

mod audit;
mod backup;
mod save_stream;
mod bench;
mod bench_backup;
mod bench_report;
mod bench_search;
mod import;
mod init;
mod migrants;
mod partners;
mod report;
pub(crate) mod seed;
mod staff;

use std::io::Write;

use crate::args::{Cli, Command};
use crate::db;
use crate::error::Result;

pub fn run(cli: Cli, out: &mut dyn Write) -> Result<()> {
    match cli.command {
        Command::Init(args) => init::run(&db::resolve(cli.db)?, args, out),
        Command::Staff(command) => staff::run(&db::resolve(cli.db)?, command, out),
        Command::Audit(command) => audit::run(&db::resolve(cli.db)?, command, out),
        Command::SeedDemo(args) => seed::run(&db::resolve(cli.db.clone())?, cli.db.is_none(), args, out),
        Command::Migrants(command) => migrants::run(&db::resolve(cli.db)?, command, out),
        Command::Partners(command) => partners::run(&db::resolve(cli.db)?, command, out),
        Command::SaveStream { count } => save_stream::run(&db::resolve(cli.db)?, count, out),
        Command::Backup { out: dir } => backup::back_up(&db::resolve(cli.db)?, &dir, out),
        Command::Restore { file } => backup::restore(&db::resolve(cli.db)?, &file, out),
        // The benchmark never touches the real database: it builds its own.
        Command::Bench(args) => bench::run(args, out),
        Command::Report(args) => report::run(&db::resolve(cli.db)?, args, out),
        Command::BenchReport(args) => bench_report::run(args, out),
        Command::BenchBackup { centre, cold } => bench_backup::run(centre, cold, out),
        Command::BenchSearch(args) => bench_search::run(args, out),
        Command::Import(args) => import::run(&db::resolve(cli.db)?, args, out),
        Command::About => about(&db::resolve(cli.db)?, out),
    }
}

fn about(path: &std::path::Path, out: &mut dyn Write) -> Result<()> {
    // The database's facts are behind its key: an encrypted one needs a sign-in.
    let a = db::open_existing(path)?.about(env!("CARGO_PKG_VERSION"))?;
    writeln!(out, "MRC Desk {} (database schema {}, SQLite {})", a.version, a.schema_version, a.sqlite_version)?;
    for (label, value) in [("data folder", a.data_folder), ("database", a.database_file), ("backups", a.backups_folder)] {
        writeln!(out, "  {label}: {}", value.unwrap_or_default())?;
    }
    writeln!(out, "  size: {} bytes", a.database_bytes.unwrap_or(0))?;
    Ok(())
}
