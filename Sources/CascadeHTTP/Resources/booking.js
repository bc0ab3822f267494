// Booking a meeting: as the secretariat types, the server checks the slot (halls, links, relay
// nodes) without booking it, and shows what is in the way and the free slots nearby, one click
// away. A series repeats daily, weekly or monthly until a date or a number of times.
import { api, session } from "./api.js";
import { dateTime, formatInput, localDate, localTime, t } from "./strings.js";
import { dateInput, el, field, notify, readDate, screenTitle, select, showProblem } from "./ui.js";

export async function render(view, _, parameters) {
  const [units, halls] = await Promise.all([api("/api/v1/units"), api("/api/v1/halls")]);
  const day = parameters.get("date") || session.site.today;
  const input = (attributes) => el("input", attributes);
  const title = input({ name: "title", required: true, maxLength: 300, autocomplete: "off" });
  const organiser = select(units.map((u) => [u.id, u.name]), session.me.scopeUnitId || units[0]?.id, { name: "organiserUnitId" });
  const chair = input({ name: "chair", maxLength: 200 });
  const start = dateInput("start", `${day}T08:00`);
  const end = dateInput("end", `${day}T10:00`);
  const origin = select([["", t("booking.defaultOrigin")], ...session.site.feeds.map((f) => [f.id, f.name])], "", { name: "origin" });
  const classification = select(["public", "internal", "confidential"].map((c) => [c, t("classification." + c)]), "internal", { name: "classification" });
  const record = input({ type: "checkbox", name: "record", checked: true, class: "inline" });
  const everyHallOf = select([["", "—"], ...units.map((u) => [u.id, u.name])], "", { name: "hallsOfUnit" });
  const frequency = select([["", t("booking.once")], ["daily", t("booking.daily")], ["weekly", t("booking.weekly")], ["monthly", t("booking.monthly")]], "", { name: "recurrence.frequency" });
  const until = dateInput("recurrence.until", "", false);
  const count = el("input", { type: "number", name: "recurrence.count", min: 1, max: 1000, value: 10, class: "short" });
  const repeatDetails = el("div", { class: "row", hidden: true }, field(t("booking.until"), until, t("form.dateHint")), field(t("booking.count"), count, t("booking.countHint")));
  frequency.addEventListener("change", () => { repeatDetails.hidden = !frequency.value; });
  const notes = el("textarea", { name: "notes", rows: 2, maxLength: 2000 });

  const hallBoxes = el("div", { class: "hall-choices" });
  for (const unit of units) {
    const own = halls.filter((h) => h.unitId === unit.id);
    if (!own.length) continue;
    const group = el("fieldset", { class: "hall-group" }, el("legend", {}, unit.name));
    for (const hall of own) {
      group.append(el("label", { class: "check" }, el("input", { type: "checkbox", name: "halls", value: hall.id, class: "inline" }), " " + hall.name));
    }
    hallBoxes.append(group);
  }

  const checkResult = el("div", { id: "booking-check", role: "status", "aria-live": "polite" });
  const submitResult = el("div", { id: "booking-result" });
  const form = el("form", { id: "booking-form", class: "card", novalidate: true },
    el("div", { class: "columns" },
      el("div", {},
        field(t("booking.title"), title),
        field(t("booking.organiser"), organiser),
        field(t("booking.chair"), chair),
        el("div", { class: "row" }, field(t("booking.start"), start, t("form.dateTimeHint")), field(t("booking.end"), end, t("form.dateTimeHint"))),
        field(t("booking.origin"), origin, t("booking.originHint")),
        el("div", { class: "row" }, field(t("booking.classification"), classification),
          el("label", { class: "check" }, record, " " + t("booking.record"))),
        field(t("booking.repeat"), frequency), repeatDetails,
        field(t("booking.notes"), notes)),
      el("div", {},
        el("fieldset", {}, el("legend", {}, t("booking.halls")),
          field(t("booking.everyHallOf"), everyHallOf),
          hallBoxes),
        el("h2", {}, t("booking.check")),
        checkResult)),
    el("button", { type: "submit", id: "booking-submit" }, t("booking.submit")),
    submitResult);
  view.append(screenTitle(t("booking.screen")), form);

  function body() {
    const chosen = [...form.querySelectorAll("input[name=halls]:checked")].map((box) => box.value);
    const value = {
      title: title.value.trim(), organiserUnitId: organiser.value, start: readDate(start), end: readDate(end),
      halls: chosen, classification: classification.value, record: record.checked,
    };
    if (chair.value.trim()) value.chair = chair.value.trim();
    if (notes.value.trim()) value.notes = notes.value.trim();
    if (origin.value) value.origin = origin.value;
    if (everyHallOf.value) value.hallsOfUnit = everyHallOf.value;
    if (frequency.value) {
      value.recurrence = { frequency: frequency.value };
      // An end date, else a number of meetings (ten unless changed): a series always ends.
      if (readDate(until)) value.recurrence.until = readDate(until);
      else value.recurrence.count = Number(count.value) || 10;
    }
    return value;
  }

  // The check as they type: a quarter of a second after the last change, the newest answer wins.
  let timer = null, asked = 0;
  async function check() {
    const value = body();
    if (value.start === null || value.end === null) {
      checkResult.replaceChildren(el("p", { class: "error" }, t("form.badDate")));
      return;
    }
    if (!value.start || !value.end || (!value.halls.length && !value.hallsOfUnit)) {
      checkResult.replaceChildren(el("p", { class: "muted" }, t("booking.checkNeeds")));
      return;
    }
    value.title = value.title || "…";
    const mine = ++asked;
    try {
      const answer = await api("/api/v1/meetings/check", { method: "POST", body: value });
      if (mine !== asked) return;
      showCheck(answer);
    } catch (problem) {
      if (mine === asked) checkResult.replaceChildren(el("p", { class: "error" }, problem.message));
    }
  }
  function showCheck(answer) {
    checkResult.replaceChildren();
    if (answer.isFree) {
      checkResult.append(el("p", { class: "ok", "data-free": "true" }, "✓ ", t("booking.free", { n: answer.hallIds.length })));
      return;
    }
    checkResult.append(conflictList(answer.conflicts, halls, units), suggestionButtons(answer.suggestions));
  }
  function suggestionButtons(suggestions) {
    if (!suggestions.length) return el("p", { class: "muted" }, t("booking.noSuggestion"));
    return el("div", { class: "suggestions" }, el("p", {}, t("booking.suggestions")),
      ...suggestions.map((slot) => el("button", {
        type: "button", class: "suggestion", onclick: () => {
          start.value = formatInput(`${localDate(slot.start)}T${localTime(slot.start)}`);
          end.value = formatInput(`${localDate(slot.end)}T${localTime(slot.end)}`);
          notify(t("booking.slotTaken", { when: dateTime(slot.start) }));
          check();
        },
      }, `${dateTime(slot.start)} – ${localTime(slot.end)}`)));
  }
  form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(check, 250); });
  form.addEventListener("change", () => { clearTimeout(timer); timer = setTimeout(check, 100); });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    submitResult.replaceChildren();
    for (const control of form.querySelectorAll("[aria-invalid]")) control.removeAttribute("aria-invalid");
    const value = body();
    if (value.start === null || value.end === null) { submitResult.replaceChildren(el("p", { class: "error", role: "alert" }, t("form.badDate"))); return; }
    try {
      const booked = await api("/api/v1/meetings", { method: "POST", body: value });
      notify(t("booking.booked", { title: booked.title || title.value }));
      const id = booked.nextOccurrences ? booked.nextOccurrences[0]?.id : booked.id;
      location.hash = id ? "#/meetings/" + id : "#/calendar";
    } catch (problem) {
      showProblem(submitResult, problem);
      if (problem.body.conflicts) submitResult.append(conflictList(problem.body.conflicts, halls, units), suggestionButtons(problem.body.suggestions || []));
    }
  });
  check();
}

/** What stands in the way of a booking: the hall, link or relay node, and the meeting holding it. */
export function conflictList(conflicts, halls, units) {
  const list = el("ul", { class: "conflicts", id: "conflicts" });
  for (const conflict of conflicts.slice(0, 20)) {
    const hall = conflict.hallId && (halls.find((h) => h.id === conflict.hallId) || { name: conflict.hallId }).name;
    const unit = conflict.unitId && (units.find((u) => u.id === conflict.unitId) || { name: conflict.unitId }).name;
    const others = conflict.otherMeetings.map((m) => (m.id ? m.title : t("conflict.otherUnit"))).join(", ");
    list.append(el("li", { class: "error", "data-kind": conflict.kind },
      el("strong", {}, t("conflict." + conflict.kind) + (hall ? ": " + hall : unit ? ": " + unit : "")),
      ` — ${others} (${dateTime(conflict.overlapStart)}–${localTime(conflict.overlapEnd)})`));
  }
  return el("div", {}, el("p", { class: "error" }, t("booking.conflicts", { n: conflicts.length })), list,
    el("p", { class: "muted" }, t("booking.rehearsalIncluded")));
}
