// Generated from the Rust types by src-tauri/app/src/bindings.rs. Do not edit.

export type AuditEntry = { id: string, at: string, staff_id: string, staff_name: string, 
/**
 * `sign_in`, `sign_in_failed`, `lock`, `view`, `create`, `update`, `delete`, `restore`, `export`, `report`, `refused`...
 */
action: string, 
/**
 * The kind of record (`migrant`, `case_file`...), or empty.
 */
record_kind: string, record_id: string | null, 
/**
 * JSON: the fields changed (before and after), what was exported, what was refused.
 */
detail: string, };

export type AuditQuery = { staff_id?: string, record_id?: string, from?: string, to?: string, page?: number, };

export type AuditCheck = { entries: number, intact: boolean, 
/**
 * The entry where the chain breaks, when it does.
 */
broken_at: string | null, 
/**
 * What is wrong there, in plain English.
 */
problem: string | null, };

export type Action = "see_centre" | "manage_staff" | "set_up_centre" | "backups" | "see_partners" | "manage_partners" | "see_people" | "work_cases" | "merge_duplicates" | "see_report" | "see_report_records" | "see_audit" | "practise" | "export_person" | "erase_person";

export type About = { 
/**
 * The installed application's version (given by the shell or the CLI).
 */
version: string, schema_version: number, sqlite_version: string, 
/**
 * The folder holding the database, its backups and the logs; none for an in-memory desk.
 */
data_folder: string | null, database_file: string | null, 
/**
 * The database file and its write-ahead log together.
 */
database_bytes: number | null, backups_folder: string | null, };

export type FieldError = { 
/**
 * The input field, as named in the input struct (`family_name`, `documents.0.number`).
 */
field: string, 
/**
 * A stable code the UI looks up in its catalogue (`required`, `future_date`...).
 */
code: string, 
/**
 * The same problem in plain English, for the CLI and logs.
 */
message: string, };

export type CommandError = { 
/**
 * Stable code: `validation`, `not_found`, `invalid_transition`, `internal`...
 */
code: string, 
/**
 * Plain English, for logs; the UI shows its own translation of `code`.
 */
message: string, 
/**
 * The first field at fault, when there is one.
 */
field: string | null, 
/**
 * Every field at fault, for forms.
 */
fields: Array<FieldError>, };

export type RecordMeta = { created_at: string, updated_at: string, created_by: string, updated_by: string, deleted_at: string | null, };

export type Actor = { centre_id: string, staff_id: string, };

export type Page<T> = { items: Array<T>, total: number, page: number, page_size: number, 
/**
 * More matched than `total`: a search this broad lists only the first
 * `total`, and says so, rather than count and sort them all.
 */
capped: boolean, };

export type StaffRole = "caseworker" | "supervisor" | "administrator" | "viewer";

export type Centre = { id: string, name: string, country: string, city: string, created_at: string, 
/**
 * Days after which a sent referral with no answer is shown on Today.
 */
referral_reminder_days: number, 
/**
 * A practice centre: invented people to learn on, removable in one step.
 */
practice: boolean, 
/**
 * Years after a person's last closed case that their identity is kept.
 */
retention_years: number, };

export type Staff = { id: string, centre_id: string, full_name: string, role: StaffRole, active: boolean, 
/**
 * Has a password, so can sign in.
 */
has_password: boolean, };

export type StaffInput = { full_name: string, role: StaffRole | null, 
/**
 * The first password, which the administrator hands over.
 */
password: string, };

export type SetupInput = { centre_name: string, country: string, city: string, staff: StaffInput, language: string, };

export type DeskState = { centre: Centre | null, staff: Array<Staff>, current_staff_id: string | null, language: string, schema_version: number, 
/**
 * The installation has a practice centre (whether or not the desk is in it now).
 */
has_practice: boolean, 
/**
 * The real centre's name, shown on the way back from practice.
 */
home_centre_name: string | null, 
/**
 * The account signed in (none: the sign-in screen shows).
 */
signed_in: string | null, 
/**
 * What the person at the desk may do, by their role (or the practice role they act in).
 */
role: StaffRole | null, 
/**
 * The desk is locked until the signed-in person's password is given again.
 */
locked: boolean, 
/**
 * Idle minutes before the desk locks.
 */
lock_minutes: number, 
/**
 * What the person at the desk may do (`see_people`, `manage_staff`...): the role table's answer.
 */
permissions: Array<Action>, 
/**
 * Accounts without a password may choose their own at sign-in: a
 * database from before accounts, where no administrator has one yet.
 */
first_passwords: boolean, 
/**
 * The database is encrypted but has no recovery key yet, and the person
 * at the desk is the one to make it (an administrator).
 */
recovery_key_missing: boolean, };

export type Sex = "female" | "male" | "other" | "unknown";

export type MigrationStatus = "potential" | "regular" | "irregular" | "returnee" | "family_left_behind" | "unknown";

export type Vulnerability = "trafficking" | "forced_labour" | "unpaid_wages" | "unaccompanied_minor" | "disability" | "serious_illness" | "detained" | "entry_ban";

export type DocumentKind = "passport" | "national_id" | "work_permit" | "patent" | "residence_registration" | "residence_permit" | "migration_card" | "birth_certificate" | "other";

export type Messenger = "none" | "whatsapp" | "telegram" | "viber" | "imo" | "signal";

export type ConsentScope = "data_processing" | "share_with_partners" | "contact_by_phone";

export type Consent = { id: string, migrant_id: string, scope: ConsentScope, given_on: string, taken_by: string, withdrawn_on: string | null, withdrawn_by: string | null, withdrawal_note: string, };

export type ConsentWithdrawal = { migrant_id: string, scope: ConsentScope | null, 
/**
 * How the migrant said it, or why (optional).
 */
note: string, };

export type RetentionList = { years: number, 
/**
 * Cases closed before this day are old enough.
 */
closed_before: string, due: Array<RetentionDue>, total: number, };

export type RetentionDue = { person: MigrantSummary, last_closed_on: string, };

export type Phone = { number: string, messenger: Messenger, };

export type IdentityDocument = { kind: DocumentKind, number: string, issuing_country: string, expires_on: string | null, };

export type MigrantInput = { family_name: string, given_name: string, patronymic: string, family_name_latin: string, given_name_latin: string, sex: Sex | null, 
/**
 * Exact date of birth, when known.
 */
birth_date: string | null, 
/**
 * Age in years when the date is not known; stored as an estimated date.
 */
estimated_age: number | null, citizenship: string, birth_country: string, origin_region: string, origin_town: string, current_country: string, current_city: string, phones: Array<Phone>, languages: Array<string>, documents: Array<IdentityDocument>, migration_status: MigrationStatus | null, occupation: string, vulnerabilities: Array<Vulnerability>, consent_given: boolean, consent_scope: Array<ConsentScope>, notes: string, };

export type Migrant = { id: string, centre_id: string, family_name: string, given_name: string, patronymic: string, family_name_latin: string, given_name_latin: string, sex: Sex, birth_date: string | null, birth_date_estimated: boolean, citizenship: string, birth_country: string, origin_region: string, origin_town: string, current_country: string, current_city: string, phones: Array<Phone>, languages: Array<string>, documents: Array<IdentityDocument>, migration_status: MigrationStatus, occupation: string, vulnerabilities: Array<Vulnerability>, consent_given: boolean, consent_scope: Array<ConsentScope>, consent_date: string | null, notes: string, 
/**
 * When the person's identity was removed for good (see `anonymise.rs`).
 */
anonymised_at: string | null, meta: RecordMeta, };

export type MigrantSummary = { id: string, family_name: string, given_name: string, patronymic: string, family_name_latin: string, given_name_latin: string, sex: Sex, birth_date: string | null, birth_date_estimated: boolean, citizenship: string, phone: string | null, open_cases: number, last_visit: string | null, 
/**
 * In a search, the spelling or number that matched (a Latin name, a phone).
 */
matched: string | null, };

export type ReasonKind = "document" | "phone" | "name" | "birth_date" | "age" | "origin";

export type DuplicateReason = { kind: ReasonKind, 
/**
 * What matched, as the registered record has it: a document or phone
 * number, how alike the names are in percent, the date of birth (ISO),
 * the age in years, or the town of origin.
 */
detail: string, };

export type PossibleDuplicate = { migrant: MigrantSummary, 
/**
 * How alike, 0 to 100.
 */
score: number, reasons: Array<DuplicateReason>, };

export type DuplicatePair = { first: MigrantSummary, second: MigrantSummary, 
/**
 * How alike, 0 to 100.
 */
score: number, 
/**
 * Why, as the second person's record has it.
 */
reasons: Array<DuplicateReason>, };

export type DuplicateScan = { pairs: Array<DuplicatePair>, 
/**
 * Pairs found, of which `pairs` holds the first [`PAIRS`].
 */
total: number, 
/**
 * People looked at.
 */
people: number, };

export type ScanStage = "reading" | "comparing";

export type ScanProgress = { stage: ScanStage, 
/**
 * Of this stage.
 */
percent: number, };

export type MergeInput = { 
/**
 * The record that stays.
 */
kept_id: string, 
/**
 * The record whose work moves to the kept one; it is deleted.
 */
merged_id: string, };

export type MigrantSort = "name" | "recent";

export type MigrantFilter = { sex: Sex | null, 
/**
 * Age today, in whole years, from and to (both included).
 */
age_from: number | null, age_to: number | null, 
/**
 * ISO code; empty for any.
 */
citizenship: string, status: MigrationStatus | null, vulnerability: Vulnerability | null, 
/**
 * People this staff member registered, or whose case they hold.
 */
caseworker: string | null, 
/**
 * Registered on or after, on or before (the centre's days).
 */
registered_from: string | null, registered_to: string | null, };

export type MigrantQuery = { 
/**
 * Words that must all appear in a name (any script), a phone number or a document number.
 */
text: string, sort: MigrantSort, page: number, page_size: number, 
/**
 * Narrows the list or the search; none lets everyone through.
 */
filter?: MigrantFilter, };

export type Relation = "spouse" | "child" | "parent" | "sibling" | "other";

export type FamilyLinkInput = { migrant_id: string, relative_id: string, relation: Relation | null, };

export type FamilyMember = { link_id: string, relative_id: string, relation: Relation, family_name: string, given_name: string, };

export type MigrantProfile = { migrant: Migrant, family: Array<FamilyMember>, cases: Array<Case>, visits: Array<Visit>, assistance: Array<Assistance>, referrals: Array<Referral>, follow_ups: Array<FollowUp>, 
/**
 * Each scope agreed to, who took it and when, and any withdrawal.
 */
consents: Array<Consent>, 
/**
 * Whether the consent on record lets a referral share data with partners
 * (otherwise a referral needs a written reason).
 */
consents_to_sharing: boolean, 
/**
 * Cases whose notes are not shown to the person asking: another
 * caseworker's (see `need_to_know.rs`).
 */
withheld_cases: Array<string>, 
/**
 * The person's sensitive vulnerabilities and notes are not shown either.
 */
withheld_person: boolean, };

export type Channel = "walk_in" | "phone" | "hotline" | "messenger" | "outreach" | "online";

export type VisitPurpose = "information" | "consultation" | "documents" | "case_follow_up" | "referral" | "emergency" | "pre_departure" | "other";

export type VisitInput = { migrant_id: string, case_id: string | null, 
/**
 * When the visit happened; now when left out.
 */
occurred_at: string | null, channel: Channel | null, purpose: VisitPurpose | null, duration_minutes: number | null, notes: string, };

export type Visit = { id: string, centre_id: string, migrant_id: string, case_id: string | null, occurred_at: string, channel: Channel, purpose: VisitPurpose, duration_minutes: number | null, caseworker_id: string, notes: string, meta: RecordMeta, };

export type AssistanceCategory = "information" | "legal_consultation" | "legal_representation" | "documents" | "medical" | "psychosocial" | "humanitarian_in_kind" | "humanitarian_cash" | "shelter" | "transport" | "return" | "employment" | "pre_departure";

export type Provider = "centre";

export type Outcome = "provided" | "partial" | "pending" | "unsuccessful";

export type AssistanceInput = { migrant_id: string, visit_id: string | null, case_id: string | null, category: AssistanceCategory | null, 
/**
 * The day the help was given; today when left out.
 */
given_on: string | null, quantity: number | null, 
/**
 * Value as typed ("1 500,50" or "1500.50"), in `currency`.
 */
amount: string, currency: string, outcome: Outcome | null, notes: string, };

export type Assistance = { id: string, centre_id: string, migrant_id: string, visit_id: string | null, case_id: string | null, category: AssistanceCategory, provider: Provider, given_on: string, quantity: number | null, 
/**
 * Value in hundredths of the currency unit (kopecks, dirams, cents).
 */
amount_minor: number | null, currency: string | null, outcome: Outcome, notes: string, meta: RecordMeta, };

export type CaseType = "labour_dispute" | "documents" | "entry_ban" | "detention" | "health" | "trafficking" | "return_reintegration" | "family" | "other";

export type CaseStatus = "open" | "in_progress" | "closed";

export type Priority = "low" | "normal" | "high" | "urgent";

export type ClosureReason = "resolved" | "partially_resolved" | "referred" | "lost_contact" | "withdrawn" | "not_eligible" | "duplicate" | "other";

export type CaseInput = { migrant_id: string, case_type: CaseType | null, priority: Priority | null, 
/**
 * The caseworker in charge; the author when left out.
 */
assigned_to: string | null, 
/**
 * The day the case was opened; today when left out.
 */
opened_on: string | null, summary: string, notes: string, };

export type CaseTransition = { case_id: string, to: CaseStatus, 
/**
 * Required when closing.
 */
closure_reason: ClosureReason | null, note: string, };

export type Case = { id: string, centre_id: string, migrant_id: string, 
/**
 * A short reference to quote on the phone, unique without any counter.
 */
reference: string, case_type: CaseType, status: CaseStatus, priority: Priority, assigned_to: string | null, opened_on: string, closed_on: string | null, closure_reason: ClosureReason | null, summary: string, notes: string, meta: RecordMeta, };

export type CaseEvent = { id: string, case_id: string, from_status: CaseStatus | null, to_status: CaseStatus, note: string, at: string, by_staff: string, };

export type CaseDetail = { case: Case, events: Array<CaseEvent>, };

export type PartnerKind = "ngo" | "state_body" | "clinic" | "law_firm" | "shelter" | "employer" | "international_organisation" | "other";

export type PartnerInput = { name: string, 
/**
 * The name in the country's own language, when it differs.
 */
name_local: string, kind: PartnerKind | null, services: Array<AssistanceCategory>, country: string, city: string, address: string, phones: string, email: string, contact_person: string, languages: Array<string>, opening_hours: string, notes: string, };

export type Partner = { id: string, centre_id: string, name: string, name_local: string, kind: PartnerKind, services: Array<AssistanceCategory>, country: string, city: string, address: string, phones: string, email: string, contact_person: string, languages: Array<string>, opening_hours: string, notes: string, active: boolean, meta: RecordMeta, };

export type PartnerQuery = { 
/**
 * Words that must all appear in the name, city or contact person.
 */
text: string, service: AssistanceCategory | null, city: string, include_inactive: boolean, };

export type ReferralStatus = "draft" | "sent" | "accepted" | "completed" | "declined" | "no_show" | "cancelled";

export type SharedData = "identity" | "contacts" | "documents" | "case_summary" | "health";

export type ConsentBasis = "consent" | "override";

export type ReferralInput = { case_id: string, partner_id: string | null, service: AssistanceCategory | null, reason: string, urgency: Priority | null, shared_data: Array<SharedData>, 
/**
 * Why the referral goes ahead without the migrant's consent to share data.
 */
override_reason: string, 
/**
 * Sent at once, rather than kept as a draft.
 */
send_now: boolean, };

export type ReferralTransition = { referral_id: string, to: ReferralStatus, note: string, 
/**
 * What the partner reported back (kept when left empty).
 */
feedback: string, };

export type Referral = { id: string, centre_id: string, case_id: string, migrant_id: string, partner_id: string, 
/**
 * The partner's name, for lists.
 */
partner_name: string, reference: string, service: AssistanceCategory, reason: string, urgency: Priority, shared_data: Array<SharedData>, consent_basis: ConsentBasis, override_reason: string, status: ReferralStatus, feedback: string, status_changed_at: string, meta: RecordMeta, };

export type ReferralEvent = { id: string, referral_id: string, from_status: ReferralStatus | null, to_status: ReferralStatus, note: string, at: string, by_staff: string, };

export type ReferralDetail = { referral: Referral, events: Array<ReferralEvent>, };

export type FollowUpInput = { migrant_id: string, case_id: string | null, referral_id: string | null, due_on: string | null, note: string, 
/**
 * Who must do it; the author when left out.
 */
assigned_to: string | null, };

export type FollowUp = { id: string, centre_id: string, migrant_id: string, case_id: string | null, referral_id: string | null, due_on: string, note: string, assigned_to: string, done_at: string | null, done_by: string | null, meta: RecordMeta, };

export type DueFollowUp = { follow_up: FollowUp, migrant_name: string, overdue: boolean, };

export type WaitingReferral = { referral: Referral, migrant_name: string, days_waiting: number, };

export type QuietCase = { case: Case, migrant_name: string, last_visit: string | null, };

export type Today = { date: string, follow_ups: Array<DueFollowUp>, waiting_referrals: Array<WaitingReferral>, quiet_cases: Array<QuietCase>, 
/**
 * Days after which a sent referral with no answer shows here (set per centre).
 */
reminder_days: number, };

export type AgeBand = "0-17" | "18-24" | "25-34" | "35-49" | "50-59" | "60+" | "unknown";

export type SessionKind = "pre_departure" | "information_session" | "awareness_workshop" | "outreach_event" | "training";

export type AnonymousCount = { sex: Sex, age_band: AgeBand, count: number, };

export type GroupSessionInput = { kind: SessionKind | null, held_on: string | null, topic: string, place: string, facilitator_id: string | null, anonymous_counts: Array<AnonymousCount>, participant_ids: Array<string>, notes: string, };

export type Participant = { migrant_id: string, name: string, };

export type GroupSession = { id: string, centre_id: string, kind: SessionKind, held_on: string, topic: string, place: string, facilitator_id: string, anonymous_counts: Array<AnonymousCount>, notes: string, participants: Array<Participant>, 
/**
 * Registered participants plus everyone counted anonymously.
 */
total_participants: number, meta: RecordMeta, };

export type AnonymousContactInput = { 
/**
 * When it happened; now when left out.
 */
occurred_at: string | null, channel: Channel | null, topic: string, sex: Sex | null, age_band: AgeBand | null, 
/**
 * Only if the person said it.
 */
citizenship: string, assistance: Array<AssistanceCategory>, 
/**
 * Where the person was told to go, as information only: no data is shared.
 */
referred_to: string, notes: string, };

export type AnonymousContact = { id: string, centre_id: string, occurred_at: string, channel: Channel, topic: string, sex: Sex, age_band: AgeBand, citizenship: string, assistance: Array<AssistanceCategory>, referred_to: string, notes: string, meta: RecordMeta, };

export type ImportMode = "all_or_nothing" | "skip_invalid";

export type ImportReport = { added: number, updated: number, rejected: Array<RejectedRow>, };

export type RejectedRow = { 
/**
 * 1-based line of the file where the row starts; the header is line 1.
 */
line: number, 
/**
 * Every problem with the row, with the field names and codes of `PartnerInput`.
 */
problems: Array<FieldError>, };

export type SlipRequest = { referral_id: string, language: string, path: string, date: string, service: string, urgency: string, shared_data: Array<string>, bring: Array<string>, centre_country: string, partner_country: string, };

export type BackupKind = "daily" | "weekly" | "monthly" | "manual" | "pre-upgrade" | "pre-restore";

export type TableCount = { table: string, rows: number, };

export type BackupInfo = { path: string, kind: BackupKind, created_at: string, schema_version: number, size_bytes: number, counts: Array<TableCount>, };

export type ReportRequest = { 
/**
 * `None`: every centre in this database together.
 */
centre_id: string | null, 
/**
 * First and last day of the period, both included.
 */
from: string, to: string, 
/**
 * For sharing outside the centre: no personal data, counts of 1-4 hidden.
 */
for_sharing: boolean, };

export type Period = { from: string, to: string, };

export type SectionId = "persons" | "contacts" | "anonymous_contacts" | "assistance_records" | "assistance_persons" | "referrals_by_partner" | "referrals_by_service" | "referrals_by_status" | "cases_opened" | "cases_closed" | "cases_open_at_end" | "session_participants" | "vulnerable_persons";

export type Unit = "persons" | "records";

export type HeadlineId = "persons_assisted" | "new_persons" | "visits" | "anonymous_contacts" | "assistance_records" | "referrals_made" | "referrals_completed" | "cases_opened" | "cases_closed" | "cases_open_at_end" | "sessions_held" | "session_participants" | "vulnerable_persons";

export type Breakdown = { total: number | null, 
/**
 * In `Sex::ALL` order.
 */
by_sex: Array<number | null>, 
/**
 * In `AgeBand::ALL` order.
 */
by_age: Array<number | null>, 
/**
 * `[sex][age band]`, both in vocabulary order.
 */
by_sex_age: Array<Array<number | null>>, 
/**
 * In `Report::citizenships` order.
 */
by_citizenship: Array<number | null>, 
/**
 * In `MigrationStatus::ALL` order.
 */
by_status: Array<number | null>, };

export type Row = { 
/**
 * `total`, a vocabulary value (category, channel, status...) or, for
 * partners, the partner's id.
 */
key: string, 
/**
 * The name to print when the key is not a vocabulary value (partners).
 */
label: string | null, current: Breakdown, previous: number | null, year_to_date: number | null, };

export type Section = { id: SectionId, unit: Unit, 
/**
 * The first row is `total`. In a section of records it is the sum of
 * the others; in a section of persons each person is counted once in
 * it, however many rows they appear in. Persons and vulnerable persons
 * have no `total` row: their first row (`assisted`, `any`) is it.
 */
rows: Array<Row>, };

export type Headline = { id: HeadlineId, current: number | null, previous: number | null, year_to_date: number | null, };

export type Rates = { current: number | null, previous: number | null, year_to_date: number | null, };

export type Report = { request: ReportRequest, 
/**
 * Names of the centres counted.
 */
centres: Array<string>, period: Period, 
/**
 * The period of the same length just before.
 */
previous: Period, 
/**
 * From the first of January of the period's last year to its last day.
 */
year_to_date: Period, generated_at: string, 
/**
 * The staff member who asked for it.
 */
generated_by: string, 
/**
 * ISO codes in the column order of every `by_citizenship`, most
 * frequent first; "" stands for not recorded.
 */
citizenships: Array<string>, headline: Array<Headline>, referral_completed_rate: Rates, sections: Array<Section>, };

export type TrendPoint = { 
/**
 * `YYYY-MM`.
 */
month: string, persons_assisted: number | null, visits: number | null, assistance_records: number | null, referrals_made: number | null, };

export type CellFilter = { section: SectionId | null, 
/**
 * A row key; `None` or `total` for every row.
 */
key: string | null, sex: Sex | null, age_band: AgeBand | null, citizenship: string | null, migration_status: MigrationStatus | null, };

export type ReportRecord = { record_id: string, 
/**
 * visit | assistance | referral | case | session
 */
kind: string, day: string, key: string, migrant_id: string, migrant_name: string, };

export type ReportFormat = "csv" | "xlsx" | "pdf" | "json";

export type ReportExport = { request: ReportRequest, format: ReportFormat, path: string, language: string, 
/**
 * Country names by ISO code, as the UI shows them.
 */
countries: { [key in string]?: string }, };

export type Target = "family_name" | "given_name" | "patronymic" | "full_name" | "family_name_latin" | "given_name_latin" | "sex" | "birth_date" | "estimated_age" | "citizenship" | "phone" | "document_number" | "migration_status" | "occupation" | "origin_region" | "current_city" | "notes" | "visit_date" | "visit_channel" | "assistance_date" | "assistance_category";

export type ColumnMapping = { 
/**
 * The column's position, the first (A) being 1. When the file's columns
 * have moved since, the header finds it.
 */
column: number, 
/**
 * The header as the file has it.
 */
header: string, 
/**
 * The field the column fills; none to leave the column out.
 */
target: Target | null, };

export type Defaults = { sex: Sex | null, 
/**
 * An ISO 3166 code, or a country's name as a cell may hold it.
 */
citizenship: string | null, migration_status: MigrationStatus | null, 
/**
 * The kind of document in the document number column.
 */
document_kind: DocumentKind, visit_channel: Channel | null, visit_purpose: VisitPurpose | null, assistance_outcome: Outcome | null, };

export type Mapping = { 
/**
 * Every column of the file's header, in order.
 */
columns: Array<ColumnMapping>, defaults: Defaults, };

export type MappingProblem = { 
/**
 * `missing_column`, `duplicate_target`, `unknown_country`, `not_mapped` or `full_name_and_parts`.
 */
code: string, 
/**
 * The field without a column or a default (`sex`, `visit_purpose`...), or mapped twice.
 */
field: string | null, 
/**
 * The column concerned, as the mapping names it.
 */
header: string | null, message: string, };

export type ColumnSample = { 
/**
 * The column's position, the first (A) being 1.
 */
column: number, 
/**
 * The header as the file has it (empty for a column without one).
 */
header: string, 
/**
 * The first values under the header, as text and shortened.
 */
samples: Array<string>, };

export type RegisterFile = { 
/**
 * The worksheet read, for a workbook.
 */
sheet_name: string | null, 
/**
 * Every worksheet of a workbook, in order; none for CSV.
 */
sheet_names: Array<string>, header_row: number, 
/**
 * Data rows with a value in them.
 */
rows: number, columns: Array<ColumnSample>, mapping: Mapping, };

export type DateOrder = "dmy" | "mdy";

export type ImportOptions = { date_order: DateOrder, };

export type RowStatus = "new" | "already_registered" | "repeated_in_file" | "invalid";

export type MatchKind = "document" | "name_and_birth_date" | "phone";

export type RowOutcome = { 
/**
 * The row as the spreadsheet shows it; the header is usually row 1.
 */
row: number, 
/**
 * Family and given name, to recognise the row by.
 */
name: string, status: RowStatus, 
/**
 * The registered person the row is (also given for an invalid row, to help correct it).
 */
existing_id: string | null, 
/**
 * The earlier row of the file with the same person.
 */
same_as_row: number | null, matched_by: MatchKind | null, 
/**
 * Whether the row's visit is recorded (it is not when the person already has it).
 */
adds_visit: boolean, adds_assistance: boolean, 
/**
 * What is wrong with the row, under the mapping's field names (`birth_date`, `phone`...).
 */
problems: Array<FieldError>, };

export type RegisterPreview = { sheet_name: string | null, header_row: number, 
/**
 * Data rows with a value in them.
 */
rows: number, new: number, already_registered: number, repeated_in_file: number, invalid: number, visits: number, assistance: number, 
/**
 * Headers of the columns that nothing is read from.
 */
ignored_columns: Array<string>, 
/**
 * Every row, in the file's order.
 */
outcomes: Array<RowOutcome>, };

export type RegisterReport = { added: number, already_registered: number, repeated_in_file: number, visits_added: number, assistance_added: number, rejected: Array<RowOutcome>, };

export type ImportStage = "checking" | "writing";

export type ImportProgress = { stage: ImportStage, done: number, total: number, };

export type CopyStage = "copying" | "checking";

export type CopyProgress = { stage: CopyStage, 
/**
 * Of the copying stage; checking reports no share.
 */
percent: number, };

export const STAFF_ROLES: readonly StaffRole[] = ["caseworker", "supervisor", "administrator", "viewer"];
export const SEXES: readonly Sex[] = ["female", "male", "other", "unknown"];
export const MIGRATION_STATUSES: readonly MigrationStatus[] = ["potential", "regular", "irregular", "returnee", "family_left_behind", "unknown"];
export const VULNERABILITIES: readonly Vulnerability[] = ["trafficking", "forced_labour", "unpaid_wages", "unaccompanied_minor", "disability", "serious_illness", "detained", "entry_ban"];
export const DOCUMENT_KINDS: readonly DocumentKind[] = ["passport", "national_id", "work_permit", "patent", "residence_registration", "residence_permit", "migration_card", "birth_certificate", "other"];
export const MESSENGERS: readonly Messenger[] = ["none", "whatsapp", "telegram", "viber", "imo", "signal"];
export const CONSENT_SCOPES: readonly ConsentScope[] = ["data_processing", "share_with_partners", "contact_by_phone"];
export const RELATIONS: readonly Relation[] = ["spouse", "child", "parent", "sibling", "other"];
export const CHANNELS: readonly Channel[] = ["walk_in", "phone", "hotline", "messenger", "outreach", "online"];
export const VISIT_PURPOSES: readonly VisitPurpose[] = ["information", "consultation", "documents", "case_follow_up", "referral", "emergency", "pre_departure", "other"];
export const ASSISTANCE_CATEGORIES: readonly AssistanceCategory[] = ["information", "legal_consultation", "legal_representation", "documents", "medical", "psychosocial", "humanitarian_in_kind", "humanitarian_cash", "shelter", "transport", "return", "employment", "pre_departure"];
export const OUTCOMES: readonly Outcome[] = ["provided", "partial", "pending", "unsuccessful"];
export const CASE_TYPES: readonly CaseType[] = ["labour_dispute", "documents", "entry_ban", "detention", "health", "trafficking", "return_reintegration", "family", "other"];
export const CASE_STATUSES: readonly CaseStatus[] = ["open", "in_progress", "closed"];
export const PRIORITIES: readonly Priority[] = ["low", "normal", "high", "urgent"];
export const CLOSURE_REASONS: readonly ClosureReason[] = ["resolved", "partially_resolved", "referred", "lost_contact", "withdrawn", "not_eligible", "duplicate", "other"];
export const PARTNER_KINDS: readonly PartnerKind[] = ["ngo", "state_body", "clinic", "law_firm", "shelter", "employer", "international_organisation", "other"];
export const REFERRAL_STATUSES: readonly ReferralStatus[] = ["draft", "sent", "accepted", "completed", "declined", "no_show", "cancelled"];
export const SHARED_DATA: readonly SharedData[] = ["identity", "contacts", "documents", "case_summary", "health"];
export const AGE_BANDS: readonly AgeBand[] = ["0-17", "18-24", "25-34", "35-49", "50-59", "60+", "unknown"];
export const SESSION_KINDS: readonly SessionKind[] = ["pre_departure", "information_session", "awareness_workshop", "outreach_event", "training"];
export const BACKUP_KINDS: readonly BackupKind[] = ["daily", "weekly", "monthly", "manual", "pre-upgrade", "pre-restore"];
export const SECTION_IDS: readonly SectionId[] = ["persons", "contacts", "anonymous_contacts", "assistance_records", "assistance_persons", "referrals_by_partner", "referrals_by_service", "referrals_by_status", "cases_opened", "cases_closed", "cases_open_at_end", "session_participants", "vulnerable_persons"];
export const HEADLINE_IDS: readonly HeadlineId[] = ["persons_assisted", "new_persons", "visits", "anonymous_contacts", "assistance_records", "referrals_made", "referrals_completed", "cases_opened", "cases_closed", "cases_open_at_end", "sessions_held", "session_participants", "vulnerable_persons"];
export const REPORT_FORMATS: readonly ReportFormat[] = ["csv", "xlsx", "pdf", "json"];
export const REGISTER_TARGETS: readonly Target[] = ["family_name", "given_name", "patronymic", "full_name", "family_name_latin", "given_name_latin", "sex", "birth_date", "estimated_age", "citizenship", "phone", "document_number", "migration_status", "occupation", "origin_region", "current_city", "notes", "visit_date", "visit_channel", "assistance_date", "assistance_category"];
export const ROW_STATUSES: readonly RowStatus[] = ["new", "already_registered", "repeated_in_file", "invalid"];
export const MATCH_KINDS: readonly MatchKind[] = ["document", "name_and_birth_date", "phone"];
export const IMPORT_STAGES: readonly ImportStage[] = ["checking", "writing"];
export const COPY_STAGES: readonly CopyStage[] = ["copying", "checking"];
export const COUNTRIES: readonly string[] = ["AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ", "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS", "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN", "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE", "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF", "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM", "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM", "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC", "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK", "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA", "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG", "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW", "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS", "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO", "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI", "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW"];
export const LANGUAGES: readonly string[] = ["aa", "ab", "ae", "af", "ak", "am", "an", "ar", "as", "av", "ay", "az", "ba", "be", "bg", "bi", "bm", "bn", "bo", "br", "bs", "ca", "ce", "ch", "co", "cr", "cs", "cu", "cv", "cy", "da", "de", "dv", "dz", "ee", "el", "en", "eo", "es", "et", "eu", "fa", "ff", "fi", "fj", "fo", "fr", "fy", "ga", "gd", "gl", "gn", "gu", "gv", "ha", "he", "hi", "ho", "hr", "ht", "hu", "hy", "hz", "ia", "id", "ie", "ig", "ii", "ik", "io", "is", "it", "iu", "ja", "jv", "ka", "kg", "ki", "kj", "kk", "kl", "km", "kn", "ko", "kr", "ks", "ku", "kv", "kw", "ky", "la", "lb", "lg", "li", "ln", "lo", "lt", "lu", "lv", "mg", "mh", "mi", "mk", "ml", "mn", "mr", "ms", "mt", "my", "na", "nb", "nd", "ne", "ng", "nl", "nn", "no", "nr", "nv", "ny", "oc", "oj", "om", "or", "os", "pa", "pi", "pl", "ps", "pt", "qu", "rm", "rn", "ro", "ru", "rw", "sa", "sc", "sd", "se", "sg", "si", "sk", "sl", "sm", "sn", "so", "sq", "sr", "ss", "st", "su", "sv", "sw", "ta", "te", "tg", "th", "ti", "tk", "tl", "tn", "to", "tr", "ts", "tt", "tw", "ty", "ug", "uk", "ur", "uz", "ve", "vi", "vo", "wa", "wo", "xh", "yi", "yo", "za", "zh", "zu"];
export const CURRENCIES: readonly string[] = ["AMD", "AZN", "BYN", "CNY", "CRC", "EUR", "GBP", "GEL", "KGS", "KZT", "MDL", "NIO", "PAB", "RUB", "TJS", "TMT", "TRY", "UAH", "USD", "UZS"];
export const UI_LANGUAGES: readonly string[] = ["en", "ru", "tg", "ky", "kk", "uz", "hy", "es"];
export const DOCUMENT_LANGUAGES: readonly string[] = ["en", "ru"];
export const MIN_OVERRIDE_REASON = 10;
export const CASE_MOVES: Record<CaseStatus, readonly CaseStatus[]> = { open: ["in_progress", "closed"], in_progress: ["closed"], closed: ["open"] };
export const REFERRAL_MOVES: Record<ReferralStatus, readonly ReferralStatus[]> = { draft: ["sent", "cancelled"], sent: ["accepted", "declined", "cancelled"], accepted: ["completed", "no_show", "cancelled"], completed: [], declined: [], no_show: [], cancelled: [] };
export const REGISTER_PROBLEM_COLUMNS: Record<Target, readonly Target[]> = { family_name: ["family_name", "full_name"], given_name: ["given_name", "full_name"], patronymic: ["patronymic", "full_name"], full_name: ["full_name"], family_name_latin: ["family_name_latin"], given_name_latin: ["given_name_latin"], sex: ["sex"], birth_date: ["birth_date"], estimated_age: ["estimated_age"], citizenship: ["citizenship"], phone: ["phone"], document_number: ["document_number"], migration_status: ["migration_status"], occupation: ["occupation"], origin_region: ["origin_region"], current_city: ["current_city"], notes: ["notes"], visit_date: ["visit_date"], visit_channel: ["visit_channel"], assistance_date: ["assistance_date", "visit_date"], assistance_category: ["assistance_category"] };
export const DATE_ORDER_EXAMPLES: Record<DateOrder, string> = { "dmy": "31.10.1990", "mdy": "10/31/1990" };
export const IMPORT_PROGRESS_EVENT = "register-import-progress";
export const BACKUP_PROGRESS_EVENT = "backup-progress";
export const SCAN_PROGRESS_EVENT = "duplicate-scan-progress";

/** Every command: its arguments and what it returns. */
export interface Commands {
  recovery_key_make: { args: {  }; result: string };
  staff_add: { args: { input: StaffInput }; result: Staff };
  staff_switch: { args: { id: string }; result: DeskState };
  staff_set_active: { args: { id: string; active: boolean }; result: DeskState };
  password_set: { args: { id: string; current: string | null; password: string }; result: null };
  lock_minutes_set: { args: { minutes: number }; result: DeskState };
  session_sign_out: { args: {  }; result: DeskState };
  session_lock: { args: {  }; result: DeskState };
  session_unlock: { args: { password: string }; result: DeskState };
  session_touch: { args: {  }; result: boolean };
  audit_log: { args: { query: AuditQuery }; result: Page<AuditEntry> };
  audit_verify: { args: {  }; result: AuditCheck };
  audit_export: { args: { query: AuditQuery; path: string }; result: number };
  language_set: { args: { language: string }; result: null };
  practice_start: { args: { name: string }; result: DeskState };
  practice_leave: { args: {  }; result: DeskState };
  practice_remove: { args: {  }; result: DeskState };
  about: { args: {  }; result: About };
  desk_set_up: { args: { input: SetupInput }; result: DeskState };
  session_claim: { args: { id: string; password: string }; result: DeskState };
  desk_state: { args: {  }; result: DeskState };
  session_sign_in: { args: { id: string; password: string }; result: DeskState };
  session_recover: { args: { recovery_key: string; id: string; password: string }; result: DeskState };
  migrant_register: { args: { input: MigrantInput; confirmed_new: boolean }; result: Migrant };
  migrant_duplicates: { args: { input: MigrantInput; exclude: string | null }; result: Array<PossibleDuplicate> };
  migrant_update: { args: { id: string; input: MigrantInput }; result: Migrant };
  migrant_profile: { args: { id: string }; result: MigrantProfile };
  consent_withdraw: { args: { input: ConsentWithdrawal }; result: Migrant };
  migrant_anonymise: { args: { id: string }; result: MigrantProfile };
  retention_due: { args: {  }; result: RetentionList };
  retention_anonymise: { args: { ids: Array<string> }; result: number };
  retention_years_set: { args: { years: number }; result: DeskState };
  subject_access_export: { args: { id: string; path: string; language: string; countries: { [key in string]?: string } }; result: Array<string> };
  migrant_list: { args: { query: MigrantQuery }; result: Page<MigrantSummary> };
  migrant_delete: { args: { id: string }; result: null };
  migrant_restore: { args: { id: string }; result: null };
  duplicate_dismiss: { args: { first: string; second: string }; result: null };
  migrant_merge: { args: { input: MergeInput }; result: Migrant };
  family_link: { args: { input: FamilyLinkInput }; result: Array<FamilyMember> };
  visit_log: { args: { input: VisitInput }; result: Visit };
  visit_delete: { args: { id: string }; result: null };
  assistance_record: { args: { input: AssistanceInput }; result: Assistance };
  assistance_delete: { args: { id: string }; result: null };
  case_open: { args: { input: CaseInput }; result: Case };
  case_move: { args: { transition: CaseTransition }; result: Case };
  case_detail: { args: { id: string }; result: CaseDetail };
  case_delete: { args: { id: string }; result: null };
  partner_save: { args: { id: string | null; input: PartnerInput }; result: Partner };
  partner_list: { args: { query: PartnerQuery }; result: Array<Partner> };
  partner_set_active: { args: { id: string; active: boolean }; result: Partner };
  partner_delete: { args: { id: string }; result: null };
  referral_create: { args: { input: ReferralInput }; result: Referral };
  referral_move: { args: { transition: ReferralTransition }; result: Referral };
  referral_detail: { args: { id: string }; result: ReferralDetail };
  referral_slip: { args: { request: SlipRequest }; result: null };
  partner_export_csv: { args: { path: string; include_inactive: boolean }; result: number };
  partner_import_csv: { args: { path: string; mode: ImportMode }; result: ImportReport };
  today: { args: {  }; result: Today };
  reminder_days_set: { args: { days: number | null }; result: null };
  follow_up_add: { args: { input: FollowUpInput }; result: FollowUp };
  follow_up_done: { args: { id: string; done: boolean }; result: FollowUp };
  group_session_save: { args: { id: string | null; input: GroupSessionInput }; result: GroupSession };
  group_session_list: { args: { page: number }; result: Page<GroupSession> };
  anonymous_contact_log: { args: { input: AnonymousContactInput }; result: AnonymousContact };
  anonymous_contact_list: { args: { page: number }; result: Page<AnonymousContact> };
  backup_list: { args: {  }; result: Array<BackupInfo> };
  backup_copy_folder: { args: {  }; result: string | null };
  backup_copy_folder_set: { args: { folder: string | null }; result: null };
  backup_now: { args: { dir: string }; result: BackupInfo };
  backup_restore: { args: { path: string }; result: BackupInfo };
  duplicate_pairs: { args: {  }; result: DuplicateScan };
  report: { args: { request: ReportRequest }; result: Report };
  report_trend: { args: { centre_id: string | null; to: string; for_sharing: boolean }; result: Array<TrendPoint> };
  report_records: { args: { request: ReportRequest; filter: CellFilter; page: number }; result: Page<ReportRecord> };
  report_export: { args: { export: ReportExport }; result: Array<string> };
  register_open: { args: { path: string; sheet: string | null }; result: RegisterFile };
  register_mapping_problems: { args: { headers: Array<string>; mapping: Mapping }; result: Array<MappingProblem> };
  register_preview: { args: { path: string; sheet: string | null; mapping: Mapping; options: ImportOptions }; result: RegisterPreview };
  register_import: { args: { path: string; sheet: string | null; mapping: Mapping; options: ImportOptions; mode: ImportMode }; result: RegisterReport };
}
