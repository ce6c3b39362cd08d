use chrono::NaiveDate;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::assistance::AssistanceCategory;
use crate::centre::StaffRole;
use crate::desk::MigrantProfile;
use crate::migrant::{IdentityDocument, Messenger, MigrantInput, MigrantQuery, MigrationStatus, Phone, Sex};
use crate::record::local_day;
use crate::visit::Channel;
use crate::CoreError;

const RUSSIAN: &[u8] = include_bytes!("../../../../assets/demo/registers/russian.csv");
const ENGLISH_MDY: &[u8] = include_bytes!("../../../../assets/demo/registers/english_mdy.csv");
const WITH_ERRORS: &[u8] = include_bytes!("../../../../assets/demo/registers/with_errors.csv");

fn desk() -> Desk {
    let mut desk = Desk::open_in_memory().unwrap();
    set_up(&mut desk);
    desk
}

fn set_up(desk: &mut Desk) {
    crate::sample::start_centre(desk, crate::sample::dushanbe("Caseworker One", StaffRole::Caseworker, "ru")).unwrap();
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn sheet(bytes: &[u8]) -> Sheet {
    read_register(bytes, None).unwrap()
}

fn preview(desk: &Desk, bytes: &[u8], order: DateOrder) -> RegisterPreview {
    let sheet = sheet(bytes);
    desk.preview_register(&sheet, &propose_mapping(&sheet.headers), &ImportOptions { date_order: order }).unwrap()
}

fn import(desk: &mut Desk, bytes: &[u8], mode: ImportMode) -> RegisterReport {
    let sheet = sheet(bytes);
    desk.import_register(&sheet, &propose_mapping(&sheet.headers), &ImportOptions::default(), mode, &mut |_| {}).unwrap()
}

/// Rows in the tables an import writes to, to see that a refusal wrote nothing.
fn counts(desk: &Desk) -> [i64; 4] {
    ["migrant", "visit", "assistance", "report_fact"].map(|t| desk.store().connection().query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0)).unwrap())
}

/// Everyone registered, by name, with their visits and help.
fn people(desk: &Desk) -> Vec<MigrantProfile> {
    let page = desk.list_migrants(&MigrantQuery { page_size: 500, ..Default::default() }).unwrap();
    page.items.iter().map(|m| desk.migrant_profile(m.id).unwrap()).collect()
}

fn person<'a>(people: &'a [MigrantProfile], family: &str) -> &'a MigrantProfile {
    people.iter().find(|p| p.migrant.family_name == family).unwrap_or_else(|| panic!("{family} is not registered"))
}

fn problems(outcome: &RowOutcome) -> Vec<(&str, &str)> {
    outcome.problems.iter().map(|p| (p.field.as_str(), p.code.as_str())).collect()
}

fn field_codes(err: CoreError) -> Vec<(String, String)> {
    match err {
        CoreError::Validation(errors) => errors.into_iter().map(|e| (e.field, e.code)).collect(),
        other => panic!("expected a validation error, got {other}"),
    }
}

// ----- values -----

#[test]
fn every_date_format_is_read() {
    let today = day(2026, 11, 27);
    let dmy = |text: &str| parse_date(text, DateOrder::DayFirst, today);
    let mdy = |text: &str| parse_date(text, DateOrder::MonthFirst, today);
    for text in ["31.10.2026", "31/10/2026", "31-10-2026", "2026-10-31", "2026.10.31", "2026/10/31", " 31.10.2026 14:30", "2026-10-31T10:00:00", "31.10.26"] {
        assert_eq!(dmy(text), Some(day(2026, 10, 31)), "{text}");
    }
    assert_eq!(dmy("1.2.85"), Some(day(1985, 2, 1)));
    assert_eq!(dmy("01/02/2026"), Some(day(2026, 2, 1)));
    assert_eq!(mdy("01/02/2026"), Some(day(2026, 1, 2)));
    for text in ["10/31/2026", "10.31.2026", "2026-10-31", "10/31/26"] {
        assert_eq!(mdy(text), Some(day(2026, 10, 31)), "{text}");
    }
    assert_eq!(dmy("10/31/2026"), None);
    assert_eq!(mdy("31/10/2026"), None);
    for bad in ["", "31.02.2026", "2026", "31.10", "abc", "31.10.2026.", "31..2026", "99999999999.1.1", "٣١.١٠.٢٠٢٦", "1.1.123", "-1.1.2020", "31 октября 2026"] {
        assert_eq!(dmy(bad), None, "{bad:?}");
    }
}

#[test]
fn excel_serial_dates_are_read() {
    assert_eq!(from_excel_serial(46326.0), Some(day(2026, 10, 31)));
    assert_eq!(from_excel_serial(33177.75), Some(day(1990, 10, 31)));
    // Excel's day 60 is a 29 February 1900 that never was.
    assert_eq!(from_excel_serial(1.0), Some(day(1900, 1, 1)));
    assert_eq!(from_excel_serial(61.0), Some(day(1900, 3, 1)));
    for bad in [0.0, -5.0, f64::NAN, f64::INFINITY, 1e12] {
        assert_eq!(from_excel_serial(bad), None, "{bad}");
    }
}

#[test]
fn sex_is_read_as_people_write_it() {
    for text in ["М", "м", "М.", "муж", "Муж.", "мужской", "МУЖСКОЙ", "M", "m", "male", "Male", " MALE "] {
        assert_eq!(parse_sex(text), Some(Sex::Male), "{text}");
    }
    for text in ["Ж", "ж", "жен", "Жен.", "женский", "Женский", "F", "f", "female", "FEMALE"] {
        assert_eq!(parse_sex(text), Some(Sex::Female), "{text}");
    }
    assert_eq!(parse_sex("other"), Some(Sex::Other));
    assert_eq!(parse_sex("unknown"), Some(Sex::Unknown));
    for bad in ["", "X", "мж", "1", "мужчины и женщины"] {
        assert_eq!(parse_sex(bad), None, "{bad}");
    }
}

#[test]
fn countries_are_read_by_code_or_name() {
    for (text, code) in [("TJ", "TJ"), ("tj", "TJ"), ("Таджикистан", "TJ"), ("TJK", "TJ"), ("Tajikistan", "TJ"), ("Киргизия", "KG"), ("Кыргызстан", "KG"),
        ("Узбекистан", "UZ"), ("РФ", "RU"), ("Российская Федерация", "RU"), ("Kazakhstan", "KZ"), ("Армения", "AM"), ("DE", "DE")] {
        assert_eq!(parse_country(text).as_deref(), Some(code), "{text}");
    }
    for bad in ["", "XX", "Марс", "Tajik"] {
        assert_eq!(parse_country(bad), None, "{bad}");
    }
}

#[test]
fn headers_are_recognised_in_english_and_russian() {
    let cases = [
        ("Фамилия", Target::FamilyName), ("ФАМИЛИЯ ", Target::FamilyName), ("Surname", Target::FamilyName), ("Last name", Target::FamilyName),
        ("Family_name", Target::FamilyName), ("Имя", Target::GivenName), ("First Name", Target::GivenName), ("Отчество", Target::Patronymic),
        ("Ф.И.О.", Target::FullName), ("ФИО", Target::FullName), ("Фамилия (лат.)", Target::FamilyNameLatin), ("Дата рождения", Target::BirthDate),
        ("Дата рождения (дд.мм.гггг)", Target::BirthDate), ("DOB", Target::BirthDate), ("Date of birth", Target::BirthDate), ("Пол", Target::Sex),
        ("Gender", Target::Sex), ("Sex (M/F)", Target::Sex), ("Гражданство", Target::Citizenship), ("Nationality", Target::Citizenship),
        ("Телефон", Target::Phone), ("Phone", Target::Phone), ("Тел.", Target::Phone), ("Паспорт", Target::DocumentNumber),
        ("Номер паспорта", Target::DocumentNumber), ("№ паспорта", Target::DocumentNumber), ("Passport No.", Target::DocumentNumber),
        ("Passport №", Target::DocumentNumber), ("Статус", Target::MigrationStatus), ("Дата обращения", Target::VisitDate),
        ("Вид помощи", Target::AssistanceCategory), ("Type of assistance", Target::AssistanceCategory), ("Возраст", Target::EstimatedAge),
        ("Примечание", Target::Notes), ("Comments", Target::Notes),
    ];
    for (header, target) in cases {
        assert_eq!(recognise(header), Some(target), "{header}");
    }
    for unknown in ["№", "№ п/п", "", "Район", "Signature"] {
        assert_eq!(recognise(unknown), None, "{unknown}");
    }
}

#[test]
fn the_proposed_mapping_takes_each_field_once_and_says_what_it_ignores() {
    let headers: Vec<String> = ["№", "Фамилия", "Surname", "Name", "Телефон", "Моб. телефон", "Подпись"].map(String::from).to_vec();
    let mapping = propose_mapping(&headers);
    let targets: Vec<Option<Target>> = mapping.columns.iter().map(|c| c.target).collect();
    // Name next to a family name column is the given name; a second family name column is left out.
    assert_eq!(targets, vec![None, Some(Target::FamilyName), None, Some(Target::GivenName), Some(Target::Phone), Some(Target::Phone), None]);
    assert_eq!(mapping.columns[3], ColumnMapping { column: 4, header: "Name".into(), target: Some(Target::GivenName) });
    assert_eq!(mapping.defaults.migration_status, Some(MigrationStatus::Unknown));
    assert_eq!((mapping.defaults.sex, mapping.defaults.citizenship.clone()), (None, None));
    assert_eq!(propose_mapping(&["Name".to_string()]).columns[0].target, Some(Target::FullName));
}

// ----- reading files -----

#[test]
fn a_russian_csv_with_semicolons_and_a_bom_imports() {
    let mut desk = desk();
    let sheet = sheet(RUSSIAN);
    assert_eq!(sheet.headers[1], "Фамилия");
    let mapping = propose_mapping(&sheet.headers);
    let ignored: Vec<&str> = mapping.columns.iter().filter(|c| c.target.is_none()).map(|c| c.header.as_str()).collect();
    assert_eq!(ignored, vec!["№"]);

    let preview = desk.preview_register(&sheet, &mapping, &ImportOptions::default()).unwrap();
    assert_eq!((preview.rows, preview.new, preview.repeated_in_file, preview.invalid), (5, 4, 1, 0), "{:#?}", preview.outcomes);
    assert_eq!((preview.visits, preview.assistance, preview.ignored_columns.clone()), (5, 5, vec!["№".to_string()]));
    let repeat = &preview.outcomes[3];
    assert_eq!((repeat.row, repeat.status, repeat.same_as_row, repeat.matched_by), (5, RowStatus::RepeatedInFile, Some(2), Some(MatchKind::Document)));
    assert_eq!(counts(&desk), [0, 0, 0, 0], "a preview writes nothing");

    let report = import(&mut desk, RUSSIAN, ImportMode::AllOrNothing);
    assert_eq!(report, RegisterReport { added: 4, already_registered: 0, repeated_in_file: 1, visits_added: 5, assistance_added: 5, rejected: vec![] });
    let people = people(&desk);
    let rahimov = person(&people, "Рахимов");
    let m = &rahimov.migrant;
    assert_eq!((m.given_name.as_str(), m.patronymic.as_str(), m.sex, m.birth_date), ("Алишер", "Каримович", Sex::Male, Some(day(1990, 3, 12))));
    assert_eq!((m.citizenship.as_str(), m.migration_status), ("TJ", MigrationStatus::Regular));
    assert_eq!(m.phones, vec![Phone { number: "+992 93 123 4567".into(), messenger: Messenger::None }]);
    assert_eq!(m.documents[0].number, "A1234567");
    // Row 5 is the same man coming back: his second visit and help are his.
    let mut visit_days: Vec<NaiveDate> = rahimov.visits.iter().map(|v| local_day(v.occurred_at)).collect();
    visit_days.sort();
    assert_eq!(visit_days, vec![day(2025, 1, 15), day(2025, 3, 20)]);
    let mut help: Vec<(NaiveDate, AssistanceCategory)> = rahimov.assistance.iter().map(|a| (a.given_on, a.category)).collect();
    help.sort_by_key(|(day, _)| *day);
    assert_eq!(help, vec![(day(2025, 1, 15), AssistanceCategory::LegalConsultation), (day(2025, 3, 20), AssistanceCategory::Documents)]);
    assert!(rahimov.assistance.iter().all(|a| a.visit_id.is_some()), "help is linked to the visit of its row");
    assert!(rahimov.visits.iter().all(|v| v.channel == Channel::WalkIn));

    let karimova = &person(&people, "Каримова").migrant;
    assert_eq!((karimova.sex, karimova.birth_date, karimova.citizenship.as_str()), (Sex::Female, Some(day(1985, 7, 1)), "UZ"));
    assert_eq!(karimova.notes, "Беременна; нужен врач\r\nперезвонить в пятницу");
    let osmonov = &person(&people, "Осмонов");
    assert_eq!((osmonov.migrant.birth_date, osmonov.migrant.citizenship.as_str(), osmonov.migrant.migration_status), (Some(day(1978, 11, 5)), "KG", MigrationStatus::Unknown));
    assert_eq!(osmonov.assistance[0].category, AssistanceCategory::Information);
    let nazarova = &person(&people, "Назарова").migrant;
    assert_eq!((nazarova.sex, nazarova.citizenship.as_str(), nazarova.migration_status), (Sex::Female, "TJ", MigrationStatus::Returnee));
    assert_eq!(person(&people, "Назарова").assistance[0].category, AssistanceCategory::HumanitarianCash);
}

/// A workbook as centres keep them: a title above the header, columns in
/// their own order, dates as date cells (and one as a bare serial number),
/// phone and passport numbers typed into number cells, and a second sheet.
fn english_workbook() -> Vec<u8> {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let mut book = Workbook::new();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let cell_date = |y, m, d| ExcelDateTime::from_ymd(y, m, d).unwrap();
    let sheet = book.add_worksheet();
    sheet.set_name("Register").unwrap();
    sheet.write_string(0, 0, "Register of beneficiaries, 2025").unwrap();
    let headers = ["Visit date", "Phone", "Gender", "Date of birth", "First name", "Nationality", "Family name", "Passport No", "Type of assistance", "Comments"];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(2, c as u16, *h).unwrap();
    }
    sheet.write_datetime_with_format(3, 0, cell_date(2025, 9, 15), &date).unwrap();
    sheet.write_number(3, 1, 992931112233.0).unwrap();
    sheet.write_string(3, 2, "M").unwrap();
    sheet.write_datetime_with_format(3, 3, cell_date(1990, 10, 31), &date).unwrap();
    for (c, text) in [(4, "Alisher"), (5, "Tajikistan"), (6, "Rahimov"), (8, "legal consultation")] {
        sheet.write_string(3, c, text).unwrap();
    }
    sheet.write_number(3, 7, 4012345.0).unwrap();

    for (c, text) in [(0, "2025-10-01"), (1, "+998 90 222 3344"), (2, "female"), (4, "Dilnoza"), (5, "UZ"), (6, "Karimova"), (8, "information"), (9, "Needs a doctor")] {
        sheet.write_string(4, c, text).unwrap();
    }
    sheet.write_number(4, 3, 31229.0).unwrap();

    for (c, text) in [(2, "m"), (4, "Bakyt"), (5, "KG"), (6, "Osmonov")] {
        sheet.write_string(6, c, text).unwrap();
    }
    sheet.write_number(6, 3, 1979.0).unwrap();

    let other = book.add_worksheet();
    other.set_name("Summary").unwrap();
    for (c, h) in ["Фамилия", "Имя", "Пол", "Гражданство"].iter().enumerate() {
        other.write_string(0, c as u16, *h).unwrap();
        other.write_string(1, c as u16, ["Юсупов", "Тимур", "М", "TJ"][c]).unwrap();
    }
    book.save_to_buffer().unwrap()
}

#[test]
fn an_english_workbook_in_another_order_with_date_cells_imports() {
    let mut desk = desk();
    let bytes = english_workbook();
    let sheet = sheet(&bytes);
    assert_eq!((sheet.sheet_name.as_deref(), sheet.header_row), (Some("Register"), 3));
    let mapping = propose_mapping(&sheet.headers);
    let report = desk.import_register(&sheet, &mapping, &ImportOptions::default(), ImportMode::SkipInvalid, &mut |_| {}).unwrap();
    assert_eq!((report.added, report.visits_added, report.assistance_added), (2, 2, 2));
    // A year alone is not a date of birth; the row is 7 as the sheet shows it, after a blank row 6.
    assert_eq!(report.rejected.len(), 1);
    assert_eq!((report.rejected[0].row, problems(&report.rejected[0])), (7, vec![("birth_date", "only_year")]));
    assert!(report.rejected[0].problems[0].message.contains("1979 is only a year"), "{:?}", report.rejected[0].problems);

    let people = people(&desk);
    let rahimov = person(&people, "Rahimov");
    assert_eq!((rahimov.migrant.birth_date, rahimov.migrant.citizenship.as_str(), rahimov.migrant.sex), (Some(day(1990, 10, 31)), "TJ", Sex::Male));
    assert_eq!(rahimov.migrant.phones[0].number, "992931112233");
    assert_eq!(rahimov.migrant.documents[0].number, "4012345");
    assert_eq!(local_day(rahimov.visits[0].occurred_at), day(2025, 9, 15));
    assert_eq!((rahimov.assistance[0].given_on, rahimov.assistance[0].category), (day(2025, 9, 15), AssistanceCategory::LegalConsultation));
    let karimova = person(&people, "Karimova");
    // A bare serial number in a date column is Excel's day number.
    assert_eq!((karimova.migrant.birth_date, karimova.migrant.notes.as_str()), (Some(day(1985, 7, 1)), "Needs a doctor"));
    assert_eq!(local_day(karimova.visits[0].occurred_at), day(2025, 10, 1));

    let summary = read_register(&bytes, Some("summary")).unwrap();
    assert_eq!((summary.sheet_name.as_deref(), summary.headers[0].as_str(), summary.rows.len()), (Some("Summary"), "Фамилия", 1));
    let err = read_register(&bytes, Some("Sheet9")).unwrap_err();
    assert!(err.to_string().contains("Register, Summary"), "{err}");
    assert_eq!(field_codes(read_register(RUSSIAN, Some("Register")).unwrap_err()), vec![("sheet".into(), "not_a_workbook".into())]);
}

#[test]
fn month_first_dates_need_the_option() {
    let desk = desk();
    let day_first = preview(&desk, ENGLISH_MDY, DateOrder::DayFirst);
    assert_eq!((day_first.new, day_first.invalid), (2, 1));
    let bad = day_first.outcomes.iter().find(|o| o.status == RowStatus::Invalid).unwrap();
    assert_eq!((bad.row, problems(bad)), (2, vec![("birth_date", "invalid_date"), ("visit_date", "invalid_date")]));
    assert_eq!(bad.problems[0].message, "'10/31/1990' is not a date: write it as 31.10.1990 or 1990-10-31");

    let month_first = preview(&desk, ENGLISH_MDY, DateOrder::MonthFirst);
    assert_eq!((month_first.new, month_first.invalid, month_first.visits, month_first.assistance), (3, 0, 3, 3), "{:#?}", month_first.outcomes);
}

#[test]
fn row_numbers_are_those_a_spreadsheet_shows() {
    let desk = desk();
    let text = "Реестр мигрантов\n\nФамилия;Имя;Пол;Гражданство;Примечание\nА;Б;М;TJ;\"две\nстроки\"\n\n\nВ;Г;X;TJ;\n;;;;\nД;Е;Ж;TJ;";
    // Unix, Windows and old Mac line ends.
    for end in ["\n", "\r\n", "\r"] {
        let text = text.replace('\n', end);
        let sheet = sheet(text.as_bytes());
        assert_eq!(sheet.header_row, 3, "{end:?}");
        let rows: Vec<u32> = sheet.rows.iter().map(|r| r.row).collect();
        assert_eq!(rows, vec![4, 7, 9], "{end:?}");
        let preview = preview(&desk, text.as_bytes(), DateOrder::DayFirst);
        let invalid: Vec<(u32, Vec<(&str, &str)>)> = preview.outcomes.iter().filter(|o| o.status == RowStatus::Invalid).map(|o| (o.row, problems(o))).collect();
        assert_eq!(invalid, vec![(7, vec![("sex", "unknown_sex")])], "{end:?}");
    }
}

#[test]
fn windows_1251_files_and_damaged_bytes() {
    let mut desk = desk();
    let text = "Фамилия;Имя;Пол;Гражданство;Дата рождения\r\nРахимов;Алишер;М;Таджикистан;12.03.1990\r\n";
    let (legacy, _, _) = encoding_rs::WINDOWS_1251.encode(text);
    let report = import(&mut desk, &legacy, ImportMode::AllOrNothing);
    assert_eq!((report.added, report.rejected.len()), (1, 0));
    assert_eq!(people(&desk)[0].migrant.family_name, "Рахимов");

    // UTF-8 with one damaged cell: that row is refused, the others are read right.
    let mut damaged = "Фамилия;Имя;Пол;Гражданство\nКаримова;Дилноза;Ж;UZ\n".as_bytes().to_vec();
    damaged.extend_from_slice(b"Osmonov;\xff\xfe;M;KG\n");
    let report = import(&mut desk, &damaged, ImportMode::SkipInvalid);
    assert_eq!(report.added, 1);
    assert_eq!((report.rejected[0].row, problems(&report.rejected[0])), (3, vec![("given_name", "not_utf8")]));
    assert!(people(&desk).iter().any(|p| p.migrant.family_name == "Каримова"));
}

// ----- errors, modes and repeats -----

#[test]
fn a_bad_row_is_named_and_all_or_nothing_writes_nothing() {
    let mut desk = desk();
    let report = import(&mut desk, WITH_ERRORS, ImportMode::AllOrNothing);
    assert_eq!((report.added, report.visits_added), (0, 0));
    let rejected: Vec<(u32, Vec<(&str, &str)>)> = report.rejected.iter().map(|r| (r.row, problems(r))).collect();
    assert_eq!(
        rejected,
        vec![
            (3, vec![("birth_date", "invalid_date")]),
            (4, vec![("family_name", "formula")]),
            (5, vec![("birth_date", "future_date"), ("sex", "unknown_sex"), ("citizenship", "unknown_country")]),
            (6, vec![("phone", "invalid_phone")]),
        ]
    );
    assert_eq!(report.rejected[1].problems[0].message, "'=cmd|' /C calc'!A0' is a spreadsheet formula, not a value");
    assert_eq!(report.rejected[2].problems[0].message, "must not be in the future");
    assert_eq!(counts(&desk), [0, 0, 0, 0]);
}

#[test]
fn skip_invalid_writes_the_good_rows() {
    let mut desk = desk();
    let report = import(&mut desk, WITH_ERRORS, ImportMode::SkipInvalid);
    assert_eq!((report.added, report.rejected.len()), (2, 4));
    let names: Vec<String> = people(&desk).into_iter().map(|p| p.migrant.family_name).collect();
    assert_eq!(names, vec!["Рахимов", "Юсупов"]);
    // Again: the good rows are there already, the bad ones still refused.
    let again = import(&mut desk, WITH_ERRORS, ImportMode::SkipInvalid);
    assert_eq!((again.added, again.already_registered, again.rejected.len()), (0, 2, 4));
}

#[test]
fn the_same_file_twice_adds_nothing() {
    let mut desk = desk();
    import(&mut desk, RUSSIAN, ImportMode::AllOrNothing);
    let after_first = counts(&desk);
    let again = import(&mut desk, RUSSIAN, ImportMode::AllOrNothing);
    assert_eq!(again, RegisterReport { added: 0, already_registered: 5, repeated_in_file: 0, visits_added: 0, assistance_added: 0, rejected: vec![] });
    assert_eq!(counts(&desk), after_first);
    let preview = preview(&desk, RUSSIAN, DateOrder::DayFirst);
    assert!(preview.outcomes.iter().all(|o| o.status == RowStatus::AlreadyRegistered && o.existing_id.is_some() && !o.adds_visit && !o.adds_assistance));
}

#[test]
fn rows_of_people_already_registered_are_flagged_with_their_id() {
    let mut desk = desk();
    let registered = desk
        .register_migrant(MigrantInput {
            family_name: "Рахимов".into(),
            given_name: "Алишер".into(),
            sex: Some(Sex::Male),
            birth_date: Some(day(1990, 3, 12)),
            citizenship: "TJ".into(),
            migration_status: Some(MigrationStatus::Regular),
            phones: vec![Phone { number: "+7 912 345 67 89".into(), messenger: Messenger::WhatsApp }],
            documents: vec![IdentityDocument { kind: crate::migrant::DocumentKind::Passport, number: "A1234567".into(), issuing_country: "TJ".into(), expires_on: None }],
            ..Default::default()
        })
        .unwrap();
    let text = "Фамилия;Имя;Дата рождения;Пол;Гражданство;Телефон;Паспорт;Дата обращения\n\
                рахимов;АЛИШЕР;12.03.1990;М;TJ;;;01.02.2025\n\
                Rakhimov;Alisher;;M;TJ;;a 123-4567;02.02.2025\n\
                Рахимов;Алишер;;М;TJ;8 912 345-67-89;;03.02.2025\n\
                Рахимова;Зарина;;Ж;TJ;8 912 345-67-89;;03.02.2025\n\
                Рахимова;Зарина;;Ж;TJ;+7 912 345 67 89;;04.02.2025\n";
    let preview = preview(&desk, text.as_bytes(), DateOrder::DayFirst);
    let seen: Vec<_> = preview.outcomes.iter().map(|o| (o.row, o.status, o.existing_id, o.same_as_row, o.matched_by)).collect();
    let id = Some(registered.id);
    assert_eq!(
        seen,
        vec![
            (2, RowStatus::AlreadyRegistered, id, None, Some(MatchKind::NameAndBirthDate)),
            (3, RowStatus::AlreadyRegistered, id, None, Some(MatchKind::Document)),
            (4, RowStatus::AlreadyRegistered, id, None, Some(MatchKind::Phone)),
            // His wife shares his phone: she is someone else, once.
            (5, RowStatus::New, None, None, None),
            (6, RowStatus::RepeatedInFile, None, Some(5), Some(MatchKind::Phone)),
        ]
    );
    let report = import(&mut desk, text.as_bytes(), ImportMode::AllOrNothing);
    assert_eq!((report.added, report.already_registered, report.repeated_in_file, report.visits_added), (1, 3, 1, 5));
    let profile = desk.migrant_profile(registered.id).unwrap();
    assert_eq!(profile.visits.len(), 3);
    assert_eq!(profile.migrant.family_name, "Рахимов", "a registered person is not changed by the file");
}

#[test]
fn progress_is_told_every_thousand_rows() {
    let mut desk = desk();
    let mut text = String::from("Фамилия,Имя,Пол,Гражданство,Паспорт\n");
    for i in 0..2500 {
        text.push_str(&format!("Фамилия{i},Имя,М,TJ,AB{i:07}\n"));
    }
    let sheet = sheet(text.as_bytes());
    let mut heard = Vec::new();
    let report = desk.import_register(&sheet, &propose_mapping(&sheet.headers), &ImportOptions::default(), ImportMode::AllOrNothing, &mut |p| heard.push((p.stage, p.done, p.total))).unwrap();
    assert_eq!(report.added, 2500);
    let (c, w) = (ImportStage::Checking, ImportStage::Writing);
    assert_eq!(heard, vec![(c, 1000, 2500), (c, 2000, 2500), (c, 2500, 2500), (w, 1000, 2500), (w, 2000, 2500), (w, 2500, 2500)]);
}

// ----- mappings -----

#[test]
fn a_mapping_travels_as_json_and_finds_columns_that_moved() {
    let mut desk = desk();
    let first = sheet(RUSSIAN);
    let mapping = propose_mapping(&first.headers);
    let json = serde_json::to_string_pretty(&mapping).unwrap();
    assert!(json.contains("\"target\": \"family_name\"") && json.contains("\"migration_status\": \"unknown\""), "{json}");
    let back: Mapping = serde_json::from_str(&json).unwrap();
    assert_eq!(back, mapping);

    // Next year's file: columns moved, one more, one left out.
    let moved = "Пол;Имя;Подпись;Фамилия;Гражданство;Дата рождения;Номер паспорта\nЖ;Айгуль;x;Мамбетова;KG;02.02.1992;ID1234567\n";
    let sheet = sheet(moved.as_bytes());
    let err = desk.import_register(&sheet, &mapping, &ImportOptions::default(), ImportMode::AllOrNothing, &mut |_| {}).unwrap_err();
    let message = err.to_string();
    assert!(message.contains("the column 'Телефон' (phone) is not in the file") && message.contains("'Дата обращения' (visit_date)"), "{message}");

    let mut kept = mapping.clone();
    kept.columns.retain(|c| sheet.headers.contains(&c.header));
    let report = desk.import_register(&sheet, &kept, &ImportOptions::default(), ImportMode::AllOrNothing, &mut |_| {}).unwrap();
    assert_eq!(report.added, 1);
    let m = &people(&desk)[0].migrant;
    assert_eq!((m.family_name.as_str(), m.given_name.as_str(), m.sex, m.documents[0].number.as_str()), ("Мамбетова", "Айгуль", Sex::Female, "ID1234567"));
}

#[test]
fn a_mapping_that_cannot_work_names_every_gap() {
    let desk = desk();
    let sheet = sheet("ФИО;Фамилия;Дата обращения\nРахимов Алишер Каримович;Рахимов;01.02.2025\n".as_bytes());
    let mut mapping = propose_mapping(&sheet.headers);
    mapping.defaults.visit_purpose = None;
    let err = desk.preview_register(&sheet, &mapping, &ImportOptions::default()).unwrap_err();
    let message = err.to_string();
    for expected in ["full_name or the separate name columns", "nothing gives sex", "nothing gives citizenship", "defaults.visit_purpose"] {
        assert!(message.contains(expected), "{expected} in {message}");
    }

    // Defaults fill what the file does not say; a full name is split.
    let sheet = sheet_of("ФИО;Дата обращения\nРахимов Алишер Карим угли;01.02.2025\n");
    let mut mapping = propose_mapping(&sheet.headers);
    mapping.defaults.sex = Some(Sex::Male);
    mapping.defaults.citizenship = Some("Таджикистан".into());
    let preview = desk.preview_register(&sheet, &mapping, &ImportOptions::default()).unwrap();
    assert_eq!((preview.new, preview.visits), (1, 1), "{:?}", preview.outcomes);
    assert_eq!(preview.outcomes[0].name, "Рахимов Алишер");
    mapping.defaults.citizenship = Some("XX".into());
    assert_eq!(field_codes(desk.preview_register(&sheet, &mapping, &ImportOptions::default()).unwrap_err()), vec![("mapping".into(), "unknown_country".into())]);
}

#[test]
fn mapping_problems_name_the_field_or_column_for_a_screen() {
    let sheet = sheet("ФИО;Фамилия;Дата обращения;Телефон\nРахимов Алишер;Рахимов;01.02.2025;+992 93 123 4567\n".as_bytes());
    let mut mapping = propose_mapping(&sheet.headers);
    mapping.defaults.visit_purpose = None;
    mapping.defaults.citizenship = Some("XX".into());
    mapping.columns[3].target = Some(Target::DocumentNumber);
    mapping.columns.push(ColumnMapping { column: 9, header: "Паспорт".into(), target: Some(Target::DocumentNumber) });
    let found: Vec<(String, Option<String>, Option<String>)> = mapping.problems(&sheet.headers).into_iter().map(|p| (p.code, p.field, p.header)).collect();
    let some = |s: &str| Some(s.to_string());
    assert_eq!(
        found,
        vec![
            ("missing_column".into(), some("document_number"), some("Паспорт")),
            ("unknown_country".into(), some("citizenship"), None),
            ("full_name_and_parts".into(), some("full_name"), None),
            ("not_mapped".into(), some("sex"), None),
            ("not_mapped".into(), some("visit_purpose"), None),
        ]
    );
    // The preview refuses with the same problems, as `mapping` errors.
    let desk = desk();
    let err = desk.preview_register(&sheet, &mapping, &ImportOptions::default()).unwrap_err();
    let codes = field_codes(err);
    assert_eq!(codes.iter().map(|(_, c)| c.as_str()).collect::<Vec<_>>(), found.iter().map(|(c, _, _)| c.as_str()).collect::<Vec<_>>());
    assert!(codes.iter().all(|(field, _)| field == "mapping"));

    mapping.columns.pop();
    mapping.columns[1].target = Some(Target::FullName);
    let twice = mapping.problems(&sheet.headers);
    assert_eq!((twice[0].code.as_str(), twice[0].field.as_deref(), twice[0].header.as_deref()), ("duplicate_target", Some("full_name"), Some("Фамилия")));
    assert!(propose_mapping(&sheet_of(RUSSIAN_HEADER).headers).problems(&sheet_of(RUSSIAN_HEADER).headers).is_empty());
}

const RUSSIAN_HEADER: &str = "Фамилия;Имя;Пол;Гражданство\nЮсупов;Тимур;М;TJ\n";

#[test]
fn a_problem_points_at_the_column_it_comes_from() {
    let whole = propose_mapping(&["ФИО".into(), "Дата обращения".into(), "Вид помощи".into()]);
    assert_eq!(whole.column_for("given_name").map(|c| c.header.as_str()), Some("ФИО"));
    assert_eq!(whole.column_for("assistance_date").map(|c| c.header.as_str()), Some("Дата обращения"));
    assert_eq!(whole.column_for("visit_purpose"), None);
    assert_eq!(Target::Sex.found_in(), vec![Target::Sex]);
}

#[test]
fn a_file_is_described_by_its_columns_first_values_and_proposed_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("register.csv");
    std::fs::write(&csv, RUSSIAN).unwrap();
    let file = describe_register_file(&csv, None).unwrap();
    assert_eq!((file.sheet_name.as_deref(), file.sheet_names.len(), file.header_row), (None, 0, 1));
    assert_eq!(file.rows as usize, sheet(RUSSIAN).rows.len());
    assert_eq!(file.columns.len(), file.mapping.columns.len());
    let family = &file.columns[1];
    assert_eq!((family.column, family.header.as_str(), family.samples.clone()), (2, "Фамилия", vec!["Рахимов".to_string(), "Каримова".to_string()]));
    // A note over two lines is shown on one; an empty column has no values.
    let notes = file.columns.iter().find(|c| c.header == "Комментарий").unwrap();
    assert!(notes.samples.iter().all(|s| !s.contains('\n')), "{:?}", notes.samples);
    assert_eq!(file.mapping, propose_mapping(&sheet(RUSSIAN).headers));

    let xlsx = dir.path().join("register.xlsx");
    std::fs::write(&xlsx, english_workbook()).unwrap();
    let book = describe_register_file(&xlsx, Some("Summary")).unwrap();
    assert_eq!((book.sheet_name.as_deref(), book.sheet_names.clone()), (Some("Summary"), vec!["Register".to_string(), "Summary".to_string()]));
    assert_eq!(book.columns[0].samples, vec!["Юсупов".to_string()]);
    let first = describe_register_file(&xlsx, None).unwrap();
    assert_eq!((first.header_row, first.columns[3].samples.clone()), (3, vec!["1990-10-31".to_string(), "31229".to_string()]));
}

fn sheet_of(text: &str) -> Sheet {
    sheet(text.as_bytes())
}

// ----- hostile files -----

#[test]
fn huge_cells_control_characters_and_formulas_are_row_errors() {
    let mut desk = desk();
    let huge = "Ж".repeat(200_000);
    let text = format!(
        "Фамилия;Имя;Пол;Гражданство;Дата рождения;Примечание\n\
         {huge};Имя;М;TJ;;\n\
         Имя\u{7};Бакыт;М;TJ;;\n\
         Осмонов;Бакыт;{huge};TJ;{huge};\n\
         Осмонов;Бакыт;М;TJ;;{}\n\
         @SUM(A1);-cmd|calc;+HYPERLINK(\"x\");TJ;=1+1;\n\
         Осмонов;Бакыт;М;TJ;;-ok, a dash\n",
        "x".repeat(6000)
    );
    let report = import(&mut desk, text.as_bytes(), ImportMode::AllOrNothing);
    let rejected: Vec<(u32, Vec<(&str, &str)>)> = report.rejected.iter().map(|r| (r.row, problems(r))).collect();
    assert_eq!(
        rejected,
        vec![
            (2, vec![("family_name", "too_long")]),
            (3, vec![("family_name", "control_characters")]),
            (4, vec![("sex", "unknown_sex"), ("birth_date", "invalid_date")]),
            (5, vec![("notes", "too_long")]),
            (6, vec![("family_name", "formula"), ("given_name", "formula"), ("sex", "formula"), ("birth_date", "formula")]),
        ]
    );
    // A message shows a short part of a huge cell, not all of it.
    assert!(report.rejected[2].problems.iter().all(|p| p.message.chars().count() < 200), "{:?}", report.rejected[2].problems);
    assert_eq!(counts(&desk), [0, 0, 0, 0]);
}

#[test]
fn wide_files_are_cut_or_refused_without_filling_the_memory() {
    // Excel pads every row to a stray cell far right: the empty cells are not kept.
    let mut text = String::from("Фамилия;Имя;Пол;Гражданство");
    text.push_str(&";".repeat(200_000));
    text.push_str("\nРахимов;Алишер;М;TJ");
    text.push_str(&";".repeat(200_000));
    let sheet = sheet(text.as_bytes());
    assert_eq!((sheet.headers.len(), sheet.rows[0].cells.len()), (4, 4));
    // A value that far right is refused.
    text.push_str("x\n");
    assert_eq!(field_codes(read_register(text.as_bytes(), None).unwrap_err()), vec![("file".into(), "too_wide".into())]);
    let err = read_register(&vec![b'x'; MAX_REGISTER_BYTES + 1], None).unwrap_err();
    assert_eq!(field_codes(err), vec![("file".into(), "too_large".into())]);
}

/// Random files built from pieces that break readers, and random bytes:
/// nothing panics, and a refused import leaves the database as it was.
#[test]
fn random_and_hostile_files_never_panic_nor_half_write() {
    let mut desk = desk();
    import(&mut desk, RUSSIAN, ImportMode::AllOrNothing);
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let pieces: Vec<String> = [
        "Рахимов", "Алишер", "=cmd|' /C calc'!A0", "\u{0}", "a\u{7}b", "31.02.2020", "12.03.1990", "2099-01-01", "М", "ж", "female", "\"", "\"\"", ";", ",",
        "\r\n", "\n", "\r", "\u{feff}", "+992 93 123 4567", "-", "@SUM(A1)", "٣١.١٠.٢٠٢٦", "99999999999999999999", "1e308", "NaN", "TJ", "Марс",
        " ", "\t", "ё", "𝔘", "\u{202e}", "Фамилия", "Имя", "Пол", "Гражданство", "Дата рождения", "Телефон", "Паспорт", "Дата обращения", "Вид помощи",
    ]
    .map(String::from)
    .to_vec();
    let mut before = counts(&desk);
    for round in 0..300 {
        let bytes = random_file(&mut rng, &pieces, round);
        let Ok(sheet) = read_register(&bytes, None) else { continue };
        let mapping = propose_mapping(&sheet.headers);
        let _ = desk.preview_register(&sheet, &mapping, &ImportOptions::default());
        match desk.import_register(&sheet, &mapping, &ImportOptions::default(), ImportMode::AllOrNothing, &mut |_| {}) {
            Ok(report) if report.rejected.is_empty() => before = counts(&desk),
            _ => assert_eq!(counts(&desk), before, "round {round} refused but wrote"),
        }
    }
    // Damaged workbooks are refused as files.
    let book = english_workbook();
    for round in 0..200 {
        let mut bytes = book[..rng.random_range(4..book.len())].to_vec();
        for _ in 0..rng.random_range(0..8) {
            let at = rng.random_range(0..bytes.len());
            bytes[at] = rng.random();
        }
        if let Ok(sheet) = read_register(&bytes, None) {
            let mapping = propose_mapping(&sheet.headers);
            if desk.import_register(&sheet, &mapping, &ImportOptions::default(), ImportMode::AllOrNothing, &mut |_| {}).is_err() {
                assert_eq!(counts(&desk), before, "workbook round {round}");
            }
            before = counts(&desk);
        }
    }
}

fn random_file(rng: &mut ChaCha8Rng, pieces: &[String], round: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    if round % 3 == 0 {
        bytes.extend_from_slice("Фамилия;Имя;Пол;Гражданство;Дата рождения;Телефон;Паспорт;Дата обращения;Вид помощи;Примечание\n".as_bytes());
    }
    for _ in 0..rng.random_range(0..12) {
        for cell in 0..rng.random_range(0..14) {
            if cell > 0 {
                bytes.push(if rng.random_bool(0.8) { b';' } else { b',' });
            }
            match rng.random_range(0..10) {
                0 => bytes.extend((0..rng.random_range(0..20)).map(|_| rng.random::<u8>())),
                1 if rng.random_bool(0.05) => bytes.extend(std::iter::repeat_n(b'x', 300_000)),
                _ => bytes.extend_from_slice(pieces[rng.random_range(0..pieces.len())].as_bytes()),
            }
        }
        bytes.push(b'\n');
    }
    if round % 7 == 0 {
        bytes.splice(0..0, b"PK\x03\x04".iter().copied());
    }
    bytes
}

// ----- the figure -----

/// `cargo test --release -p mrc-core register_import::tests::a_hundred_thousand -- --ignored --nocapture`
#[test]
#[ignore = "a benchmark: run in a release build"]
fn a_hundred_thousand_rows_import_in_under_thirty_seconds() {
    const ROWS: usize = 100_000;
    const FAMILY: [&str; 20] = [
        "Рахимов", "Каримов", "Назаров", "Юсупов", "Осмонов", "Алиев", "Саидов", "Мирзоев", "Шарипов", "Холов",
        "Давлатов", "Турсунов", "Абдуллаев", "Исмоилов", "Бобоев", "Сафаров", "Нуров", "Зоиров", "Хакимов", "Умаров",
    ];
    const GIVEN: [&str; 20] = [
        "Алишер", "Бахтиёр", "Далер", "Фаррух", "Шерзод", "Рустам", "Умед", "Джамшед", "Икром", "Сухроб",
        "Фируз", "Парвиз", "Манучехр", "Навруз", "Комрон", "Азиз", "Бехруз", "Зафар", "Исмоил", "Карим",
    ];
    const HELP: [&str; 5] = ["Юридическая консультация", "Информирование", "Документы", "Медицинская помощь", "Денежная помощь"];
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("\u{feff}№;Фамилия;Имя;Дата рождения;Пол;Гражданство;Телефон;Номер паспорта;Статус;Дата обращения;Вид помощи;Примечание\r\n");
    let born = day(1960, 1, 1);
    for i in 0..ROWS {
        // Family, given name and birth day together are unique for every row.
        let birth = born + chrono::Duration::days((i / 400) as i64 * 29);
        let visit = day(2024, 1, 1) + chrono::Duration::days((i % 600) as i64);
        text.push_str(&format!(
            "{};{};{};{};{};Таджикистан;+992 9{:08};AB{:07};регулярный;{};{};Строка {}\r\n",
            i + 1, FAMILY[i % 20], GIVEN[(i / 20) % 20], birth.format("%d.%m.%Y"), if i % 3 == 0 { "Ж" } else { "М" }, i, i, visit.format("%d.%m.%Y"), HELP[i % 5], i + 2
        ));
    }
    let file = dir.path().join("register.csv");
    std::fs::write(&file, &text).unwrap();
    let mut desk = Desk::open(&dir.path().join("desk.db")).unwrap();
    set_up(&mut desk);

    let started = std::time::Instant::now();
    let sheet = read_register_file(&file, None).unwrap();
    let read = started.elapsed();
    let mapping = propose_mapping(&sheet.headers);
    let preview = desk.preview_register(&sheet, &mapping, &ImportOptions::default()).unwrap();
    let previewed = started.elapsed();
    assert_eq!((preview.new, preview.invalid), (ROWS as u32, 0));
    let report = desk.import_register(&sheet, &mapping, &ImportOptions::default(), ImportMode::AllOrNothing, &mut |_| {}).unwrap();
    let imported = started.elapsed();
    assert_eq!((report.added, report.visits_added, report.assistance_added), (ROWS as u32, ROWS as u32, ROWS as u32));
    let again = desk.import_register(&sheet, &mapping, &ImportOptions::default(), ImportMode::AllOrNothing, &mut |_| {}).unwrap();
    let second = started.elapsed() - imported;
    assert_eq!((again.added, again.already_registered, again.visits_added), (0, ROWS as u32, 0));
    println!(
        "{ROWS} rows, {:.1} MB: read {:.2} s, preview {:.2} s, import {:.2} s (read + import {:.2} s); the same file again {:.2} s",
        text.len() as f64 / 1e6,
        read.as_secs_f64(),
        (previewed - read).as_secs_f64(),
        (imported - previewed).as_secs_f64(),
        (read + imported - previewed).as_secs_f64(),
        second.as_secs_f64()
    );
    assert!(read + (imported - previewed) < std::time::Duration::from_secs(30));
}
