//! Everything held about one person, as a document they can read: their
//! details, consent, cases, visits, assistance, referrals, follow-ups and
//! family links, in the words of the UI's catalogues.

use mrc_core::subject_access::SubjectAccess;
use uuid::Uuid;

use crate::report_text::ReportText;
use crate::sheet::{sheet_pdf, Sheet, SheetSection};
use crate::DocumentError;

struct Words<'a> {
    text: &'a ReportText,
    access: &'a SubjectAccess,
}

impl Words<'_> {
    fn get(&self, key: &str) -> String {
        self.text.get(key)
    }

    /// A vocabulary value in words (`sex.female` -> "Female").
    fn value(&self, prefix: &str, value: &str) -> String {
        self.get(&format!("{prefix}.{value}"))
    }

    fn staff(&self, id: Uuid) -> String {
        self.access.staff.iter().find(|s| s.id == id).map(|s| s.full_name.clone()).unwrap_or_default()
    }

    fn fill(&self, key: &str, pairs: &[(&str, String)]) -> String {
        pairs.iter().fold(self.get(key), |text, (name, value)| text.replace(&format!("{{{name}}}"), value))
    }
}

fn row(caption: String, value: String) -> Option<(String, String)> {
    (!value.trim().is_empty()).then_some((caption, value))
}

fn joined<I: IntoIterator<Item = String>>(parts: I) -> String {
    parts.into_iter().filter(|p| !p.trim().is_empty()).collect::<Vec<_>>().join(" · ")
}

fn person(w: &Words) -> Vec<(String, String)> {
    let m = &w.access.profile.migrant;
    let t = w.text;
    let birth = m.birth_date.map(|d| if m.birth_date_estimated { format!("≈ {}", t.date(d)) } else { t.date(d) }).unwrap_or_default();
    [
        row(w.get("migrant.family_name"), m.family_name.clone()),
        row(w.get("migrant.given_name"), m.given_name.clone()),
        row(w.get("migrant.patronymic"), m.patronymic.clone()),
        row(w.get("subject_access.latin"), format!("{} {}", m.family_name_latin, m.given_name_latin)),
        row(w.get("migrant.sex"), w.value("sex", m.sex.as_str())),
        row(w.get("migrant.birth_date"), birth),
        row(w.get("migrant.citizenship"), t.citizenship(&m.citizenship)),
        row(w.get("migrant.birth_country"), if m.birth_country.is_empty() { String::new() } else { t.citizenship(&m.birth_country) }),
        row(w.get("migrant.origin_town"), joined([m.origin_town.clone(), m.origin_region.clone()])),
        row(w.get("migrant.current_city"), joined([m.current_city.clone(), m.current_country.clone()])),
        row(w.get("migrant.phones"), m.phones.iter().map(|p| p.number.clone()).collect::<Vec<_>>().join(", ")),
        row(w.get("migrant.languages"), m.languages.join(", ")),
        row(
            w.get("migrant.documents"),
            m.documents.iter().map(|d| joined([w.value("document", d.kind.as_str()), d.number.clone(), d.issuing_country.clone()])).collect::<Vec<_>>().join("\n"),
        ),
        row(w.get("migrant.migration_status"), w.value("status", m.migration_status.as_str())),
        row(w.get("migrant.occupation"), m.occupation.clone()),
        row(w.get("migrant.vulnerabilities"), m.vulnerabilities.iter().map(|v| w.value("vulnerability", v.as_str())).collect::<Vec<_>>().join(", ")),
        row(w.get("migrant.notes"), m.notes.clone()),
        row(w.get("subject_access.registered"), joined([t.timestamp(m.meta.created_at), w.staff(m.meta.created_by)])),
    ]
    .into_iter()
    .flatten()
    .collect()
}

fn consent(w: &Words) -> Vec<(String, String)> {
    let t = w.text;
    w.access
        .profile
        .consents
        .iter()
        .map(|c| {
            let mut said = w.fill("consent.given", &[("date", t.date(c.given_on)), ("name", w.staff(c.taken_by))]);
            if let (Some(on), Some(by)) = (c.withdrawn_on, c.withdrawn_by) {
                said = format!("{said}\n{}", w.fill("consent.withdrawn", &[("date", t.date(on)), ("name", w.staff(by))]));
                if !c.withdrawal_note.is_empty() {
                    said = format!("{said}: {}", c.withdrawal_note);
                }
            }
            (w.value("consent", c.scope.as_str()), said)
        })
        .collect()
}

fn cases(w: &Words) -> Vec<(String, String)> {
    let t = w.text;
    w.access
        .profile
        .cases
        .iter()
        .map(|c| {
            let dates = joined([t.date(c.opened_on), c.closed_on.map(|d| t.date(d)).unwrap_or_default()]);
            let head = joined([w.value("case_type", c.case_type.as_str()), w.value("case_status", c.status.as_str()), dates]);
            (c.reference.clone(), [head, c.summary.clone(), c.notes.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("\n"))
        })
        .collect()
}

fn work(w: &Words) -> (Vec<(String, String)>, Vec<(String, String)>, Vec<(String, String)>) {
    let t = w.text;
    let p = &w.access.profile;
    let visits = p
        .visits
        .iter()
        .map(|v| (t.timestamp(v.occurred_at), joined([w.value("channel", v.channel.as_str()), w.value("purpose", v.purpose.as_str()), v.notes.clone()])))
        .collect();
    let assistance = p
        .assistance
        .iter()
        .map(|a| (t.date(a.given_on), joined([w.value("category", a.category.as_str()), w.value("outcome", a.outcome.as_str()), a.notes.clone()])))
        .collect();
    let referrals = p
        .referrals
        .iter()
        .map(|r| {
            let shared = r.shared_data.iter().map(|s| w.value("shared", s.as_str())).collect::<Vec<_>>().join(", ");
            let head = joined([r.partner_name.clone(), w.value("category", r.service.as_str()), w.value("referral_status", r.status.as_str())]);
            let shared = if shared.is_empty() { String::new() } else { w.fill("subject_access.shared", &[("what", shared)]) };
            (t.timestamp(r.meta.created_at), [head, r.reason.clone(), shared, r.feedback.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("\n"))
        })
        .collect();
    (visits, assistance, referrals)
}

/// The document of everything held about the person in `access`.
pub fn subject_access_pdf(access: &SubjectAccess, text: &ReportText) -> Result<Vec<u8>, DocumentError> {
    let w = Words { text, access };
    let m = &access.profile.migrant;
    let name = [m.family_name.as_str(), m.given_name.as_str(), m.patronymic.as_str()].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>().join(" ");
    let (visits, assistance, referrals) = work(&w);
    let p = &access.profile;
    let follow_ups =
        p.follow_ups.iter().map(|f| (text.date(f.due_on), f.note.clone())).collect();
    let family = p.family.iter().map(|f| (w.value("relation", f.relation.as_str()), format!("{} {}", f.family_name, f.given_name))).collect();
    let none = w.get("subject_access.none");
    let section = |key: &str, rows: Vec<(String, String)>| SheetSection { heading: w.get(key), rows, empty: none.clone() };
    let sheet = Sheet {
        title: w.get("subject_access.title"),
        subtitle: w.fill("subject_access.intro", &[("centre", access.centre.clone()), ("name", name), ("date", text.timestamp(access.generated_at))]),
        sections: vec![
            section("subject_access.person", person(&w)),
            section("migrant.section.consent", consent(&w)),
            section("profile.cases", cases(&w)),
            section("subject_access.visits", visits),
            section("subject_access.assistance", assistance),
            section("subject_access.referrals", referrals),
            section("follow_up.list", follow_ups),
            section("profile.family", family),
        ],
        footer: w.fill("subject_access.footer", &[("centre", access.centre.clone())]),
        lang: text.language.code().to_string(),
    };
    sheet_pdf(&sheet)
}
