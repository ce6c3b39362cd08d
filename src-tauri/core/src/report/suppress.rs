//! The report for sharing outside the centre: counts of 1 to 4 are hidden
//! ("<5"), and so is enough else that no hidden count can be worked out by
//! subtracting the visible parts from a visible total.

use super::model::{Breakdown, Cell, HeadlineId, Report, SectionId, Unit};

/// `total` is the sum of `parts`.
struct Line {
    total: usize,
    parts: Vec<usize>,
}

fn is_small(cell: Cell) -> bool {
    matches!(cell, Some(1..=4))
}

/// A lone count as it may be shared: hidden when from 1 to 4.
pub fn shareable(n: u32) -> Cell {
    (!is_small(Some(n))).then_some(n)
}

/// Hides small counts, then, until nothing changes, one more cell in every
/// sum that could otherwise reveal a hidden one: the smallest non-zero
/// visible part (or the total when every other part is zero).
fn protect_cells(cells: &mut [Cell], lines: &[Line]) {
    for cell in cells.iter_mut() {
        if is_small(*cell) {
            *cell = None;
        }
    }
    loop {
        let mut changed = false;
        for line in lines {
            let hidden = line.parts.iter().filter(|p| cells[**p].is_none()).count();
            let exposed = match (cells[line.total].is_some(), hidden) {
                (true, 1) => true,
                (false, 0) => true,
                _ => false,
            };
            if !exposed {
                continue;
            }
            let smallest = line.parts.iter().filter(|p| matches!(cells[**p], Some(n) if n > 0)).min_by_key(|p| cells[**p]);
            match smallest {
                Some(p) => cells[*p] = None,
                None if cells[line.total].is_some() => cells[line.total] = None,
                None => continue,
            }
            changed = true;
        }
        if !changed {
            break;
        }
    }
}

/// A breakdown as one run of cells, and back.
fn flatten(b: &Breakdown, out: &mut Vec<Cell>) {
    out.push(b.total);
    out.extend(&b.by_sex);
    out.extend(&b.by_age);
    for row in &b.by_sex_age {
        out.extend(row);
    }
    out.extend(&b.by_citizenship);
    out.extend(&b.by_status);
}

fn unflatten(b: &mut Breakdown, cells: &mut impl Iterator<Item = Cell>) {
    let mut next = || cells.next().flatten();
    b.total = next();
    b.by_sex.iter_mut().for_each(|c| *c = next());
    b.by_age.iter_mut().for_each(|c| *c = next());
    b.by_sex_age.iter_mut().flatten().for_each(|c| *c = next());
    b.by_citizenship.iter_mut().for_each(|c| *c = next());
    b.by_status.iter_mut().for_each(|c| *c = next());
}

/// The sums inside one breakdown starting at `at`: each split adds up to
/// the total, and the sex-by-age grid to both margins.
fn breakdown_lines(b: &Breakdown, at: usize, lines: &mut Vec<Line>) {
    let sexes = b.by_sex.len();
    let ages = b.by_age.len();
    let sex_at = at + 1;
    let age_at = sex_at + sexes;
    let grid_at = age_at + ages;
    let cit_at = grid_at + sexes * ages;
    let status_at = cit_at + b.by_citizenship.len();
    let range = |from: usize, n: usize| (from..from + n).collect::<Vec<_>>();
    lines.push(Line { total: at, parts: range(sex_at, sexes) });
    lines.push(Line { total: at, parts: range(age_at, ages) });
    lines.push(Line { total: at, parts: range(cit_at, b.by_citizenship.len()) });
    lines.push(Line { total: at, parts: range(status_at, b.by_status.len()) });
    for s in 0..sexes {
        lines.push(Line { total: sex_at + s, parts: range(grid_at + s * ages, ages) });
    }
    for a in 0..ages {
        lines.push(Line { total: age_at + a, parts: (0..sexes).map(|s| grid_at + s * ages + a).collect() });
    }
}

fn protect_section(section: &mut super::model::Section) {
    let mut cells = Vec::new();
    let mut lines = Vec::new();
    // Per row: the breakdown, then previous, then year to date.
    let mut starts = Vec::new();
    for row in &section.rows {
        let at = cells.len();
        starts.push(at);
        flatten(&row.current, &mut cells);
        breakdown_lines(&row.current, at, &mut lines);
        cells.push(row.previous);
        cells.push(row.year_to_date);
    }
    // In a table of records the total row is the sum of the others, column
    // by column; persons can be in several rows, so theirs is not.
    if section.unit == Unit::Records && section.rows.len() > 1 {
        let width = starts.get(1).copied().unwrap_or(0);
        for offset in 0..width {
            lines.push(Line { total: offset, parts: starts[1..].iter().map(|s| s + offset).collect() });
        }
    }
    protect_cells(&mut cells, &lines);
    let mut it = cells.into_iter();
    for row in &mut section.rows {
        unflatten(&mut row.current, &mut it);
        row.previous = it.next().flatten();
        row.year_to_date = it.next().flatten();
    }
}

/// The section row each headline figure repeats, so both hide alike.
pub fn source_of(id: HeadlineId) -> Option<(SectionId, &'static str)> {
    use HeadlineId as H;
    use SectionId as S;
    Some(match id {
        H::PersonsAssisted => (S::Persons, "assisted"),
        H::NewPersons => (S::Persons, "new"),
        H::Visits => (S::Contacts, "total"),
        H::AnonymousContacts => (S::AnonymousContacts, "total"),
        H::AssistanceRecords => (S::AssistanceRecords, "total"),
        H::ReferralsMade => (S::ReferralsByStatus, "total"),
        H::ReferralsCompleted => (S::ReferralsByStatus, "completed"),
        H::CasesOpened => (S::CasesOpened, "total"),
        H::CasesClosed => (S::CasesClosed, "total"),
        H::CasesOpenAtEnd => (S::CasesOpenAtEnd, "total"),
        H::SessionParticipants => (S::SessionParticipants, "total"),
        H::VulnerablePersons => (S::VulnerablePersons, "any"),
        H::SessionsHeld => return None,
    })
}

pub(super) fn protect(report: &mut Report) {
    for section in &mut report.sections {
        protect_section(section);
    }
    for h in &mut report.headline {
        match source_of(h.id).and_then(|(s, key)| report.sections.iter().find(|x| x.id == s)?.rows.iter().find(|r| r.key == key)) {
            Some(row) => {
                h.current = row.current.total;
                h.previous = row.previous;
                h.year_to_date = row.year_to_date;
            }
            None => {
                for cell in [&mut h.current, &mut h.previous, &mut h.year_to_date] {
                    if is_small(*cell) {
                        *cell = None;
                    }
                }
            }
        }
    }
    // A rate over hidden counts would give them away.
    let completed = report.headline(HeadlineId::ReferralsCompleted).cloned();
    let made = report.headline(HeadlineId::ReferralsMade).cloned();
    if let (Some(c), Some(m)) = (completed, made) {
        let rates = &mut report.referral_completed_rate;
        for (rate, hidden) in [
            (&mut rates.current, c.current.is_none() || m.current.is_none()),
            (&mut rates.previous, c.previous.is_none() || m.previous.is_none()),
            (&mut rates.year_to_date, c.year_to_date.is_none() || m.year_to_date.is_none()),
        ] {
            if hidden {
                *rate = None;
            }
        }
    }
    // Nobody's name in a report meant for sharing.
    report.generated_by = String::new();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(total: usize, parts: &[usize]) -> Line {
        Line { total, parts: parts.to_vec() }
    }

    #[test]
    fn a_small_count_is_hidden_with_a_second_cell_so_the_total_does_not_give_it_away() {
        // total 13 = 3 + 10: hiding only the 3 would leave 13 - 10.
        let mut cells = vec![Some(13), Some(3), Some(10)];
        protect_cells(&mut cells, &[line(0, &[1, 2])]);
        assert_eq!(cells, vec![Some(13), None, None]);
    }

    #[test]
    fn the_smallest_other_part_is_the_one_hidden() {
        let mut cells = vec![Some(40), Some(2), Some(30), Some(8), Some(0)];
        protect_cells(&mut cells, &[line(0, &[1, 2, 3, 4])]);
        assert_eq!(cells, vec![Some(40), None, Some(30), None, Some(0)]);
    }

    #[test]
    fn a_lone_small_part_hides_the_total() {
        let mut cells = vec![Some(3), Some(3), Some(0)];
        protect_cells(&mut cells, &[line(0, &[1, 2])]);
        assert_eq!(cells, vec![None, None, Some(0)]);
    }

    #[test]
    fn hiding_spreads_across_crossing_sums_until_none_reveals_a_cell() {
        // A 2x2 grid with margins: cells 0..4 grid, 4..6 row sums, 6..8 column sums.
        let mut cells = vec![Some(2), Some(20), Some(30), Some(40), Some(22), Some(70), Some(32), Some(60)];
        let lines = [line(4, &[0, 1]), line(5, &[2, 3]), line(6, &[0, 2]), line(7, &[1, 3])];
        protect_cells(&mut cells, &lines);
        for l in &lines {
            let hidden = l.parts.iter().filter(|p| cells[**p].is_none()).count();
            assert!(hidden == 0 || hidden >= 2 || cells[l.total].is_none(), "{cells:?}");
        }
        assert_eq!(cells[0], None);
    }

    #[test]
    fn zeros_and_large_counts_stay() {
        let mut cells = vec![Some(25), Some(25), Some(0)];
        protect_cells(&mut cells, &[line(0, &[1, 2])]);
        assert_eq!(cells, vec![Some(25), Some(25), Some(0)]);
    }
}
