// The .deb as a centre receives it: installed with apt-get on this machine,
// the installed app started under Xvfb to its first screen, a newer build
// installed over it with the data kept, then the package removed with the
// user's data folder left alone. Also prints the figures: package size, time
// to the first screen, and the memory of the app and its webview with the
// practice (demo) centre open.
//   make package-test     (builds both packages, then runs this)
// MRC_DEB_OLD and MRC_DEB_NEW name the two packages; the new one's version is higher.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, test } from 'node:test';
import { By, PASSWORD, click, makeRecoveryKey, ok, setUpCentre, signIn, signOut, startDesk, visible, waitForText } from '../e2e/harness.mjs';

const OLD = process.env.MRC_DEB_OLD;
const NEW = process.env.MRC_DEB_NEW;
const BIN = '/usr/bin/mrc-desk';
const CLI = join(import.meta.dirname, '../../target/debug/mrc');
const PACKAGE = 'mrc-desk';

function root(command, args) {
  const [cmd, all] = process.getuid() === 0 ? [command, args] : ['sudo', [command, ...args]];
  return execFileSync(cmd, all, { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

const debField = (file, field) => execFileSync('dpkg-deb', ['-f', file, field], { encoding: 'utf8' }).trim();

function installedVersion() {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Status} ${Version}', PACKAGE], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).match(/install ok installed (\S+)/)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** Memory in MB of a process and all its descendants (the app, its WebKit
 *  processes): resident (shared libraries counted in each process that maps
 *  them) and proportional (each shared page split between its users). */
function treeMemory(rootPid) {
  const parent = new Map();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      parent.set(pid, readFileSync(`/proc/${pid}/stat`, 'utf8').replace(/^.*\) /, '').split(' ')[1]);
    } catch { /* gone */ }
  }
  const inTree = (pid) => { for (let p = pid; p && p !== '0'; p = parent.get(p)) if (p === String(rootPid)) return true; return false; };
  const parts = {};
  for (const pid of parent.keys()) {
    if (!inTree(pid)) continue;
    try {
      const name = readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      const mb = (field) => Math.round(Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(rollup)?.[1] ?? 0) / 1024);
      const part = (parts[name] ??= { rss: 0, pss: 0 });
      part.rss += mb('Rss');
      part.pss += mb('Pss');
    } catch { /* gone */ }
  }
  return parts;
}

function installedAppPid() {
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      if (readlinkSync(`/proc/${pid}/exe`) === BIN) return pid;
    } catch { /* not ours to read, or gone */ }
  }
  return null;
}

async function aboutVersion(driver) {
  await click(driver, 'nav a[href="/about"]');
  return (await visible(driver, '#about-version')).getText();
}

let desk;
after(async () => {
  await desk?.stop();
  // Leave the machine as it was found.
  if (installedVersion()) root('apt-get', ['remove', '-y', PACKAGE]);
});

test('install the .deb, start it, upgrade over it with the data kept, remove it with the data left', { timeout: 600_000 }, async () => {
  assert.ok(OLD && NEW && existsSync(OLD) && existsSync(NEW), 'MRC_DEB_OLD and MRC_DEB_NEW must name two built packages (make package-test)');
  const [oldVersion, newVersion] = [debField(OLD, 'Version'), debField(NEW, 'Version')];
  execFileSync('dpkg', ['--compare-versions', newVersion, 'gt', oldVersion]);
  console.log(`package: ${(statSync(OLD).size / 1048576).toFixed(1)} MB (${OLD}); depends: ${debField(OLD, 'Depends')}`);

  root('apt-get', ['install', '-y', '--allow-downgrades', OLD]);
  assert.equal(installedVersion(), oldVersion);
  assert.ok(existsSync(BIN), 'the app is installed in /usr/bin');
  const entry = readdirSync('/usr/share/applications').find((f) => f.startsWith('MRC Desk') && f.endsWith('.desktop'));
  assert.ok(entry, 'a desktop entry is installed');
  const desktop = readFileSync(join('/usr/share/applications', entry), 'utf8');
  assert.match(desktop, /^Exec=mrc-desk/m);
  assert.match(desktop, /^Icon=mrc-desk/m);
  assert.ok(existsSync('/usr/share/icons/hicolor/128x128/apps/mrc-desk.png'), 'the icon is installed');

  desk = await startDesk({ app: BIN });
  let started = Date.now();
  let driver = await desk.launch();
  await visible(driver, '#language');
  console.log(`first start to the set-up wizard: ${Date.now() - started} ms (including the WebDriver session)`);
  await setUpCentre(driver, { centre: 'MRC Dushanbe', practise: true });
  await visible(driver, '#practice-banner');
  await click(driver, 'nav a[href="/migrants"]');
  await visible(driver, 'table a.name');
  await sleep(1500);
  const memory = treeMemory(installedAppPid());
  const sum = (key) => Object.values(memory).reduce((a, m) => a + m[key], 0);
  const each = Object.entries(memory).map(([n, m]) => `${n} ${m.rss}/${m.pss}`).join(', ');
  console.log(`memory with the practice (demo) centre open: ${sum('rss')} MB resident summed, ${sum('pss')} MB proportional (resident/proportional: ${each})`);
  await click(driver, '#practice-leave');
  await waitForText(driver, 'header', 'MRC Dushanbe');
  // Back at the real centre, the administrator writes down the recovery key first.
  await makeRecoveryKey(driver);
  // The administrator opens a supervisor's account; the supervisor registers people.
  await ok(driver, 'staff_add', { input: { full_name: 'Supervisor One', role: 'supervisor', password: PASSWORD } });
  await signOut(driver);
  await signIn(driver, 'Supervisor One');
  const person = await ok(driver, 'migrant_register', { input: {
    family_name: 'Назарова', given_name: 'Гулрух', patronymic: '', family_name_latin: 'Nazarova', given_name_latin: 'Gulrukh', sex: 'female',
    birth_date: '1994-03-08', estimated_age: null, citizenship: 'TJ', birth_country: '', origin_region: '', origin_town: '', current_country: '',
    current_city: '', phones: [], languages: [], documents: [], migration_status: 'regular', occupation: '', vulnerabilities: [],
    consent_given: true, consent_scope: ['share_with_partners'], notes: '',
  }, confirmed_new: false });
  assert.equal(await aboutVersion(driver), oldVersion);
  await desk.quit();

  root('apt-get', ['install', '-y', NEW]);
  assert.equal(installedVersion(), newVersion, 'the newer build replaced the older one');
  started = Date.now();
  driver = await desk.launch();
  await visible(driver, '#sign-in');
  console.log(`start after the upgrade to the sign-in screen: ${Date.now() - started} ms (including the WebDriver session)`);
  await signIn(driver, 'Supervisor One');
  await waitForText(driver, 'header', 'MRC Dushanbe');
  assert.equal(await aboutVersion(driver), newVersion, 'the upgraded app runs');
  await click(driver, 'nav a[href="/migrants"]');
  await waitForText(driver, 'table', 'Назарова');
  assert.equal((await ok(driver, 'migrant_profile', { id: person.id })).migrant.given_name, 'Гулрух', 'the data survived the upgrade');
  assert.ok((await driver.findElements(By.css('#practice-return'))).length === 1, 'the practice centre survived too');
  await desk.quit();

  root('apt-get', ['remove', '-y', PACKAGE]);
  assert.equal(installedVersion(), null);
  assert.ok(!existsSync(BIN), 'the app is gone');
  const db = join(desk.dataDir, 'mrc-desk.db');
  assert.ok(existsSync(db), 'the user data folder is left alone');
  // Read back with the CLI over the same core: the person is still in the file.
  const env = { ...process.env, MRC_USER: 'Supervisor One', MRC_PASSWORD: PASSWORD };
  const listed = JSON.parse(execFileSync(CLI, ['--db', db, 'migrants', 'list', '--json'], { encoding: 'utf8', env }));
  assert.deepEqual(listed.items.map((m) => m.family_name), ['Назарова']);
});
