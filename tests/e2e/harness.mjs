// Starts the real MRC Desk binary through tauri-driver + WebKitWebDriver and
// hands the test a selenium driver. Each test gets a fresh data folder
// (XDG_*_HOME), which survives restarts of the app within the test.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Builder, By, Key, until } from 'selenium-webdriver';
import { Select } from 'selenium-webdriver/lib/select.js';

export const APP = resolve(process.env.MRC_DESK_BIN ?? join(import.meta.dirname, '../../target/debug/mrc-desk'));
export const ARTIFACTS = join(import.meta.dirname, 'artifacts');
export { By, Key, until };

function portOpen(port) {
  return new Promise((done) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); done(true); });
    socket.once('error', () => done(false));
  });
}

async function waitForPorts(ports, ms = 15000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if ((await Promise.all(ports.map(portOpen))).every(Boolean)) return;
    await sleep(100);
  }
  throw new Error(`tauri-driver did not listen on ${ports.join(', ')}`);
}

/** A fresh data folder and a tauri-driver bound to it; `app` is the binary to start (the build's by default). */
export async function startDesk({ app = APP } = {}) {
  const home = mkdtempSync(join(tmpdir(), 'mrc-e2e-'));
  const env = { ...process.env };
  for (const dir of ['data', 'config', 'cache']) {
    mkdirSync(join(home, dir));
    env[`XDG_${dir.toUpperCase()}_HOME`] = join(home, dir);
  }
  const port = 4700 + Math.floor(Math.random() * 500) * 2;
  const driverProcess = spawn('tauri-driver', ['--port', String(port), '--native-port', String(port + 1)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  driverProcess.stderr.on('data', (d) => (log += d));
  // tauri-driver opens its port before WebKitWebDriver is ready: wait for both.
  await waitForPorts([port]);
  const desk = {
    home,
    env,
    dataDir: join(home, 'data', 'org.mrcdesk.app'),
    driver: null,
    /** Starts the app (again) on the same data folder. */
    async launch() {
      const started = Date.now();
      desk.driver = await new Builder()
        .usingServer(`http://127.0.0.1:${port}/`)
        .withCapabilities({ browserName: 'wry', 'tauri:options': { application: app } })
        .build();
      // A script that never calls back (a page reloaded under it) fails the test instead of hanging it.
      await desk.driver.manage().setTimeouts({ implicit: 0, script: 60000 });
      desk.launchMs = Date.now() - started;
      return desk.driver;
    },
    /** Quits the app the way a user closes its window, and waits for it to be gone. */
    async quit() {
      if (desk.driver) await desk.driver.quit();
      desk.driver = null;
      await sleep(1500);
    },
    async stop() {
      // A webview that stopped answering must not hold the suite: give up on a polite quit after 15 s.
      try { await Promise.race([desk.quit(), sleep(15000)]); } catch { /* already gone */ }
      driverProcess.kill('SIGTERM');
      await new Promise((done) => (driverProcess.exitCode !== null ? done() : driverProcess.once('exit', done)));
      rmSync(home, { recursive: true, force: true });
    },
    log: () => log,
  };
  return desk;
}

// ----- small helpers over selenium, named after what a person does -----

export async function find(driver, css, ms = 10000) {
  return driver.wait(until.elementLocated(By.css(css)), ms, `nothing matches ${css}`);
}

export async function visible(driver, css, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const el = await find(driver, css, Math.max(end - Date.now(), 1));
      await driver.wait(until.elementIsVisible(el), Math.max(end - Date.now(), 1));
      // Keep it clear of the sticky header and the sticky save bar.
      await driver.executeScript('arguments[0].scrollIntoView({ block: "center" })', el);
      return el;
    } catch (e) {
      // The page replaced the element while it rendered: find it anew.
      if (Date.now() >= end || !isStale(e)) throw e;
    }
  }
}

function isStale(e) {
  return e?.name === 'StaleElementReferenceError' || /was not found|stale/i.test(e?.message ?? '');
}

export async function type(driver, css, text) {
  const el = await visible(driver, css);
  await el.clear();
  await el.sendKeys(text);
  return el;
}

/** Picks the option of a select by its value, or by its visible text. */
export async function choose(driver, css, value, { byText = false } = {}) {
  const select = new Select(await visible(driver, css));
  await (byText ? select.selectByVisibleText(value) : select.selectByValue(value));
}

export async function click(driver, css) {
  const el = await visible(driver, css);
  await el.click();
}

export async function textOf(driver, css) {
  return (await visible(driver, css)).getText();
}

/** Waits until an element matching `css` shows `text`, finding it anew on each
 *  try: the page may replace the element while it renders. */
export async function waitForText(driver, css, text, ms = 10000) {
  let match = null;
  await driver.wait(async () => {
    for (const el of await driver.findElements(By.css(css))) {
      try {
        if ((await el.getText()).includes(text)) {
          match = el;
          return true;
        }
      } catch {
        // Replaced while we looked: try again.
      }
    }
    return false;
  }, ms, `${css} never showed “${text}”`);
  return match;
}

/** A screenshot of the webview, kept for people to look at. */
export async function screenshot(driver, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Under Xvfb the screen lags the page: let two frames pass first.
  await driver.executeAsyncScript('const done = arguments[0]; requestAnimationFrame(() => requestAnimationFrame(done));');
  // WebKitWebDriver's screenshot waits for the page's next drawing, and a
  // still page may not draw again for minutes (once, until the idle lock):
  // an invisible change every second keeps a drawing coming.
  await driver.executeScript(`window.__shotNudge = setInterval(() => {
    const s = document.body.style; s.outline = s.outline ? '' : '1px solid transparent'; }, 1000);`);
  let png;
  try {
    png = await driver.takeScreenshot();
  } finally {
    await driver.executeScript('clearInterval(window.__shotNudge); document.body.style.outline = "";');
  }
  const { writeFileSync } = await import('node:fs');
  writeFileSync(join(ARTIFACTS, `${name}.png`), png, 'base64');
}

/** The password of every account the tests open. */
export const PASSWORD = 'river stone lamp tea';
export const ADMINISTRATOR = 'Administrator One';

/** The first-run wizard, step by step as a person would, with the keyboard's
 *  Enter to go on; it makes the administrator. Then, unless practising, the
 *  administrator opens the account the test works as (`staff`, `role`), and
 *  that person signs in on the sign-in screen. */
export async function setUpCentre(driver, { centre = 'MRC Khujand', country = 'TJ', city = 'Khujand', staff = 'Supervisor One', role = 'supervisor', practise = false } = {}) {
  await visible(driver, '#language');
  await click(driver, '#setup-next');
  await type(driver, '#centre_name', centre);
  await choose(driver, '#country', country);
  await (await type(driver, '#city', city)).sendKeys(Key.ENTER);
  await type(driver, '#staff_name', ADMINISTRATOR);
  await type(driver, '#staff_password', PASSWORD);
  await (await type(driver, '#staff_password_again', PASSWORD)).sendKeys(Key.ENTER);
  await visible(driver, '#choose-copy-folder');
  await click(driver, '#setup-next');
  if (practise) await click(driver, '#practise');
  await click(driver, '#setup-next');
  if (practise) return visible(driver, '#practice-banner', 60000);
  await waitForText(driver, 'header', centre);
  await makeRecoveryKey(driver);
  if (role === 'administrator') return;
  await ok(driver, 'staff_add', { input: { full_name: staff, role, password: PASSWORD } });
  await signOut(driver);
  await signIn(driver, staff);
}

/** The recovery key the last set-up made, as the administrator wrote it down. */
export let recoveryKey = '';

/** The administrator makes the recovery key the app asks for after set-up,
 *  and ticks that it was written down. */
export async function makeRecoveryKey(driver, picture = '') {
  await click(driver, '#recovery-make');
  await visible(driver, '#recovery-code');
  recoveryKey = await textOf(driver, '#recovery-code');
  if (picture) await screenshot(driver, picture);
  await click(driver, '#recovery-written');
  await click(driver, '#recovery-done');
  await driver.wait(async () => (await driver.findElements(By.css('#recovery-dialog'))).length === 0, 10000, 'the recovery key dialog closes');
}

/** Signs out from the header, as a person would. */
export async function signOut(driver) {
  await click(driver, '#sign-out');
  await click(driver, '#ask-yes');
  await visible(driver, '#sign-in');
}

/** The administrator opens an account for `name`, who then signs in. */
export async function openAccount(driver, name, role) {
  await signOut(driver);
  await signIn(driver, ADMINISTRATOR);
  await ok(driver, 'staff_add', { input: { full_name: name, role, password: PASSWORD } });
  await signOut(driver);
  await signIn(driver, name);
}

/** Signs out and `name` signs in: another person at the desk. */
export async function switchTo(driver, name) {
  await signOut(driver);
  await signIn(driver, name);
}

/** Picks `name` on the sign-in screen and types the password. */
export async function signIn(driver, name, password = PASSWORD) {
  await visible(driver, '#sign-in');
  const choice = await driver.findElement(By.xpath(`//form[@id='sign-in']//label[span[normalize-space()=${JSON.stringify(name)}]]/input`));
  await choice.click();
  await (await type(driver, '#sign-in-password', password)).sendKeys(Key.ENTER);
  await waitForText(driver, '#signed-in-as', name);
}

/** Calls a command like `invoke` and fails the test unless it succeeded; answers its value. */
export async function ok(driver, command, args) {
  const answer = await invoke(driver, command, args);
  assert.equal(answer.ok, true, `${command}: ${JSON.stringify(answer.error)}`);
  return answer.value;
}

/** Calls a command the way the UI does, bypassing the UI, and returns {ok, value|error}. */
export async function invoke(driver, command, args) {
  return driver.executeAsyncScript(
    `const [command, args, done] = arguments;
     window.__TAURI_INTERNALS__.invoke(command, args).then((value) => done({ ok: true, value }), (error) => done({ ok: false, error }));`,
    command,
    args,
  );
}
