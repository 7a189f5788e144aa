// wirebrief's editor page. Every article and label is untrusted text: it reaches the page only through
// textContent, string nodes and title attributes, never innerHTML; no inline handlers, no eval (see the CSP).
"use strict";

const MEASURE_UNITS = new Set([
  "sq km", "sq m", "sq ft", "sq mile", "cu ft", "cu m", "hectare", "acre", "mph", "knot", "km/h", "km", "cm", "mm",
  "dm", "pm", "nm", "m", "nautical mile", "light-year", "mile", "ft", "inch", "yard", "kg", "mg", "µg", "g", "lb",
  "oz", "tonne", "ton", "dram", "ml", "l", "gallon", "barrel", "tbsp", "tsp", "cup", "pint", "kWh", "MWh", "GWh",
  "TWh", "MW", "kW", "GW", "TW", "MB", "Mb", "GB", "Gb", "kB", "KB", "TB", "bit", "byte", "Mbps", "kbps", "Gbps",
  "hp", "rad", "m/s", "°C", "°F", "degree", "h", "s", "ms", "min", "µm", "lb ft", "ppm", "Hz", "kHz", "MHz", "GHz",
  "THz", "mAh", "W", "V", "kV", "mV", "mpg", "minute", "hour", "second",
]);
const LABELS = ["what", "where", "period", "source"];
const ORIGIN = { context: "the paragraph or heading around it", article: "the article as a whole",
  model: "the model's labelling step (checked by code)" };
const KEY = "wirebrief.key";
const views = [];
let current = null;

const $ = (sel, root = document) => root.querySelector(sel);

function el(tag, cls, text) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function hidden(text) { return el("span", "visually-hidden", text); }

function say(text, error = false) {
  const status = $("#status");
  status.textContent = text;
  status.classList.toggle("error", error);
}

/** money (an ISO currency code), percent, measure (a unit of measure) or count. */
function kindOf(unit) {
  if (!unit) return "count";
  if (unit === "percent") return "percent";
  if (MEASURE_UNITS.has(unit)) return "measure";
  if (/^[A-Z]{3}$/.test(unit)) return "money";
  return "count";
}

function headers() {
  const key = sessionStorage.getItem(KEY);
  const out = { "Content-Type": "application/json" };
  if (key) out.Authorization = "Bearer " + key;
  return out;
}

async function problem(response) {
  if (response.status === 401) return "This server needs an API key: enter it above.";
  try {
    const body = await response.json();
    const hint = body.error.detail && body.error.detail.hint ? " " + body.error.detail.hint : "";
    return `${body.error.type}: ${body.error.message}.${hint}`;
  } catch (_) {
    return `The server answered ${response.status}.`;
  }
}

async function api(path, body) {
  const response = await fetch(path, { method: "POST", headers: headers(), body: JSON.stringify(body) });
  if (!response.ok) throw new Error(await problem(response));
  return response.json();
}

/** POST /v1/briefs:stream, each server-sent event handed to onEvent(name, data) as it arrives. */
async function stream(body, onEvent) {
  const response = await fetch("/v1/briefs:stream", { method: "POST", headers: headers(),
    body: JSON.stringify(body) });
  if (!response.ok) throw new Error(await problem(response));
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, cut);
      buffer = buffer.slice(cut + 2);
      const name = (block.match(/^event: (.*)$/m) || [null, "message"])[1];
      const data = (block.match(/^data: (.*)$/m) || [null, null])[1];
      if (data !== null && data !== "[DONE]") onEvent(name, JSON.parse(data));
    }
  }
}

// --- one article's view ---------------------------------------------------------------------------------

function newView(name, input) {
  const taken = new Set(views.map((v) => v.name));
  let unique = name || "article";
  for (let n = 2; taken.has(unique); n++) unique = `${name} (${n})`;
  const root = $("#view-template").content.firstElementChild.cloneNode(true);
  const view = { n: views.length, name: unique, input, root, text: "", figures: [], checks: [], added: [],
    edits: new Map(), ignored: new Set(), brief: null, sentenceOf: new Map(), markOf: new Map(), rowOf: new Map(),
    selection: null, editing: null, done: false };
  root.id = `v${view.n}`;
  $(".view-title", root).textContent = unique;
  $(".gold-path", root).value = `evals/articles/page/${slug(unique)}.txt`;
  $(".add-btn", root).addEventListener("click", () => addSelected(view));
  $(".gold-btn", root).addEventListener("click", () => exportGold(view));
  $(".edit", root).addEventListener("submit", (event) => { event.preventDefault(); saveEdit(view); });
  $(".edit-close", root).addEventListener("click", () => { $(".edit", root).hidden = true; });
  $(".figures tbody", root).addEventListener("click", (event) => {
    const row = event.target.closest("tr");
    if (row && row.dataset.i !== undefined) { goTo(view, Number(row.dataset.i)); openEdit(view, Number(row.dataset.i)); }
  });
  views.push(view);
  $("#articles").append(root);
  addTab(view);
  return view;
}

function slug(name) { return name.toLowerCase().replace(/\.[a-z]+$/, "").replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "article"; }

function allFigures(view) { return view.figures.concat(view.added); }

function label(view, i, name) {
  const edit = view.edits.get(i);
  return edit && name in edit ? edit[name] : allFigures(view)[i][name];
}

function failedFigures(view) {
  const out = new Set();
  for (const check of view.checks) if (!check.holds) for (const i of check.figures) out.add(i);
  return out;
}

function showFigures(view, data) {
  view.text = data.text || view.text;
  view.figures = data.figures;
  view.checks = data.checks;
  renderText(view);
  renderTable(view);
  list($(".key-points", view.root), data.key_points);
  list($(".warnings", view.root), data.warnings);
  list($(".checks", view.root), view.checks.map((c) => `${c.holds ? "holds" : "fails"}: ${c.explanation}`),
    view.checks.map((c) => (c.holds ? "ok" : "bad")));
}

function list(ul, items, classes = []) {
  ul.replaceChildren(...items.map((text, i) => el("li", classes[i] || "", text)));
  if (!items.length) ul.append(el("li", "hint", "none"));
}

function renderText(view) {
  const box = $(".text", view.root);
  const text = view.text;
  const figures = allFigures(view);
  const failed = failedFigures(view);
  const quotes = [...new Map(figures.map((f) => [f.quote_span.join(":"), f.quote_span])).values()]
    .sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const sentences = [];
  for (const [s, e] of quotes) {
    const last = sentences[sentences.length - 1];
    if (last && s < last[1]) last[1] = Math.max(last[1], e); else sentences.push([s, e]);
  }
  const marks = figures.map((f, i) => ({ i, s: f.span[0], e: f.span[1] })).sort((a, b) => a.s - b.s);
  let pos = 0, m = 0;
  const fill = (parent, upto) => {
    while (m < marks.length && marks[m].s < upto) {
      const mark = marks[m++];
      if (mark.s < pos) continue; // overlaps the one before
      if (mark.s > pos) parent.append(text.slice(pos, mark.s));
      const end = Math.min(mark.e, upto);
      parent.append(markFor(view, mark.i, text.slice(mark.s, end), failed.has(mark.i)));
      pos = end;
    }
    if (upto > pos) { parent.append(text.slice(pos, upto)); pos = upto; }
  };
  box.replaceChildren();
  view.sentenceOf.clear();
  view.markOf.clear();
  sentences.forEach(([s, e], k) => {
    fill(box, s);
    const sentence = el("span", "sent");
    sentence.id = `v${view.n}-s${k}`;
    fill(sentence, e);
    box.append(sentence);
    figures.forEach((f, i) => { if (f.quote_span[0] >= s && f.quote_span[1] <= e) view.sentenceOf.set(i, sentence); });
  });
  fill(box, text.length);
}

function markFor(view, i, text, failed) {
  const mark = el("mark", `k-${kindOf(label(view, i, "unit"))}`, text);
  if (failed) mark.classList.add("failed");
  if (view.ignored.has(i)) mark.classList.add("ignored");
  mark.dataset.i = String(i);
  mark.title = `#${i + 1} ${label(view, i, "what") || ""}${failed ? " (a check failed)" : ""}`;
  mark.addEventListener("mouseenter", () => hover(view, i, true));
  mark.addEventListener("mouseleave", () => hover(view, i, false));
  mark.addEventListener("click", () => { openEdit(view, i); const row = view.rowOf.get(i); if (row) $("button", row).focus(); });
  view.markOf.set(i, mark);
  return mark;
}

function hover(view, i, on) {
  const row = view.rowOf.get(i);
  const mark = view.markOf.get(i);
  if (row) {
    row.classList.toggle("hover", on);
    if (on) scrollWithin(row.closest(".table-scroll"), row);
  }
  if (mark) mark.classList.toggle("hover", on);
}

// Bring the row into its pane's view, moving nothing else: scrollIntoView also scrolled the page when the table
// was wider than its pane, which moved the hovered mark from under the pointer.
function scrollWithin(box, row) {
  if (!box) return;
  const b = box.getBoundingClientRect(), r = row.getBoundingClientRect();
  if (r.top < b.top) box.scrollTop -= b.top - r.top;
  else if (r.bottom > b.bottom) box.scrollTop += r.bottom - b.bottom;
}

function cell(row, text, cls) {
  const td = el("td", cls, text);
  row.append(td);
  return td;
}

function renderTable(view) {
  const body = $(".figures tbody", view.root);
  const failed = failedFigures(view);
  body.replaceChildren();
  view.rowOf.clear();
  allFigures(view).forEach((f, i) => {
    const row = el("tr");
    row.dataset.i = String(i);
    if (failed.has(i)) row.classList.add("failed");
    if (view.ignored.has(i)) row.classList.add("ignored");
    if (i >= view.figures.length) row.classList.add("added");
    const first = el("td");
    const button = el("button", "row-btn", String(i + 1));
    button.type = "button";
    button.setAttribute("aria-label", `Figure ${i + 1}: show its sentence and correct it`);
    first.append(button);
    if (failed.has(i)) first.append(hidden(" (a check failed)"));
    if (view.ignored.has(i)) first.append(hidden(" (not a figure)"));
    row.append(first);
    const value = cell(row, Number(f.value).toLocaleString("en", { maximumFractionDigits: 6 }), "num");
    if (f.raw !== value.textContent) value.append(el("div", "hint", f.raw));
    cell(row, [label(view, i, "unit"), f.per ? `per ${f.per}` : ""].filter(Boolean).join(" "));
    labelCell(view, row, i, "what");
    cell(row, f.change ? `${f.change === "up" ? "↑ up" : "↓ down"}${f.baseline != null ? " from " + f.baseline : ""}` : "");
    for (const name of LABELS.slice(1)) labelCell(view, row, i, name);
    row.addEventListener("mouseenter", () => hover(view, i, true));
    row.addEventListener("mouseleave", () => hover(view, i, false));
    view.rowOf.set(i, row);
    body.append(row);
  });
}

function labelCell(view, row, i, name) {
  const td = cell(row, "");
  const value = label(view, i, name);
  if (!value) return;
  const edited = view.edits.has(i) && name in view.edits.get(i);
  const origin = edited ? null : (allFigures(view)[i].label_from || {})[name];
  if (origin && origin !== "sentence") {
    const em = el("em", "inferred", value);
    em.title = `Not in the figure's sentence: from ${ORIGIN[origin] || origin}`;
    td.append(em, hidden(` (from ${ORIGIN[origin] || origin})`));
  } else {
    td.textContent = value;
    if (edited) { td.classList.add("edited"); td.append(hidden(" (corrected)")); }
  }
}

function goTo(view, i) {
  const sentence = view.sentenceOf.get(i);
  if (!sentence) return;
  sentence.scrollIntoView({ block: "center" });
  sentence.classList.remove("flash");
  void sentence.offsetWidth; // restart the animation
  sentence.classList.add("flash");
  setTimeout(() => sentence.classList.remove("flash"), 1700);
  say(`Figure ${i + 1} is in: ${sentence.textContent}`);
}

// --- corrections and gold ---------------------------------------------------------------------------------

function openEdit(view, i) {
  const form = $(".edit", view.root);
  view.editing = i;
  $(".edit-legend", form).textContent = `Correct figure ${i + 1}: ${allFigures(view)[i].raw}`;
  for (const name of ["unit", ...LABELS]) form.elements[name].value = label(view, i, name) || "";
  form.elements.ignore.checked = view.ignored.has(i);
  form.hidden = false;
}

function saveEdit(view) {
  const i = view.editing;
  const form = $(".edit", view.root);
  const f = allFigures(view)[i];
  const edit = {};
  for (const name of ["unit", ...LABELS]) {
    const value = form.elements[name].value.trim() || null;
    if (value !== (f[name] || null)) edit[name] = value;
  }
  view.edits.set(i, edit);
  if (form.elements.ignore.checked) view.ignored.add(i); else view.ignored.delete(i);
  renderText(view);
  renderTable(view);
  say(`Saved the correction of figure ${i + 1}.`);
}

function selectionIn(view) {
  const box = $(".text", view.root);
  const sel = window.getSelection();
  if (!sel || !sel.rangeCount || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  if (!box.contains(range.startContainer) || !box.contains(range.endContainer)) return null;
  const before = document.createRange();
  before.setStart(box, 0);
  before.setEnd(range.startContainer, range.startOffset);
  const start = before.toString().length;
  return [start, start + range.toString().length];
}

async function addSelected(view) {
  const span = selectionIn(view) || view.selection;
  if (!span) { say("Select the missed figure's text in the article first.", true); return; }
  try {
    const { mentions } = await api("/v1/figures:read", { text: view.text, span });
    if (!mentions.length) { say("The finder reads no number in the selection.", true); return; }
    for (const m of mentions) {
      const known = allFigures(view).findIndex((f) => f.span[0] === m.span[0] && f.span[1] === m.span[1]);
      if (known >= 0) { say(`${m.raw} is figure ${known + 1} already.`); openEdit(view, known); continue; }
      view.added.push({ value: m.value, raw: m.raw, unit: m.unit, what: "", qualifier: m.qualifier, where: null,
        period: null, source: null, quote: m.quote, span: m.span, quote_span: m.quote_span, label_from: {} });
      say(`Added ${m.raw} (${m.value}); say what it counts.`);
    }
    renderText(view);
    renderTable(view);
    openEdit(view, allFigures(view).length - 1);
    $(".edit", view.root).elements.what.focus();
  } catch (error) {
    say(error.message, true);
  }
}

function goldRecord(view) {
  const figures = allFigures(view).map((f, i) => ({
    raw: f.raw, value: f.value, unit: label(view, i, "unit") || null, what: label(view, i, "what") || "",
    qualifier: f.qualifier, where: label(view, i, "where") || null, period: label(view, i, "period") || null,
    source: label(view, i, "source") || null, status: view.ignored.has(i) ? "ignore" : "required",
    quote: f.quote, span: f.span,
  }));
  const corrected = [...view.edits.keys()].filter((i) => Object.keys(view.edits.get(i)).length).length;
  return { id: slug(view.name), article: $(".gold-path", view.root).value.trim(), set: "dev",
    labelled_by: "an editor, correcting wirebrief's brief in its page",
    notes: `From brief ${view.brief ? view.brief.brief_id : "(unfinished)"}: ${corrected} labels corrected, `
      + `${view.ignored.size} marked not a figure, ${view.added.length} added.`, figures, key_facts: [] };
}

function download(anchor, name, text, type) {
  if (anchor.href) URL.revokeObjectURL(anchor.href);
  anchor.href = URL.createObjectURL(new Blob([text], { type }));
  anchor.download = name;
  anchor.hidden = false;
}

function exportGold(view) {
  const json = JSON.stringify(goldRecord(view), null, 1) + "\n";
  $(".gold-json", view.root).value = json;
  download($(".gold-download", view.root), `${slug(view.name)}.json`, json, "application/json");
  download($(".text-download", view.root), `${slug(view.name)}.txt`, view.text, "text/plain");
  say("The gold record is ready: save the article at its path and check it with `wirebrief eval check-gold`.");
}

// --- articles, tabs, reconciliation -------------------------------------------------------------------------

function addTab(view) {
  const button = el("button", "", view.name);
  button.type = "button";
  button.addEventListener("click", () => show(view));
  view.tab = button;
  $("#tabs").append(button);
  $("#tabs").hidden = views.length < 2;
  show(view);
}

function show(view) {
  current = view;
  for (const v of views) {
    v.root.hidden = v !== view;
    v.tab.setAttribute("aria-current", String(v === view));
  }
}

async function brief(view) {
  const started = performance.now();
  const waiting = $(".waiting", view.root);
  const seconds = () => ((performance.now() - started) / 1000).toFixed(2);
  let firstAt = null;
  try {
    await stream({ text: view.input, id: view.name }, (name, data) => {
      if (name === "figures") { firstAt = seconds(); showFigures(view, data); }
      else if (name === "prose") {
        $(".headline", view.root).textContent = data.headline;
        $(".summary", view.root).textContent = data.summary;
      } else if (name === "brief") {
        view.brief = data.brief;
        view.done = true;
        showFigures(view, data.brief);
        waiting.textContent = `Figures after ${firstAt} s, the whole brief after ${seconds()} s.`;
      } else if (name === "error") {
        waiting.textContent = `${data.error.type}: ${data.error.message}`;
        waiting.classList.add("error");
      }
    });
  } catch (error) {
    waiting.textContent = error.message;
    say(error.message, true);
  }
}

async function briefAll(items) {
  const made = items.map(([name, text]) => newView(name, text));
  say(`Briefing ${made.length} article${made.length > 1 ? "s" : ""}…`);
  const queue = made.slice();
  const worker = async () => { while (queue.length) await brief(queue.shift()); };
  await Promise.all([worker(), worker(), worker()]);
  const done = views.filter((v) => v.done);
  say(`${done.length} of ${views.length} briefs made.`, done.length < views.length);
  if (done.length >= 2) await reconcileAll(done);
}

async function reconcileAll(done) {
  try {
    const result = await api("/v1/reconcile", { articles: done.map((v) => ({ id: v.name, text: v.input })) });
    renderReconcile(result, done);
  } catch (error) {
    say(error.message, true);
  }
}

function renderReconcile(result, done) {
  const byName = new Map(done.map((v) => [v.name, v]));
  const body = $("#reconcile-table tbody");
  body.replaceChildren();
  for (const group of result.groups) {
    const row = el("tr");
    row.dataset.status = group.status;
    cell(row, group.fact);
    cell(row, group.status, `status-${group.status}`);
    const values = cell(row, "");
    for (const member of group.members) {
      const view = byName.get(member.article);
      const link = el("a", "", `${member.raw} (${member.article}${member.source ? ", " + member.source : ""})`);
      const sentence = view ? view.sentenceOf.get(member.figure) : null;
      link.href = sentence ? `#${sentence.id}` : "#";
      link.title = member.quote;
      link.addEventListener("click", (event) => {
        event.preventDefault();
        if (view) { show(view); goTo(view, member.figure); }
      });
      values.append(link);
    }
    cell(row, group.note);
    body.append(row);
  }
  $("#reconcile").hidden = false;
}

function readFiles(files) {
  Promise.all([...files].map(async (file) => [file.name.replace(/\.[^.]+$/, ""), await file.text()]))
    .then(briefAll);
}

document.addEventListener("DOMContentLoaded", () => {
  const key = $("#api-key");
  key.value = sessionStorage.getItem(KEY) || "";
  key.addEventListener("input", () => sessionStorage.setItem(KEY, key.value.trim()));
  $("#forget-key").addEventListener("click", () => { sessionStorage.removeItem(KEY); key.value = ""; });
  $("#brief-btn").addEventListener("click", () => {
    const text = $("#article").value;
    if (!text.trim()) { say("Paste an article first.", true); return; }
    briefAll([[$("#article-name").value.trim() || "article", text]]);
  });
  $("#files").addEventListener("change", (event) => readFiles(event.target.files));
  const drop = $("#drop");
  drop.addEventListener("dragover", (event) => { event.preventDefault(); drop.classList.add("over"); });
  drop.addEventListener("dragleave", () => drop.classList.remove("over"));
  drop.addEventListener("drop", (event) => {
    event.preventDefault();
    drop.classList.remove("over");
    readFiles(event.dataTransfer.files);
  });
  document.addEventListener("selectionchange", () => {
    if (current) { const span = selectionIn(current); if (span) current.selection = span; }
  });
});
