//! `mrc import`: registers of migrants from CSV and Excel, run through the real binary.

use std::path::{Path, PathBuf};
use std::process::Output;

use serde_json::Value;

mod common;
use common::{init_centre, mrc as run, stderr, stdout, succeeds};

fn fails(db: &Path, args: &[&str]) -> Output {
    let output = run(db, args);
    assert_eq!(output.status.code(), Some(1), "mrc {args:?}:\n{}\n{}", stdout(&output), stderr(&output));
    output
}

fn set_up(db: &Path) {
    init_centre(db, "MRC Dushanbe", "TJ", "Dushanbe");
}

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../assets/demo/registers").join(name);
    path.to_str().unwrap().to_string()
}

fn migrants(db: &Path) -> Vec<Value> {
    let page: Value = serde_json::from_str(&succeeds(db, &["migrants", "list", "--json", "--page-size", "500"])).expect("valid JSON");
    page["items"].as_array().expect("a list").clone()
}

fn profile(db: &Path, family_name: &str) -> Value {
    let id = migrants(db).into_iter().find(|m| m["family_name"] == family_name).unwrap_or_else(|| panic!("{family_name} is not registered"))["id"].clone();
    serde_json::from_str(&succeeds(db, &["migrants", "show", id.as_str().unwrap(), "--json"])).expect("valid JSON")
}

fn last_line(text: &str) -> &str {
    text.trim_end().lines().last().unwrap_or_default()
}

#[test]
fn a_russian_register_is_imported_once() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    set_up(&db);
    let first = succeeds(&db, &["import", &fixture("russian.csv")]);
    // Without --mapping, the guessed mapping is shown first.
    let shown: Vec<&str> = first.lines().take(4).collect();
    assert_eq!(shown[0], "Columns (header on row 1), as guessed from the headers:");
    assert!(shown[1].starts_with("  A   №") && shown[1].ends_with("(ignored)"), "{first}");
    assert!(shown[2].starts_with("  B   Фамилия") && shown[2].ends_with("-> family_name"), "{first}");
    assert!(first.contains("Defaults for empty cells and missing columns: migration_status = unknown, document_kind = passport, visit_channel = walk_in"), "{first}");
    assert_eq!(last_line(&first), "added 4, already registered 0, repeated in the file 1, visits added 5, assistance added 5, rejected 0");
    assert_eq!(migrants(&db).len(), 4);
    let rahimov = profile(&db, "Рахимов");
    assert_eq!((rahimov["migrant"]["birth_date"].as_str(), rahimov["migrant"]["citizenship"].as_str()), (Some("1990-03-12"), Some("TJ")));
    assert_eq!((rahimov["visits"].as_array().unwrap().len(), rahimov["assistance"].as_array().unwrap().len()), (2, 2));

    let again = succeeds(&db, &["import", &fixture("russian.csv")]);
    assert_eq!(last_line(&again), "added 0, already registered 5, repeated in the file 0, visits added 0, assistance added 0, rejected 0");
    assert_eq!(migrants(&db).len(), 4);
    assert_eq!(profile(&db, "Рахимов")["visits"].as_array().unwrap().len(), 2);
}

#[test]
fn a_dry_run_tells_what_would_happen_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    set_up(&db);
    let dry = succeeds(&db, &["import", &fixture("with_errors.csv"), "--dry-run"]);
    let report: Vec<&str> = dry.lines().skip_while(|l| !l.starts_with("6 rows")).collect();
    assert_eq!(
        report,
        vec![
            "6 rows: 2 new, 0 already registered, 0 repeated in the file, 4 invalid; 0 visits and 0 assistance records to add",
            "row 3: Дата рождения (birth_date): '31.02.1985' is not a date: write it as 31.10.1990 or 1990-10-31",
            "row 4: Фамилия (family_name): '=cmd|' /C calc'!A0' is a spreadsheet formula, not a value",
            "row 5: Дата рождения (birth_date): must not be in the future; Пол (sex): 'X' is not a sex: write М or Ж, M or F, male or female; \
             Гражданство (citizenship): 'Марс' is not a country: write its ISO code (TJ, UZ, KG...)",
            "row 6: Телефон (phone): may hold only digits, spaces, + - ( ) and .",
            "Nothing was written (dry run).",
        ]
    );
    assert!(migrants(&db).is_empty());

    succeeds(&db, &["import", &fixture("russian.csv")]);
    let known = succeeds(&db, &["import", &fixture("russian.csv"), "--dry-run"]);
    assert!(known.contains("5 rows: 0 new, 5 already registered, 0 repeated in the file, 0 invalid; 0 visits"), "{known}");
    let id = profile(&db, "Рахимов")["migrant"]["id"].as_str().unwrap().to_string();
    assert!(known.contains(&format!("row 2: already registered as {id} (Рахимов Алишер, same document number)")), "{known}");
}

#[test]
fn an_invalid_row_stops_the_import_unless_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    set_up(&db);
    let refused = fails(&db, &["import", &fixture("with_errors.csv")]);
    let out = stdout(&refused);
    assert!(out.contains("added 0, already registered 0, repeated in the file 0, visits added 0, assistance added 0, rejected 4\nrow 3: "), "{out}");
    assert!(out.contains("\nrow 6: Телефон (phone): "), "{out}");
    assert!(stderr(&refused).contains("nothing was imported") && stderr(&refused).contains("--skip-invalid"), "{}", stderr(&refused));
    assert!(migrants(&db).is_empty());

    let skipped = succeeds(&db, &["import", &fixture("with_errors.csv"), "--skip-invalid"]);
    assert!(skipped.contains("added 2, already registered 0, repeated in the file 0, visits added 0, assistance added 0, rejected 4\nrow 3: "), "{skipped}");
    let names: Vec<Value> = migrants(&db).into_iter().map(|m| m["family_name"].clone()).collect();
    assert_eq!(names, vec!["Рахимов", "Юсупов"]);
}

#[test]
fn a_mapping_is_printed_edited_and_given_back() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    let file = fixture("english_mdy.csv");
    // Printing needs no database.
    let printed = succeeds(&db, &["import", &file, "--print-mapping"]);
    assert!(!db.exists());
    let mut mapping: Value = serde_json::from_str(&printed).expect("the mapping is JSON");
    let targets: Vec<Value> = mapping["columns"].as_array().unwrap().iter().map(|c| c["target"].clone()).collect();
    let expected = ["document_number", "family_name", "given_name", "birth_date", "sex", "citizenship", "phone", "migration_status", "visit_date", "visit_channel", "assistance_category", "notes"];
    assert_eq!(targets, expected.map(Value::from).to_vec());

    // Every visit in this file was made on an outreach trip.
    mapping["columns"][9]["target"] = Value::Null;
    mapping["defaults"]["visit_channel"] = "outreach".into();
    let edited = dir.path().join("map.json");
    std::fs::write(&edited, serde_json::to_string_pretty(&mapping).unwrap()).unwrap();
    set_up(&db);
    let refused = fails(&db, &["import", &file, "--mapping", edited.to_str().unwrap()]);
    assert!(stdout(&refused).contains("row 2: DOB (birth_date): '10/31/1990' is not a date: write it as 31.10.1990 or 1990-10-31; Visit date (visit_date): "), "{}", stdout(&refused));

    let imported = succeeds(&db, &["import", &file, "--mapping", edited.to_str().unwrap(), "--date-order", "mdy"]);
    assert!(!imported.contains("guessed"), "a mapping given is not shown again: {imported}");
    assert_eq!(last_line(&imported), "added 3, already registered 0, repeated in the file 0, visits added 3, assistance added 3, rejected 0");
    let rahimov = profile(&db, "Rahimov");
    assert_eq!(rahimov["migrant"]["birth_date"], "1990-10-31");
    assert_eq!(rahimov["visits"][0]["channel"], "outreach");

    // A mapping that leaves a required field without a column or default is refused as a whole.
    mapping["columns"][5]["target"] = Value::Null;
    std::fs::write(&edited, serde_json::to_string(&mapping).unwrap()).unwrap();
    let refused = fails(&db, &["import", &file, "--mapping", edited.to_str().unwrap(), "--date-order", "mdy"]);
    assert!(stderr(&refused).contains("mapping: nothing gives citizenship"), "{}", stderr(&refused));
    std::fs::write(&edited, "{\"columns\": 3}").unwrap();
    let refused = fails(&db, &["import", &file, "--mapping", edited.to_str().unwrap()]);
    assert!(stderr(&refused).contains("is not a mapping"), "{}", stderr(&refused));
    assert_eq!(migrants(&db).len(), 3);
}

/// A workbook whose register is on its second sheet, under a title, with
/// its columns in their own order and dates as date cells.
fn workbook(path: &Path) {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    book.add_worksheet().set_name("Notes").unwrap().write_string(0, 0, "Imported from the 2024 paper forms").unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Реестр").unwrap();
    sheet.write_string(0, 0, "Реестр бенефициаров").unwrap();
    for (c, header) in ["Date of visit", "Gender", "Date of birth", "First name", "Surname", "Citizenship"].iter().enumerate() {
        sheet.write_string(1, c as u16, *header).unwrap();
    }
    let date = Format::new().set_num_format("dd.mm.yyyy");
    let rows = [((2025, 9, 15), "Ж", (1992, 2, 29), "Айгуль", "Мамбетова", "KG"), ((2025, 10, 1), "male", (1987, 12, 31), "Бакыт", "Осмонов", "Кыргызстан")];
    for (r, (visit, sex, born, given, family, country)) in rows.iter().enumerate() {
        let r = r as u32 + 2;
        sheet.write_datetime_with_format(r, 0, ExcelDateTime::from_ymd(visit.0, visit.1, visit.2).unwrap(), &date).unwrap();
        sheet.write_datetime_with_format(r, 2, ExcelDateTime::from_ymd(born.0, born.1, born.2).unwrap(), &date).unwrap();
        for (c, text) in [(1, sex), (3, given), (4, family), (5, country)] {
            sheet.write_string(r, c, *text).unwrap();
        }
    }
    book.save(path).unwrap();
}

#[test]
fn an_excel_register_is_read_from_its_sheet() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    set_up(&db);
    let file = dir.path().join("register.xlsx");
    workbook(&file);
    let file = file.to_str().unwrap();

    let imported = succeeds(&db, &["import", file, "--sheet", "Реестр"]);
    assert!(imported.starts_with("Columns (sheet 'Реестр', header on row 2), as guessed"), "{imported}");
    assert_eq!(last_line(&imported), "added 2, already registered 0, repeated in the file 0, visits added 2, assistance added 0, rejected 0");
    let aigul = profile(&db, "Мамбетова");
    assert_eq!((aigul["migrant"]["birth_date"].as_str(), aigul["migrant"]["sex"].as_str()), (Some("1992-02-29"), Some("female")));
    assert_eq!(profile(&db, "Осмонов")["migrant"]["citizenship"], "KG");

    // The first sheet has no register on it; a sheet that is not there is named.
    let refused = fails(&db, &["import", file]);
    assert!(stderr(&refused).contains("nothing gives family_name"), "{}", stderr(&refused));
    let refused = fails(&db, &["import", file, "--sheet", "Лист1"]);
    assert!(stderr(&refused).contains("the workbook has no sheet 'Лист1' (its sheets: Notes, Реестр)"), "{}", stderr(&refused));
    assert_eq!(migrants(&db).len(), 2);
}

#[test]
fn files_that_cannot_be_read_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    set_up(&db);
    let missing = dir.path().join("missing.csv");
    assert!(stderr(&fails(&db, &["import", missing.to_str().unwrap()])).contains("could not open"));
    let damaged = dir.path().join("damaged.xlsx");
    std::fs::write(&damaged, b"PK\x03\x04 this is not a workbook").unwrap();
    assert!(stderr(&fails(&db, &["import", damaged.to_str().unwrap()])).contains("could not be read as a workbook"));
    let empty = dir.path().join("empty.csv");
    std::fs::write(&empty, "\u{feff}\r\n;;\r\n").unwrap();
    assert!(stderr(&fails(&db, &["import", empty.to_str().unwrap()])).contains("the file is empty"));
    assert!(migrants(&db).is_empty());
}
