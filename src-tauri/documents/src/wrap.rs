//! Greedy word wrapping against measured glyph widths.

/// Break `text` into lines no wider than `max_width`, as measured by
/// `measure` (which must be additive: width("ab") == width("a") + width("b")).
///
/// - Line breaks in the input start a new line; an empty input line is kept
///   as one empty output line (so paragraphs stay apart).
/// - Runs of spaces and tabs collapse to a single space.
/// - A word wider than the whole line is cut between characters.
///
/// Returns no lines for text that is empty or only white space.
pub(crate) fn wrap_text(text: &str, max_width: f32, measure: impl Fn(&str) -> f32) -> Vec<String> {
    wrap_text_hanging(text, max_width, max_width, measure)
}

/// Like [`wrap_text`], but the first line may have a different width than
/// the others (it follows an inline caption such as "Phone: ").
pub(crate) fn wrap_text_hanging(
    text: &str,
    first_width: f32,
    rest_width: f32,
    measure: impl Fn(&str) -> f32,
) -> Vec<String> {
    let text = text.trim();
    let mut lines = Vec::new();
    let space = measure(" ");
    for paragraph in text.split('\n') {
        let mut line = String::new();
        let mut line_width = 0.0_f32;
        for word in paragraph.split_whitespace() {
            let max_width = if lines.is_empty() { first_width } else { rest_width };
            let word_width = measure(word);
            if line.is_empty() {
                // Fall through to placing the word at the start of a line.
            } else if line_width + space + word_width <= max_width {
                line.push(' ');
                line.push_str(word);
                line_width += space + word_width;
                continue;
            } else {
                lines.push(std::mem::take(&mut line));
                line_width = 0.0;
            }
            let max_width = if lines.is_empty() { first_width } else { rest_width };
            if word_width <= max_width {
                line.push_str(word);
                line_width = word_width;
            } else {
                // Cut an over-long word (a URL, a long number) into pieces.
                for c in word.chars() {
                    let mut buf = [0u8; 4];
                    let w = measure(c.encode_utf8(&mut buf));
                    let max_width = if lines.is_empty() { first_width } else { rest_width };
                    if !line.is_empty() && line_width + w > max_width {
                        lines.push(std::mem::take(&mut line));
                        line_width = 0.0;
                    }
                    line.push(c);
                    line_width += w;
                }
            }
        }
        lines.push(line);
    }
    // Keep at most one blank line between paragraphs.
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    for l in lines {
        if l.is_empty() && out.last().map_or(true, |p| p.is_empty()) {
            continue;
        }
        out.push(l);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every character is 1 unit wide.
    fn mono(s: &str) -> f32 {
        s.chars().count() as f32
    }

    #[test]
    fn fills_lines_greedily() {
        let lines = wrap_text("the quick brown fox jumps over the lazy dog", 10.0, mono);
        assert_eq!(lines, ["the quick", "brown fox", "jumps over", "the lazy", "dog"]);
        assert!(lines.iter().all(|l| mono(l) <= 10.0));
    }

    #[test]
    fn keeps_paragraphs_and_collapses_spaces() {
        let lines = wrap_text("a  b\t c\n\n\n\nd\r\n", 10.0, mono);
        assert_eq!(lines, ["a b c", "", "d"]);
    }

    #[test]
    fn cuts_words_longer_than_a_line() {
        let lines = wrap_text("ab abcdefghijkl c", 5.0, mono);
        assert_eq!(lines, ["ab", "abcde", "fghij", "kl c"]);
    }

    #[test]
    fn first_line_can_be_shorter() {
        let lines = wrap_text_hanging("aaa bbb ccc ddd", 4.0, 8.0, mono);
        assert_eq!(lines, ["aaa", "bbb ccc", "ddd"]);
        let lines = wrap_text_hanging("\n\naaa bbb", 4.0, 8.0, mono);
        assert_eq!(lines, ["aaa", "bbb"]);
    }

    #[test]
    fn empty_text_has_no_lines() {
        assert!(wrap_text("", 10.0, mono).is_empty());
        assert!(wrap_text("  \n \n", 10.0, mono).is_empty());
    }

    #[test]
    fn cyrillic_is_measured_per_character_not_per_byte() {
        let lines = wrap_text("Рахмонов Фаррух", 8.0, mono);
        assert_eq!(lines, ["Рахмонов", "Фаррух"]);
    }
}
