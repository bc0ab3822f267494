// The staff's archive: one search box that finds meetings by title, people, agenda, conclusions,
// document numbers and notes, typed with or without Vietnamese marks; filters by date, unit, hall,
// classification and recording; results with date, unit, length and documents, a page at a time.
import { api, query } from "./api.js";
import { dateTime, duration, t } from "./strings.js";
import { dateInput, el, field, readDate, screenTitle, select, showProblem } from "./ui.js";

const perPage = 20;

export async function render(view, _, parameters) {
  const [units, halls] = await Promise.all([api("/api/v1/units"), api("/api/v1/halls")]);
  const value = (name) => parameters.get(name) || "";
  const words = el("input", { type: "search", name: "q", value: value("q"), id: "search-words", placeholder: "dak nong, 137-TB/TU…", autocomplete: "off" });
  const from = dateInput("from", value("from"), false);
  const to = dateInput("to", value("to"), false);
  const unit = select([["", t("calendar.allUnits")], ...units.map((u) => [u.id, u.name])], value("unit"), { name: "unit" });
  const hall = select([["", t("calendar.allHalls")], ...halls.map((h) => [h.id, h.name])], value("hall"), { name: "hall" });
  const classification = select([["", t("archive.anyClassification")], ...["public", "internal", "confidential"].map((c) => [c, t("classification." + c)])], value("classification"), { name: "classification" });
  const recorded = el("input", { type: "checkbox", name: "hasRecording", class: "inline", checked: value("hasRecording") === "true", id: "search-recorded" });
  const page = Math.max(1, Number(value("page")) || 1);
  const results = el("div", { id: "search-results", "aria-live": "polite" });
  const form = el("form", { role: "search", id: "search-form", class: "card" },
    field(t("archive.words"), words, t("archive.wordsHint")),
    el("div", { class: "row" }, field(t("archive.from"), from, t("form.dateHint")), field(t("archive.to"), to, t("form.dateHint")), field(t("calendar.unit"), unit), field(t("calendar.hall"), hall),
      field(t("booking.classification"), classification)),
    el("label", { class: "check" }, recorded, " " + t("archive.recordedOnly")),
    el("div", {}, el("button", { type: "submit" }, t("archive.search"))));
  view.append(screenTitle(t("archive.title")), form, results);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const [fromDate, toDate] = [readDate(from), readDate(to)];
    if (fromDate === null || toDate === null) { results.replaceChildren(el("p", { class: "error", role: "alert" }, t("form.badDate"))); return; }
    const next = query({ q: words.value.trim(), from: fromDate, to: toDate, unit: unit.value, hall: hall.value, classification: classification.value, hasRecording: recorded.checked ? "true" : "" });
    location.hash = "#/archive" + (next || "?");
  });
  words.dataset.autofocus = "true";

  const unitName = (id) => (units.find((u) => u.id === id) || { name: id }).name;
  try {
    const found = await api("/api/v1/search" + query({
      q: value("q"), from: value("from"), to: value("to") ? value("to") + "T23:59" : "", unit: value("unit"), hall: value("hall"),
      classification: value("classification"), hasRecording: value("hasRecording"), page, perPage,
    }));
    const list = el("ol", { class: "results", start: (page - 1) * perPage + 1 });
    for (const hit of found.results) {
      list.append(el("li", { "data-meeting": hit.id },
        el("a", { href: `#/meetings/${hit.id}`, class: "result-title" }, hit.title),
        el("div", { class: "muted" }, `${dateTime(hit.start)} · ${unitName(hit.organiserUnitId)} · ${t("classification." + hit.classification)}`,
          // While a recording is written its open part has no length yet: say so rather than "0 s".
          hit.isRecording ? ` · ● ${t("archive.recordingNow")}${hit.recordedSeconds > 0 ? ` (${duration(hit.recordedSeconds)})` : ""}`
            : hit.hasRecording ? ` · ▶ ${duration(hit.recordedSeconds)}` : ` · ${t("archive.notRecorded")}`),
        hit.documentNumbers.length ? el("div", {}, t("archive.documents"), " ", ...hit.documentNumbers.map((n) => el("span", { class: "tag" }, n))) : null));
    }
    const pages = Math.max(1, Math.ceil(found.total / perPage));
    const pageLink = (number, text) => {
      const next = new URLSearchParams(parameters);
      next.set("page", number);
      return el("a", { class: "button secondary", href: "#/archive?" + next }, text);
    };
    results.replaceChildren(el("p", { role: "status", id: "search-summary" }, t("archive.found", { n: found.total })), list,
      el("nav", { class: "toolbar", "aria-label": t("archive.pages") },
        page > 1 ? pageLink(page - 1, "◀ " + t("calendar.previous")) : null,
        el("span", {}, t("archive.page", { page, pages })),
        page < pages ? pageLink(page + 1, t("calendar.next") + " ▶") : null));
  } catch (problem) { showProblem(results, problem); }
}
