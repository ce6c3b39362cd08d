//! MRC Desk's desktop shell: opens the database in the OS app-data folder
//! and exposes the core's services as Tauri commands. No rules live here.

pub mod bindings;
mod commands;
pub mod error;
mod log;
mod person_file;
mod report_file;
#[cfg(unix)]
mod single_instance;
mod slip;
mod state;

use tauri::Manager;

/// The database file inside the app-data folder (`$XDG_DATA_HOME/org.mrcdesk.app` on Linux).
pub const DB_FILE: &str = "mrc-desk.db";

pub fn run() {
    #[cfg(target_os = "linux")]
    light_webview_rendering();
    tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .setup(|app| {
            let dir = app.path().app_data_dir()?;
            std::fs::create_dir_all(&dir)?;
            log::init(&dir.join("logs"));
            #[cfg(unix)]
            if let single_instance::Start::HandedOver = single_instance::claim(app.handle(), &dir)? {
                log::line("MRC Desk is already open: brought it to the front and quit");
                // Quit at once: `process::exit` runs the exit handlers of the
                // GTK and WebKit libraries just started, and once in CI that
                // left this start killed by a signal instead of exiting with 0.
                // SAFETY: nothing here needs finishing; the log line is written and closed.
                unsafe { libc::_exit(0) };
            }
            log::line(&format!("starting version {}", env!("CARGO_PKG_VERSION")));
            // The window is made here, after the check, so a second start
            // never flashes an empty one.
            for window in &app.config().app.windows {
                tauri::WebviewWindowBuilder::from_config(app.handle(), window)?.build()?;
            }
            app.manage(state::AppState::open(&dir.join(DB_FILE)));
            start_automatic_backups(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::desk::desk_state,
            commands::desk::desk_set_up,
            commands::desk::staff_add,
            commands::desk::staff_switch,
            commands::desk::staff_set_active,
            commands::desk::password_set,
            commands::desk::lock_minutes_set,
            commands::desk::session_sign_in,
            commands::desk::session_recover,
            commands::desk::recovery_key_make,
            commands::desk::session_claim,
            commands::desk::session_sign_out,
            commands::desk::session_lock,
            commands::desk::session_unlock,
            commands::desk::session_touch,
            commands::desk::audit_log,
            commands::desk::audit_verify,
            commands::desk::audit_export,
            commands::desk::language_set,
            commands::desk::about,
            commands::desk::practice_start,
            commands::desk::practice_leave,
            commands::desk::practice_remove,
            commands::migrants::migrant_register,
            commands::migrants::migrant_update,
            commands::migrants::migrant_duplicates,
            commands::migrants::duplicate_pairs,
            commands::migrants::duplicate_dismiss,
            commands::migrants::migrant_merge,
            commands::migrants::migrant_profile,
            commands::migrants::consent_withdraw,
            commands::migrants::migrant_anonymise,
            commands::migrants::retention_due,
            commands::migrants::retention_anonymise,
            commands::migrants::retention_years_set,
            commands::migrants::subject_access_export,
            commands::migrants::migrant_list,
            commands::migrants::migrant_delete,
            commands::migrants::migrant_restore,
            commands::migrants::family_link,
            commands::visits::visit_log,
            commands::visits::visit_delete,
            commands::visits::assistance_record,
            commands::visits::assistance_delete,
            commands::cases::case_open,
            commands::cases::case_move,
            commands::cases::case_detail,
            commands::cases::case_delete,
            commands::backups::backup_list,
            commands::backups::backup_now,
            commands::backups::backup_copy_folder,
            commands::backups::backup_copy_folder_set,
            commands::backups::backup_restore,
            commands::partners::partner_save,
            commands::partners::partner_list,
            commands::partners::partner_set_active,
            commands::partners::partner_delete,
            commands::partners::referral_create,
            commands::partners::referral_move,
            commands::partners::referral_detail,
            commands::partners::referral_slip,
            commands::partners::partner_export_csv,
            commands::partners::partner_import_csv,
            commands::daily::today,
            commands::daily::reminder_days_set,
            commands::daily::follow_up_add,
            commands::daily::follow_up_done,
            commands::daily::group_session_save,
            commands::daily::group_session_list,
            commands::daily::anonymous_contact_log,
            commands::daily::anonymous_contact_list,
            commands::report::report,
            commands::report::report_trend,
            commands::report::report_records,
            commands::report::report_export,
            commands::registers::register_open,
            commands::registers::register_mapping_problems,
            commands::registers::register_preview,
            commands::registers::register_import,
        ])
        .run(tauri::generate_context!())
        .expect("MRC Desk could not start its window");
}

/// Forms and tables need no GPU buffers: WebKitGTK's DMA-BUF renderer costs
/// the web process about 150 MB more (measured under Xvfb: 356 MB resident
/// against 206 MB) and shows a blank window with some old GPU drivers. A
/// value the user sets is kept.
#[cfg(target_os = "linux")]
fn light_webview_rendering() {
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
}

/// Writes the automatic backup again into the centre's second folder, if it chose one.
fn copy_to_second_folder(state: &state::AppState, kind: mrc_core::backup::BackupKind) {
    if let Ok(Some(folder)) = state.with("backup_copy_folder", |desk| desk.backup_copy_folder()) {
        if state.copying("automatic_backup_copy", None, |db, key| mrc_core::backup::copy_to_second_folder(db, key, &folder, kind)).is_ok() {
            log::line(&format!("automatic {kind} backup also written to the second folder"));
        }
    }
}

/// Makes the daily backup while the app runs: a first check soon after start
/// (not during it, so the first screen is not delayed), then every hour.
fn start_automatic_backups(app: tauri::AppHandle) {
    std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_secs(20));
        loop {
            let state = app.state::<state::AppState>();
            // An encrypted database is closed while nobody is signed in: its
            // backup waits for the next look after someone signs in.
            if state.is_open() {
                let made = state.copying("automatic_backup", None, |db, key| mrc_core::backup::back_up_if_due(db, key, &mrc_core::backup::backups_dir(db), chrono::Utc::now()));
                if let Ok(Some(b)) = made {
                    log::line(&format!("automatic {} backup written", b.kind));
                    copy_to_second_folder(&state, b.kind);
                } // a failure is already logged by `copying`
            }
            std::thread::sleep(std::time::Duration::from_secs(600));
        }
    });
}
