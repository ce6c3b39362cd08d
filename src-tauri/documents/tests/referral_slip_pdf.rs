//! End-to-end checks of the referral slip with poppler's command-line tools:
//! the PDF must open, be A4, and give back its text (Cyrillic included).
//!
//! `pdftotext` and `pdfinfo` (Debian package poppler-utils) are required:
//! without them these tests fail, they do not skip.
//!
//! Set MRC_SLIP_OUT=/some/dir to keep the generated PDFs for a look.

use std::path::{Path, PathBuf};
use std::process::Command;

use mrc_documents::{referral_slip, Language, SlipData};

const LONG_REASON_EN: &str = "Mr Rakhmonov worked for four months on a construction site \
    in Almaty without a written contract. The employer kept his passport and has not paid \
    his wages since August. He needs advice on how to recover the unpaid wages and his \
    identity document, and help to prepare a complaint to the labour inspectorate.";

const LONG_REASON_RU: &str = "Господин Рахмонов четыре месяца работал на стройке в Алматы \
    без письменного договора. Работодатель удерживает его паспорт и не выплачивает \
    зарплату с августа. Нужна консультация о том, как вернуть невыплаченную зарплату и \
    документ, удостоверяющий личность, и помощь в составлении жалобы в трудовую инспекцию.";

fn sample(lang: Language) -> SlipData {
    match lang {
        Language::English => SlipData {
            centre_name: "Migrant Resource Centre Dushanbe".into(),
            centre_address: "Dushanbe, Tajikistan".into(),
            centre_phone: "+992 37 221 00 00".into(),
            partner_name: "Legal Aid Bureau Almaty".into(),
            partner_address: "Almaty, Kazakhstan".into(),
            partner_phones: "+7 727 300 00 00, +7 701 000 00 00".into(),
            partner_opening_hours: "Mon–Fri 09:00–18:00".into(),
            reference: "REF-2026-0042".into(),
            date: "27/11/2026".into(),
            migrant_name: "Рахмонов Фаррух".into(),
            service: "Legal consultation".into(),
            reason: LONG_REASON_EN.into(),
            urgency: "Urgent".into(),
            caseworker: "Dilnoza Karimova".into(),
            bring: vec![
                "Passport or a copy of it".into(),
                "Any messages or papers from the employer".into(),
                "This slip".into(),
            ],
            shared_data: vec![
                "Name, date of birth and phone number".into(),
                "Summary of the labour dispute".into(),
            ],
        },
        Language::Russian => SlipData {
            centre_name: "Ресурсный центр для мигрантов, Душанбе".into(),
            centre_address: "Душанбе, Таджикистан".into(),
            centre_phone: "+992 37 221 00 00".into(),
            partner_name: "Бюро правовой помощи «Защита»".into(),
            partner_address: "ул. Абая 10, Алматы, Казахстан".into(),
            partner_phones: "+7 727 300 00 00".into(),
            partner_opening_hours: "Пн–Пт 9:00–18:00".into(),
            reference: "REF-2026-0042".into(),
            date: "27.11.2026".into(),
            migrant_name: "Рахмонов Фаррух".into(),
            service: "Юридическая консультация".into(),
            reason: LONG_REASON_RU.into(),
            urgency: "Срочно".into(),
            caseworker: "Дилноза Каримова".into(),
            bring: vec!["Паспорт или его копию".into(), "Это направление".into()],
            shared_data: vec!["Имя, дата рождения и телефон".into(), "Суть трудового спора".into()],
        },
    }
}

/// Run a poppler tool, failing loudly when it is not installed.
fn poppler(tool: &str, args: &[&str]) -> String {
    let out = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!(
            "could not run `{tool}` ({e}). These tests need poppler's command-line tools: \
             install the Debian package poppler-utils (apt-get install poppler-utils)."
        )
    });
    assert!(
        out.status.success(),
        "`{tool} {}` failed: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("poppler output is UTF-8")
}

fn write_pdf(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    if let Some(keep) = std::env::var_os("MRC_SLIP_OUT") {
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::write(Path::new(&keep).join(name), bytes).unwrap();
    }
    path
}

fn text_of(pdf: &Path) -> String {
    poppler("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"])
}

/// (width, height) in points and page count, from `pdfinfo`.
fn info_of(pdf: &Path) -> ((f32, f32), usize) {
    let info = poppler("pdfinfo", &[pdf.to_str().unwrap()]);
    let field = |name: &str| {
        info.lines()
            .find_map(|l| l.strip_prefix(name))
            .unwrap_or_else(|| panic!("pdfinfo gave no {name}:\n{info}"))
            .trim()
            .to_string()
    };
    let pages = field("Pages:").parse().unwrap();
    let size = field("Page size:");
    let mut numbers = size.split_whitespace().filter_map(|w| w.parse::<f32>().ok());
    let (w, h) = (numbers.next().unwrap(), numbers.next().unwrap());
    assert!(size.contains("(A4)"), "not A4: {size}");
    ((w, h), pages)
}

/// Every word of `text` appears in `extracted`, whatever the line breaks.
fn assert_all_words(extracted: &str, text: &str) {
    let words: std::collections::HashSet<&str> = extracted.split_whitespace().collect();
    for word in text.split_whitespace() {
        assert!(words.contains(word), "word {word:?} missing from the PDF text:\n{extracted}");
    }
}

/// The text holds `needle`, ignoring how line breaks and spaces fall.
fn contains_flat(extracted: &str, needle: &str) -> bool {
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    flat(extracted).contains(&flat(needle))
}

#[test]
fn english_slip_is_one_a4_page_with_its_text() {
    let dir = tempfile::tempdir().unwrap();
    let data = sample(Language::English);
    let pdf = write_pdf(dir.path(), "slip-en.pdf", &referral_slip(&data, Language::English).unwrap());

    assert_eq!(info_of(&pdf), ((595.0, 842.0), 1));
    let text = text_of(&pdf);
    for expected in [
        "Referral slip",
        "REF-2026-0042",
        "Legal Aid Bureau Almaty",
        "Migrant Resource Centre Dushanbe",
        "Рахмонов Фаррух",
        "Legal consultation",
        "Urgent",
        "Dilnoza Karimova",
        "27/11/2026",
        "Service requested",
        "Please bring",
        "Passport or a copy of it",
        "Information shared with the partner",
        "Summary of the labour dispute",
        "Mon–Fri 09:00–18:00",
        "Page 1 of 1",
    ] {
        assert!(contains_flat(&text, expected), "{expected:?} missing from:\n{text}");
    }
    assert_all_words(&text, LONG_REASON_EN);
    // The reason really was wrapped: it cannot fit on one line.
    assert!(!text.lines().any(|l| l.contains("written contract") && l.contains("inspectorate")));
}

#[test]
fn russian_slip_renders_cyrillic_and_russian_labels() {
    let dir = tempfile::tempdir().unwrap();
    let data = sample(Language::Russian);
    let pdf = write_pdf(dir.path(), "slip-ru.pdf", &referral_slip(&data, Language::Russian).unwrap());

    assert_eq!(info_of(&pdf), ((595.0, 842.0), 1));
    let text = text_of(&pdf);
    for expected in [
        "REF-2026-0042",
        "Бюро правовой помощи «Защита»",
        "Рахмонов Фаррух",
        "27.11.2026",
        "Юридическая консультация",
        "Дилноза Каримова",
        // The fixed captions, in Russian.
        "Направление",
        "От кого",
        "Кому",
        "Номер направления",
        "Дата",
        "Мигрант",
        "Запрашиваемая услуга",
        "Причина направления",
        "Срочность",
        "Консультант",
        "Возьмите с собой",
        "Сведения, переданные партнёру",
        "Предъявите это направление",
        "Стр. 1 из 1",
    ] {
        assert!(contains_flat(&text, expected), "{expected:?} missing from:\n{text}");
    }
    for english in ["Referral slip", "Please bring", "Caseworker", "Reason"] {
        assert!(!text.contains(english), "English caption {english:?} on the Russian slip");
    }
    assert_all_words(&text, LONG_REASON_RU);
}

#[test]
fn very_long_reason_continues_on_a_second_page() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = sample(Language::Russian);
    let long = [LONG_REASON_RU; 4].join("\n\n");
    data.reason = long.clone();
    let pdf = write_pdf(dir.path(), "slip-ru-long.pdf", &referral_slip(&data, Language::Russian).unwrap());

    assert_eq!(info_of(&pdf), ((595.0, 842.0), 2));
    let text = text_of(&pdf);
    assert_all_words(&text, &long);
    assert!(contains_flat(&text, "Стр. 1 из 2") && contains_flat(&text, "Стр. 2 из 2"));
    // Page 2 repeats the reference in its running header.
    let page2 = text.split('\u{c}').nth(1).expect("a second page");
    assert!(page2.contains("REF-2026-0042"), "page 2:\n{page2}");
    // The reason row goes on under its repeated caption.
    assert!(contains_flat(page2, "Причина направления"), "page 2:\n{page2}");
}

/// Every word `pdftotext -bbox` finds lies inside the page margins.
/// Returns how many words there are.
fn assert_words_inside_margins(pdf: &Path) -> usize {
    let html = poppler("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let mut words = 0;
    for line in html.lines().filter(|l| l.trim_start().starts_with("<word")) {
        let attr = |name: &str| -> f32 {
            let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
            line[start..].split('"').next().unwrap().parse().unwrap()
        };
        let (x_min, y_min, x_max, y_max) = (attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax"));
        // Margins are 50 pt at the sides; the footer ends ~40 pt above the
        // bottom edge (y grows downwards here).
        assert!(x_min >= 49.0 && x_max <= 546.0, "word outside the side margins: {line}");
        assert!(y_min >= 40.0 && y_max <= 805.0, "word outside the top/bottom margins: {line}");
        words += 1;
    }
    words
}

#[test]
fn nothing_runs_off_the_page() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = sample(Language::English);
    data.reason = format!("{} {}", LONG_REASON_EN, "x".repeat(300));
    data.partner_name = "The Very Long Name of a Partner Organisation for Legal Aid to Migrant \
        Workers and Members of Their Families in the Republic of Kazakhstan"
        .into();
    data.bring = (1..=40).map(|i| format!("Document number {i} that the partner asked for")).collect();
    let pdf = write_pdf(dir.path(), "slip-en-overflow.pdf", &referral_slip(&data, Language::English).unwrap());

    let (_, pages) = info_of(&pdf);
    assert!(pages >= 2, "{pages} pages");
    let words = assert_words_inside_margins(&pdf);
    assert!(words > 100, "only {words} words found");
    let text = text_of(&pdf);
    assert!(contains_flat(&text, "Document number 40 that the partner asked for"));
    assert!(contains_flat(&text, "Republic of Kazakhstan"));
}

#[test]
fn oversized_from_and_to_boxes_split_across_pages() {
    let dir = tempfile::tempdir().unwrap();
    let mut data = sample(Language::Russian);
    let address: Vec<String> = (1..=70).map(|i| format!("Строка адреса номер {i}")).collect();
    data.partner_address = address.join("\n");
    let pdf = write_pdf(dir.path(), "slip-ru-boxes.pdf", &referral_slip(&data, Language::Russian).unwrap());

    let (_, pages) = info_of(&pdf);
    assert!(pages >= 2, "{pages} pages");
    assert_words_inside_margins(&pdf);
    let text = text_of(&pdf);
    for line in &address {
        assert!(contains_flat(&text, line), "{line:?} missing");
    }
    assert!(contains_flat(&text, "Рахмонов Фаррух"));
}
