//! Visits and the assistance given.

use mrc_core::assistance::{Assistance, AssistanceInput};
use mrc_core::visit::{Visit, VisitInput};
use uuid::Uuid;

use super::commands;

commands! {
    fn visit_log(input: VisitInput) -> Visit => |desk| desk.log_visit(input);
    fn visit_delete(id: Uuid) -> () => |desk| desk.delete_visit(id);
    fn assistance_record(input: AssistanceInput) -> Assistance => |desk| desk.record_assistance(input);
    fn assistance_delete(id: Uuid) -> () => |desk| desk.delete_assistance(id);
}
