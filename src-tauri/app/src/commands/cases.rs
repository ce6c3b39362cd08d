//! Opening cases and moving them through their statuses.

use mrc_core::case::{Case, CaseInput, CaseTransition};
use mrc_core::desk::CaseDetail;
use uuid::Uuid;

use super::commands;

commands! {
    fn case_open(input: CaseInput) -> Case => |desk| desk.open_case(input);
    fn case_move(transition: CaseTransition) -> Case => |desk| desk.move_case(transition);
    fn case_detail(id: Uuid) -> CaseDetail => |desk| desk.case_detail(id);
    fn case_delete(id: Uuid) -> () => |desk| desk.delete_case(id);
}
