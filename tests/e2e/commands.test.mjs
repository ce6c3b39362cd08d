// The rules live in the core: a command called straight from the webview,
// past the UI, is refused with the same field errors as the form gets.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PASSWORD, click, invoke, ok, startDesk, waitForText } from './harness.mjs';

let desk;
before(async () => {
  desk = await startDesk();
});
after(async () => {
  await desk?.stop();
});

test('commands called directly are checked by the core', async () => {
  const driver = await desk.launch();
  await waitForText(driver, 'h1', 'Welcome');

  const early = await invoke(driver, 'migrant_list', { query: { text: '', sort: 'name', page: 0, page_size: 10 } });
  assert.equal(early.ok, false);
  assert.equal(early.error.code, 'not_set_up');

  // The first account must be the administrator's, with a real password.
  const refused = await invoke(driver, 'desk_set_up', {
    input: { centre_name: 'MRC Osh', country: 'KG', city: 'Osh', staff: { full_name: 'Supervisor', role: 'supervisor', password: 'short' }, language: 'en' },
  });
  assert.deepEqual(refused.error.fields.map((f) => [f.field, f.code]), [['staff.role', 'first_is_administrator'], ['staff.password', 'password_too_short']]);
  await ok(driver, 'desk_set_up', {
    input: { centre_name: 'MRC Osh', country: 'KG', city: 'Osh', staff: { full_name: 'Administrator', role: 'administrator', password: PASSWORD }, language: 'en' },
  });
  // The administrator sees no one's file; the supervisor they add does.
  const hidden = await invoke(driver, 'migrant_list', { query: { text: '', sort: 'name', page: 0, page_size: 10 } });
  assert.equal(hidden.error.code, 'not_allowed');
  const supervisor = await ok(driver, 'staff_add', { input: { full_name: 'Supervisor', role: 'supervisor', password: PASSWORD } });
  await ok(driver, 'session_sign_out', {});
  await ok(driver, 'session_sign_in', { id: supervisor.id, password: PASSWORD });

  const future = new Date(Date.now() + 86400000 * 3).toISOString().slice(0, 10);
  const bad = await invoke(driver, 'migrant_register', {
    input: {
      family_name: "O'Neil'; DROP TABLE migrant; --", given_name: 'Test 😀', patronymic: '', family_name_latin: '', given_name_latin: '',
      sex: 'female', birth_date: future, estimated_age: null, citizenship: 'ZZ', birth_country: '', origin_region: '', origin_town: '',
      current_country: '', current_city: '', phones: [], languages: [], documents: [], migration_status: 'regular', occupation: '',
      vulnerabilities: [], consent_given: false, consent_scope: [], notes: '',
    },
    confirmed_new: false,
  });
  assert.equal(bad.ok, false);
  assert.equal(bad.error.code, 'validation');
  assert.deepEqual(bad.error.fields.map((f) => [f.field, f.code]), [['birth_date', 'future_date'], ['citizenship', 'unknown_country']]);

  const input = {
    family_name: "O'Neil'; DROP TABLE migrant; --", given_name: 'Test 😀', patronymic: '', family_name_latin: '', given_name_latin: '',
    sex: 'female', birth_date: '1991-02-03', estimated_age: null, citizenship: 'KG', birth_country: '', origin_region: '', origin_town: '',
    current_country: '', current_city: '', phones: [], languages: [], documents: [{ kind: 'passport', number: 'AC 1234567', issuing_country: 'KG', expires_on: null }],
    migration_status: 'regular', occupation: '', vulnerabilities: [], consent_given: false, consent_scope: [], notes: '',
  };
  const good = await invoke(driver, 'migrant_register', { input, confirmed_new: false });
  assert.equal(good.ok, true, JSON.stringify(good.error));

  // The same passport again is held back by the core until confirmed as someone new.
  const again = { ...input, family_name: 'Other', documents: [{ ...input.documents[0], number: 'ac1234567' }] };
  const held = await invoke(driver, 'migrant_register', { input: again, confirmed_new: false });
  assert.equal(held.ok, false);
  assert.equal(held.error.code, 'likely_duplicate');
  const found = await invoke(driver, 'migrant_duplicates', { input: again, exclude: null });
  assert.deepEqual(found.value.map((d) => [d.migrant.id, d.reasons[0].kind]), [[good.value.id, 'document']]);
  assert.equal(good.value.family_name, "O'Neil'; DROP TABLE migrant; --");
  assert.equal(good.value.given_name, 'Test 😀');

  // Shown verbatim in the list, apostrophes, SQL and emoji included.
  await driver.navigate().refresh();
  await waitForText(driver, 'h1', 'Today');
  await click(driver, 'nav a[href="/migrants"]');
  const row = await waitForText(driver, 'table', "O'Neil'; DROP TABLE migrant; --");
  assert.match(await row.getText(), /Test 😀/);

  const opened = await invoke(driver, 'case_open', {
    input: { migrant_id: good.value.id, case_type: 'health', priority: null, assigned_to: null, opened_on: null, summary: '', notes: '' },
  });
  assert.equal(opened.ok, true, JSON.stringify(opened.error));
  const skip = await invoke(driver, 'case_move', { transition: { case_id: opened.value.id, to: 'closed', closure_reason: null, note: '' } });
  assert.deepEqual([skip.error.code, skip.error.field], ['validation', 'closure_reason']);
  const closed = await invoke(driver, 'case_move', { transition: { case_id: opened.value.id, to: 'closed', closure_reason: 'resolved', note: '' } });
  assert.equal(closed.ok, true);
  const illegal = await invoke(driver, 'case_move', { transition: { case_id: opened.value.id, to: 'in_progress', closure_reason: null, note: '' } });
  assert.equal(illegal.error.code, 'invalid_transition');
});
