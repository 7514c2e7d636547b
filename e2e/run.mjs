// Liaison's web interface in a real browser: each role's tasks on the three demo nodes, in order, with a
// screenshot of every main page. A failing step prints what it expected, saves a screenshot of the page as
// it was, and exits non-zero. Started by scripts/e2e, which runs the demo and sets the environment.

import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";

const demo = JSON.parse(fs.readFileSync(process.env.LIAISON_DEMO_JSON, "utf8").split("\n")[0]);
const demoDir = process.env.LIAISON_DEMO_DIR;
const shots = process.env.LIAISON_SCREENSHOTS;
const [nodeA, nodeB] = demo.nodes;

// RFC 6238 TOTP (SHA-1, 6 digits, 30 s) from a base32 secret, as an authenticator app computes it.
function base32(text) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = "";
  for (const c of text.replace(/=+$/, "").toUpperCase()) {
    const v = alphabet.indexOf(c);
    if (v < 0) throw new Error(`not base32: ${c}`);
    bits += v.toString(2).padStart(5, "0");
  }
  const bytes = [];
  for (let i = 0; i + 8 <= bits.length; i += 8) bytes.push(parseInt(bits.slice(i, i + 8), 2));
  return Buffer.from(bytes);
}
function totp(secret, at = Date.now()) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 1000 / 30)));
  const mac = crypto.createHmac("sha1", base32(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const code = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return code.toString().padStart(6, "0");
}

function user(node, role) {
  const found = node.users.find((u) => u.roles.includes(role));
  if (!found) throw new Error(`no ${role} user on ${node.id}`);
  return found;
}

// The records of one node's country in the exercise.
function recordsOf(node) {
  const file = fs
    .readdirSync(path.join(demoDir, "exercise", "records"))
    .find((f) => f.toLowerCase() === `${node.country.toLowerCase()}.jsonl`);
  return fs
    .readFileSync(path.join(demoDir, "exercise", "records", file), "utf8")
    .split("\n")
    .filter((l) => l.trim().startsWith("{"))
    .map((l) => JSON.parse(l));
}

// A manifest of the exercise in which node's officers will find hits: each is screened once through the
// API (as a border system would send it), and the one with the most hits is uploaded in the browser.
async function manifestWithHits(node) {
  const admin = { Authorization: `Bearer ${node.token}`, "Content-Type": "application/json" };
  const created = await fetch(`${node.url}/api/v1/tokens`, {
    method: "POST",
    headers: admin,
    body: JSON.stringify({ username: user(node, "officer").username }),
  }).then((r) => r.json());
  let best = null;
  for (const file of fs.readdirSync(path.join(demoDir, "exercise", "manifests"))) {
    if (!file.endsWith(".paxlst.edi")) continue;
    const full = path.join(demoDir, "exercise", "manifests", file);
    const report = await fetch(`${node.url}/api/v1/manifests?purpose=border_check`, {
      method: "POST",
      headers: { Authorization: `Bearer ${created.token}` },
      body: fs.readFileSync(full),
    }).then((r) => r.json());
    const hits = report.summary ? report.summary.strong + report.summary.possible : 0;
    if (hits > 0 && (!best || hits > best.hits)) best = { file: full, hits };
  }
  if (!best) throw new Error(`no exercise manifest has a hit on ${node.id}`);
  return best.file;
}

// What the exercise gives to search for: a person wanted by node B, as node B records them.
function wantedOn(node) {
  const file = fs
    .readdirSync(path.join(demoDir, "exercise", "records"))
    .find((f) => f.toLowerCase() === `${node.country.toLowerCase()}.jsonl`);
  const lines = fs.readFileSync(path.join(demoDir, "exercise", "records", file), "utf8").split("\n");
  const records = lines.filter((l) => l.trim().startsWith("{")).map((l) => JSON.parse(l));
  const persons = new Map(records.filter((r) => r.type === "person").map((r) => [r.id, r]));
  for (const alert of records.filter((r) => r.type === "alert" && r.category === "wanted_for_arrest")) {
    const person = persons.get(alert.subject);
    if (person && person.birth_dates && person.birth_dates.length) {
      const name = person.names.find((n) => n.kind === "primary") || person.names[0];
      return { name: name.full, birthDate: person.birth_dates[0] };
    }
  }
  throw new Error(`no wanted person in ${node.id}'s records`);
}

let count = 0;
let failed = false;
async function step(page, name, run) {
  count += 1;
  const label = `${String(count).padStart(2, "0")}-${name}`;
  const started = Date.now();
  try {
    await run();
    await page.screenshot({ path: path.join(shots, `${label}.png`), fullPage: true });
    console.log(`e2e: ok   ${label} (${Date.now() - started} ms)`);
  } catch (error) {
    failed = true;
    await page.screenshot({ path: path.join(shots, `FAILED-${label}.png`), fullPage: true }).catch(() => {});
    console.log(`e2e: FAIL ${label}: ${error.message}`);
    throw error;
  }
}

async function expectText(page, text, timeout = 10_000) {
  await page.getByText(text).first().waitFor({ state: "visible", timeout });
}

async function login(browser, node, role) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const account = user(node, role);
  await step(page, `login-${role}-${node.id}`, async () => {
    await page.goto(`${node.url}/`);
    await page.getByLabel("Username").fill(account.username);
    await page.getByLabel("Password").fill(account.password);
    await page.getByLabel(/Code from your authenticator/).fill(totp(account.totp_secret));
    await page.getByRole("button", { name: "Log in" }).click();
    await expectText(page, "What needs you now");
  });
  return page;
}

const browser = await chromium.launch({
  executablePath: process.env.LIAISON_CHROMIUM || "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

try {
  // An officer of node A: home, then a federated search that node B answers.
  const officer = await login(browser, nodeA, "officer");
  const wanted = wantedOn(nodeB);
  let disclosureUrl;
  await step(officer, "screen-federated", async () => {
    await officer.goto(`${nodeA.url}/screen`);
    await officer.getByLabel(/^Names?/).fill(wanted.name);
    await officer.getByLabel(/Date of birth/).fill(wanted.birthDate);
    await officer.getByLabel(/Purpose/).selectOption("criminal_investigation");
    await officer.getByLabel(/Case reference/).fill("E2E-1");
    await officer.getByLabel("This node and its partners").check();
    await officer.getByRole("button", { name: /^Screen/ }).click();
    await expectText(officer, `Partner ${nodeB.id}`);
  });
  await step(officer, "request-disclosure", async () => {
    const group = officer.locator("section.hit-group", { hasText: `Partner ${nodeB.id}` });
    await group.getByText("Request disclosure").first().click();
    await group.getByLabel("Legal basis").first().fill("Art. 3 Dir. (EU) 2023/977");
    await group.getByRole("button", { name: /Send the request to/ }).first().click();
    const link = group.getByRole("link", { name: "Disclosures" }).first();
    await link.waitFor({ state: "visible", timeout: 10_000 });
    disclosureUrl = await link.getAttribute("href");
  });

  await step(officer, "home-after-search", async () => {
    await officer.goto(`${nodeA.url}/`);
    await expectText(officer, "Partners' answers to this node's searches today");
    await officer.locator("td", { hasText: nodeB.id }).first().waitFor();
  });

  // A supervisor of node B approves it.
  const supervisor = await login(browser, nodeB, "supervisor");
  await step(supervisor, "approve-disclosure", async () => {
    await supervisor.goto(`${nodeB.url}/disclosures`);
    await expectText(supervisor, "Requests to approve");
    await supervisor.getByRole("link", { name: nodeA.id }).first().click();
    await supervisor.getByRole("button", { name: /^Approve/ }).click();
    await expectText(supervisor, /approved/i);
  });

  // Back on node A: the disclosed record, with node B's handling code.
  await step(officer, "disclosed-record", async () => {
    for (let attempt = 0; attempt < 40; attempt += 1) {
      await officer.goto(`${nodeA.url}${disclosureUrl && disclosureUrl.startsWith("/") ? disclosureUrl : "/disclosures"}`);
      if ((await officer.getByText(/approved/i).count()) > 0) break;
      await officer.waitForTimeout(250);
    }
    await expectText(officer, /approved/i);
    await expectText(officer, /H[0-3]/);
  });
  await step(officer, "disclosed-record-opened", async () => {
    await officer.getByRole("link", { name: "Open the record" }).click();
    await expectText(officer, `Received from ${nodeB.id}: do not pass on.`);
  });

  // A manifest: upload, open the run, mark a hit.
  const manifest = await manifestWithHits(nodeA);
  await step(officer, "manifest-upload", async () => {
    await officer.goto(`${nodeA.url}/manifests`);
    await officer.getByLabel(/Purpose/).selectOption("border_check");
    await officer.locator("input[type=file]").setInputFiles(manifest);
    await officer.getByRole("button", { name: /Screen manifest|Upload/ }).click();
    await expectText(officer, /travellers/i);
  });
  await step(officer, "manifest-review", async () => {
    const mark = officer.getByRole("button", { name: /Mark as true hit/ }).first();
    // Hits may sit in a closed <details>; open the first traveller's.
    if (!(await mark.isVisible())) {
      await officer.locator("details summary").first().click();
    }
    await mark.click();
    await expectText(officer, /true hit/i);
  });
  await step(officer, "document-check", async () => {
    await officer.goto(`${nodeA.url}/documents`);
    await officer
      .getByLabel("The zone as printed")
      .fill("P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10");
    await officer.getByRole("button", { name: "Check the zone" }).click();
    await expectText(officer, /L898902C3/);
  });
  await step(officer, "records", async () => {
    await officer.goto(`${nodeA.url}/records`);
  });
  await step(officer, "messages", async () => {
    await officer.goto(`${nodeA.url}/messages`);
  });

  // The central authority of node B moves the investigation order the demo started with.
  const legal = await login(browser, nodeB, "legal");
  await step(legal, "legal-list", async () => {
    await legal.goto(`${nodeB.url}/legal`);
    await legal.getByRole("link", { name: "European Investigation Order" }).first().waitFor();
  });
  await step(legal, "legal-advance", async () => {
    await legal.getByRole("link", { name: "European Investigation Order" }).first().click();
    await legal.getByRole("button", { name: /^Acknowledge/ }).click();
    await expectText(legal, /acknowledged/);
    await legal.getByRole("button", { name: /^Recognise/ }).click();
    await expectText(legal, /recognised/);
  });

  // The same pages on a tablet held upright: nothing is cut off, tables scroll inside their panels.
  await step(legal, "tablet-legal-request", async () => {
    await legal.setViewportSize({ width: 820, height: 1180 });
    await legal.reload();
    const overflow = await legal.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) throw new Error(`the page is ${overflow} px wider than the tablet's screen`);
  });
  await step(officer, "tablet-screen", async () => {
    await officer.setViewportSize({ width: 820, height: 1180 });
    await officer.goto(`${nodeA.url}/screen`);
    const overflow = await officer.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) throw new Error(`the page is ${overflow} px wider than the tablet's screen`);
  });

  // The auditor of node A checks the log.
  const auditor = await login(browser, nodeA, "auditor");
  await step(auditor, "audit-verify", async () => {
    await auditor.goto(`${nodeA.url}/audit`);
    await auditor.getByRole("button", { name: /Verify integrity/ }).click();
    await expectText(auditor, /intact/i);
  });

  // The analyst's link analysis and the administrator's page.
  const analyst = await login(browser, nodeA, "analyst");
  const related = recordsOf(nodeA).find((r) => r.type === "relation");
  await step(analyst, "graph", async () => {
    await analyst.goto(`${nodeA.url}/graph`);
    await analyst.getByLabel("Entity id or value").fill(related.from);
    await analyst.locator("#g-purpose").selectOption("criminal_investigation");
    await analyst.getByRole("button", { name: "Show network" }).click();
    await analyst.waitForFunction(() => Number(document.getElementById("g-count").textContent) > 1);
    await analyst.getByRole("button", { name: "Find key players" }).click();
    await expectText(analyst, /without them/);
  });
  const admin = await login(browser, nodeA, "admin");
  await step(admin, "admin", async () => {
    await admin.goto(`${nodeA.url}/admin`);
    await admin.locator("td.mono", { hasText: "officer" }).first().waitFor();
    // The demo's tokens are listed (never the tokens themselves).
    await admin.getByRole("heading", { name: /^Tokens/ }).waitFor();
  });
  await step(admin, "admin-partners", async () => {
    await admin.goto(`${nodeA.url}/admin/partners`);
    await expectText(admin, nodeB.id);
  });
} catch (error) {
  failed = true;
} finally {
  await browser.close();
}
console.log(failed ? "e2e: failed" : `e2e: all ${count} steps passed; screenshots in ${shots}`);
process.exit(failed ? 1 : 0);
