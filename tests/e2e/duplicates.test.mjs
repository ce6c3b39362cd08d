// A person registered twice, once in Cyrillic and once in Latin letters,
// found by the supervisor's duplicate scan and merged in the real app; a
// caseworker is refused the scan by the core, whatever the UI shows.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { click, invoke, ok, openAccount, screenshot, setUpCentre, startDesk, textOf, waitForText } from './harness.mjs';

let desk;
before(async () => {
  desk = await startDesk();
});
after(async () => {
  await desk?.stop();
});

function migrant(family, given, phone) {
  return {
    family_name: family, given_name: given, patronymic: '', family_name_latin: '', given_name_latin: '', sex: 'female',
    birth_date: '1994-03-08', estimated_age: null, citizenship: 'KG', birth_country: '', origin_region: '', origin_town: '',
    current_country: '', current_city: '', phones: [{ number: phone, messenger: 'none' }], languages: [], documents: [],
    migration_status: 'regular', occupation: '', vulnerabilities: [], consent_given: false, consent_scope: [], notes: '',
  };
}

test('a supervisor finds a person registered twice and merges the records', async () => {
  const driver = await desk.launch();
  await setUpCentre(driver, { centre: 'MRC Osh', country: 'KG', city: 'Osh', staff: 'Caseworker Osh', role: 'caseworker' });
  const first = await ok(driver, 'migrant_register', { input: migrant('Жумабаева', 'Айгуль', '+996 555 123 456'), confirmed_new: false });
  const second = await ok(driver, 'migrant_register', { input: migrant('Zhumabaeva', 'Aigul', '0555 123 456'), confirmed_new: true });
  await ok(driver, 'visit_log', {
    input: { migrant_id: second.id, occurred_at: null, channel: 'walk_in', purpose: 'consultation', duration_minutes: null, case_id: null, notes: '' },
  });

  // The caseworker at the desk sees no link, and the core refuses the command itself.
  assert.equal((await driver.findElements({ css: 'nav a[href="/duplicates"]' })).length, 0);
  const refused = await invoke(driver, 'duplicate_pairs', {});
  assert.equal(refused.error.code, 'not_allowed');

  await openAccount(driver, 'Supervisor Osh', 'supervisor');
  await click(driver, 'nav a[href="/duplicates"]');
  await waitForText(driver, '#duplicates-count', 'Possible pairs: 1, among 2 people');
  const pair = await textOf(driver, '.pair');
  assert.match(pair, /Жумабаева Айгуль/);
  assert.match(pair, /Zhumabaeva Aigul/);
  assert.match(pair, /Same phone/);
  assert.match(pair, /Same date of birth/);
  await screenshot(driver, '12-duplicates');

  // Keep the Cyrillic record; the Latin one's visit moves to it.
  await click(driver, '.pair .person:first-child .keep');
  await waitForText(driver, '#ask-dialog', 'Merge Zhumabaeva Aigul into Жумабаева Айгуль');
  await click(driver, '#ask-yes');
  await waitForText(driver, '#duplicates-notice', 'Жумабаева Айгуль now holds everything recorded for Zhumabaeva Aigul');
  const profile = await ok(driver, 'migrant_profile', { id: first.id });
  assert.equal(profile.visits.length, 1);
  assert.equal(profile.migrant.family_name_latin, 'Zhumabaeva');
  assert.equal((await invoke(driver, 'migrant_profile', { id: second.id })).error.code, 'not_found');
  // The scan tells its progress to the window, stage by stage, as the page's progress bar hears it.
  await driver.executeAsyncScript(
    `const [event, done] = arguments;
     window.__scanTold = [];
     const handler = window.__TAURI_INTERNALS__.transformCallback((e) => window.__scanTold.push(e.payload));
     window.__TAURI_INTERNALS__.invoke('plugin:event|listen', { event, target: { kind: 'Any' }, handler }).then(() => done());`,
    'duplicate-scan-progress',
  );
  await click(driver, '#scan-again');
  await waitForText(driver, '#duplicates-none', 'No likely duplicates');
  const told = await driver.executeScript('return window.__scanTold;');
  assert.deepEqual(told.at(0), { stage: 'reading', percent: 0 });
  assert.deepEqual(told.at(-1), { stage: 'comparing', percent: 100 });
});
