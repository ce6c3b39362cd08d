// The rest of the day's work in the real app: a follow-up that shows on
// Today until it is done, a group session, an anonymous hotline call, a
// printed referral slip read back from the PDF, and the partner directory
// exported and imported as CSV.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { choose, click, ok, screenshot, setUpCentre, startDesk, textOf, type, waitForText } from './harness.mjs';

let desk;
before(async () => {
  desk = await startDesk();
});
after(async () => {
  await desk?.stop();
});

function migrant(family, given, consent) {
  return {
    family_name: family, given_name: given, patronymic: '', family_name_latin: 'Rakhmonov', given_name_latin: 'Farrukh', sex: 'male',
    birth_date: '1990-05-15', estimated_age: null, citizenship: 'TJ', birth_country: '', origin_region: '', origin_town: '',
    current_country: '', current_city: '', phones: [], languages: ['ru'], documents: [], migration_status: 'regular', occupation: '',
    vulnerabilities: [], consent_given: consent, consent_scope: consent ? ['share_with_partners'] : [], notes: '',
  };
}

test('follow-ups, Today, group sessions, anonymous contacts, slips and CSV', async () => {
  const driver = await desk.launch();
  await setUpCentre(driver);
  const m = await ok(driver, 'migrant_register', { input: migrant('Рахмонов', 'Фаррух', true), confirmed_new: true });
  const k = await ok(driver, 'case_open', { input: { migrant_id: m.id, case_type: 'labour_dispute', priority: null, assigned_to: null, opened_on: null, summary: '', notes: '' } });

  // A follow-up due today shows on Today until it is ticked off.
  await click(driver, 'nav a[href="/migrants"]');
  await click(driver, 'a.name');
  await click(driver, '#add-follow-up');
  await type(driver, '#follow-up-note', 'Call the employer about the wages');
  await click(driver, '#save-follow-up');
  await waitForText(driver, '#follow-ups', 'Call the employer');
  await click(driver, 'nav a[href="/today"]');
  await waitForText(driver, '#today-follow-ups', 'Call the employer about the wages');
  await screenshot(driver, '07-today');
  await click(driver, '#today-follow-ups .follow-up-done');
  await waitForText(driver, '#today-follow-ups', 'Nothing due today');

  // A pre-departure session with a registered participant and anonymous counts.
  await click(driver, 'nav a[href="/sessions"]');
  await click(driver, '#add-session');
  await choose(driver, '#session-kind', 'pre_departure');
  await type(driver, '#session-topic', 'Working legally in Russia');
  await type(driver, '#session-find', 'Рахм');
  await click(driver, '#session-form .found button');
  await type(driver, 'input[aria-label="Male 25–34"]', '12');
  await type(driver, 'input[aria-label="Female 18–24"]', '5');
  await click(driver, '#save-session');
  await waitForText(driver, '.session-row', '18 participants');

  // An anonymous hotline call: counted, not named.
  await click(driver, 'nav a[href="/anonymous"]');
  await type(driver, '#anon-topic', 'Patent renewal');
  await click(driver, '#save-anonymous');
  await waitForText(driver, '#anon-sex-error', 'required');
  await choose(driver, '#anon-sex', 'female');
  await choose(driver, '#anon-age', '35-49');
  await click(driver, '#save-anonymous');
  await waitForText(driver, '.anonymous-row', 'Patent renewal');

  // A referral slip, printed in Russian and read back from the PDF.
  const partner = await ok(driver, 'partner_save', {
    id: null,
    input: { name: 'Clinic of Hope', name_local: '', kind: 'clinic', services: ['medical'], country: 'TJ', city: 'Khujand', address: '12 Lenin St',
      phones: '+992 92 700 0000', email: '', contact_person: '', languages: [], opening_hours: 'Mon–Fri 9–17', notes: '' },
  });
  const r = await ok(driver, 'referral_create', {
    input: { case_id: k.id, partner_id: partner.id, service: 'medical', reason: 'Work injury, needs an X-ray', urgency: 'high', shared_data: ['identity'], override_reason: '', send_now: true },
  });
  const pdf = join(desk.home, 'slip.pdf');
  await ok(driver, 'referral_slip', {
    request: { referral_id: r.id, language: 'ru', path: pdf, date: '27.11.2026', service: 'Медицинская', urgency: 'Высокий',
      shared_data: ['Имя и личные данные'], bring: ['Это направление'], centre_country: 'Таджикистан', partner_country: 'Таджикистан' },
  });
  const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
  for (const expected of ['Направление', 'Рахмонов Фаррух', 'Clinic of Hope', r.reference, 'Work injury, needs an X-ray', 'Медицинская', 'MRC Khujand']) {
    assert.ok(text.includes(expected), `the slip should say “${expected}”:\n${text}`);
  }

  // The directory goes out as CSV and a bad file comes back with its rows named.
  const csv = join(desk.home, 'partners.csv');
  assert.equal(await ok(driver, 'partner_export_csv', { path: csv, include_inactive: true }), 1);
  const exported = readFileSync(csv, 'utf8');
  assert.ok(exported.startsWith('\uFEFF') && exported.includes('Clinic of Hope'));
  const bad = join(desk.home, 'bad.csv');
  writeFileSync(bad, 'name,kind,services,country\nShelter One,shelter,shelter,TJ\n,ngo,medcal,XX\n');
  const report = await ok(driver, 'partner_import_csv', { path: bad, mode: 'all_or_nothing' });
  assert.deepEqual([report.added, report.rejected.map((row) => row.line)], [0, [3]]);
  const partial = await ok(driver, 'partner_import_csv', { path: bad, mode: 'skip_invalid' });
  assert.equal(partial.added, 1);
  await click(driver, 'nav a[href="/partners"]');
  await waitForText(driver, 'table', 'Shelter One');
  assert.match(await textOf(driver, 'table'), /Clinic of Hope/);
});
