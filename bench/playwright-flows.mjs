// The Playwright peer of `pinready check --only oauth` over many apps (and
// of oauthflow's BenchmarkManyApps): the same OAuth flow of the example
// world, once per app, in one browser, each app in a fresh browser context,
// --jobs of them at once. The pages, clicks and waits are pinready's steps:
//
//   open-app   load the app's page
//   connect    click #connect-pinterest, which leads to the authorize page
//   consent    wait for the "Give access" button (approve_selector text=Give access)
//   approve    click it; Pinterest sends the browser back to the callback
//   callback   the callback page has loaded
//   live-data  wait for the text "Your boards" (oauth.success_text)
//   after-1    click #create-pin
//   after-2    wait for #pin-created
//
// It is the script a developer would write to drive the flow and nothing
// more: no page text, storage, network bodies or screenshots are read.
//
//   node playwright-flows.mjs --app URL --rules "MAP host 127.0.0.1, …" \
//        [--apps 20] [--jobs 4] [--chromium /usr/bin/chromium] [--timeout 15000]
//
// Prints one JSON line: flows run, flows that reached #pin-created, and
// each flow's milliseconds. Exits 1 unless every flow did.
import { chromium } from 'playwright-core';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
  options: {
    app: { type: 'string' },
    rules: { type: 'string' },
    apps: { type: 'string', default: '20' },
    jobs: { type: 'string', default: '4' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    timeout: { type: 'string', default: '15000' },
  },
});
if (!opt.app || !opt.rules) {
  console.error('usage: node playwright-flows.mjs --app URL --rules RULES [--apps 20] [--jobs 4] [--chromium PATH]');
  process.exit(2);
}
const apps = Number(opt.apps);
const jobs = Number(opt.jobs);
const timeout = Number(opt.timeout);

const browser = await chromium.launch({
  executablePath: opt.chromium,
  headless: true,
  args: ['--no-sandbox', `--host-resolver-rules=${opt.rules}`],
});

// flow runs one app's OAuth flow in a browser context of its own.
async function flow() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  context.setDefaultTimeout(timeout);
  try {
    const page = await context.newPage();
    await page.goto(opt.app); // open-app
    await page.click('#connect-pinterest'); // connect
    const giveAccess = page.getByRole('button', { name: 'Give access' });
    await giveAccess.waitFor(); // consent
    await giveAccess.click(); // approve
    await page.waitForURL(/\/oauth\/callback/, { waitUntil: 'load' }); // callback
    await page.getByText('Your boards').first().waitFor(); // live-data
    await page.click('#create-pin'); // after-1
    await page.waitForSelector('#pin-created'); // after-2
    return true;
  } catch (err) {
    console.error(`flow failed: ${err.message}`);
    return false;
  } finally {
    await context.close();
  }
}

const ms = [];
let ok = 0;
let next = 0;
async function worker() {
  while (next < apps) {
    next++;
    const t0 = performance.now();
    if (await flow()) ok++;
    ms.push(Math.round(performance.now() - t0));
  }
}
try {
  await Promise.all(Array.from({ length: Math.min(jobs, apps) }, worker));
} finally {
  await browser.close();
}
console.log(JSON.stringify({ flows: apps, ok, jobs, flow_ms: ms }));
process.exit(ok === apps ? 0 : 1);
