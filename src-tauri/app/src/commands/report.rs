//! The monthly report, the dashboard's trend, the records behind a number,
//! and the report's files.

use chrono::NaiveDate;
use mrc_core::record::Page;
use mrc_core::report::{CellFilter, Report, ReportRecord, ReportRequest, TrendPoint};
use uuid::Uuid;

use super::commands;
use crate::report_file::{self, ReportExport};

commands! {
    fn report(request: ReportRequest) -> Report => |desk| desk.report(&request);
    /// Twelve months up to the month of `to`.
    fn report_trend(centre_id: Option<Uuid>, to: NaiveDate, for_sharing: bool) -> Vec<TrendPoint> =>
        |desk| desk.report_trend(centre_id, to, for_sharing);
    fn report_records(request: ReportRequest, filter: CellFilter, page: u32) -> Page<ReportRecord> =>
        |desk| desk.report_records(&request, &filter, page, 50);
    /// Writes the report as CSV, XLSX, PDF or JSON; answers the files written.
    fn report_export(export: ReportExport) -> Vec<String> => |desk| report_file::write(desk, export);
}
