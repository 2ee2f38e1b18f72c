// YesCount availability calendar: a 7-column month grid whose every tap saves.
// Runs in the app page (Streamlit components v2, no iframe) and writes through the
// JSON API with the person's own token: optimistic, coalesced, retried on failure.
const STATES = ["none", "yes", "no"];
const SHORT = { none: "Not set", yes: "Free", no: "Busy" };
const RETRY_MS = [1000, 2000, 4000, 8000, 15000, 30000];

function apiUrl(path) {
  const base = window.location.href.split(/[?#]/)[0].replace(/[^/]*$/, "");
  return new URL("api/v1/" + path, base).toString();
}

function store(data) {
  window.__ycDaygrid = window.__ycDaygrid || {};
  const id = data.session + ":" + data.participant;
  let s = window.__ycDaygrid[id];
  if (!s || (!s.dirty && !s.inflight)) {
    const busy = new Set(JSON.parse(localStorage.getItem("yc-busy-" + id) || "[]"));
    const free = new Set(data.saved);
    const states = {};
    for (const iso of data.open) states[iso] = free.has(iso) ? "yes" : busy.has(iso) ? "no" : "none";
    s = { id, states, dirty: false, inflight: false, attempt: 0, timer: null, listeners: new Set() };
    window.__ycDaygrid[id] = s;
  }
  return s;
}

function inner(iso, day, state, today) {
  // The visible "3 Free" is part of the accessible name; the weekday and hint are for
  // screen readers only.
  const d = new Date(iso + "T12:00:00");
  const long = d.toLocaleDateString("en-US", { weekday: "long", month: "long" });
  return `<span class="yc-sr">${long} </span><span class="n">${day}</span> ` +
    `<span class="w">${SHORT[state]}</span>` +
    `<span class="yc-sr">${today ? ", today" : ""}. Tap to change.</span>`;
}

function cellHtml(cell, state, todayIso) {
  const today = cell.iso === todayIso ? " today" : "";
  if (cell.kind === "open") {
    return `<button type="button" class="yc-d ${state}${today}" data-yc-day="${cell.iso}" ` +
      `tabindex="-1">${inner(cell.iso, cell.day, state, today)}</button>`;
  }
  if (cell.kind === "blocked") {
    return `<span class="yc-d blocked${today}" title="Blacked out by the organizer">` +
      `<span class="n">${cell.day}</span><span class="w">Off</span>` +
      `<span class="yc-sr"> blacked out by the organizer</span></span>`;
  }
  if (cell.kind === "pad") return `<span class="yc-d pad" aria-hidden="true"></span>`;
  return `<span class="yc-d out${today}"><span class="n">${cell.day}</span>` +
    `<span class="yc-sr">${today ? " today," : ""} outside this plan's dates</span></span>`;
}

function render(root, data, s) {
  const head = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    .map((d) => `<span class="yc-wd" aria-hidden="true">${d}</span>`).join("");
  const months = data.months.map((m) =>
    `<section class="yc-month" aria-label="${m.label}"><h3 class="yc-mh">${m.label}</h3>` +
    `<div class="yc-grid" role="group" aria-label="${m.label}">${head}` +
    m.cells.map((c) => cellHtml(c, s.states[c.iso] || "none", data.today)).join("") +
    `</div></section>`).join("");
  root.innerHTML =
    `<div class="yc-cal" data-writable="${data.writable}">` +
    `<p class="yc-legend-cal"><span class="yc-d none"><span class="w">Not set</span></span> no answer yet ` +
    `<span class="yc-d yes"><span class="w">Free</span></span> you can go ` +
    `<span class="yc-d no"><span class="w">Busy</span></span> you can't</p>` +
    months +
    `<p class="yc-save" role="status" aria-live="polite" data-yc-status="idle"></p>` +
    `<button type="button" class="yc-retry" hidden>Retry now</button></div>`;
  const buttons = [...root.querySelectorAll("[data-yc-day]")];
  const first = buttons.find((b) => s.states[b.dataset.ycDay] === "none") || buttons[0];
  if (first) first.tabIndex = 0;
  if (!data.writable) buttons.forEach((b) => { b.disabled = true; });
  return buttons;
}

function setStatus(root, s, kind, text) {
  const el = root.querySelector(".yc-save");
  if (!el) return;
  el.dataset.ycStatus = kind;
  el.textContent = text;
  if (kind === "saved") el.dataset.ycFresh = "1"; else delete el.dataset.ycFresh;
  const retry = root.querySelector(".yc-retry");
  if (retry) retry.hidden = kind !== "error";
}

function freeCount(s) {
  return Object.values(s.states).filter((v) => v === "yes").length;
}

async function flush(root, data, s, { keepalive = false } = {}) {
  if (s.inflight || !s.dirty) return;
  s.dirty = false;
  s.inflight = true;
  const available = Object.keys(s.states).filter((k) => s.states[k] === "yes").sort();
  const busy = Object.keys(s.states).filter((k) => s.states[k] === "no");
  localStorage.setItem("yc-busy-" + s.id, JSON.stringify(busy));
  setStatus(root, s, "saving", "Saving…");
  let ok = false;
  let message = "";
  let retryable = true;
  try {
    const res = await fetch(apiUrl(`sessions/${data.session}/availability`), {
      method: "PUT",
      keepalive,
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${data.token}` },
      body: JSON.stringify({ available }),
    });
    ok = res.ok;
    if (!ok) {
      retryable = res.status >= 500 || res.status === 429;
      try { message = (await res.json()).message || ""; } catch (e) { message = ""; }
    }
  } catch (e) {
    message = "no connection";
  }
  s.inflight = false;
  if (ok) {
    s.attempt = 0;
    if (s.dirty) return flush(root, data, s);
    const n = freeCount(s);
    setStatus(root, s, "saved", `Saved ✓ ${n} evening${n === 1 ? "" : "s"} free`);
    return;
  }
  s.dirty = true;
  if (!retryable) {
    setStatus(root, s, "error", `Couldn't save: ${message || "this plan no longer takes changes"}.`);
    return;
  }
  const wait = RETRY_MS[Math.min(s.attempt, RETRY_MS.length - 1)];
  s.attempt += 1;
  setStatus(root, s, "error", `Couldn't save (${message || "server busy"}) — retrying in ${Math.round(wait / 1000)} s.`);
  clearTimeout(s.timer);
  s.timer = setTimeout(() => flush(root, data, s), wait);
}

function move(buttons, current, delta) {
  // Arrow keys walk by date (Up/Down = same weekday), skipping days that can't change.
  const byDay = new Map(buttons.map((b) => [b.dataset.ycDay, b]));
  const at = new Date(current.dataset.ycDay + "T12:00:00");
  for (let step = 1; step <= 6; step += 1) {
    const d = new Date(at);
    d.setDate(d.getDate() + delta * step);
    const iso = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-` +
      String(d.getDate()).padStart(2, "0");
    const next = byDay.get(iso);
    if (next) {
      current.tabIndex = -1;
      next.tabIndex = 0;
      next.focus();
      return;
    }
  }
}

export default function (component) {
  const { data, parentElement } = component;
  // Never replace parentElement's content: Streamlit keeps the component's <style> there.
  let root = parentElement.querySelector(":scope > .yc-cal-root");
  if (!root) {
    root = document.createElement("div");
    root.className = "yc-cal-root";
    parentElement.appendChild(root);
  }
  const s = store(data);
  const focused = document.activeElement?.dataset?.ycDay;
  const buttons = render(root, data, s);
  if (s.dirty || s.inflight) setStatus(root, s, "saving", "Saving…");
  if (focused) buttons.find((b) => b.dataset.ycDay === focused)?.focus();
  const onClick = (ev) => {
    const btn = ev.target.closest("[data-yc-day]");
    if (btn && data.writable) {
      const iso = btn.dataset.ycDay;
      const state = STATES[(STATES.indexOf(s.states[iso] || "none") + 1) % 3];
      s.states[iso] = state;
      btn.className = `yc-d ${state}${iso === data.today ? " today" : ""}`;
      btn.querySelector(".w").textContent = SHORT[state];
      buttons.forEach((b) => { b.tabIndex = b === btn ? 0 : -1; });
      btn.focus();
      s.dirty = true;
      flush(root, data, s);
      return;
    }
    if (ev.target.closest(".yc-retry")) { s.attempt = 0; clearTimeout(s.timer); flush(root, data, s); }
  };
  const onKey = (ev) => {
    const btn = ev.target.closest("[data-yc-day]");
    if (!btn) return;
    const delta = { ArrowLeft: -1, ArrowRight: 1, ArrowUp: -7, ArrowDown: 7 }[ev.key];
    if (delta === undefined) return;
    ev.preventDefault();
    move(buttons, btn, delta);
  };
  const onLeave = (ev) => {
    if (!s.dirty && !s.inflight) return;
    flush(root, data, s, { keepalive: true });
    ev.preventDefault();
    ev.returnValue = "";
  };
  root.addEventListener("click", onClick);
  root.addEventListener("keydown", onKey);
  window.addEventListener("beforeunload", onLeave);
  return () => {
    root.removeEventListener("click", onClick);
    root.removeEventListener("keydown", onKey);
    window.removeEventListener("beforeunload", onLeave);
    if (s.dirty && !s.inflight) flush(root, data, s, { keepalive: true });
  };
}
