// The organizer desk in Debian's Chromium: the screen that sent a heartbeat
// is listed as OK with its thumbnail; with the token, move a session, cancel
// one, post a notice; with a wrong token, see the refusal.
// An alert posted from the desk is listed "on 0 of 1 screens" until the
// screen's heartbeat names it, then "on 1 of 1"; withdrawn from the desk.
// The sensors panel: a failing source first, with its error; one that read, ok.
// usage: node organizer.mjs BASE_URL TOKEN SCREENSHOT.png SCREEN_NAME SCREEN_TOKEN
import { chromium } from "playwright-core";

const [base, token, shot, screen, screenToken] = process.argv.slice(2);
const fail = (msg) => { console.error("FAIL: " + msg); process.exit(1); };
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  const page = await browser.newPage();
  page.on("dialog", (d) => d.accept());
  const saved = () => page.waitForFunction(
    () => document.querySelector("#status").textContent === "Saved.", null, { timeout: 10000 });
  await page.goto(base + "/organizer/");
  await page.waitForSelector("tr[data-session]");

  // the screen's heartbeat, read without a token: its name, OK in words, the picture
  const tr = `#screens tr[data-screen="${screen}"]`;
  await page.waitForSelector(tr, { timeout: 10000 });
  const shown = await page.textContent(tr);
  if (!shown.includes(screen)) fail("the screens list does not name " + screen + ": " + shown);
  const state = await page.textContent(tr + " td.state");
  if (state !== "OK") fail("the screen's state reads '" + state + "', want OK");
  if (!shown.includes("page 2/5")) fail("what the screen shows is missing: " + shown);
  await page.waitForFunction((sel) => {
    const img = document.querySelector(sel + " img");
    return img && img.complete && img.naturalWidth > 0;
  }, tr, { timeout: 10000 });

  // the sensors (run-organizer-e2e.sh configures them): cam-x polls a port
  // nothing listens on, so it is failing and listed first with its error;
  // door-a took one push, so it is ok. The panel polls every 10 s and cam-x
  // needs a poll or two to fail: wait for both rather than read once.
  const src = (name) => `#sensors tr[data-source="${name}"]`;
  await page.waitForFunction(([a, x]) => {
    const state = (sel) => (document.querySelector(sel + " td.state") || {}).textContent || "";
    return state(a).startsWith("ok") && state(x).startsWith("failing since ");
  }, [src("door-a"), src("cam-x")], { timeout: 25000 }).catch(async () =>
    fail("the sensors panel does not show door-a ok and cam-x failing: " +
         (await page.textContent("#sensors-section")).replace(/\s+/g, " ")));
  const camError = (await page.textContent(src("cam-x") + " td.why")).trim();
  if (!camError) fail("cam-x is failing but the desk says no error");
  const first = await page.getAttribute("#sensors tr:first-child", "data-source");
  if (first !== "cam-x") fail("the failing source is not listed first: " + first + " is");
  const doorLast = await page.textContent(src("door-a") + " td.last");
  if (!/ ago$/.test(doorLast)) fail("door-a's last reading reads '" + doorLast + "'");
  if (await page.isVisible("#sensors-broker")) fail("a broker line is shown with no mqtt-broker configured");

  // the lunch line: its forecast for the next hour, and the alert in words
  await page.waitForSelector('#lunch-lines tr[data-queue="meridien-lunch"]', { timeout: 40000 });
  const lunch = await page.textContent('#lunch-lines tr[data-queue="meridien-lunch"] td.forecast');
  if (!/≈ \d+ min/.test(lunch) || !lunch.includes("highest")) fail("no forecast on the desk: " + lunch);
  const alert = await page.textContent("#lunch-alerts");
  if (!alert.includes("ALERT: Le Méridien") || !alert.includes("open more stations?"))
    fail("the lunch alert is not shown: " + alert);

  // a wrong token is refused, and the page says so
  await page.fill("#token", "not-the-token-at-all");
  await page.dispatchEvent("#token", "change");
  await page.fill("#filter", "4184");
  await page.locator('tr[data-session="4184"] button.cancel').click();
  await page.waitForFunction(() => document.querySelector("#status").className === "error");
  const refusal = await page.textContent("#status");
  if (!/token/.test(refusal)) fail("refusal does not mention the token: " + refusal);

  await page.fill("#token", token);
  await page.dispatchEvent("#token", "change");
  const row = page.locator('tr[data-session="4184"]');
  await row.locator("select").selectOption("Salle 243");
  await row.locator("button.move").click();
  await saved();

  await page.fill("#filter", "4216");
  await page.locator('tr[data-session="4216"] button.cancel').click();
  await saved();
  const cls = await page.getAttribute('tr[data-session="4216"]', "class");
  if (cls !== "cancelled") fail("4216 is not shown cancelled");

  await page.fill("#notice-text", "Lunch line at Le Méridien: use the second buffet upstairs");
  await page.click("#notice-form button");
  await saved();

  // the rooms: the camera's FULL in words; a steward marks another FULL by hand
  const r241 = await page.textContent('#rooms tr[data-room="Salle 241"] td.state');
  if (r241 !== "FULL") fail("Salle 241 at its seats reads '" + r241 + "', want FULL");
  await page.locator('#rooms tr[data-room="Salle 252A"] button.mark-full').click();
  await saved();
  await page.waitForFunction(() => {
    const td = document.querySelector('#rooms tr[data-room="Salle 252A"] td.state');
    return td && td.textContent.startsWith("FULL (by hand, until");
  }, null, { timeout: 10000 });
  const audit = await page.locator("#audit li").count();
  if (audit !== 4) fail("audit shows " + audit + " changes, want 4");
  // an alert from the desk; the screen proves it shows it; withdrawn
  await page.fill("#alert-text", "Evacuate by the east stairs");
  await page.click("#alert-form button");
  await saved();
  await page.waitForFunction(() => /on 0 of 1 screens; not confirmed: palais-l2-east/
    .test(document.querySelector("#alerts").textContent), null, { timeout: 10000 });
  const alertId = Number(await page.getAttribute("#alerts li", "data-alert"));
  const hb = await fetch(base + "/v1/screens/heartbeat", { method: "POST",
    headers: { "Authorization": "Bearer " + screenToken }, body: JSON.stringify({ alerts: [alertId] }) });
  const answer = await hb.json();
  if (!answer.alerts.some((a) => a.id === alertId)) fail("the heartbeat's answer lacks the alert");
  await page.waitForFunction(() => /on 1 of 1 screens/.test(document.querySelector("#alerts").textContent),
    null, { timeout: 10000 });
  await page.locator("#alerts button.withdraw").first().click();
  await saved();
  await page.waitForFunction(() => /withdrawn: Evacuate/.test(document.querySelector("#alerts").textContent),
    null, { timeout: 10000 });

  // the page behind the board's QR code, on a phone 360 px wide
  const phone = await browser.newPage({ viewport: { width: 360, height: 740 } });
  await phone.goto(base + "/m/?at=2014-11-06T12%3A10%3A00%2B01%3A00");
  const text = await phone.textContent("main");
  for (const want of ["Changes", "moved", "Salle 243", "Now", "Lunch lines", "Le Méridien"])
    if (!text.includes(want)) fail("the phone page lacks '" + want + "'");
  const overflow = await phone.evaluate(() => document.documentElement.scrollWidth);
  if (overflow > 360) fail("the phone page is " + overflow + " px wide on a 360 px phone");
  const size = await phone.evaluate(() => parseFloat(getComputedStyle(document.body).fontSize));
  if (size < 16) fail("the phone page's text is " + size + " px");
  await phone.screenshot({ path: shot.replace(/\.png$/, "-phone.png"), fullPage: true });

  await page.fill("#filter", "");
  await page.screenshot({ path: shot });
  console.log("organizer desk: " + screen + " listed OK with its thumbnail; the lunch line's " +
              "forecast and alert (" + alert.trim() + "); moved 4184, cancelled 4216, " +
              "posted a notice, Salle 241 FULL from its camera, Salle 252A FULL by hand, " +
              "an alert confirmed on 1 of 1 screens then withdrawn, refused a wrong token; sensors: " +
              "cam-x failing first (" + camError + "), door-a ok; the phone " +
              "page 360 px wide with the changes, rooms and lunch lines");
} finally {
  await browser.close();
}
