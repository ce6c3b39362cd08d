// The supervisor's dashboard in the real app: two people helped this month
// show as 2 on the headline, the 2 records open behind it, the report for
// sharing hides them as "<5", and the report is saved as an XLSX file.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { By, choose, click, find, invoke, ok, screenshot, setUpCentre, startDesk, textOf, type, waitForText } from './harness.mjs';

let desk;
before(async () => {
  desk = await startDesk();
});
after(async () => {
  await desk?.stop();
});

function migrant(family, given, sex) {
  return {
    family_name: family, given_name: given, patronymic: '', family_name_latin: '', given_name_latin: '', sex,
    birth_date: '1990-05-15', estimated_age: null, citizenship: 'TJ', birth_country: '', origin_region: '', origin_town: '',
    current_country: '', current_city: '', phones: [], languages: [], documents: [], migration_status: 'regular', occupation: '',
    vulnerabilities: [], consent_given: true, consent_scope: ['share_with_partners'], notes: '',
  };
}

function assistance(migrantId, category) {
  return { migrant_id: migrantId, visit_id: null, case_id: null, category, given_on: null, quantity: null, amount: '', currency: '', outcome: 'provided', notes: '' };
}

/** The whole page never scrolls sideways; wide tables scroll in their own box. */
async function noSidewaysScroll(driver) {
  const [scroll, view] = await driver.executeScript('return [document.documentElement.scrollWidth, document.documentElement.clientWidth]');
  assert.ok(scroll <= view, `the page is ${scroll}px wide in a ${view}px window`);
}

const pad = (n) => String(n).padStart(2, '0');
const now = new Date();
const thisMonth = `${now.getFullYear()}-${pad(now.getMonth() + 1)}`;
const lastDay = new Date(now.getFullYear(), now.getMonth() + 1, 0).getDate();

test('monthly report: headline, records behind it, for sharing, XLSX', async () => {
  const driver = await desk.launch();
  try {
    await driver.manage().window().setRect({ width: 1366, height: 768 });
  } catch {
    // Some drivers cannot resize; the default window is close to it.
  }
  await setUpCentre(driver);
  const a = await ok(driver, 'migrant_register', { input: migrant('Рахимова', 'Малика', 'female'), confirmed_new: true });
  const b = await ok(driver, 'migrant_register', { input: migrant('Каримов', 'Джамшед', 'male'), confirmed_new: true });
  await ok(driver, 'assistance_record', { input: assistance(a.id, 'legal_consultation') });
  await ok(driver, 'assistance_record', { input: assistance(b.id, 'medical') });
  await ok(driver, 'assistance_record', { input: assistance(b.id, 'information') });
  await ok(driver, 'visit_log', { input: { migrant_id: a.id, case_id: null, occurred_at: null, channel: 'walk_in', purpose: 'consultation', duration_minutes: null, notes: '' } });
  const k = await ok(driver, 'case_open', { input: { migrant_id: b.id, case_type: 'health', priority: null, assigned_to: null, opened_on: null, summary: '', notes: '' } });
  const partner = await ok(driver, 'partner_save', {
    id: null,
    input: { name: 'Clinic of Hope', name_local: '', kind: 'clinic', services: ['medical'], country: 'TJ', city: 'Khujand', address: '',
      phones: '', email: '', contact_person: '', languages: [], opening_hours: '', notes: '' },
  });
  await ok(driver, 'referral_create', {
    input: { case_id: k.id, partner_id: partner.id, service: 'medical', reason: 'X-ray', urgency: 'high', shared_data: ['identity'], override_reason: '', send_now: true },
  });

  await click(driver, 'nav a[href="/report"]');
  await find(driver, '#report-month');
  await choose(driver, '#report-month', thisMonth);
  await waitForText(driver, '#headline-persons_assisted .current', '2');
  assert.equal(await textOf(driver, '#headline-assistance_records .current'), '3');
  await waitForText(driver, '#chart-categories', 'Legal consultation');
  await driver.executeScript('window.scrollTo(0, 0)');
  await noSidewaysScroll(driver);
  await screenshot(driver, 'r1-report');
  await driver.executeScript('document.getElementById("chart-trend").scrollIntoView({ block: "start" }); window.scrollBy(0, -60)');
  await screenshot(driver, 'r1-charts');
  await driver.executeScript('document.getElementById("section-persons").scrollIntoView({ block: "start" }); window.scrollBy(0, -60)');
  await screenshot(driver, 'r1-tables');

  // The headline opens the two people behind it, each a link to their profile.
  await click(driver, '#headline-persons_assisted .current button');
  await waitForText(driver, '#records-count', 'Records: 2');
  const rows = await driver.findElements(By.css('#records .record-row'));
  assert.equal(rows.length, 2);
  const names = await textOf(driver, '#records table');
  assert.match(names, /Рахимова Малика/);
  assert.match(names, /Каримов Джамшед/);
  const link = await find(driver, '#records .record-row a');
  assert.match(await link.getAttribute('href'), /\/migrants\/[0-9a-f-]{36}$/);
  await screenshot(driver, 'r2-records');
  await click(driver, '#records-close');

  // A table cell: women assisted this period.
  const female = await find(driver, '#section-persons tr[data-key="assisted"] button[aria-label*="Female"]');
  await driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', female);
  assert.equal(await female.getText(), '1');
  await female.click();
  await waitForText(driver, '#records-count', 'Records: 1');
  assert.match(await textOf(driver, '#records table'), /Рахимова Малика/);
  await click(driver, '#records-close');

  // The same screen in Russian.
  await choose(driver, '#language-switch', 'ru');
  await waitForText(driver, 'h1', 'Ежемесячный отчёт');
  await click(driver, '#report-wide');
  await driver.executeScript('window.scrollTo(0, 0)');
  await noSidewaysScroll(driver);
  await screenshot(driver, 'r3-report-russian');
  await driver.executeScript('document.getElementById("section-persons").scrollIntoView({ block: "start" }); window.scrollBy(0, -60)');
  await screenshot(driver, 'r4-tables-russian');
  await choose(driver, '#language-switch', 'en');
  await waitForText(driver, 'h1', 'Monthly assistance report');

  // Another period starts as the month shown; a range ending before it starts is named, not sent.
  await click(driver, '#report-custom');
  const [year, month] = thisMonth.split('-');
  assert.equal(await (await find(driver, '#report-from')).getAttribute('value'), `01/${month}/${year}`);
  await type(driver, '#report-to', `01/01/${Number(year) - 1}`);
  await waitForText(driver, '.field', 'The end of the period must not be before its start.');
  await type(driver, '#report-to', `${lastDay}/${month}/${year}`);
  await waitForText(driver, '#headline-persons_assisted .current', '2');
  await click(driver, '#report-custom');

  // For sharing: small counts hidden, and no numbers to open.
  await click(driver, '#for-sharing');
  await waitForText(driver, '#headline-persons_assisted .current', '<5');
  await waitForText(driver, '#sharing-notice', 'counts from 1 to 4 shown as <5');
  assert.equal((await driver.findElements(By.css('#headline-persons_assisted .current button'))).length, 0);
  await driver.executeScript('window.scrollTo(0, 0)');
  await screenshot(driver, 'r5-for-sharing');

  // The report saved as XLSX: a ZIP file, as every XLSX is.
  const path = join(desk.home, `mrc-report-${thisMonth}.xlsx`);
  const [from, to] = [`${thisMonth}-01`, `${thisMonth}-${lastDay}`];
  const answer = await invoke(driver, 'report_export', {
    export: { request: { centre_id: null, from, to, for_sharing: true }, format: 'xlsx', path, language: 'en', countries: { TJ: 'Tajikistan' } },
  });
  assert.equal(answer.ok, true, `report_export: ${JSON.stringify(answer.error)}`);
  assert.deepEqual(answer.value, [path]);
  assert.ok(existsSync(path));
  assert.equal(readFileSync(path).subarray(0, 2).toString('latin1'), 'PK');
});
