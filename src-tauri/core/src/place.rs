//! Places of origin as people give them: a region as a noun or an
//! adjective ("Хатлон", "Хатлонская область", "вилояти Хатлон", "Khatlon
//! region"), with or without the word for what kind of place it is.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::names::closeness;
use crate::search::words;

/// Words that say what kind of place it is, not which one.
const KINDS: &[&str] = &[
    "область", "обл", "области", "облысы", "вилояти", "вилоят", "марз", "район", "районы", "город", "шаҳри", "шаары", "ноҳияи", "республика",
    "oblast", "oblasti", "oblysy", "viloyati", "viloyat", "marz", "rayon", "region", "province", "district", "city", "town", "shahri",
];

/// Russian endings that make a place's name an adjective (Хатлонская, Ошская).
const ADJECTIVE: &[&str] = &["skaia", "skoi", "skii", "ski", "skogo", "skoe"];

/// The place named, folded and without the words for its kind; empty when none is.
pub(crate) fn place_key(text: &str) -> String {
    let kinds = kinds();
    // A letter alone is an abbreviation (г. for город, с. for село), never a place.
    words(text).into_iter().filter(|w| w.chars().count() > 1 && !kinds.contains(w)).map(stem).collect::<Vec<_>>().join(" ")
}

/// Whether two keys name one place. The whole name counts, not one of its
/// words: Кара-Суу and Кара-Балта are two towns.
pub(crate) fn same_place(a: &str, b: &str) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    // Сугд and Согдийская: the adjective keeps a letter or two of its own.
    let adjective_of = short.chars().count() >= 4 && long.starts_with(short) && long.chars().count() - short.chars().count() <= 2;
    adjective_of || closeness(a, b) >= 0.85
}

fn kinds() -> &'static HashSet<String> {
    static KINDS_FOLDED: OnceLock<HashSet<String>> = OnceLock::new();
    KINDS_FOLDED.get_or_init(|| KINDS.iter().flat_map(|k| words(k)).collect())
}

fn stem(word: String) -> String {
    ADJECTIVE
        .iter()
        .find_map(|ending| word.strip_suffix(ending).filter(|rest| rest.chars().count() >= 2).map(str::to_string))
        .unwrap_or(word)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) -> bool {
        same_place(&place_key(a), &place_key(b))
    }

    #[test]
    fn a_region_is_the_same_as_a_noun_or_an_adjective_in_any_script() {
        assert!(same("Хатлонская область", "Khatlon region"));
        assert!(same("вилояти Хатлон", "Хатлонская обл."), "{:?}", place_key("Хатлонская обл."));
        assert!(same("Ошская область", "Ош"));
        assert!(same("г. Душанбе", "Dushanbe"), "{}", place_key("г. Душанбе"));
        assert!(same("Вахшский р-н", "Vakhsh"), "{}", place_key("Вахшский р-н"));
        assert!(same("Согдийская область", "Согд"), "{} {}", place_key("Согдийская область"), place_key("Согд"));
    }

    #[test]
    fn the_word_for_a_kind_of_place_does_not_make_two_places_one() {
        assert!(!same("Сурхандарьинская область", "Самаркандская область"));
        assert!(!same("Кара-Суу", "Кара-Балта"));
        assert!(!same("область", "область"), "no place named");
        assert!(place_key("район").is_empty());
    }
}
