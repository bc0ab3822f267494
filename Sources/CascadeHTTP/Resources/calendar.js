// The secretariat's calendar: a week or a month of the meetings in their subtree, filtered by unit
// and hall, kept current by the server's events. A meeting opens its page; "Book" opens the form.
import { api, onEvent, query, session } from "./api.js";
import { addDays, localDate, localTime, longDate, shortDate, t, weekday } from "./strings.js";
import { badge, el, field, screenTitle, select } from "./ui.js";

export async function render(view, _, parameters) {
  const mode = parameters.get("view") === "month" ? "month" : "week";
  const date = /^\d{4}-\d{2}-\d{2}$/.test(parameters.get("date") || "") ? parameters.get("date") : session.site.today;
  const unit = parameters.get("unit") || "", hall = parameters.get("hall") || "";
  const [units, halls] = await Promise.all([api("/api/v1/units"), api("/api/v1/halls")]);

  let first, last;
  if (mode === "week") {
    first = addDays(date, -weekday(date));
    last = addDays(first, 6);
  } else {
    const monthStart = date.slice(0, 8) + "01";
    first = addDays(monthStart, -weekday(monthStart));
    last = addDays(first, 41);
  }
  const go = (changes) => {
    const next = new URLSearchParams({ view: mode, date, unit, hall, ...changes });
    for (const [key, value] of [...next]) if (!value) next.delete(key);
    location.hash = "#/calendar?" + next;
  };
  const step = mode === "week" ? 7 : 0;
  const previous = mode === "week" ? addDays(date, -step) : shiftMonth(date, -1);
  const following = mode === "week" ? addDays(date, step) : shiftMonth(date, 1);

  const unitFilter = select([["", t("calendar.allUnits")], ...units.map((u) => [u.id, u.name])], unit, { name: "unit" });
  unitFilter.addEventListener("change", () => go({ unit: unitFilter.value, hall: "" }));
  const hallChoices = halls.filter((h) => !unit || withinUnit(units, h.unitId, unit));
  const hallFilter = select([["", t("calendar.allHalls")], ...hallChoices.map((h) => [h.id, h.name])], hall, { name: "hall" });
  hallFilter.addEventListener("change", () => go({ hall: hallFilter.value }));
  const canBook = ["admin", "secretariat"].includes(session.me.role);

  const title = mode === "week" ? t("calendar.week", { from: shortDate(first), to: shortDate(last) })
    : t("calendar.month", { month: t("month." + Number(date.slice(5, 7))), year: date.slice(0, 4) });
  const grid = el("div", { class: mode === "week" ? "week" : "month", id: "calendar-grid", "aria-busy": "true" });
  view.append(
    screenTitle(t("calendar.title")),
    el("div", { class: "toolbar" },
      el("div", { class: "group", role: "group", "aria-label": t("calendar.navigate") },
        el("button", { type: "button", class: "secondary", onclick: () => go({ date: previous }) }, "◀ ", t("calendar.previous")),
        el("button", { type: "button", class: "secondary", onclick: () => go({ date: session.site.today }) }, t("calendar.today")),
        el("button", { type: "button", class: "secondary", onclick: () => go({ date: following }) }, t("calendar.next"), " ▶")),
      el("div", { class: "group", role: "group", "aria-label": t("calendar.viewAs") },
        el("button", { type: "button", class: mode === "week" ? "" : "secondary", "aria-pressed": String(mode === "week"), onclick: () => go({ view: "week" }) }, t("calendar.weekView")),
        el("button", { type: "button", class: mode === "month" ? "" : "secondary", "aria-pressed": String(mode === "month"), onclick: () => go({ view: "month" }) }, t("calendar.monthView"))),
      field(t("calendar.unit"), unitFilter), field(t("calendar.hall"), hallFilter),
      canBook ? el("a", { class: "button", href: "#/book" + (date !== session.site.today ? "?date=" + date : ""), id: "book-link" }, "+ ", t("calendar.book")) : null),
    el("h2", { id: "calendar-range" }, title),
    grid);

  async function fill() {
    const meetings = await api("/api/v1/meetings" + query({ from: first, to: addDays(last, 1), unit, hall }));
    const byDay = new Map();
    for (const meeting of meetings) {
      const day = localDate(meeting.start);
      if (!byDay.has(day)) byDay.set(day, []);
      byDay.get(day).push(meeting);
    }
    grid.replaceChildren();
    if (mode === "week") {
      for (let i = 0; i < 7; i++) {
        const day = addDays(first, i);
        const list = el("ul", { class: "meetings" });
        for (const meeting of byDay.get(day) || []) list.append(el("li", {}, meetingCard(meeting, halls, units)));
        if (!list.children.length) list.append(el("li", { class: "empty" }, t("calendar.free")));
        const bookHere = canBook && day >= session.site.today
          ? el("a", { href: `#/book?date=${day}`, "aria-label": t("calendar.bookOn", { day: longDate(day) }), title: t("calendar.bookOn", { day: longDate(day) }) }, "+") : null;
        grid.append(el("section", { class: "day" + (day === session.site.today ? " today" : ""), "aria-label": longDate(day) },
          el("h3", {}, el("span", {}, longDate(day)), bookHere), list));
      }
    } else {
      const table = el("table", { class: "month-table" });
      table.append(el("thead", {}, el("tr", {}, ...[0, 1, 2, 3, 4, 5, 6].map((d) => el("th", { scope: "col" }, t("weekdayShort." + d))))));
      const body = el("tbody");
      for (let week = 0; week < 6; week++) {
        const row = el("tr");
        for (let d = 0; d < 7; d++) {
          const day = addDays(first, week * 7 + d);
          const meetings = byDay.get(day) || [];
          const cell = el("td", { class: (day.slice(0, 7) === date.slice(0, 7) ? "" : "other-month") + (day === session.site.today ? " today" : "") },
            el("a", { class: "day-number", href: `#/calendar?view=week&date=${day}`, "aria-label": longDate(day) }, day.slice(8)));
          for (const meeting of meetings.slice(0, 3)) {
            cell.append(el("a", { class: "month-meeting state-" + meeting.state, href: "#/meetings/" + meeting.id, title: t("state." + meeting.state) },
              localTime(meeting.start) + " " + meeting.title + (meeting.state === "cancelled" ? ` (${t("state.cancelled")})` : "")));
          }
          if (meetings.length > 3) cell.append(el("a", { class: "more", href: `#/calendar?view=week&date=${day}` }, t("calendar.more", { n: meetings.length - 3 })));
          row.append(cell);
        }
        body.append(row);
      }
      table.append(body);
      grid.append(table);
    }
    grid.setAttribute("aria-busy", "false");
  }
  await fill();
  // A meeting's run changing shows at once; colleagues' bookings within a minute.
  let pending = null;
  const stopEvents = onEvent((kind) => {
    if (kind !== "meeting-state") return;
    clearTimeout(pending);
    pending = setTimeout(fill, 500);
  });
  const timer = setInterval(() => fill().catch(() => {}), 60000);
  return () => { stopEvents(); clearInterval(timer); clearTimeout(pending); };
}

/** A meeting as a card on the calendar: time, title, state, halls. */
export function meetingCard(meeting, halls, units) {
  const hallNames = meeting.halls.map((id) => (halls.find((h) => h.id === id) || { name: id }).name);
  const organiser = (units.find((u) => u.id === meeting.organiserUnitId) || { name: meeting.organiserUnitId }).name;
  return el("a", { class: "meeting-card state-" + meeting.state, href: "#/meetings/" + meeting.id },
    el("span", { class: "time" }, `${localTime(meeting.start)}–${localTime(meeting.end)}`),
    el("strong", {}, meeting.title), " ", badge(meeting.state),
    el("span", { class: "halls" }, organiser + (meeting.chair ? " · " + meeting.chair : "")),
    el("span", { class: "halls" }, t("calendar.halls", { n: hallNames.length }) + (hallNames.length <= 2 ? ": " + hallNames.join(", ") : "")));
}

function shiftMonth(date, months) {
  const [y, m] = date.split("-").map(Number);
  const index = y * 12 + (m - 1) + months;
  return `${Math.floor(index / 12)}-${String(index % 12 + 1).padStart(2, "0")}-01`;
}

/** Whether a unit is `ancestor` or below it. */
export function withinUnit(units, unitId, ancestor) {
  for (let current = units.find((u) => u.id === unitId); current; current = units.find((u) => u.id === current.parentId)) {
    if (current.id === ancestor) return true;
  }
  return false;
}
