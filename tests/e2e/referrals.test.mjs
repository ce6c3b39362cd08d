// Referring to partners in the real app: add a partner, refer a migrant who
// consented and follow the referral to completion; a migrant who did not
// consent is refused until a reason is written.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { choose, click, find, invoke, screenshot, setUpCentre, startDesk, textOf, type, waitForText } from './harness.mjs';

let desk;
before(async () => {
  desk = await startDesk();
});
after(async () => {
  await desk?.stop();
});

/** A migrant with an open health case, made through the commands the forms use. */
async function migrantWithCase(driver, family, consent) {
  const input = {
    family_name: family, given_name: 'Нилуфар', patronymic: '', family_name_latin: '', given_name_latin: '', sex: 'female',
    birth_date: '1994-03-08', estimated_age: null, citizenship: 'TJ', birth_country: '', origin_region: '', origin_town: '',
    current_country: '', current_city: '', phones: [], languages: [], documents: [], migration_status: 'regular', occupation: '',
    vulnerabilities: [], consent_given: consent, consent_scope: consent ? ['data_processing', 'share_with_partners'] : [], notes: '',
  };
  const m = await invoke(driver, 'migrant_register', { input, confirmed_new: true });
  assert.equal(m.ok, true, JSON.stringify(m.error));
  const c = await invoke(driver, 'case_open', {
    input: { migrant_id: m.value.id, case_type: 'health', priority: null, assigned_to: null, opened_on: null, summary: 'Work injury', notes: '' },
  });
  assert.equal(c.ok, true, JSON.stringify(c.error));
}

async function openProfile(driver, family) {
  await click(driver, 'nav a[href="/migrants"]');
  await type(driver, '#search', family);
  await waitForText(driver, '#list-count', '1–1 of 1');
  await click(driver, 'a.name');
  await waitForText(driver, '#migrant-name', family);
}

test('a partner is added, a consenting migrant referred, and the referral completed', async () => {
  const driver = await desk.launch();
  await setUpCentre(driver);
  await migrantWithCase(driver, 'Каримова', true);
  await migrantWithCase(driver, 'Юсупова', false);

  // The partner directory: a refused first save names the missing fields.
  await click(driver, 'nav a[href="/partners"]');
  await click(driver, '#add-partner');
  await type(driver, '#partner-name', 'Clinic of Hope');
  await click(driver, '#save-partner');
  await waitForText(driver, '#partner-kind-error', 'required');
  assert.match(await textOf(driver, '#partner-services-error'), /required/);
  assert.equal(await (await find(driver, '#partner-name')).getAttribute('value'), 'Clinic of Hope');
  await choose(driver, '#partner-kind', 'clinic');
  await click(driver, '#partner-form .service-medical');
  await type(driver, '#partner-city', 'Худжанд');
  await click(driver, '#save-partner');
  await waitForText(driver, '.partner-row', 'Clinic of Hope');

  // Referral of the migrant who consented to sharing with partners.
  await openProfile(driver, 'Каримова');
  await click(driver, '#cases .refer');
  await choose(driver, '#cases .referral-service', 'medical');
  await waitForText(driver, '#cases .referral-partner', 'Clinic of Hope');
  await waitForText(driver, '#cases .consent-ok', 'Consent');
  await type(driver, '#cases .referral-reason', 'Needs a doctor for a work injury');
  await click(driver, '#cases .save-referral');
  await waitForText(driver, '#cases .referral-status', 'Sent');

  // While it waits for the partner's answer it is on Today (the centre wants
  // to be reminded at once), and Today opens the person.
  await click(driver, 'nav a[href="/staff"]');
  await type(driver, '#reminder-days', '0');
  await click(driver, '#save-settings');
  await waitForText(driver, '.notice', 'Saved');
  await click(driver, 'nav a[href="/today"]');
  await waitForText(driver, '#today-referrals', 'Clinic of Hope');
  await click(driver, '#today-referrals a');
  await waitForText(driver, '#migrant-name', 'Каримова');

  // The partner accepts, then reports back.
  await click(driver, '#cases .referral-move-accepted');
  await waitForText(driver, '#cases .referral-status', 'Accepted');
  await click(driver, '#cases .referral-move-completed');
  await type(driver, '#cases .referral-feedback', 'Treated; check-up in two weeks');
  await click(driver, '#cases .confirm-move');
  await waitForText(driver, '#cases .referral-status', 'Completed');
  assert.match(await textOf(driver, '#cases .referral'), /Treated; check-up in two weeks/);
  assert.match(await textOf(driver, '#timeline'), /Referral · Clinic of Hope/);
  // Every change is kept: who and when, in order.
  await click(driver, '#cases .history-toggle');
  const history = await textOf(driver, '#cases .history');
  assert.match(history, /Draft[\s\S]*Sent[\s\S]*Accepted[\s\S]*Completed/);
  assert.match(history, /Supervisor One/);
  await screenshot(driver, '05-referral-completed');
  await click(driver, 'nav a[href="/today"]');
  await waitForText(driver, '#today-referrals', 'No referral is waiting');

  // Каримова takes back her consent to sharing: the history keeps who took
  // it and who recorded the withdrawal, and the core's referral rule follows.
  await openProfile(driver, 'Каримова');
  await waitForText(driver, '#consent', 'Sharing with partners');
  await click(driver, '#consent li[data-scope="share_with_partners"] .withdraw');
  await type(driver, '#withdrawal_note', 'Said so on the phone');
  await click(driver, '#confirm-withdrawal');
  await waitForText(driver, '#consent', 'Withdrawn on');
  assert.match(await textOf(driver, '#consent'), /Given on .*, taken by Supervisor One/);
  assert.match(await textOf(driver, '#consent'), /recorded by Supervisor One: Said so on the phone/);
  await screenshot(driver, '05b-consent-withdrawn');
  const profile = await invoke(driver, 'migrant_profile', { id: await driver.executeScript('return location.pathname.split("/").pop()') });
  assert.equal(profile.value.consents_to_sharing, false, "a referral now needs a written reason");

  // Without consent the core refuses until a reason is written; what was typed stays.
  await openProfile(driver, 'Юсупова');
  await click(driver, '#cases .refer');
  await waitForText(driver, '#cases .consent-missing', 'No consent');
  await choose(driver, '#cases .referral-service', 'medical');
  await waitForText(driver, '#cases .referral-partner', 'Clinic of Hope');
  await type(driver, '#cases .referral-reason', 'Severe pain, cannot wait');
  await click(driver, '#cases .save-referral');
  await waitForText(driver, '#cases .field-error', 'No consent to share data is recorded');
  assert.equal(await (await find(driver, '#cases .referral-reason')).getAttribute('value'), 'Severe pain, cannot wait');
  await screenshot(driver, '06-referral-refused');
  await type(driver, '#cases .referral-override', 'Unconscious on arrival, urgent care');
  await click(driver, '#cases .save-referral');
  await waitForText(driver, '#cases .referral-status', 'Sent');
  assert.match(await textOf(driver, '#cases .referral'), /without consent: Unconscious on arrival/);

  // Deleting asks first; "no" keeps the person, "yes" removes them from the list.
  await click(driver, '#delete-migrant');
  await click(driver, '#ask-no');
  await waitForText(driver, '#migrant-name', 'Юсупова');
  await click(driver, '#delete-migrant');
  await click(driver, '#ask-yes');
  await waitForText(driver, 'h1', 'Migrants');
  await type(driver, '#search', 'Юсупова');
  await waitForText(driver, '.list', 'No one matches');
});
