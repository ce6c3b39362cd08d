//! MRC Desk core: the domain of a Migrants Resource Centre and its storage.
//! No UI and no Tauri here: the desktop shell and the CLI both call `Desk`.

pub mod about;
pub mod account;
pub mod age;
pub mod anonymise;
pub mod anonymous;
pub mod assistance;
pub mod audit;
pub mod backup;
pub mod case;
pub mod centre;
pub mod codes;
pub mod consent;
pub mod demo;
pub mod desk;
pub mod duplicate;
pub mod encryption;
pub mod error;
pub mod family;
pub mod follow_up;
pub mod group_session;
pub mod keyring;
pub mod merge;
pub mod migrant;
pub mod names;
pub mod need_to_know;
pub mod partner;
pub mod partner_csv;
pub(crate) mod place;
pub mod permission;
pub mod population;
pub mod practice;
pub mod referral;
pub mod register_import;
pub mod report;
pub mod sample;
pub mod scale;
pub mod search;
pub mod session;
pub mod record;
pub mod store;
pub mod subject_access;
pub mod today;
pub mod validate;
pub mod visit;
mod vocab;

#[cfg(test)]
mod input_fuzz_tests;

pub use desk::Desk;
pub use error::{CoreError, FieldError, Result};
