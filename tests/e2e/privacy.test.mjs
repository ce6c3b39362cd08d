// The migrant's rights in the real app: everything held about a person is
// written to a file by the real command, and a supervisor anonymises a
// person from their profile; the name is gone from the list and the search,
// and the file takes no more work.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { click, invoke, ok, screenshot, setUpCentre, startDesk, textOf, type, waitForText } from './harness.mjs';

let desk;
before(async () => {
  desk = await startDesk();
});
after(async () => {
  await desk?.stop();
});

const PERSON = {
  family_name: 'Турсунова', given_name: 'Гулнора', patronymic: '', family_name_latin: 'Tursunova', given_name_latin: 'Gulnora', sex: 'female',
  birth_date: '1991-07-19', estimated_age: null, citizenship: 'UZ', birth_country: '', origin_region: '', origin_town: 'Andijan',
  current_country: '', current_city: '', phones: [{ number: '+998 90 555 12 34', messenger: 'telegram' }], languages: [], documents: [],
  migration_status: 'returnee', occupation: '', vulnerabilities: [], consent_given: true, consent_scope: ['data_processing'], notes: 'Sister in Samara',
};

test('a person gets everything held about them, then is anonymised', async () => {
  const driver = await desk.launch();
  await setUpCentre(driver);
  const m = await ok(driver, 'migrant_register', { input: PERSON, confirmed_new: true });
  await ok(driver, 'visit_log', { input: { migrant_id: m.id, case_id: null, occurred_at: null, channel: 'walk_in', purpose: 'consultation', duration_minutes: 15, notes: 'Asked about her sister' } });

  // Subject access, through the command the button calls after its save dialog.
  const file = join(desk.home, 'held.json');
  const files = await ok(driver, 'subject_access_export', { id: m.id, path: file, language: 'ru', countries: { UZ: 'Узбекистан' } });
  assert.deepEqual(files, [file, file.replace(/json$/, 'pdf')]);
  const held = JSON.parse(readFileSync(file, 'utf8'));
  // The readable copy, read back by a real PDF reader, in Russian.
  const pdf = execFileSync('pdftotext', ['-layout', files[1], '-'], { encoding: 'utf8' });
  for (const said of ['Турсунова', '+998 90 555 12 34', 'Узбекистан', 'Asked about her sister']) assert.ok(pdf.includes(said), `${said} in the PDF:\n${pdf}`);
  assert.equal(held.migrant.family_name, 'Турсунова');
  assert.equal(held.visits[0].notes, 'Asked about her sister');
  assert.equal(held.consents[0].scope, 'data_processing');

  await click(driver, 'nav a[href="/migrants"]');
  await type(driver, '#search', 'Tursunova');
  await waitForText(driver, '#list-count', '1–1 of 1');
  await click(driver, 'a.name');
  await waitForText(driver, '#migrant-name', 'Турсунова');
  await waitForText(driver, '#consent', 'Recording and processing');
  await click(driver, '#anonymise-migrant');
  await waitForText(driver, '#ask-dialog', 'for good');
  await click(driver, '#ask-yes');
  await waitForText(driver, '#anonymised', 'Anonymised on');
  assert.equal(await textOf(driver, '#migrant-name'), 'Anonymised person');
  const page = await textOf(driver, 'main');
  for (const gone of ['Турсунова', '+998 90 555 12 34', 'Asked about her sister', 'Sister in Samara']) assert.ok(!page.includes(gone), `${gone} is still shown`);
  assert.match(await textOf(driver, '#timeline'), /Walk-in|walk-in|Visit/i, 'the work stays');
  await screenshot(driver, 'privacy-anonymised');

  // The core refuses more work on the file, whatever calls it.
  const refused = await invoke(driver, 'visit_log', { input: { migrant_id: m.id, case_id: null, occurred_at: null, channel: 'phone', purpose: 'consultation', duration_minutes: null, notes: '' } });
  assert.equal(refused.error.code, 'anonymised');
  await click(driver, 'nav a[href="/migrants"]');
  await type(driver, '#search', 'Tursunova');
  await waitForText(driver, '.list', 'No one matches');

  // The retention screen: nobody is past the time in a new centre; the time is the centre's to set.
  await click(driver, 'nav a[href="/retention"]');
  await waitForText(driver, '#retention-count', '0 people');
  await type(driver, '#retention_years', '0');
  await click(driver, '#retention-settings button[type="submit"]');
  await waitForText(driver, '#retention_years-error', 'out of range');
  await type(driver, '#retention_years', '7');
  await click(driver, '#retention-settings button[type="submit"]');
  await waitForText(driver, '#retention-notice', '7 years');
  await screenshot(driver, 'privacy-retention');
});
