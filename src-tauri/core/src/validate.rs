//! Collects every problem with an input before refusing it, so a form can
//! show all of them at once next to their fields.

use chrono::NaiveDate;

use crate::codes;
use crate::error::{CoreError, FieldError, Result};

#[derive(Default)]
pub struct Checks {
    errors: Vec<FieldError>,
}

impl Checks {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn fail(&mut self, field: impl Into<String>, code: &str, message: impl Into<String>) {
        self.errors.push(FieldError { field: field.into(), code: code.into(), message: message.into() });
    }

    /// A short single-line text: required, at most `max` characters, no control characters.
    pub fn text(&mut self, field: &str, value: &str, required: bool, max: usize) {
        if required && value.trim().is_empty() {
            self.fail(field, "required", "is required");
        } else if value.chars().count() > max {
            self.fail(field, "too_long", format!("must be at most {max} characters"));
        } else if value.chars().any(char::is_control) {
            self.fail(field, "control_characters", "must not contain control characters");
        }
    }

    /// Free notes may hold line breaks but nothing else invisible.
    pub fn notes(&mut self, field: &str, value: &str, max: usize) {
        if value.chars().count() > max {
            self.fail(field, "too_long", format!("must be at most {max} characters"));
        } else if value.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t') {
            self.fail(field, "control_characters", "must not contain control characters");
        }
    }

    pub fn country(&mut self, field: &str, code: &str, required: bool) {
        if code.is_empty() {
            if required {
                self.fail(field, "required", "is required");
            }
        } else if !codes::is_country(code) {
            self.fail(field, "unknown_country", format!("'{code}' is not an ISO 3166 country code"));
        }
    }

    pub fn not_future(&mut self, field: &str, date: NaiveDate, today: NaiveDate) {
        if date > today {
            self.fail(field, "future_date", "must not be in the future");
        }
    }

    pub fn finish(self) -> Result<()> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(CoreError::Validation(self.errors))
        }
    }
}

/// The list without repeats, in the order first given.
pub fn unique<T: PartialEq + Clone>(items: &[T]) -> Vec<T> {
    let mut out: Vec<T> = Vec::with_capacity(items.len());
    for item in items {
        if !out.contains(item) {
            out.push(item.clone());
        }
    }
    out
}

/// Trims surrounding white space, the only change made to what a person typed.
pub fn tidy(value: &str) -> String {
    value.trim().to_string()
}

#[cfg(test)]
mod tests {
    #[test]
    fn unique_keeps_the_first_of_each_in_order() {
        assert_eq!(super::unique(&["b", "a", "b", "c", "a"]), vec!["b", "a", "c"]);
    }
}
