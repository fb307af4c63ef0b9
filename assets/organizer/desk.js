// The organizer desk: the page's only script (the Content-Security-Policy
// allows no inline script).
"use strict";
// Plain DOM, no framework: the page must work on any laptop at the desk.
const $ = (id) => document.getElementById(id);
let doc = null;
$("token").value = sessionStorage.getItem("vb-token") || "";
$("token").addEventListener("change", () => sessionStorage.setItem("vb-token", $("token").value));

function say(text, error) {
  $("status").textContent = text;
  $("status").className = error ? "error" : "";
}

async function send(path, body) {
  say("Saving…");
  const r = await fetch(path, {
    method: "POST",
    headers: { "Authorization": "Bearer " + $("token").value, "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const j = await r.json().catch(() => ({}));
  if (!r.ok) { say(j.error || ("HTTP " + r.status), true); return false; }
  await load(); say("Saved."); return true;
}

function local(t) {
  return new Date(t).toLocaleString([], { timeZone: (doc && doc.conference.timezone) || "UTC",
    weekday: "short", hour: "2-digit", minute: "2-digit" });
}

function row(s, rooms) {
  const tr = document.createElement("tr");
  tr.dataset.session = s.id;
  if (s.status === "cancelled") tr.className = "cancelled";
  const cells = [local(s.start), rooms[s.room] || "", s.title];
  for (const c of cells) { const td = document.createElement("td"); td.textContent = c; tr.append(td); }
  const td = document.createElement("td");
  const sel = document.createElement("select");
  sel.setAttribute("aria-label", "New room for " + s.title);
  for (const r of doc.rooms) { const o = new Option(r.name, r.name, false, r.id === s.room); sel.add(o); }
  const move = document.createElement("button");
  move.textContent = "Move"; move.className = "move";
  move.onclick = () => send("/v1/changes", { kind: "move", session: s.id, room: sel.value });
  const cancel = document.createElement("button");
  cancel.textContent = "Cancel"; cancel.className = "cancel";
  cancel.disabled = s.status === "cancelled";
  cancel.onclick = () => confirm("Cancel “" + s.title + "”?") &&
    send("/v1/changes", { kind: "cancel", session: s.id });
  td.append(sel, " ", move, " ", cancel);
  tr.append(td);
  return tr;
}

function render() {
  const f = $("filter").value.toLowerCase();
  const rooms = Object.fromEntries(doc.rooms.map((r) => [r.id, r.name]));
  const body = $("sessions");
  body.replaceChildren();
  let shown = 0;
  for (const s of doc.sessions) {
    const hay = (s.title + " " + (rooms[s.room] || "") + " " + s.id).toLowerCase();
    if (f && !hay.includes(f)) continue;
    if (++shown > 200) break;
    body.append(row(s, rooms));
  }
  $("summary").textContent = doc.conference.title + ": " + doc.sessions.length + " sessions, " +
    doc.changes.length + " changes for attendees, version " + doc.version;
  renderAudit();
}

// The changes made, newest first, in words ("move session 4184 ('…') to
// Salle 243"); their own feed: the kiosks' schedule does not carry them.
let auditDoc = { audit: [] };
function renderAudit() {
  const audit = $("audit");
  audit.replaceChildren();
  for (const a of auditDoc.audit.slice().reverse()) {
    const li = document.createElement("li");
    li.textContent = local(a.at) + " " + a.who + ": " + a.what + (a.undone ? " (undone)" : "") +
      (a.skipped ? " (not applied: " + a.skipped + ")" : "") + " ";
    if (!a.undone) {
      const b = document.createElement("button");
      b.textContent = "Undo";
      b.onclick = () => send("/v1/changes", { kind: "undo", change: a.id });
      li.append(b);
    }
    audit.append(li);
  }
}

async function load() {
  const [r, a] = await Promise.all([fetch("/v1/schedule", { cache: "no-cache" }),
    fetch("/v1/audit", { cache: "no-cache" })]);
  if (a.ok) auditDoc = await a.json();
  if (!r.ok) { say("No schedule yet (HTTP " + r.status + ")", true); renderAudit(); return; }
  doc = await r.json();
  render();
}

// Screens: each kiosk's latest heartbeat, read without a token every 10 s, so
// a dead screen shows at the desk. States are words, not only colours.
function duration(s) {
  if (s < 60) return Math.round(s) + " s";
  if (s < 3600) return Math.floor(s / 60) + " min";
  if (s < 48 * 3600) return Math.floor(s / 3600) + " h";
  return Math.floor(s / 86400) + " days";
}

function stateWords(x) {
  if (x.state === "stale") return "NOT SEEN FOR " + duration(x.age_s).toUpperCase();
  if (x.state === "offline") return "OFFLINE";
  if (x.state === "failing") return "FEED FAILING: " + x.feed_error;
  return "OK";
}

function screenRow(x, imgs) {
  const tr = document.createElement("tr");
  tr.dataset.screen = x.screen;
  tr.className = x.state;
  const cells = [
    [x.screen, "name"],
    [stateWords(x), "state"],
    [duration(x.age_s) + " ago", "seen"],
    [x.version ?? "—", "version"],
    [x.showing ?? "—", "showing"],
    [x.feed_age_s === null ? "no schedule" : x.feed_age_s === undefined ? "—" : duration(x.feed_age_s), "feed"],
  ];
  for (const [text, cls] of cells) {
    const td = document.createElement("td");
    td.textContent = text; td.className = cls; tr.append(td);
  }
  const td = document.createElement("td");
  if (x.thumbnail) {
    // a new heartbeat, a new address: the browser's cache never shows an old picture
    const src = x.thumbnail + "?seen=" + encodeURIComponent(x.last_seen);
    let img = imgs.get(src);
    if (!img) {
      img = document.createElement("img");
      img.className = "thumb"; img.src = src;
    }
    img.alt = "What " + x.screen + " shows";
    td.append(img);
  } else {
    td.textContent = "none"; td.className = "muted";
  }
  tr.append(td);
  return tr;
}

async function loadScreens() {
  let d;
  try {
    const r = await fetch("/v1/screens", { cache: "no-cache" });
    if (!r.ok) throw new Error("HTTP " + r.status);
    d = await r.json();
  } catch (err) {
    $("screens-summary").textContent = "Could not read the screens (" + err.message + "); trying again in 10 s.";
    return;
  }
  screensSeen = new Map(d.screens.map((x) => [x.screen, x]));
  const body = $("screens");
  const imgs = new Map([...body.querySelectorAll("img")].map((i) => [i.getAttribute("src"), i]));
  body.replaceChildren(...d.screens.map((x) => screenRow(x, imgs)));
  const count = (s) => d.screens.filter((x) => x.state === s).length;
  const at = new Date(d.t).toLocaleTimeString();
  if (!d.screens.length) {
    $("screens-summary").textContent = "No screen has reported yet (checked " + at + ").";
    return;
  }
  const parts = [count("ok") + " OK"];
  if (count("stale")) parts.push(count("stale") + " NOT SEEN");
  if (count("offline")) parts.push(count("offline") + " OFFLINE");
  if (count("failing")) parts.push(count("failing") + " FEED FAILING");
  $("screens-summary").textContent = d.screens.length + (d.screens.length === 1 ? " screen: " : " screens: ") + parts.join(", ") +
    " (checked " + at + ").";
}

// Lunch lines: each line's wait now and its forecast for the next hour, and
// the alert the server raises when one is forecast above its alert-wait
// (early enough to open more stations). Read without a token every 30 s.
function minutes(s) {
  return s === null || s === undefined ? "—" : Math.round(s / 60) + " min";
}

function clock(t) {
  const zone = (doc && doc.conference.timezone) || "UTC";
  return new Date(t).toLocaleTimeString([], { timeZone: zone, hour: "2-digit", minute: "2-digit" });
}

// Why the screens show only the wait now: the record of the first horizon
// withheld, in words ("forecast withheld: 30 min ahead its last 24 forecasts
// were off by 9 min, 'stays as it is' by 0 min").
function withheldWords(f) {
  const same = f && (f.record || []).find((x) => x.shows === "same_time");
  if (same && !f.withheld)
    return "; " + same.ahead_min + " min ahead: as on earlier days at that time (its last " +
      same.n + " were off by " + minutes(same.same_time_s) + ", the forecast by " +
      minutes(same.model_s) + ")";
  if (!f || !f.withheld) return "";
  const r = (f.record || []).find((x) => x.withheld);
  if (!r) return "forecast withheld";
  return (f.points.some((p) => p.wait_s !== null) ? "; " : "") + "forecast withheld: " +
    r.ahead_min + " min ahead its last " + r.n + " forecasts were off by " + minutes(r.model_s) +
    ", 'stays as it is' by " + minutes(r.persistence_s) + " on average";
}

function lunchRow(q) {
  const tr = document.createElement("tr");
  tr.dataset.queue = q.queue;
  if (q.alert) tr.className = "alert";
  const f = q.forecast;
  const points = f ? f.points.filter((p) => p.wait_s !== null) : [];
  // every quarter hour of the hour ahead, and the peak
  const shown = points.filter((p, i) => i % 3 === 2);
  let peak = null;
  for (const p of points) if (!peak || p.wait_s > peak.wait_s) peak = p;
  const ahead = shown.map((p) => clock(p.at) + " ≈ " + minutes(p.wait_s) +
    " (" + minutes(p.low_s) + "–" + minutes(p.high_s) + ")").join(" · ");
  const cells = [
    [q.queue, "name"],
    [minutes(q.wait_s) + (q.confidence !== "good" ? " (" + q.confidence + ")" : ""), "now"],
    [(points.length ? ahead + (peak ? "; highest " + minutes(peak.wait_s) + " at " + clock(peak.at) : "")
      : f && f.withheld ? "" : "no forecast yet") + withheldWords(f), "forecast"],
    [f ? f.days_learned + (f.days_learned === 1 ? " earlier day" : " earlier days") : "—", "days"],
  ];
  for (const [text, cls] of cells) {
    const td = document.createElement("td");
    td.textContent = text; td.className = cls; tr.append(td);
  }
  return tr;
}

async function loadLunch() {
  let d;
  try {
    const r = await fetch("/v1/queues", { cache: "no-cache" });
    if (!r.ok) throw new Error("HTTP " + r.status);
    d = await r.json();
  } catch (err) {
    $("lunch-summary").textContent = "Could not read the lunch lines (" + err.message + "); trying again in 30 s.";
    return;
  }
  $("lunch-lines").replaceChildren(...d.queues.map(lunchRow));
  const alerts = d.queues.filter((q) => q.alert);
  $("lunch-alerts").replaceChildren(...alerts.map((q) => {
    const p = document.createElement("p");
    p.className = "alert";
    p.textContent = "ALERT: " + q.alert.text;
    return p;
  }));
  $("lunch-summary").textContent = d.queues.length ?
    d.queues.length + (d.queues.length === 1 ? " line" : " lines") + ", " + alerts.length +
      (alerts.length === 1 ? " alert" : " alerts") + " (checked " + new Date().toLocaleTimeString() + ")." :
    "No lunch line has reported yet.";
}

// Rooms: each room's fill from its counting camera, its state in words
// (FULL, FILLING, open), a sensor gone quiet, and the steward's hand: mark
// a room FULL or open again (audited and undoable like every change; it
// ends by itself with the session). Read without a token every 15 s.
function roomRow(r) {
  const tr = document.createElement("tr");
  tr.dataset.room = r.room;
  tr.className = r.state;
  const quiet = r.why && r.why.startsWith("count unavailable");
  const state = r.state === "full" ? "FULL" : r.state === "filling" ? "FILLING" : "open";
  const cells = [
    [r.room, "name"],
    [state + (r.source === "steward" ? " (by hand, until " + clock(r.mark.until) + ")" : ""), "state"],
    [r.people === null ? "—" : r.people + (r.capacity ? " / " + r.capacity +
      " (" + Math.round(r.fill * 100) + " %)" : " (seats unknown)"), "people"],
    [r.session ? clock(r.session.start) + "–" + clock(r.session.end) + " " + r.session.title : "—", "session"],
    [quiet ? "SENSOR QUIET since " + clock(r.counted_at) : r.why ? r.why : r.counted_at ? "ok" : "no camera", "count"],
  ];
  for (const [text, cls] of cells) {
    const td = document.createElement("td");
    td.textContent = text; td.className = cls; tr.append(td);
  }
  const td = document.createElement("td");
  const full = document.createElement("button");
  full.textContent = "Mark FULL"; full.className = "mark-full";
  full.onclick = () => send("/v1/changes", { kind: "room", room: r.room, state: "full" }).then(loadRooms);
  const open = document.createElement("button");
  open.textContent = "Open again"; open.className = "mark-open";
  open.onclick = () => send("/v1/changes", { kind: "room", room: r.room, state: "open" }).then(loadRooms);
  td.append(full, " ", open);
  tr.append(td);
  return tr;
}

async function loadRooms() {
  let d;
  try {
    const r = await fetch("/v1/rooms", { cache: "no-cache" });
    if (!r.ok) throw new Error("HTTP " + r.status);
    d = await r.json();
  } catch (err) {
    $("rooms-summary").textContent = "Could not read the rooms (" + err.message + "); trying again in 15 s.";
    return;
  }
  $("rooms").replaceChildren(...d.rooms.map(roomRow));
  const n = (s) => d.rooms.filter((r) => r.state === s).length;
  const quiet = d.rooms.filter((r) => r.why && r.why.startsWith("count unavailable")).length;
  $("rooms-summary").textContent = d.rooms.length + " rooms: " + n("full") + " FULL, " + n("filling") +
    " FILLING" + (quiet ? ", " + quiet + " SENSOR QUIET" : "") + " (as of " + clock(d.t) + ").";
}

// Sensors: each counter the server reads itself (contracts §7), whether it
// reads, since when it does not, and why. Silent and failing sources come
// first: when a wait looks wrong, a dead counter is the first suspect.
// Read without a token every 10 s.
const sourceRank = { failing: 0, silent: 1 };

// a time within the day as HH:MM, an older one with its weekday
function since(t) {
  return Date.now() - new Date(t) < 20 * 3600 * 1000 ? clock(t) : local(t);
}

function cell(tr, cls, ...parts) {
  const td = document.createElement("td");
  td.className = cls;
  td.append(...parts);
  tr.append(td);
  return td;
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  e.textContent = text;
  return e;
}

function sourceRow(x, now) {
  const tr = document.createElement("tr");
  tr.dataset.source = x.name;
  tr.className = x.state;
  cell(tr, "name", el("strong", "", x.name), el("div", "small muted", x.format + " · " + x.from));
  cell(tr, "target", x.target);
  const badge = x.state === "ok" ? "ok" : x.state + (x.since ? " since " + since(x.since) : "");
  cell(tr, "state", el("span", "badge " + x.state, badge));
  // ages from the server's own clock: the desk's laptop may be off by minutes
  cell(tr, "last", x.last_reading ? duration(Math.max(0, (now - new Date(x.last_reading)) / 1000)) + " ago" : "never");
  cell(tr, "rate", String(x.readings_per_min ?? "—"));
  cell(tr, "refused" + (x.refused ? " bad" : ""), String(x.refused ?? "—"));
  const why = cell(tr, "why");
  if (x.last_error && (x.state !== "ok" || x.refused > 0)) why.append(el("div", "error", x.last_error));
  if (x.unmapped && x.unmapped.length)
    why.append(el("div", "muted", "not mapped: " + x.unmapped.join(", ") + " — add a source-counter line"));
  return tr;
}

async function loadSensors() {
  let d;
  try {
    const r = await fetch("/v1/sources", { cache: "no-cache" });
    if (!r.ok) throw new Error("HTTP " + r.status);
    d = await r.json();
  } catch (err) {
    $("sensors-summary").textContent = "Could not read the sensor sources (" + err.message + "); trying again in 10 s.";
    return;
  }
  const b = d.broker, line = $("sensors-broker");
  line.hidden = !b;
  if (b) {
    line.className = b.state === "connected" ? "muted" : "alert";
    line.textContent = "MQTT broker " + b.url + ": " + b.state + (b.since ? " since " + since(b.since) : "") +
      (b.last_error && b.state !== "connected" ? " — " + b.last_error : "");
  }
  const now = new Date(d.t);
  const sources = d.sources.slice().sort((p, q) =>
    (sourceRank[p.state] ?? 2) - (sourceRank[q.state] ?? 2) || p.name.localeCompare(q.name));
  $("sensors").replaceChildren(...sources.map((x) => sourceRow(x, now)));
  if (!sources.length) {
    $("sensors-summary").textContent = "No sensor sources configured (see SERVER.md, Sensors).";
    return;
  }
  const n = (s) => sources.filter((x) => x.state === s).length;
  const parts = [];
  if (n("failing")) parts.push(n("failing") + " FAILING");
  if (n("silent")) parts.push(n("silent") + " SILENT");
  parts.push(n("ok") + " ok");
  $("sensors-summary").textContent = sources.length + (sources.length === 1 ? " source: " : " sources: ") +
    parts.join(", ") + " (as of " + clock(d.t) + ").";
}

$("filter").addEventListener("input", () => doc && render());
const list = (v) => v.split(",").map((x) => x.trim()).filter((x) => x);
// a datetime-local value is the desk's wall clock: sent with its offset
const withOffset = (v) => v ? new Date(v).toISOString() : undefined;

$("notice-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const body = { text: $("notice-text").value };
  const zones = list($("notice-zones").value);
  if (zones.length) body.zones = zones;
  if ($("notice-start").value) body.start = withOffset($("notice-start").value);
  if ($("notice-end").value) body.end = withOffset($("notice-end").value);
  if (await send("/v1/notices", body)) $("notice-text").value = "";
});

// Alerts: shown full screen on the screens targeted, until withdrawn; each
// screen's proof that it shows it, its thumbnail, and the ones still silent.
let screensSeen = new Map();
function alertItem(a) {
  const li = document.createElement("li");
  li.dataset.alert = a.id;
  const head = document.createElement("p");
  const screens = a.screens || {}; // per screen with the organizer's token; counts only without
  const names = Object.keys(screens);
  const silent = names.filter((n) => screens[n] === null);
  head.textContent = (a.withdrawn ? "withdrawn: " : "ALERT: ") + a.text + " — on " + a.confirmed + " of " +
    a.targeted + " screens" + (silent.length && !a.withdrawn ? "; not confirmed: " + silent.join(", ") : "");
  head.className = a.withdrawn ? "muted" : "alert";
  li.append(head);
  if (!a.withdrawn) {
    const thumbs = document.createElement("div");
    for (const n of names) {
      const x = screensSeen.get(n);
      if (!x || !x.thumbnail) continue;
      const img = document.createElement("img");
      img.className = "thumb"; img.alt = n + (screens[n] ? " shows it" : " has not confirmed");
      img.src = x.thumbnail + "?seen=" + encodeURIComponent(x.last_seen);
      thumbs.append(img);
    }
    const b = document.createElement("button");
    b.textContent = "Withdraw"; b.className = "withdraw";
    b.onclick = () => send("/v1/alerts/" + a.id + "/withdraw", {}).then(loadAlerts);
    li.append(thumbs, b);
  }
  return li;
}

async function loadAlerts() {
  try {
    const token = $("token").value;
    const r = await fetch("/v1/alerts?limit=20", { cache: "no-cache",
      headers: token ? { "Authorization": "Bearer " + token } : {} });
    if (!r.ok) throw new Error("HTTP " + r.status);
    const d = await r.json();
    $("alerts").replaceChildren(...d.alerts.slice().reverse().map(alertItem));
  } catch (err) {
    $("alerts").replaceChildren(document.createTextNode("Could not read the alerts (" + err.message + ")."));
  }
}

$("alert-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const body = { text: $("alert-text").value };
  const zones = list($("alert-zones").value);
  if (zones.length) body.zones = zones;
  if (await send("/v1/alerts", body)) { $("alert-text").value = ""; loadAlerts(); }
});

// Updates: bundles on the server, a rollout's phase and each screen's part.
async function loadUpdates() {
  try {
    const [b, r] = await Promise.all([fetch("/v1/bundles", { cache: "no-cache" }),
      fetch("/v1/rollouts", { cache: "no-cache" })]);
    if (!b.ok || !r.ok) throw new Error("HTTP " + (b.ok ? r.status : b.status));
    const bundles = (await b.json()).bundles, rollouts = (await r.json()).rollouts;
    $("rollout-bundle").replaceChildren(...bundles.map((x) => new Option(x.bundle, x.bundle)));
    $("rollouts").replaceChildren(...rollouts.slice().reverse().slice(0, 5).map((x) => {
      const li = document.createElement("li");
      li.dataset.rollout = x.id;
      const parts = Object.entries(x.screens).map(([n, p]) => n + ": " + p.part +
        (p.image ? " (" + p.image + (p.slot ? ", slot " + p.slot : "") + ")" : "") +
        (p.update && p.update !== "idle" ? " — " + p.update : ""));
      li.textContent = x.bundle + ": " + x.phase.toUpperCase() + (x.why ? " (" + x.why + ")" : "") +
        " · " + parts.join(" · ") + " ";
      if (x.phase === "canaries" || x.phase === "fleet") {
        const stop = document.createElement("button");
        stop.textContent = "Stop"; stop.className = "stop";
        stop.onclick = () => send("/v1/rollouts/" + x.id + "/stop", {}).then(loadUpdates);
        li.append(stop);
      }
      return li;
    }));
  } catch (err) {
    $("rollouts").replaceChildren(document.createTextNode("Could not read the updates (" + err.message + ")."));
  }
}

$("bundle-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const f = $("bundle-file").files[0];
  if (!f) return;
  say("Uploading " + Math.round(f.size / 1048576) + " MiB…");
  const r = await fetch("/v1/bundles", { method: "POST", body: f,
    headers: { "Authorization": "Bearer " + $("token").value, "Content-Type": "application/x-tar" } });
  const j = await r.json().catch(() => ({}));
  if (!r.ok) { say(j.error || ("HTTP " + r.status), true); return; }
  say("Bundle " + j.bundle + " uploaded."); loadUpdates();
});

$("rollout-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  if (await send("/v1/rollouts", { bundle: $("rollout-bundle").value,
    canaries: list($("rollout-canaries").value) })) loadUpdates();
});
load();
loadScreens();
loadLunch();
loadRooms();
loadSensors();
loadAlerts();
loadUpdates();
setInterval(loadScreens, 10000);
setInterval(loadRooms, 15000);
setInterval(loadSensors, 10000);
setInterval(loadAlerts, 3000);
setInterval(loadUpdates, 15000);
setInterval(loadLunch, 30000);
