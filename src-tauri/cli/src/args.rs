//! The command line, as clap reads it. Only shapes here; the work is in `commands`.

use std::path::PathBuf;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};
use mrc_core::migrant::Sex;
use uuid::Uuid;

#[derive(Parser)]
#[command(name = "mrc", version, about = "MRC Desk from the command line: the same core and database as the desktop app")]
pub struct Cli {
    /// The database file [default: the desktop app's, <data dir>/org.mrcdesk.app/mrc-desk.db]
    #[arg(long, global = true, value_name = "PATH")]
    pub db: Option<PathBuf>,

    /// The account to sign in as (its full name) [default: the only account, when there is one].
    /// The password is read from MRC_PASSWORD, or asked for at the terminal
    #[arg(long, global = true, value_name = "NAME", env = "MRC_USER")]
    pub user: Option<String>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Set up the centre and its administrator (first run); the password is read
    /// from MRC_PASSWORD, or asked for at the terminal
    Init(InitArgs),
    /// The centre's accounts: list them, open one (administrators)
    #[command(subcommand)]
    Staff(StaffCommand),
    /// The audit log: check that no entry was changed or removed, export it (supervisors, administrators)
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Fill the centre with a year of invented demo work (sets up a demo centre on a fresh database)
    SeedDemo(SeedArgs),
    /// List, show, delete and restore migrants
    #[command(subcommand)]
    Migrants(MigrantsCommand),
    /// List the partner directory, and share it with other centres as CSV
    #[command(subcommand)]
    Partners(PartnersCommand),
    /// For the crash-safety test: register migrants one by one, printing each id once it is saved
    #[command(hide = true)]
    SaveStream {
        #[arg(long, default_value_t = 1000)]
        count: usize,
    },
    /// Write a verified backup of the database into a folder (a USB stick)
    Backup {
        /// The folder to write the backup into
        #[arg(long)]
        out: PathBuf,
    },
    /// Replace the database with a verified backup (the current data is kept aside first)
    Restore {
        /// The backup file
        file: PathBuf,
    },
    /// Measure everyday operations on a large generated centre in a temporary database
    Bench(BenchArgs),
    /// The monthly assistance report as XLSX, CSV (one file per table), PDF or JSON
    Report(ReportArgs),
    /// Time the monthly report and its files on a very large generated centre (two years of work)
    BenchReport(LargeCentreArgs),
    /// Time a backup and a restore of a very large generated centre
    BenchBackup {
        #[command(flatten)]
        centre: LargeCentreArgs,
        /// Drop the files from the system's cache before each run, as after a reboot
        #[arg(long)]
        cold: bool,
    },
    /// Time the search, the duplicate check and saving in a very large generated centre,
    /// and measure the duplicate check's recall and precision on planted duplicates
    BenchSearch(LargeCentreArgs),
    /// The version, the database schema and where the data is
    About,
    /// Import a register of migrants kept in Excel or CSV (English or Russian headers, any column order);
    /// people already registered are not added again
    Import(ImportArgs),
}

#[derive(Args)]
pub struct ImportArgs {
    /// The register: XLSX (or XLS, ODS), or CSV (UTF-8 or Windows-1251, `,` or `;`)
    pub file: PathBuf,
    /// Which column holds which field, as JSON: edit what --print-mapping writes
    /// [default: guessed from the headers, and printed]
    #[arg(long, value_name = "MAP.json")]
    pub mapping: Option<PathBuf>,
    /// The worksheet of a workbook to read [default: the first]
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// How a date such as 01/02/2026 is read: dmy (1 February) or mdy (2 January)
    #[arg(long, value_enum, default_value_t = DateOrderArg::Dmy)]
    pub date_order: DateOrderArg,
    /// Import the valid rows even if others are invalid [default: an invalid row means nothing is imported]
    #[arg(long)]
    pub skip_invalid: bool,
    /// Write nothing: say what the import would do, row by row
    #[arg(long)]
    pub dry_run: bool,
    /// Write the mapping guessed from the headers as JSON to stdout, to edit and give back with --mapping
    #[arg(long, conflicts_with_all = ["mapping", "dry_run", "skip_invalid"])]
    pub print_mapping: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DateOrderArg {
    Dmy,
    Mdy,
}

/// A very large generated centre, for the benchmarks that need one.
#[derive(Args)]
pub struct LargeCentreArgs {
    #[arg(long, default_value_t = 100_000)]
    pub migrants: usize,
    /// Visits per migrant on average, and as many assistance records
    #[arg(long, default_value_t = 5.0)]
    pub records_per_migrant: f64,
    /// Timed runs of each step
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub runs: u32,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Keep the generated database in this folder and reuse it next time
    /// (generating a million migrants takes minutes) [default: a temporary folder, removed]
    #[arg(long, value_name = "DIR")]
    pub keep_in: Option<PathBuf>,
}

#[derive(Args)]
pub struct ReportArgs {
    /// A month, YYYY-MM [default: the previous month]
    #[arg(long, value_name = "YYYY-MM", conflicts_with_all = ["from", "to"])]
    pub period: Option<String>,
    /// First day of a custom period (YYYY-MM-DD), with --to
    #[arg(long, value_name = "DATE", requires = "to")]
    pub from: Option<NaiveDate>,
    /// Last day of a custom period (YYYY-MM-DD), with --from
    #[arg(long, value_name = "DATE", requires = "from")]
    pub to: Option<NaiveDate>,
    #[arg(long, value_enum)]
    pub format: ReportFormatArg,
    /// The file to write; for CSV, the files are named after it, one per table
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Every centre in the database [default: this installation's centre]
    #[arg(long)]
    pub all_centres: bool,
    /// No personal data, counts from 1 to 4 shown as <5
    #[arg(long)]
    pub for_sharing: bool,
    /// Language of the file: en or ru
    #[arg(long, default_value = "en")]
    pub language: String,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ReportFormatArg {
    Xlsx,
    Csv,
    Pdf,
    Json,
}

#[derive(Args)]
pub struct InitArgs {
    /// The centre's name
    #[arg(long)]
    pub centre: String,
    /// The centre's country, as an ISO 3166 code (TJ, KG, AM, KZ, RU...)
    #[arg(long)]
    pub country: String,
    #[arg(long)]
    pub city: String,
    /// Full name of the centre's administrator, who manages accounts and backups
    #[arg(long)]
    pub staff: String,
    /// Interface language: en or ru
    #[arg(long, default_value = "en")]
    pub language: String,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Role {
    Caseworker,
    Supervisor,
    Administrator,
    Viewer,
}

#[derive(Subcommand)]
pub enum StaffCommand {
    /// The centre's accounts and their roles
    List,
    /// Open an account; its first password is read from MRC_NEW_PASSWORD, or asked for at the terminal
    Add {
        /// Full name
        #[arg(long)]
        name: String,
        #[arg(long, value_enum)]
        role: Role,
    },
    /// An administrator's forgotten password: the recovery key (from MRC_RECOVERY_KEY, or asked)
    /// opens the encrypted data and the new password is read from MRC_NEW_PASSWORD, or asked
    Recover {
        /// The administrator's full name
        #[arg(long)]
        name: String,
    },
}

#[derive(Subcommand)]
pub enum AuditCommand {
    /// Walk the whole chain of the audit log and say whether any entry was changed, removed or added
    Verify,
    /// Write the log (or a part of it) as CSV
    Export {
        /// The CSV file to write
        #[arg(long)]
        out: PathBuf,
        /// Only this staff member's entries (full name)
        #[arg(long)]
        staff: Option<String>,
        /// Only entries about this record (a migrant's id, say)
        #[arg(long)]
        record: Option<uuid::Uuid>,
    },
}

#[derive(Args)]
pub struct SeedArgs {
    /// The same seed and --as-of always give the same data
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long, default_value_t = 300)]
    pub migrants: usize,
    /// Average visits per migrant
    #[arg(long, default_value_t = 10.0)]
    pub visits_per_migrant: f64,
    /// Average referrals to partners per case
    #[arg(long, default_value_t = mrc_core::demo::REFERRALS_PER_CASE)]
    pub referrals_per_case: f64,
    /// Average follow-ups per case
    #[arg(long, default_value_t = mrc_core::demo::FOLLOW_UPS_PER_CASE)]
    pub follow_ups_per_case: f64,
    /// The demo covers the twelve months before this day (YYYY-MM-DD) [default: today]
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
}

#[derive(Subcommand)]
pub enum MigrantsCommand {
    /// A page of the migrant list
    List(ListArgs),
    /// Everything recorded about one migrant
    Show {
        id: Uuid,
        /// Print the profile as JSON
        #[arg(long)]
        json: bool,
    },
    /// Hide a migrant (records are never erased; `restore` brings them back)
    Delete { id: Uuid },
    /// Bring back a deleted migrant
    Restore { id: Uuid },
    /// Everything held about one migrant, as JSON, for them (subject access; supervisors)
    Export {
        id: Uuid,
        /// The JSON file; a readable PDF is written beside it
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// The PDF's language: en or ru
        #[arg(long, default_value = "ru")]
        language: String,
    },
    /// Remove a migrant's identity for good, keeping what the report counts (supervisors)
    Anonymise { id: Uuid },
    /// People whose last case closed longer ago than the centre keeps identities
    RetentionDue,
    /// The migrant takes back one scope of their consent
    WithdrawConsent {
        id: Uuid,
        /// data_processing, share_with_partners or contact_by_phone
        #[arg(long)]
        scope: String,
        /// How the migrant said it (optional)
        #[arg(long, default_value = "")]
        note: String,
    },
}

#[derive(Args)]
pub struct ListArgs {
    /// Words that must all appear in a name (any script), phone or document number
    #[arg(long)]
    pub search: Option<String>,
    #[arg(long, value_enum, default_value_t = Sort::Name)]
    pub sort: Sort,
    /// Page number, from 1
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..))]
    pub page: u32,
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u32).range(1..=500))]
    pub page_size: u32,
    /// Print the page as JSON (the core's page object, whose `page` counts from 0)
    #[arg(long)]
    pub json: bool,
    /// Only this sex: female, male, other, unknown
    #[arg(long, value_parser = |s: &str| Sex::parse(s).ok_or(format!("'{s}' is not one of female, male, other, unknown")))]
    pub sex: Option<Sex>,
    /// Only people at least this old today
    #[arg(long)]
    pub age_from: Option<u32>,
    /// Only people at most this old today
    #[arg(long)]
    pub age_to: Option<u32>,
    /// Only this citizenship (ISO code such as TJ)
    #[arg(long, default_value = "")]
    pub citizenship: String,
    /// Only people registered on or after this day (YYYY-MM-DD)
    #[arg(long)]
    pub registered_from: Option<NaiveDate>,
    /// Only people registered on or before this day (YYYY-MM-DD)
    #[arg(long)]
    pub registered_to: Option<NaiveDate>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Sort {
    Name,
    Recent,
}

#[derive(Subcommand)]
pub enum PartnersCommand {
    /// The partners of the centre, by name
    List {
        /// Print the partners as JSON
        #[arg(long)]
        json: bool,
        /// Include partners that were deactivated
        #[arg(long)]
        all: bool,
    },
    /// Write the directory to a CSV file (UTF-8 with a BOM, opens in Excel)
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Include partners that were deactivated
        #[arg(long)]
        all: bool,
    },
    /// Add or update partners from a CSV file (English or Russian headers, `,` or `;`);
    /// a partner with the same name and city is updated, not added twice
    Import {
        file: PathBuf,
        /// Write the valid rows even if others are rejected [default: a rejected row means nothing is written]
        #[arg(long)]
        skip_invalid: bool,
    },
}

#[derive(Args)]
pub struct BenchArgs {
    #[arg(long, default_value_t = 10_000)]
    pub migrants: usize,
    #[arg(long, default_value_t = 10.0)]
    pub visits_per_migrant: f64,
    /// Referrals from cases to partners, in all [default: 2 per migrant, 20,000 for 10,000 migrants]
    #[arg(long, value_name = "N")]
    pub referrals: Option<usize>,
    /// Follow-ups on cases, in all [default: 3 per migrant, 30,000 for 10,000 migrants]
    #[arg(long, value_name = "N")]
    pub follow_ups: Option<usize>,
    /// Timed runs of each operation
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub iterations: u32,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Folder for the temporary database [default: the system's temporary folder]. Saving
    /// a visit waits for the disk, so put it on the disk you want to measure.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}
