//! One module per area. Each command is a thin adapter: lock the desk, call
//! one core service, hand back its result or error.

pub mod backups;
pub mod cases;
pub mod daily;
pub mod desk;
pub mod migrants;
pub mod partners;
pub mod registers;
pub mod report;
pub mod visits;

/// Declares commands and, from the same lines, their signatures for the
/// generated TypeScript, so a command's shape is written exactly once.
/// Arguments keep their Rust names (`include_inactive`), as the bindings say.
/// A command that tells the window of its progress names the app handle
/// after the desk (`|desk, app|`); it is no argument of the UI's.
macro_rules! commands {
    ($( $(#[$doc:meta])* fn $name:ident($($arg:ident : $ty:ty),*) -> $ret:ty => |$desk:ident $(, $app:ident)?| $body:expr; )*) => {
        $(
            $(#[$doc])*
            #[tauri::command(rename_all = "snake_case")]
            pub async fn $name($($app: tauri::AppHandle,)? state: tauri::State<'_, crate::state::AppState>, $($arg: $ty),*) -> crate::error::CommandResult<$ret> {
                state.with(stringify!($name), |$desk| $body)
            }
        )*

        pub fn signatures() -> Vec<crate::bindings::Signature> {
            vec![$(crate::bindings::Signature {
                name: stringify!($name),
                args: vec![$((stringify!($arg), <$ty as ts_rs::TS>::name())),*],
                result: <$ret as ts_rs::TS>::name(),
            }),*]
        }
    };
}

pub(crate) use commands;
