//! The fixed wording printed on documents, per language.
//!
//! Everything a caseworker types (names, reasons, the translated service
//! label...) arrives already in the right language through [`crate::SlipData`];
//! only the captions that never change live here.

use crate::Language;

/// Fixed captions of the referral slip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlipLabels {
    /// Document title.
    pub title: &'static str,
    /// Caption of the referring centre's box.
    pub from: &'static str,
    /// Caption of the partner organisation's box.
    pub to: &'static str,
    pub reference: &'static str,
    pub date: &'static str,
    pub migrant: &'static str,
    pub service: &'static str,
    pub reason: &'static str,
    pub urgency: &'static str,
    pub caseworker: &'static str,
    pub bring: &'static str,
    pub shared_data: &'static str,
    /// Prefix of phone numbers inside the From / To boxes.
    pub phone: &'static str,
    /// Prefix of the partner's opening hours inside the To box.
    pub opening_hours: &'static str,
    /// Caption under the caseworker's signature line.
    pub signature: &'static str,
    /// Marker appended to the running header of pages after the first.
    pub continued: &'static str,
    /// Page numbering: "{page}" and "{pages}" are replaced.
    pub page_of: &'static str,
    /// Printed at the bottom of every page.
    pub footer: &'static str,
}

const ENGLISH: SlipLabels = SlipLabels {
    title: "Referral slip",
    from: "From",
    to: "To",
    reference: "Reference",
    date: "Date",
    migrant: "Migrant",
    service: "Service requested",
    reason: "Reason",
    urgency: "Urgency",
    caseworker: "Caseworker",
    bring: "Please bring",
    shared_data: "Information shared with the partner",
    phone: "Phone",
    opening_hours: "Opening hours",
    signature: "Caseworker's signature",
    continued: "continued",
    page_of: "Page {page} of {pages}",
    footer: "Show this slip at the reception of the partner organisation.",
};

const RUSSIAN: SlipLabels = SlipLabels {
    title: "Направление",
    from: "От кого",
    to: "Кому",
    reference: "Номер направления",
    date: "Дата",
    migrant: "Мигрант",
    service: "Запрашиваемая услуга",
    reason: "Причина направления",
    urgency: "Срочность",
    caseworker: "Консультант",
    bring: "Возьмите с собой",
    shared_data: "Сведения, переданные партнёру",
    phone: "Телефон",
    opening_hours: "Часы работы",
    signature: "Подпись консультанта",
    continued: "продолжение",
    page_of: "Стр. {page} из {pages}",
    footer: "Предъявите это направление в регистратуре организации-партнёра.",
};

impl SlipLabels {
    /// The captions for `lang`.
    pub fn for_language(lang: Language) -> &'static SlipLabels {
        match lang {
            Language::English => &ENGLISH,
            Language::Russian => &RUSSIAN,
        }
    }

    /// "Page 2 of 3" in the label's language.
    pub fn page_number(&self, page: usize, pages: usize) -> String {
        self.page_of
            .replace("{page}", &page.to_string())
            .replace("{pages}", &pages.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_has_every_label() {
        for lang in [Language::English, Language::Russian] {
            let l = SlipLabels::for_language(lang);
            let all = [
                l.title, l.from, l.to, l.reference, l.date, l.migrant, l.service, l.reason,
                l.urgency, l.caseworker, l.bring, l.shared_data, l.phone, l.opening_hours,
                l.signature, l.continued, l.page_of, l.footer,
            ];
            assert!(all.iter().all(|s| !s.trim().is_empty()), "{lang:?}");
            assert!(l.page_of.contains("{page}") && l.page_of.contains("{pages}"));
        }
    }

    #[test]
    fn russian_labels_are_in_cyrillic() {
        let l = SlipLabels::for_language(Language::Russian);
        for s in [l.title, l.from, l.to, l.reason, l.bring, l.footer] {
            assert!(s.chars().any(|c| ('\u{0400}'..='\u{04FF}').contains(&c)), "{s}");
        }
    }

    #[test]
    fn page_numbers() {
        assert_eq!(SlipLabels::for_language(Language::English).page_number(2, 3), "Page 2 of 3");
        assert_eq!(SlipLabels::for_language(Language::Russian).page_number(1, 2), "Стр. 1 из 2");
    }
}
