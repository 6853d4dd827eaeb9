// The Playwright peer of `pinready record`: the same OAuth flow on the same
// offline world, recorded with Playwright's recordVideo (VP9 WebM of the
// viewport only: no address bar, no cursor, no captions).
//
//   node playwright-record.mjs --app URL --rules "MAP host 127.0.0.1, …" \
//        --out DIR [--pace 1000] [--chromium /usr/bin/chromium]
//
// Each step is held --pace milliseconds after it is done, as pinready's
// `record --pace` holds it, so both timelines are comparable. Prints one
// JSON line: the video path and when the flow started and ended
// (Unix ms), so the caller can split its wall time.
import { chromium } from 'playwright-core';
import { parseArgs } from 'node:util';
import path from 'node:path';

const { values: opt } = parseArgs({
  options: {
    app: { type: 'string' },
    rules: { type: 'string' },
    out: { type: 'string' },
    pace: { type: 'string', default: '1000' },
    chromium: { type: 'string', default: '/usr/bin/chromium' },
    timeout: { type: 'string', default: '15000' },
  },
});
if (!opt.app || !opt.rules || !opt.out) {
  console.error('usage: node playwright-record.mjs --app URL --rules RULES --out DIR [--pace MS]');
  process.exit(2);
}
const pace = Number(opt.pace);
const timeout = Number(opt.timeout);
const size = { width: 1920, height: 1080 };

const t0 = Date.now();
const browser = await chromium.launch({
  executablePath: opt.chromium,
  headless: true,
  args: ['--no-sandbox', `--host-resolver-rules=${opt.rules}`],
});
let video;
try {
  const context = await browser.newContext({
    viewport: size,
    recordVideo: { dir: opt.out, size },
  });
  context.setDefaultTimeout(timeout);
  const page = await context.newPage();
  video = page.video();
  const hold = () => page.waitForTimeout(pace);
  const flowStart = Date.now();

  // The steps of pinready's oauthflow, each held `pace` like `record --pace`.
  await page.goto(opt.app); // open-app
  await hold();
  await page.click('#connect-pinterest'); // connect
  await hold();
  const giveAccess = page.getByRole('button', { name: 'Give access' });
  await giveAccess.waitFor(); // consent
  await hold();
  await giveAccess.click(); // approve
  await hold();
  await page.waitForURL(/\/oauth\/callback|code=/, { waitUntil: 'load' }).catch(() => {}); // callback
  await hold();
  await page.getByText('Your boards').first().waitFor(); // live-data
  await hold();
  await page.click('#create-pin'); // after-1
  await hold();
  await page.waitForSelector('#pin-created'); // after-2
  await hold();

  const flowEnd = Date.now();
  await context.close(); // finishes the video
  console.log(JSON.stringify({
    video: path.resolve(await video.path()),
    script_start_ms: t0, // Unix milliseconds
    flow_start_ms: flowStart,
    flow_end_ms: flowEnd,
  }));
} finally {
  await browser.close();
}
