//! Runs the built `mrc` binary against temporary database files.

use std::path::Path;
use std::process::{Command, Output};

use serde_json::Value;

mod common;
use common::{init_centre, mrc, ok, stderr};

/// Runs `mrc --db <db> <args>` with a private data folder, so a test can never
/// reach the real database even if it forgot --db.

fn json(output: Output) -> Value {
    serde_json::from_str(&ok(output)).expect("valid JSON")
}

fn init(db: &Path) {
    init_centre(db, "MRC Dushanbe", "TJ", "Dushanbe");
}

#[test]
fn init_then_demo_then_list() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    init(&db);
    let seeded = ok(mrc(&db, &["seed-demo", "--seed", "7", "--migrants", "50"]));
    assert!(seeded.contains("50 migrants"), "{seeded}");
    let page = json(mrc(&db, &["migrants", "list", "--json"]));
    assert_eq!(page["total"], 50);
    assert_eq!(page["items"].as_array().unwrap().len(), 50);

    // The table shows names in both scripts.
    let table = ok(mrc(&db, &["migrants", "list", "--page-size", "5"]));
    assert!(table.lines().next().unwrap().contains("LATIN"), "{table}");
    assert!(table.contains("of 50"), "{table}");
}

#[test]
fn the_same_seed_gives_the_same_list() {
    let dir = tempfile::tempdir().unwrap();
    let lists: Vec<String> = ["a.db", "b.db"]
        .iter()
        .map(|name| {
            let db = dir.path().join(name);
            ok(mrc(&db, &["seed-demo", "--seed", "7", "--migrants", "50", "--as-of", "2025-06-30"]));
            ok(mrc(&db, &["migrants", "list", "--json", "--page-size", "500"]))
        })
        .collect();
    assert_eq!(lists[0], lists[1]);
    let page: Value = serde_json::from_str(&lists[0]).unwrap();
    assert_eq!(page["total"], 50);
}

#[test]
fn init_shows_the_recovery_key_once_and_it_gives_the_administrator_a_new_password() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    let shown = ok(mrc(&db, &["init", "--centre", "MRC Osh", "--country", "KG", "--city", "Osh", "--staff", common::ADMINISTRATOR]));
    let code = shown.lines().find_map(|l| l.strip_prefix("Recovery key: ")).unwrap_or_else(|| panic!("{shown}")).to_string();
    assert_eq!(code.len(), 39, "{code}");
    let recover = |key: &str| common::command(&db).args(["staff", "recover", "--name", common::ADMINISTRATOR]).env("MRC_RECOVERY_KEY", key).env("MRC_NEW_PASSWORD", "a new passphrase for osh").output().unwrap();
    let wrong = recover("AAAA-BBBB-CCCC-DDDD");
    assert_eq!(wrong.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("recovery_key: is not this centre's recovery key"), "{}", String::from_utf8_lossy(&wrong.stderr));
    ok(recover(&code));
    let old = mrc(&db, &["--user", common::ADMINISTRATOR, "staff", "list"]);
    assert!(old.status.success(), "the list needs no sign-in");
    let signed = common::command(&db).args(["--user", common::ADMINISTRATOR, "audit", "verify"]).env("MRC_PASSWORD", "a new passphrase for osh").output().unwrap();
    assert!(signed.status.success(), "{}", String::from_utf8_lossy(&signed.stderr));
    let refused = mrc(&db, &["--user", common::ADMINISTRATOR, "audit", "verify"]);
    assert!(String::from_utf8_lossy(&refused.stderr).contains("password is not right"));
}

#[test]
fn an_invalid_init_names_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    let output = mrc(&db, &["init", "--centre", "MRC", "--country", "XX", "--city", "Somewhere", "--staff", "Someone"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("error: "), "{stderr}");
    assert!(stderr.contains("country:") && stderr.contains("XX"), "{stderr}");
}

#[test]
fn show_delete_and_restore_a_migrant() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    ok(mrc(&db, &["seed-demo", "--seed", "3", "--migrants", "20", "--visits-per-migrant", "3"]));
    let page = json(mrc(&db, &["migrants", "list", "--json"]));
    let id = page["items"][0]["id"].as_str().unwrap().to_string();

    let profile = json(mrc(&db, &["migrants", "show", &id, "--json"]));
    assert_eq!(profile["migrant"]["id"], id.as_str());
    let text = ok(mrc(&db, &["migrants", "show", &id]));
    assert!(text.contains(&id) && text.contains("citizenship"), "{text}");

    ok(mrc(&db, &["migrants", "delete", &id]));
    assert_eq!(json(mrc(&db, &["migrants", "list", "--json"]))["total"], 19);
    let gone = mrc(&db, &["migrants", "show", &id]);
    assert_eq!(gone.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&gone.stderr).contains("not found"));
    ok(mrc(&db, &["migrants", "restore", &id]));
    assert_eq!(json(mrc(&db, &["migrants", "list", "--json"]))["total"], 20);
}

#[test]
fn bad_input_is_an_error_not_a_crash() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    // Usage errors: code 2.
    assert_eq!(mrc(&db, &["migrants", "show", "not-a-uuid"]).status.code(), Some(2));
    assert_eq!(mrc(&db, &["seed-demo", "--as-of", "2025-13-45"]).status.code(), Some(2));
    assert_eq!(mrc(&db, &["migrants", "list", "--page", "0"]).status.code(), Some(2));
    // No database yet: code 1, and no file left behind.
    let missing = mrc(&db, &["migrants", "list"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no database"));
    assert!(!db.exists());
    // Set up but asked for something odd.
    init(&db);
    let odd = mrc(&db, &["seed-demo", "--visits-per-migrant", "1000"]);
    assert_eq!(odd.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&odd.stderr).contains("visits_per_migrant"));
    let unknown = mrc(&db, &["migrants", "delete", "01900000-0000-7000-8000-000000000000"]);
    assert_eq!(unknown.status.code(), Some(1));
    let again = mrc(&db, &["init", "--centre", "MRC", "--country", "TJ", "--city", "Dushanbe", "--staff", "Someone"]);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("already set up"));
}

#[test]
fn bench_runs_at_a_small_scale() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("unused.db");
    let output = ok(mrc(&db, &["bench", "--migrants", "200", "--iterations", "20", "--dir", dir.path().to_str().unwrap()]));
    for measurement in ["open a migrant's profile", "save a visit", "migrant list, first page by name", "migrant list, first page of a search"] {
        let line = output.lines().find(|l| l.contains(measurement)).unwrap_or_else(|| panic!("{measurement} in:\n{output}"));
        assert!(line.contains(" ms") && (line.ends_with("PASS") || line.ends_with("OVER")), "{line}");
    }
    assert!(output.contains("200 migrants"), "{output}");
    // The benchmark cleans up after itself and never touches --db.
    assert!(!db.exists());
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).filter(|n| n.to_string_lossy().starts_with("mrc-bench-")).collect();
    assert!(left.is_empty(), "{left:?}");
}

/// The number that starts `text` after `prefix`, with its thousands commas.
fn number_after(text: &str, prefix: &str) -> usize {
    let rest = &text[text.find(prefix).unwrap_or_else(|| panic!("{prefix:?} in {text}")) + prefix.len()..];
    rest.chars().take_while(|c| c.is_ascii_digit() || *c == ',').filter(char::is_ascii_digit).collect::<String>().parse().unwrap()
}

#[test]
fn bench_times_the_today_screen_of_the_busiest_caseworker() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("unused.db");
    let output = ok(mrc(&db, &["bench", "--migrants", "200", "--iterations", "5", "--dir", dir.path().to_str().unwrap()]));
    let line = output.lines().find(|l| l.contains("Today screen data")).unwrap_or_else(|| panic!("Today in:\n{output}"));
    assert!(line.contains(" ms") && line.contains("< 30 ms") && (line.ends_with("PASS") || line.ends_with("OVER")), "{line}");
    // Two referrals and three follow-ups a migrant unless told otherwise.
    assert!(output.contains("400 referrals") && output.contains("600 follow-ups"), "{output}");
    let desk = output.lines().find(|l| l.contains("at the desk")).unwrap_or_else(|| panic!("{output}"));
    assert!(number_after(desk, "most open cases (") > 0, "{desk}");
    // What Today held, so an empty screen cannot pass for a fast one.
    let today = output.lines().find(|l| l.trim_start().starts_with("Today for ")).unwrap_or_else(|| panic!("{output}"));
    assert!(number_after(today, ": ") > 0, "{today}");
    assert!(today.contains("follow-ups due") && today.contains("referrals waiting") && today.contains("quiet cases"), "{today}");
    // The same measurements on the encrypted copy, and the ratio of each.
    let ratios = &output[output.find("What encryption adds").unwrap_or_else(|| panic!("{output}"))..];
    let profile = ratios.lines().find(|l| l.contains("open a migrant's profile")).unwrap_or_else(|| panic!("{ratios}"));
    assert!(profile.matches('x').count() >= 2 && (profile.ends_with("PASS") || profile.ends_with("OVER")), "{profile}");
}

#[test]
fn seed_demo_takes_the_amount_of_case_work() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    let seeded = ok(mrc(&db, &["seed-demo", "--seed", "4", "--migrants", "60", "--as-of", "2025-06-30", "--referrals-per-case", "0", "--follow-ups-per-case", "1"]));
    let line = |text: &str, needle: &str| text.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("{needle:?} in {text}")).to_string();
    let cases = number_after(&line(&seeded, " cases ("), "  ");
    assert!(cases > 0, "{seeded}");
    assert!(seeded.contains("  0 referrals, 0 referral events"), "{seeded}");
    assert_eq!(number_after(&line(&seeded, " follow-ups ("), "  "), cases, "one follow-up a case:\n{seeded}");
    assert!(seeded.contains("partners (") && seeded.contains("group sessions with") && seeded.contains("anonymous contacts"), "{seeded}");

    let defaults = ok(mrc(&dir.path().join("other.db"), &["seed-demo", "--seed", "4", "--migrants", "60", "--as-of", "2025-06-30"]));
    assert!(defaults.contains(&format!("  {} referrals (", cases * 2)), "two a case by default:\n{defaults}");

    let odd = mrc(&db, &["seed-demo", "--seed", "5", "--referrals-per-case", "80"]);
    assert_eq!(odd.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&odd.stderr).contains("referrals_per_case"));
}

#[test]
fn the_demo_never_mixes_into_the_apps_own_centre() {
    let dir = tempfile::tempdir().unwrap();
    let home = dir.path().join("xdg");
    let run = |args: &[&str]| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_mrc"));
        c.args(args).env("XDG_DATA_HOME", &home).env("HOME", &home);
        c.env("MRC_USER", common::SUPERVISOR).env("MRC_PASSWORD", mrc_core::sample::PASSWORD).output().unwrap()
    };
    // A fresh default database may become a demo centre...
    ok(run(&["seed-demo", "--migrants", "5", "--visits-per-migrant", "1"]));
    let app_db = home.join("org.mrcdesk.app").join("mrc-desk.db");
    assert!(app_db.is_file(), "the CLI uses the desktop app's file by default");
    // ...but demo data is never added to a centre that is already there.
    let refused = run(&["seed-demo", "--seed", "2", "--migrants", "5"]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--db"));
    assert_eq!(json(run(&["migrants", "list", "--json"]))["total"], 5);
}

#[test]
fn accounts_roles_and_the_audit_log_from_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    init_centre(&db, "MRC Osh", "KG", "Osh");
    ok(mrc(&db, &["--user", common::ADMINISTRATOR, "staff", "add", "--name", "Caseworker Two", "--role", "caseworker"]));
    let listed = ok(mrc(&db, &["staff", "list"]));
    assert!(listed.contains("Caseworker Two\tcaseworker") && listed.contains("Administrator One\tadministrator"), "{listed}");

    // A caseworker may not add accounts, nor read the audit log; the refusals are logged.
    for args in [&["staff", "add", "--name", "Someone Else", "--role", "supervisor"][..], &["audit", "verify"]] {
        let refused = mrc(&db, &[&["--user", "Caseworker Two"][..], args].concat());
        assert_eq!(refused.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&refused.stderr).contains("a caseworker may not"), "{}", String::from_utf8_lossy(&refused.stderr));
    }
    let wrong = common::command(&db).args(["migrants", "list"]).env("MRC_PASSWORD", "not the password").output().unwrap();
    assert!(String::from_utf8_lossy(&wrong.stderr).contains("password is not right"));

    assert!(ok(mrc(&db, &["audit", "verify"])).contains("The audit log is whole"));
    let csv = dir.path().join("audit.csv");
    ok(mrc(&db, &["audit", "export", "--out", csv.to_str().unwrap(), "--staff", "Caseworker Two"]));
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.contains("refused") && text.contains("sign_in"), "{text}");

    // Someone edits the file by hand to hide the refusals.
    let store = common::raw_connection(&db);
    store.connection().execute_batch("DROP TRIGGER audit_entry_no_delete; DELETE FROM audit_entry WHERE action = 'refused';").unwrap();
    drop(store);
    let tampered = mrc(&db, &["audit", "verify"]);
    assert_eq!(tampered.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&tampered.stderr).contains("tampered"));
}

#[test]
fn consent_is_withdrawn_and_everything_held_exported_from_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    init(&db);
    ok(mrc(&db, &["seed-demo", "--seed", "3", "--migrants", "30"]));
    let page = json(mrc(&db, &["migrants", "list", "--json"]));
    let sharing = page["items"].as_array().unwrap().iter().map(|m| m["id"].as_str().unwrap().to_string()).find(|id| {
        let profile = json(mrc(&db, &["migrants", "show", id, "--json"]));
        profile["migrant"]["consent_scope"].as_array().unwrap().iter().any(|s| s == "share_with_partners")
    });
    let id = sharing.expect("the demo has people who consent to sharing");

    let said = ok(mrc(&db, &["migrants", "withdraw-consent", &id, "--scope", "share_with_partners", "--note", "By phone"]));
    assert!(!said.contains("share_with_partners") && said.contains("Consent now covers"), "{said}");
    let unknown = mrc(&db, &["migrants", "withdraw-consent", &id, "--scope", "marketing"]);
    assert!(stderr(&unknown).contains("scope"), "{}", stderr(&unknown));

    let file = dir.path().join("held.json");
    ok(mrc(&db, &["migrants", "export", &id, "--out", file.to_str().unwrap()]));
    let held: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let pdf = std::fs::read(dir.path().join("held.pdf")).expect("a readable PDF beside the JSON");
    assert!(pdf.starts_with(b"%PDF-") && pdf.len() > 2000);
    assert_eq!(held["migrant"]["id"], id.as_str());
    let withdrawn = held["consents"].as_array().unwrap().iter().find(|c| c["scope"] == "share_with_partners" && !c["withdrawn_on"].is_null());
    assert_eq!(withdrawn.expect("the withdrawal is in the file")["withdrawal_note"], "By phone");
}
