// YesCount voting cards: rank order is reading order (one CSS grid), the best 12 first,
// one tab stop per card for the vote and the "More" link second, images that fail fall
// back to the branded placeholder, and every yes saves straight through the JSON API.
function apiUrl(path) {
  const base = window.location.href.split(/[?#]/)[0].replace(/[^/]*$/, "");
  return new URL("api/v1/" + path, base).toString();
}

function placeholder(img) {
  const holder = img.closest(".yc-ph-bg");
  if (!holder || holder.dataset.failed) return;
  holder.dataset.failed = "1";
  const ph = document.createElement("div");
  ph.className = "yc-ph";
  ph.setAttribute("role", "img");
  ph.setAttribute("aria-label", "No photo for " + (img.getAttribute("alt") || "this event"));
  ph.textContent = holder.dataset.initial || "Y";
  holder.replaceWith(ph);
}

function setStatus(root, kind, text) {
  const el = root.querySelector(".yc-save");
  el.dataset.ycStatus = kind;
  el.textContent = text;
  if (kind === "saved") el.dataset.ycFresh = "1"; else delete el.dataset.ycFresh;
}

async function save(root, data, box, attempt = 0) {
  const id = box.dataset.event;
  box.dataset.inflight = "1";
  const wanted = box.checked;
  setStatus(root, "saving", "Saving…");
  let ok = false;
  let retryable = true;
  try {
    const res = await fetch(apiUrl(`sessions/${data.session}/votes/${id}`), {
      method: "PUT",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${data.token}` },
      body: JSON.stringify({ interested: wanted }),
    });
    ok = res.ok;
    retryable = !ok && (res.status >= 500 || res.status === 429);
  } catch (e) { retryable = true; }
  delete box.dataset.inflight;
  if (ok) {
    box.dataset.saved = wanted ? "1" : "0";
    if (box.checked !== wanted) return save(root, data, box);
    const n = root.querySelectorAll("input.yc-yes:checked").length;
    setStatus(root, "saved", `Saved ✓ ${n} yes${n === 1 ? "" : "es"} so far`);
    return;
  }
  if (retryable && attempt < 5) {
    const wait = 1000 * 2 ** attempt;
    setStatus(root, "error", `Couldn't save your vote — retrying in ${wait / 1000} s.`);
    setTimeout(() => save(root, data, box, attempt + 1), wait);
    return;
  }
  box.checked = box.dataset.saved === "1";
  setStatus(root, "error", "Couldn't save your vote: this plan no longer takes changes.");
}

function render(root, data) {
  const cells = data.cards.map((c, i) => {
    const checked = data.voted.includes(c.id) ? " checked" : "";
    const off = data.writable ? "" : " disabled";
    const vote = `<label class="yc-vote"><input type="checkbox" class="yc-yes" ` +
      `data-event="${c.id}" data-saved="${checked ? 1 : 0}"${checked}${off}> ` +
      `Yes! Count me in!</label>`;
    const hidden = i >= data.show ? " hidden" : "";
    return `<li class="yc-cell" data-rank="${i + 1}"${hidden}>${c.html.replace("<!--vote-->", vote)}</li>`;
  }).join("");
  const rest = data.cards.length - data.show;
  const more = rest > 0
    ? `<button type="button" class="yc-show-more">Show ${rest} more</button>` : "";
  root.innerHTML =
    `<a href="#" class="yc-skip">Skip to "Next: when are you free?"</a>` +
    `<p class="yc-save" role="status" aria-live="polite" data-yc-status="idle"></p>` +
    `<ol class="yc-cards" aria-label="Events, best match first">${cells}</ol>${more}`;
  root.querySelectorAll(".yc-ph-bg img").forEach((img) => {
    img.addEventListener("error", () => placeholder(img), { once: true });
    if (img.complete && img.naturalWidth === 0) placeholder(img);
  });
}

export default function (component) {
  const { data, parentElement } = component;
  let root = parentElement.querySelector(":scope > .yc-vote-root");
  if (!root) {
    root = document.createElement("div");
    root.className = "yc-vote-root";
    parentElement.appendChild(root);
  }
  const signature = JSON.stringify([data.cards.map((c) => c.id), data.voted, data.writable]);
  if (root.dataset.signature !== signature) {
    render(root, data);
    root.dataset.signature = signature;
  }
  const onChange = (ev) => {
    const box = ev.target.closest("input.yc-yes");
    if (box && !box.dataset.inflight) save(root, data, box);
  };
  const onClick = (ev) => {
    if (ev.target.closest(".yc-show-more")) {
      const first = root.querySelector(".yc-cell[hidden]");
      root.querySelectorAll(".yc-cell[hidden]").forEach((c) => { c.hidden = false; });
      ev.target.remove();
      first?.querySelector("input.yc-yes")?.focus();
    }
    if (ev.target.closest(".yc-skip")) {
      ev.preventDefault();
      document.querySelector(".st-key-yc-next button")?.focus();
    }
  };
  root.addEventListener("change", onChange);
  root.addEventListener("click", onClick);
  return () => {
    root.removeEventListener("change", onChange);
    root.removeEventListener("click", onClick);
  };
}
