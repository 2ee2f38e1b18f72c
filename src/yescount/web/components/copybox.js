// YesCount copy-box: a labelled read-only text field and a Copy button.
// Replaces st.code (which pulls a ~1.5 MB code highlighter into the page). The text is
// only ever set as a field value and the label as textContent: scraped strings in an
// invite can never become markup.
function rowsFor(text) {
  let rows = 0;
  for (const line of text.split("\n")) rows += Math.max(1, Math.ceil(line.length / 38));
  return Math.min(rows, 14);
}

async function copy(field) {
  try {
    await navigator.clipboard.writeText(field.value);
    return true;
  } catch (_err) {
    // No clipboard API (plain http, old browser): copy the selection instead.
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (_err2) {
      return false;
    }
  }
}

let counter = 0;

export default function (component) {
  const { data, parentElement } = component;
  // Never replace parentElement's content: Streamlit keeps the component's <style> there.
  let root = parentElement.querySelector(":scope > .yc-copy-root");
  if (!root) {
    counter += 1;
    const id = "yc-copy-" + counter;
    root = document.createElement("div");
    root.className = "yc-copy-root";
    root.setAttribute("data-yc-copy", "");
    const label = document.createElement("label");
    label.className = "yc-copy-label";
    label.htmlFor = id;
    const row = document.createElement("div");
    row.className = "yc-copy-row";
    const field = document.createElement("textarea");
    field.id = id;
    field.readOnly = true;
    field.spellcheck = false;
    field.className = "yc-copy-text";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "yc-copy-btn";
    const status = document.createElement("span");
    status.className = "yc-copy-status";
    status.setAttribute("role", "status");
    row.append(field, button);
    root.append(label, row, status);
    parentElement.appendChild(root);
    // Selecting all on focus makes a manual Ctrl/⌘ + C work too.
    field.addEventListener("focus", () => field.select());
    button.addEventListener("click", async () => {
      const ok = await copy(field);
      status.textContent = ok ? "Copied ✓" : "Couldn't copy: the text is selected, press Ctrl/⌘ + C.";
      if (!ok) {
        field.focus();
        field.select();
      }
    });
  }
  const label = root.querySelector(".yc-copy-label");
  const field = root.querySelector(".yc-copy-text");
  const button = root.querySelector(".yc-copy-btn");
  const text = String(data.text ?? "");
  label.textContent = String(data.label ?? "");
  label.hidden = !data.label;
  if (field.value !== text) {
    field.value = text;
    root.querySelector(".yc-copy-status").textContent = "";
  }
  field.rows = rowsFor(text);
  if (data.label) field.removeAttribute("aria-label");
  else field.setAttribute("aria-label", String(data.name ?? "Text to copy"));
  button.textContent = "Copy";
  button.setAttribute("aria-label", "Copy " + String(data.name ?? "the text"));
}
