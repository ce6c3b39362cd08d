// Measures what a caseworker waits for: from starting MRC Desk on a centre of
// 10,000 migrants to the first list of names on screen, and how much memory
// the app and its webview then hold. A measurement, not a test:
//   cargo build --release -p mrc-cli && make app
//   xvfb-run -a node tests/e2e/measure-startup.mjs [migrants] [runs]
// MRC_START_DB=FILE starts on a database made before instead (such as the
// million-migrant centre `make bench-search KEEP_IN=DIR` keeps), linked in
// without a copy, so it must be on the same disk as the temporary folder.
import { execFileSync } from 'node:child_process';
import { linkSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startDesk, find, signIn } from './harness.mjs';

const migrants = Number(process.argv[2] ?? 10000);
const runs = Number(process.argv[3] ?? 5);
/** Who signs in: a supervisor of the demo and benchmark centres. */
const SIGN_IN_AS = process.env.MRC_START_AS ?? 'Demo Supervisor';
const MRC = resolve(import.meta.dirname, '../../target/release/mrc');

/** Resident memory in MB of every process whose command line mentions `name`. */
function rssOf(name) {
  let kb = 0;
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!cmd.includes(name)) continue;
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch { /* gone */ }
  }
  return Math.round(kb / 1024);
}

const desk = await startDesk();
try {
  if (process.env.MRC_START_DB) {
    mkdirSync(desk.dataDir, { recursive: true });
    linkSync(process.env.MRC_START_DB, join(desk.dataDir, 'mrc-desk.db'));
  } else {
    execFileSync(MRC, ['--db', join(desk.dataDir, 'mrc-desk.db'), 'seed-demo', '--migrants', String(migrants)], { stdio: 'inherit' });
  }
  const times = [];
  for (let i = 0; i < runs; i++) {
    const started = Date.now();
    const driver = await desk.launch();
    // A centre with accounts starts on the sign-in screen; the first start on
    // a plain file also encrypts it, which takes minutes at a million migrants.
    const first = await find(driver, '#sign-in, #today-quiet, tbody tr.migrant-row', 600000);
    if ((await first.getAttribute('id')) === 'sign-in') await signIn(driver, SIGN_IN_AS);
    // The first screen with the centre's data on it: Today's lists, or the migrant list.
    await find(driver, '#today-quiet, tbody tr.migrant-row', 30000);
    times.push(Date.now() - started);
    await new Promise((r) => setTimeout(r, 1000));
    if (i === runs - 1) {
      console.log(`memory after first screen: app ${rssOf('target/debug/mrc-desk')} MB, webview ${rssOf('WebKitWebProcess')} MB`);
    }
    await desk.quit();
  }
  console.log(`first start (on a plain file: encrypts it), ms: ${times[0]}`);
  times.shift();
  times.sort((a, b) => a - b);
  console.log(`start to the first screen with data of ${process.env.MRC_START_DB ?? `${migrants} migrants`} (incl. WebDriver session), ms: ${times.join(', ')}; median ${times[Math.floor(times.length / 2)]}`);
} finally {
  await desk.stop();
}
