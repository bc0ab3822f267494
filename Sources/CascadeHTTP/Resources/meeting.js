// A meeting as one thing: its details and halls, where its run stands, who attended (halls measured,
// delegates called), its minutes and attachments, and its recording with the player and downloads.
// The secretariat changes or cancels it here (for a series: this one, this and the following, or all).
import { api, onEvent, session } from "./api.js";
import { mountPlayer } from "./player.js";
import { dateTime, duration, localInput, localTime, t } from "./strings.js";
import { attempt, badge, confirmAction, dateInput, el, field, notify, readDate, screenTitle, select, showProblem } from "./ui.js";

const optional = (promise) => promise.catch(() => null);

export async function render(view, [id]) {
  const [meeting, units, halls] = await Promise.all([api(`/api/v1/meetings/${id}`), api("/api/v1/units"), api("/api/v1/halls")]);
  const [run, attendance, minutes, attachments, media] = await Promise.all([
    optional(api(`/api/v1/meetings/${id}/run`)), optional(api(`/api/v1/meetings/${id}/attendance`)),
    optional(api(`/api/v1/meetings/${id}/minutes`)), optional(api(`/api/v1/meetings/${id}/attachments`)),
    optional(api(`/api/v1/meetings/${id}/media`)),
  ]);
  const role = session.me.role;
  const canManage = ["admin", "secretariat"].includes(role);
  const canOperate = ["admin", "technician"].includes(role);
  const unitName = (unitId) => (units.find((u) => u.id === unitId) || { name: unitId }).name;
  const hallName = (hallId) => (halls.find((h) => h.id === hallId) || { name: hallId }).name;
  const runState = run ? run.state : meeting.state;

  view.append(
    screenTitle(meeting.title),
    el("p", { class: "lead" }, badge(runState), " ", `${dateTime(meeting.start)} – ${localTime(meeting.end)}`, " · ", unitName(meeting.organiserUnitId)),
    el("nav", { class: "toolbar", "aria-label": t("meeting.actions") },
      el("a", { class: "button secondary", href: `#/meetings/${id}/roll-call`, id: "roll-call-link" }, t("meeting.rollCall")),
      el("a", { class: "button secondary", href: `#/meetings/${id}/minutes`, id: "minutes-link" }, t("meeting.minutes")),
      canOperate ? el("a", { class: "button secondary", href: `#/console/meetings/${id}` }, t("meeting.board")) : null,
      el("a", { class: "button secondary", href: `#/calendar?date=${meeting.start.slice(0, 10)}` }, t("meeting.inCalendar")),
      el("button", { type: "button", class: "secondary", onclick: () => window.print() }, t("meeting.print"))));

  // Details and halls.
  const details = el("dl", { class: "details" });
  const add = (term, value) => value && details.append(el("dt", {}, term), el("dd", {}, value));
  add(t("booking.chair"), meeting.chair);
  add(t("booking.classification"), t("classification." + meeting.classification));
  add(t("meeting.rehearsal"), dateTime(meeting.rehearsalStart));
  add(t("booking.origin"), run && run.origin ? run.origin.name : meeting.origin);
  add(t("booking.record"), meeting.record ? t("yes") : t("no"));
  add(t("booking.notes"), meeting.notes);
  if (meeting.seriesId) add(t("meeting.series"), meeting.seriesId);
  view.append(el("section", { class: "card" }, el("h2", {}, t("meeting.details")), details,
    el("h3", {}, t("booking.halls") + ` (${meeting.halls.length})`),
    el("ul", { class: "hall-list" }, ...meeting.halls.map((h) => el("li", {}, hallName(h))))));

  if (canManage && ["booked"].includes(meeting.state) && (!run || run.state === "booked")) view.append(changeForm(meeting));
  if (run && run.transitions && run.transitions.length) {
    view.append(el("section", { class: "card" }, el("h2", {}, t("meeting.run")),
      el("ol", { class: "transitions" }, ...run.transitions.map((step) => el("li", {}, `${dateTime(step.at)} — `, badge(step.to), ` ${step.reason}`)))));
  }

  // Attendance: halls measured from their connections, delegates from the roll call.
  const attendanceSection = el("section", { class: "card", id: "attendance" }, el("h2", {}, t("meeting.attendance")));
  if (attendance && Date.now() < Date.parse(meeting.rehearsalStart)) {
    attendanceSection.append(el("p", { class: "muted" }, t("meeting.notYet", { at: dateTime(meeting.rehearsalStart) })));
  } else if (attendance) {
    const summary = attendance.summary;
    attendanceSection.append(el("p", {}, t("meeting.attendanceSummary", { connected: summary.connected, invited: summary.invited, absent: summary.absent })));
    const table = el("table", {}, el("caption", { class: "visually-hidden" }, t("meeting.attendance")),
      el("thead", {}, el("tr", {}, ...["meeting.hall", "meeting.connected", "meeting.connectedFor", "meeting.firstJoin", "meeting.lastLeave", "meeting.drops"].map((k) => el("th", { scope: "col" }, t(k))))));
    const body = el("tbody");
    for (const hall of attendance.halls) {
      body.append(el("tr", {}, el("td", {}, hall.hallName),
        el("td", {}, hall.measurable ? (hall.connectedSeconds > 0 ? t("yes") : t("no")) : t("meeting.notMeasurable")),
        el("td", {}, duration(hall.connectedSeconds)), el("td", {}, dateTime(hall.firstJoin)), el("td", {}, dateTime(hall.lastLeave)), el("td", {}, String(hall.drops))));
    }
    table.append(body);
    attendanceSection.append(table, el("p", { class: "downloads" },
      el("a", { href: `/api/v1/meetings/${id}/attendance.csv`, download: true }, t("meeting.exportHalls")), " · ",
      el("a", { href: `/api/v1/meetings/${id}/attendance.csv?table=delegates`, download: true }, t("meeting.exportDelegates")), " · ",
      el("a", { href: `/api/v1/meetings/${id}/attendance.html`, target: "_blank", rel: "noopener" }, t("meeting.printable"))));
  }

  // Minutes and attachments.
  const minutesSection = el("section", { class: "card", id: "minutes" }, el("h2", {}, t("meeting.minutes")));
  if (minutes) {
    const content = minutes.content || minutes;
    minutesSection.append(el("p", {}, t("minutes.versionState", { version: minutes.version, state: t("minutes.state." + minutes.state) })));
    if (content.chair) minutesSection.append(el("p", {}, `${t("booking.chair")}: ${content.chair}`));
    minutesSection.append(el("ol", { class: "agenda" }, ...content.agenda.map((item) => el("li", {}, el("strong", {}, item.title),
      item.presenter ? ` — ${item.presenter}` : "", item.conclusion ? el("p", {}, item.conclusion) : null))));
    if (content.documents.length) {
      minutesSection.append(el("h3", {}, t("minutes.documents")),
        el("ul", {}, ...content.documents.map((d) => el("li", {}, el("strong", {}, d.number), ` ${d.kind} — ${d.title}`))));
    }
  } else {
    minutesSection.append(el("p", { class: "muted" }, t("meeting.noMinutes")));
  }
  if (attachments && attachments.length) {
    minutesSection.append(el("h3", {}, t("minutes.attachments")),
      el("ul", {}, ...attachments.map((a) => el("li", {}, el("a", { href: a.url, download: a.name }, a.name), ` (${Math.ceil(a.bytes / 1024)} KB)`))));
  }

  // The recording: the player, then downloads of the whole meeting or a range.
  const recording = el("section", { class: "card", id: "recording" }, el("h2", {}, t("meeting.recording")));
  // Staff come for the recording: it comes first, then the minutes, then who attended.
  view.append(recording, minutesSection, attendanceSection);
  let stopPlayer = null;
  if (media && media.parts && media.parts.length) {
    const parts = {
      video: el("video", { id: "player", controls: true, preload: "auto", "aria-label": t("player.video") }),
      status: el("p", { id: "status", role: "status" }), position: el("p", { id: "position" }),
      chapters: el("ol", { id: "chapters" }), gaps: el("ul", { id: "gaps" }),
    };
    const from = el("input", { type: "number", min: 0, step: 1, value: 0, name: "from" });
    const to = el("input", { type: "number", min: 1, step: 1, value: Math.floor(media.durationSeconds), name: "to" });
    const rangeLink = el("a", { class: "button secondary", id: "download-range", download: true }, t("meeting.downloadRange"));
    const updateRange = () => { rangeLink.href = `/api/v1/meetings/${id}/media.mp4?from=${from.value || 0}&to=${to.value || 0}`; };
    from.addEventListener("input", updateRange); to.addEventListener("input", updateRange); updateRange();
    recording.append(parts.video, parts.status, parts.position,
      el("div", { class: "columns" },
        el("div", {}, el("h3", {}, t("player.chapters")), parts.chapters),
        el("div", {}, el("h3", {}, t("player.gaps")), parts.gaps)),
      el("div", { class: "toolbar" },
        el("a", { class: "button", href: `/api/v1/meetings/${id}/media.mp4`, download: true, id: "download-whole" }, t("player.downloadWhole")),
        field(t("meeting.fromSeconds"), from), field(t("meeting.toSeconds"), to), rangeLink,
        el("a", { href: `/watch?meeting=${encodeURIComponent(id)}` }, t("meeting.openPlayer")),
        playerLinkButton(id)));
    // The player starts once the page is shown (a media element works in the document).
    let left = false;
    setTimeout(async () => {
      const mounted = await mountPlayer(id, parts);
      if (left) mounted.stop(); else stopPlayer = mounted.stop;
    }, 0);
    stopPlayer = () => { left = true; };
  } else {
    recording.append(el("p", { class: "muted" }, t("meeting.noRecording")));
  }

  const stopEvents = onEvent((kind, data) => {
    if (kind === "meeting-state" && data.meetingId === id) notify(`${meeting.title}: ${t("state." + data.state)}`);
  });
  return () => { stopEvents(); if (stopPlayer) stopPlayer(); };
}

// Change the title or time, or cancel; a series occurrence asks which occurrences the change is for.
function changeForm(meeting) {
  const isOccurrence = Boolean(meeting.seriesId);
  const title = el("input", { name: "title", value: meeting.title, maxLength: 300 });
  const start = dateInput("start", localInput(meeting.start));
  const end = dateInput("end", localInput(meeting.end));
  const scope = select([["occurrence", t("scope.occurrence")], ["following", t("scope.following")], ["series", t("scope.series")]], "occurrence", { name: "scope" });
  const result = el("div", { role: "status" });
  const form = el("form", { class: "card", id: "change-form" },
    el("h2", {}, t("meeting.change")),
    field(t("booking.title"), title), el("div", { class: "row" }, field(t("booking.start"), start, t("form.dateTimeHint")), field(t("booking.end"), end, t("form.dateTimeHint"))),
    isOccurrence ? field(t("meeting.scope"), scope, t("meeting.scopeHint")) : null,
    el("div", { class: "toolbar" },
      el("button", { type: "submit" }, t("action.save")),
      el("button", { type: "button", class: "danger", id: "cancel-meeting", onclick: cancel }, t("meeting.cancel"))),
    result);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = { start: readDate(start), end: readDate(end) };
    if (!body.start || !body.end) { result.replaceChildren(el("p", { class: "error", role: "alert" }, t("form.badDate"))); return; }
    if (title.value !== meeting.title) body.title = title.value;
    if (isOccurrence) body.scope = scope.value;
    try {
      const changed = await api(`/api/v1/meetings/${meeting.id}`, { method: "PATCH", body });
      notify(t("meeting.changed"));
      if (changed.id !== meeting.id) location.hash = "#/meetings/" + changed.id; else window.dispatchEvent(new HashChangeEvent("hashchange"));
    } catch (problem) { showProblem(result, problem); }
  });
  async function cancel() {
    const which = isOccurrence ? scope.value : null;
    if (!(await confirmAction(t(isOccurrence ? "meeting.cancelScoped" : "meeting.cancelConfirm", { title: meeting.title, scope: which ? t("scope." + which) : "" }), t("meeting.cancel")))) return;
    const done = await attempt(() => api(`/api/v1/meetings/${meeting.id}` + (which ? `?scope=${which}` : ""), { method: "DELETE" }).then(() => true), result);
    if (done) { notify(t("meeting.cancelled")); location.hash = "#/calendar"; }
  }
  return form;
}

// "Copy a link for a player": VLC, ffplay or a room's television cannot send a sign-in, so the server
// gives a four-hour link that plays this meeting only; it is copied, or shown when copying is refused.
function playerLinkButton(id) {
  const shown = el("output", { id: "player-link", class: "muted" });
  const button = el("button", { type: "button", class: "secondary", id: "copy-player-link" }, t("meeting.copyPlayerLink"));
  button.addEventListener("click", async () => {
    try {
      const link = await api(`/api/v1/meetings/${encodeURIComponent(id)}/player-link`, { method: "POST" });
      shown.textContent = link.url;
      try { await navigator.clipboard.writeText(link.url); notify(t("meeting.playerLinkCopied")); } catch (_) { notify(t("meeting.playerLinkShown")); }
    } catch (problem) { notify(problem.message); }
  });
  return el("span", {}, button, " ", shown);
}
