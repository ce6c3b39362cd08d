//! Names as keys that survive scripts and clerks. Рахмонов, Rahmonov and
//! Rakhmonov; Ғафуров, Gafurov and Ghafurov; Նազարյան, Nazaryan and Nazarian
//! are one person written by different hands. Each name is spelled in Latin
//! letters (Cyrillic of Russian, Tajik, Kyrgyz, Kazakh and Uzbek; Armenian;
//! Georgian; Latin without its marks), then the sounds that transliterations
//! spell differently are folded into one letter. Searching and the duplicate
//! checks compare these keys, never the raw spellings.

use unicode_normalization::UnicodeNormalization;

/// The folded key of a name: lower-case ASCII letters plus `S` (sh, щ),
/// `C` (ch), `J` (j, dzh, zh) and `Z` (ts), its words separated by spaces.
pub fn name_key(name: &str) -> String {
    latin(name).split_whitespace().map(fold_word).filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ")
}

/// The name in plain Latin letters, lower case, as a clerk would transliterate it.
pub fn in_latin(name: &str) -> String {
    latin(name).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A key without its vowels: Rahmonov and Rakhmanov both become `rhmnv`,
/// which catches the vowels each language writes its own way.
pub fn skeleton(key: &str) -> String {
    key.chars().filter(|c| !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u')).collect()
}

/// How close two keys are, from 0 (nothing alike) to 1 (the same), by edit distance.
pub fn closeness(a: &str, b: &str) -> f64 {
    let longest = a.chars().count().max(b.chars().count());
    if longest == 0 {
        return 0.0;
    }
    1.0 - edit_distance(a, b) as f64 / longest as f64
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb)).min(row[j] + 1).min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

/// The name in Latin letters, lower case, marks dropped; anything that is not
/// a letter separates words, except apostrophes (o‘g‘li, D'Souza) and soft signs.
fn latin(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut previous = ' ';
    for c in name.nfkd().flat_map(char::to_lowercase) {
        if unicode_normalization::char::is_combining_mark(c) || is_apostrophe(c) {
            continue;
        }
        // ւ is the u of ու, but the v of եւ, which the ligature և (Գևորգյան, Gevorgyan) comes apart as.
        let armenian_v = c == 'ւ' && previous != 'ո';
        previous = c;
        match if armenian_v { Some("v") } else { letter(c) } {
            Some(s) => out.push_str(s),
            None if c.is_ascii_lowercase() => out.push(c),
            None => out.push(' '),
        }
    }
    out
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '`' | '´' | '‘' | '’' | 'ʻ' | 'ʼ' | 'ʹ' | 'ь' | 'ъ')
}

/// One letter of another script (after its marks were taken off) in Latin.
fn letter(c: char) -> Option<&'static str> {
    Some(match c {
        // Cyrillic: Russian, then the letters of Tajik, Kyrgyz, Kazakh, Uzbek.
        'а' => "a", 'б' => "b", 'в' => "v", 'г' => "g", 'д' => "d", 'е' => "e", 'ж' => "zh", 'з' => "z",
        'и' => "i", 'к' => "k", 'л' => "l", 'м' => "m", 'н' => "n", 'о' => "o", 'п' => "p", 'р' => "r",
        'с' => "s", 'т' => "t", 'у' => "u", 'ф' => "f", 'х' => "kh", 'ц' => "ts", 'ч' => "ch", 'ш' => "sh",
        'щ' => "shch", 'ы' => "y", 'э' => "e", 'ю' => "yu", 'я' => "ya", 'ҳ' => "h", 'ғ' => "gh",
        'қ' => "q", 'ҷ' => "j", 'ә' => "a", 'ң' => "n", 'ө' => "o", 'ұ' => "u", 'ү' => "u", 'һ' => "h",
        'і' => "i",
        // Uzbek ў is oʻ in Uzbek Latin (Жўраев, Joʻraev); a Russian clerk's Джураев still shares the skeleton.
        'ў' => "o", 'ҝ' => "g", 'є' => "ye", 'ї' => "yi", 'ґ' => "g",
        // Armenian.
        'ա' => "a", 'բ' => "b", 'գ' => "g", 'դ' => "d", 'ե' => "e", 'զ' => "z", 'է' => "e", 'ը' => "y",
        'թ' => "t", 'ժ' => "zh", 'ի' => "i", 'լ' => "l", 'խ' => "kh", 'ծ' => "ts", 'կ' => "k", 'հ' => "h",
        'ձ' => "dz", 'ղ' => "gh", 'ճ' => "ch", 'մ' => "m", 'յ' => "y", 'ն' => "n", 'շ' => "sh", 'ո' => "o",
        'չ' => "ch", 'պ' => "p", 'ջ' => "j", 'ռ' => "r", 'ս' => "s", 'վ' => "v", 'տ' => "t", 'ր' => "r",
        'ց' => "ts", 'ւ' => "u", 'փ' => "p", 'ք' => "k", 'օ' => "o", 'ֆ' => "f",
        // Georgian (Mkhedruli).
        'ა' => "a", 'ბ' => "b", 'გ' => "g", 'დ' => "d", 'ე' => "e", 'ვ' => "v", 'ზ' => "z", 'თ' => "t",
        'ი' => "i", 'კ' => "k", 'ლ' => "l", 'მ' => "m", 'ნ' => "n", 'ო' => "o", 'პ' => "p", 'ჟ' => "zh",
        'რ' => "r", 'ს' => "s", 'ტ' => "t", 'უ' => "u", 'ფ' => "p", 'ქ' => "k", 'ღ' => "gh", 'ყ' => "q",
        'შ' => "sh", 'ჩ' => "ch", 'ც' => "ts", 'ძ' => "dz", 'წ' => "ts", 'ჭ' => "ch", 'ხ' => "kh", 'ჯ' => "j",
        'ჰ' => "h",
        // Latin letters that carry no mark to take off.
        'ß' => "ss", 'ı' => "i", 'ə' => "a", 'ø' => "o", 'æ' => "ae", 'œ' => "oe", 'ł' => "l", 'đ' => "d",
        'ð' => "d", 'þ' => "th",
        _ => return None,
    })
}

/// Folds one Latin word: the spellings of one sound become one letter, in an
/// order where the longer spellings go first (shch before sh before h).
fn fold_word(word: &str) -> String {
    let mut w = word.to_string();
    for (from, to) in [("shch", "S"), ("sch", "S"), ("tch", "C"), ("ch", "C"), ("sh", "S"), ("dzh", "J"), ("dj", "J"), ("zh", "J"), ("j", "J")] {
        w = w.replace(from, to);
    }
    for (from, to) in [("kh", "h"), ("x", "h"), ("gh", "g"), ("q", "k"), ("ck", "k"), ("ph", "f"), ("th", "t"), ("w", "v"), ("ts", "Z"), ("tz", "Z"), ("c", "k"), ("y", "i"), ("ou", "u")] {
        w = w.replace(from, to);
    }
    // Yevgeniy and Евгений, Yelena and Елена.
    if let Some(rest) = w.strip_prefix("ie") {
        w = format!("e{rest}");
    }
    let mut folded: String = String::with_capacity(w.len());
    for c in w.chars() {
        if !folded.ends_with(c) {
            folded.push(c);
        }
    }
    // The feminine form of a family name is the same family: Rahmonova, Rahmonov.
    for ending in ["ova", "eva", "ina"] {
        if folded.ends_with(ending) && folded.len() > ending.len() + 1 {
            folded.pop();
            break;
        }
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(names: &[&str]) {
        let keys: Vec<String> = names.iter().map(|n| name_key(n)).collect();
        assert!(keys.windows(2).all(|w| w[0] == w[1]), "{names:?} -> {keys:?}");
    }

    #[test]
    fn one_name_in_every_script_has_one_key() {
        same(&["Рахмонов", "Rahmonov", "Rakhmonov", "RAHMONOV"]);
        same(&["Ғафуров", "Gafurov", "Ghafurov", "Гафуров", "G‘afurov"]);
        same(&["Նազարյան", "Nazaryan", "Nazarian"]);
        same(&["Գևորգյան", "Gevorgyan", "Gevorgian"]);
        same(&["Джамшед", "Jamshed", "Dzhamshed", "Djamshed", "Ҷамшед"]);
        same(&["Холматов", "Xolmatov", "Kholmatov", "Holmatov", "Ҳолматов"]);
        same(&["Юсупов", "Yusupov", "Iusupov", "Yousupov"]);
        same(&["Рахмонова", "Rahmonova", "Rahmonov"]);
        same(&["Мухаммад", "Muhammad", "Muhamad", "Mukhammad"]);
        same(&["Евгений", "Yevgeniy", "Evgenii", "Evgeny"]);
        same(&["Игорь", "Igor"]);
        same(&["Қодиров", "Qodirov", "Kodirov"]);
        same(&["Şükrü", "Sukru"]);
        same(&["Ნინო", "Nino", "ნინო"]);
        same(&["Цой", "Tsoi", "Tsoy"]);
    }

    #[test]
    fn different_names_keep_different_keys() {
        assert_ne!(name_key("Рахмонов"), name_key("Рахимов"));
        assert_ne!(name_key("Sharipov"), name_key("Saripov"));
        assert_ne!(name_key("Назаров"), name_key("Назарян"));
    }

    #[test]
    fn words_stay_words() {
        assert_eq!(name_key("Абду-Рахмон  ибн Али"), "abdu rahmon ibn ali");
        assert_eq!(name_key("o‘g‘li"), "ogli");
        assert_eq!(name_key("  "), "");
    }

    #[test]
    fn vowels_each_language_writes_its_own_way_meet_in_the_skeleton() {
        assert_eq!(skeleton(&name_key("Rahmonov")), skeleton(&name_key("Рахманов")));
        assert!(closeness(&name_key("Rahmonov"), &name_key("Рахманов")) > 0.8);
        assert!(closeness(&name_key("Rahmonov"), &name_key("Sultanova")) < 0.5);
        assert_eq!(closeness("", ""), 0.0);
    }
}
