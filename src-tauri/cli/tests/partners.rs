//! `mrc partners`: the directory shared between centres as CSV, run through the real binary.

use std::path::Path;

use serde_json::Value;

mod common;
use common::{init_centre, mrc as run, stderr, stdout, succeeds};

fn set_up(db: &Path, city: &str) {
    init_centre(db, &format!("MRC {city}"), "TJ", city);
}

/// The directory as JSON, without what differs between two databases.
fn directory(db: &Path) -> Vec<Value> {
    let list: Value = serde_json::from_str(&succeeds(db, &["partners", "list", "--json", "--all"])).expect("valid JSON");
    list.as_array()
        .expect("a list")
        .iter()
        .map(|p| {
            let mut p = p.clone();
            let fields = p.as_object_mut().unwrap();
            for volatile in ["id", "centre_id", "meta"] {
                assert!(fields.remove(volatile).is_some(), "{volatile} in {fields:?}");
            }
            p
        })
        .collect()
}

const DIRECTORY: &str = "\u{feff}name,name_local,kind,services,country,city,phones,languages,notes,active\r\n\
    Clinic of Hope,Клиника «Надежда»,clinic,medical;psychosocial,TJ,Душанбе,+992 44 600 0000,tg;ru,\"Walk-ins welcome, \"\"free\"\"\r\nroom 5\",yes\r\n\
    '=Legal Aid,,law_firm,legal_consultation,RU,Москва,,ru,,no\r\n\
    Shelter House,,shelter,shelter;humanitarian_in_kind,KG,Bishkek,,,,\r\n";

#[test]
fn a_directory_moves_between_centres_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let (first, second) = (dir.path().join("first.db"), dir.path().join("second.db"));
    let source = dir.path().join("directory.csv");
    std::fs::write(&source, DIRECTORY).unwrap();
    set_up(&first, "Dushanbe");
    assert_eq!(succeeds(&first, &["partners", "import", source.to_str().unwrap()]).trim(), "added 3, updated 0, rejected 0");

    let shared = dir.path().join("shared.csv");
    let exported = succeeds(&first, &["partners", "export", "--out", shared.to_str().unwrap(), "--all"]);
    assert!(exported.contains("Exported 3 partners"), "{exported}");
    let bytes = std::fs::read(&shared).unwrap();
    assert!(bytes.starts_with("\u{feff}name,".as_bytes()));
    assert!(String::from_utf8(bytes).unwrap().contains("'=Legal Aid"));

    set_up(&second, "Khujand");
    assert_eq!(succeeds(&second, &["partners", "import", shared.to_str().unwrap()]).trim(), "added 3, updated 0, rejected 0");
    let moved = directory(&second);
    assert_eq!(moved, directory(&first));
    assert_eq!(moved.len(), 3);
    assert!(moved.iter().any(|p| p["name"] == "=Legal Aid" && p["active"] == false));
    assert!(moved.iter().any(|p| p["notes"] == "Walk-ins welcome, \"free\"\r\nroom 5"));

    // The same file again updates the partners instead of adding them twice.
    assert_eq!(succeeds(&second, &["partners", "import", shared.to_str().unwrap()]).trim(), "added 0, updated 3, rejected 0");
    assert_eq!(directory(&second), moved);

    // Without --all the inactive partner stays out.
    let table = succeeds(&second, &["partners", "list"]);
    assert!(table.starts_with("NAME") && table.contains("Clinic of Hope") && !table.contains("=Legal Aid"), "{table}");
    let active = dir.path().join("active.csv");
    assert!(succeeds(&second, &["partners", "export", "--out", active.to_str().unwrap()]).contains("Exported 2 partners"));
}

#[test]
fn a_bad_file_names_its_lines_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    set_up(&db, "Dushanbe");
    let file = dir.path().join("bad.csv");
    std::fs::write(
        &file,
        "название;тип;услуги;страна;город\n\
         Clinic of Hope;clinic;medical;TJ;Dushanbe\n\
         Typo Centre;ngo;medcal;XX;Dushanbe\n\
         ;ngo;information;TJ;Dushanbe\n\
         Shelter House;shelter;shelter;KG;Bishkek\n",
    )
    .unwrap();

    let refused = run(&db, &["partners", "import", file.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    let report = stdout(&refused);
    let lines: Vec<&str> = report.lines().collect();
    assert_eq!(lines[0], "added 0, updated 0, rejected 2");
    assert_eq!(lines[1], "line 3: services: unknown service 'medcal'; country: 'XX' is not an ISO 3166 country code");
    assert_eq!(lines[2], "line 4: name: is required");
    assert!(stderr(&refused).contains("--skip-invalid"), "{}", stderr(&refused));
    assert!(directory(&db).is_empty());

    let skipped = run(&db, &["partners", "import", file.to_str().unwrap(), "--skip-invalid"]);
    assert_eq!(skipped.status.code(), Some(0), "{}", stderr(&skipped));
    assert!(stdout(&skipped).starts_with("added 2, updated 0, rejected 2\nline 3: "), "{}", stdout(&skipped));
    assert_eq!(directory(&db).len(), 2);
}

#[test]
fn files_that_cannot_be_read_are_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("desk.db");
    set_up(&db, "Dushanbe");

    let unknown = dir.path().join("unknown.csv");
    std::fs::write(&unknown, "name,kind,services,country,website\nX,ngo,medical,TJ,x.tj\n").unwrap();
    let output = run(&db, &["partners", "import", unknown.to_str().unwrap(), "--skip-invalid"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("columns: unknown column 'website'"), "{}", stderr(&output));

    // Windows-1251 Cyrillic, as an old Excel saves it.
    let legacy = dir.path().join("legacy.csv");
    std::fs::write(&legacy, b"name,kind,services,country\n\xcc\xe5\xe4\xe8\xf6\xe8\xed\xe0,clinic,medical,TJ\n").unwrap();
    let output = run(&db, &["partners", "import", legacy.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("is not UTF-8 text"), "{}", stderr(&output));

    let output = run(&db, &["partners", "import", dir.path().join("missing.csv").to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("could not open"), "{}", stderr(&output));
    assert!(directory(&db).is_empty());
}
