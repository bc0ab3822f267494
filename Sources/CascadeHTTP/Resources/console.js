// The technicians' console. The day's run sheet (state, next transition, alarms); the cascade as a
// tree of units and halls lit by the live relays; relays started by hand; the event log with
// filters. A meeting's readiness board shows every hall by state with its link figures, the source
// with its sound level, and the actions (confirm a hall, switch source, extend, end) — each asked
// for confirmation. A relay's page adds and removes halls and stops it.
import { api, onEvent, query, session } from "./api.js";
import { addDays, dateTime, localTime, longDate, t } from "./strings.js";
import { attempt, badge, confirmAction, el, field, keepFocus, notify, screenTitle, select } from "./ui.js";

const everySeconds = 2;

export async function render(view, _, parameters) {
  const date = parameters.get("date") || session.site.today;
  const [units, halls] = await Promise.all([api("/api/v1/units"), api("/api/v1/halls")]);
  const sheet = el("div", { id: "run-sheet" });
  const relayList = el("div", { id: "relay-list" });
  const tree = el("ul", { class: "tree", id: "cascade-tree" });
  const log = eventLog(halls);
  view.append(screenTitle(t("console.title")),
    el("div", { class: "toolbar" },
      el("a", { class: "button secondary", href: `#/console?date=${addDays(date, -1)}` }, "◀ ", t("calendar.previous")),
      el("a", { class: "button secondary", href: "#/console" }, t("calendar.today")),
      el("a", { class: "button secondary", href: `#/console?date=${addDays(date, 1)}` }, t("calendar.next"), " ▶")),
    el("section", { class: "card" }, el("h2", {}, t("console.runSheet", { date: longDate(date) })), sheet),
    el("div", { class: "columns" },
      el("section", { class: "card" }, el("h2", {}, t("console.cascade")), tree),
      el("section", { class: "card" }, el("h2", {}, t("console.relays")), relayList, startRelayForm(halls, units))),
    log.section);

  async function refresh() {
    const [entries, relays] = await Promise.all([api("/api/v1/run-sheet" + query({ date })), api("/api/v1/relays")]);
    const table = el("table", { id: "run-sheet-table" },
      el("thead", {}, el("tr", {}, ...["console.time", "console.meeting", "console.state", "console.next", "console.alarms", ""].map((k) => el("th", { scope: "col" }, k ? t(k) : "")))));
    const body = el("tbody");
    for (const entry of entries) {
      body.append(el("tr", { "data-meeting": entry.meetingId },
        el("td", {}, `${localTime(entry.start)}–${localTime(entry.end)}`),
        el("td", {}, el("a", { href: `#/meetings/${entry.meetingId}` }, entry.title), el("div", { class: "muted" }, t("calendar.halls", { n: entry.halls.length }))),
        el("td", {}, badge(entry.state)),
        el("td", {}, entry.nextTransition ? t("next." + entry.nextTransition.state, { at: localTime(entry.nextTransition.at) }) : "—"),
        el("td", { class: entry.alarms.length ? "error" : "" }, entry.alarms.length ? entry.alarms.map((a) => t("alarm." + a.kind)).join(", ") : "—"),
        el("td", {}, el("a", { class: "button small", href: `#/console/meetings/${entry.meetingId}`, "data-key": "board-" + entry.meetingId }, t("console.board")))));
    }
    if (!entries.length) body.append(el("tr", {}, el("td", { colSpan: 6, class: "muted" }, t("console.noMeetings"))));
    table.append(body);
    keepFocus(sheet, () => sheet.replaceChildren(table));

    const running = relays.filter((r) => !["stopped", "failed"].includes(r.state));
    relayList.replaceChildren(running.length ? el("ul", {}, ...running.map((relay) => {
      const connected = (relay.statistics ? relay.statistics.halls : []).filter((h) => h.connected).length;
      return el("li", {}, el("a", { href: `#/console/relays/${relay.id}` }, `${relay.id} — ${relay.source}`), " ",
        badge(relay.statistics ? relay.statistics.source : "connecting", "source"), ` ${t("console.connectedOf", { connected, total: relay.halls.filter((h) => !h.removedAt).length })}`,
        relay.meetingId ? el("span", { class: "muted" }, ` · ${relay.meetingId}`) : null);
    })) : el("p", { class: "muted" }, t("console.noRelays")));
    drawTree(tree, units, halls, running);
  }
  await refresh();
  const timer = setInterval(() => refresh().catch(() => {}), everySeconds * 1000);
  const stopEvents = onEvent((kind, data) => log.add(kind, data));
  return () => { clearInterval(timer); stopEvents(); };
}

// Every unit with its halls, each hall lit by its state in the running relays.
function drawTree(root, units, halls, relays) {
  const hallState = new Map();
  for (const relay of relays) {
    for (const hall of relay.halls.filter((h) => !h.removedAt)) if (!hallState.has(hall.hallId)) hallState.set(hall.hallId, "waiting");
    for (const figures of relay.statistics ? relay.statistics.halls : []) if (figures.connected) hallState.set(figures.hallId, "connected");
  }
  const lists = new Map(units.map((u) => [u.id, el("ul")]));
  root.replaceChildren();
  for (const unit of units) {
    const item = el("li", {}, el("strong", {}, unit.name), " ", el("span", { class: "muted" }, unit.level));
    for (const hall of halls.filter((h) => h.unitId === unit.id)) {
      const state = hallState.get(hall.id) || "idle";
      item.append(el("div", { class: "tree-hall", "data-hall": hall.id, "data-state": state }, el("span", { class: "lamp lamp-" + state, "aria-hidden": "true" }), " ", hall.name, " ", badge(state, "hall")));
    }
    item.append(lists.get(unit.id));
    (unit.parentId && lists.get(unit.parentId) ? lists.get(unit.parentId) : root).append(item);
  }
}

// A relay started by hand, without a meeting: a configured feed (or an address) to chosen halls.
function startRelayForm(halls, units) {
  const feed = select([...session.site.feeds.map((f) => [f.id, f.name]), ["", t("console.otherSource")]], session.site.feeds[0]?.id || "", { name: "feed" });
  const uri = el("input", { name: "source", placeholder: "srt://…, rtsp://…, udp://…", hidden: true });
  feed.addEventListener("change", () => { uri.hidden = feed.value !== ""; });
  const title = el("input", { name: "relay-title", maxLength: 300, value: t("console.defaultRelayTitle") });
  const boxes = el("div", { class: "hall-choices" }, ...halls.map((hall) => el("label", { class: "check" },
    el("input", { type: "checkbox", name: "relay-halls", value: hall.id, class: "inline" }), " " + hall.name)));
  const result = el("div", { role: "status" });
  const form = el("form", { id: "start-relay" }, el("h3", {}, t("console.startRelay")),
    field(t("console.source"), feed), uri, field(t("booking.title"), title),
    el("fieldset", {}, el("legend", {}, t("booking.halls")), boxes),
    el("button", { type: "submit" }, t("console.start")), result);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const chosen = [...form.querySelectorAll("input[name=relay-halls]:checked")].map((box) => box.value);
    const body = { halls: chosen, title: title.value };
    if (feed.value) body.feed = feed.value; else body.source = uri.value;
    if (!(await confirmAction(t("console.confirmStart", { n: chosen.length }), t("console.start")))) return;
    const relay = await attempt(() => api("/api/v1/relays", { method: "POST", body }), result);
    if (relay) { notify(t("console.started", { id: relay.id })); location.hash = `#/console/relays/${relay.id}`; }
  });
  return form;
}

// The event log: relay and meeting events as they come, filtered by kind and by text.
function eventLog(halls) {
  const kind = select([["", t("console.allEvents")], ["hall", t("console.hallEvents")], ["source", t("console.sourceEvents")], ["meeting", t("console.meetingEvents")]], "", { name: "event-kind" });
  const text = el("input", { name: "event-filter", type: "search", placeholder: "rl1, hall-…, m1" });
  const list = el("ol", { class: "events", id: "event-log", reversed: true });
  const entries = [];
  const hallName = (id) => (halls.find((h) => h.id === id) || { name: id }).name;
  const draw = () => {
    list.replaceChildren(...entries.filter((entry) => (!kind.value || entry.group === kind.value) && (!text.value || entry.text.toLowerCase().includes(text.value.toLowerCase())))
      .slice(0, 200).map((entry) => el("li", { class: entry.bad ? "error" : "" }, entry.text)));
  };
  kind.addEventListener("change", draw);
  text.addEventListener("input", draw);
  return {
    section: el("section", { class: "card" }, el("h2", {}, t("console.events")), el("div", { class: "toolbar" }, field(t("console.eventKind"), kind), field(t("console.filter"), text)), list),
    add(eventKind, data) {
      let entry;
      if (eventKind === "meeting-state" || eventKind === "meeting-alarm") {
        const detail = data.alarm ? `${t("alarm." + data.alarm.kind)} — ${data.alarm.detail}` : t("state." + data.state);
        entry = { group: "meeting", bad: Boolean(data.alarm), text: `${localTime(data.transition?.at || data.alarm?.at || new Date())} ${data.meetingId} ${data.title}: ${detail}` };
      } else {
        const group = eventKind.startsWith("source") ? "source" : eventKind.startsWith("hall") ? "hall" : "relay";
        entry = { group, bad: /lost|disconnected|refused|restarting/.test(eventKind),
          text: `${localTime(data.at)} rl${data.relayId} ${t("event." + eventKind)}${data.hallId ? " " + hallName(data.hallId) : ""}${data.detail ? " — " + data.detail : ""}` };
      }
      entries.unshift(entry);
      entries.length = Math.min(entries.length, 500);
      draw();
    },
  };
}

/** A meeting's readiness board. */
export async function board(view, [id]) {
  const [meeting, halls] = await Promise.all([api(`/api/v1/meetings/${id}`), api("/api/v1/halls")]);
  const top = el("div", { id: "board-top" });
  const hallTable = el("div", { id: "readiness" });
  const alarms = el("ul", { id: "alarms", class: "alarms" });
  const result = el("div", { role: "status" });
  const log = eventLog(halls);
  let current = null, actionsKey = "";
  const actionsBox = el("div");
  view.append(screenTitle(t("board.title", { title: meeting.title })),
    el("p", {}, el("a", { href: "#/console" }, "← ", t("board.back")), " · ", el("a", { href: `#/meetings/${id}` }, t("board.meetingPage"))),
    top, actionsBox, el("section", { class: "card" }, el("h2", {}, t("board.halls")), hallTable),
    el("section", { class: "card" }, el("h2", {}, t("console.alarms")), alarms), result, log.section);

  async function refresh() {
    current = await api(`/api/v1/meetings/${id}/run`);
    const run = current;
    const source = run.source;
    const peak = source && source.audioPeakDecibels != null ? source.audioPeakDecibels : null;
    const meter = el("meter", { id: "level", min: -60, max: 0, low: -40, high: -6, optimum: -18, value: peak == null ? -60 : Math.max(-60, peak) });
    const key = `${run.state}|${run.origin && run.origin.usesBackup}|${run.relayId}`;
    const actions = el("div", { class: "toolbar", role: "group", "aria-label": t("board.actions") });
    if (key !== actionsKey && ["rehearsal", "live"].includes(run.state)) {
      const minutes = el("input", { type: "number", min: 5, max: 240, step: 5, value: 15, name: "extend-minutes", class: "short" });
      // Element.append writes a null child out as the text "null": leave absent buttons out.
      actions.append(...[
        field(t("board.extendBy"), minutes),
        el("button", { type: "button", class: "secondary", disabled: run.state !== "live", onclick: () => act("extend", { minutes: Number(minutes.value) }, t("board.confirmExtend", { minutes: minutes.value })) }, t("board.extend")),
        run.origin && run.origin.hasBackup ? el("button", { type: "button", class: "secondary", onclick: () => act("source", { backup: !run.origin.usesBackup }, t(run.origin.usesBackup ? "board.confirmMain" : "board.confirmBackup")) }, t(run.origin.usesBackup ? "board.toMain" : "board.toBackup")) : null,
        el("button", { type: "button", class: "danger", id: "end-meeting", onclick: () => act("end", undefined, t("board.confirmEnd", { title: meeting.title })) }, t("board.end")),
      ].filter(Boolean));
    }
    if (key !== actionsKey && run.relayId) actions.append(el("a", { class: "button secondary", href: `#/console/relays/${run.relayId}` }, t("board.relay", { id: run.relayId })));
    if (key !== actionsKey) { actionsBox.replaceChildren(actions); actionsKey = key; }
    top.replaceChildren(el("section", { class: "card board-top" },
      el("div", {}, el("p", {}, badge(run.state), " ", run.nextTransition ? t("next." + run.nextTransition.state, { at: dateTime(run.nextTransition.at) }) : ""),
        el("p", { id: "ready-count" }, t("board.ready", {
          ready: run.halls.filter((h) => h.state === "origin" || (h.state !== "waiting" && (h.state !== "connected" || h.confirmation))).length,
          connected: run.halls.filter((h) => h.state === "connected").length, total: run.halls.length,
        })),
        el("p", {}, `${t("booking.origin")}: ${run.origin ? run.origin.name + (run.origin.usesBackup ? ` (${t("board.backup")})` : "") : "—"}`)),
      el("div", { class: "source" }, el("p", {}, t("board.source"), " ", badge(source ? source.state : "none", "source"), source && source.problem ? el("span", { class: "error" }, " " + source.problem) : null),
        el("label", { htmlFor: "level" }, t("board.level")), " ", meter, el("span", { id: "level-text" }, peak == null ? ` ${t("board.notMetered")}` : ` ${peak.toFixed(0)} dB`))));

    const table = el("table", {}, el("thead", {}, el("tr", {}, ...["meeting.hall", "console.state", "board.bitrate", "board.loss", "board.rtt", "board.lastReport", "board.confirmed", ""].map((k) => el("th", { scope: "col" }, k ? t(k) : "")))));
    const body = el("tbody");
    for (const hall of run.halls) {
      const confirm = hall.confirmation ? el("span", { class: "ok" }, `✓ ${hall.confirmation.confirmedBy || ""} ${hall.confirmation.confirmedAt ? localTime(hall.confirmation.confirmedAt) : ""}`) : "—";
      body.append(el("tr", { class: "hall-" + hall.state, "data-hall": hall.hallId, "data-state": hall.state },
        el("th", { scope: "row" }, hall.name), el("td", {}, badge(hall.state, "hall")),
        el("td", {}, hall.bitrateKbps != null ? `${hall.bitrateKbps} kbit/s` : "—"),
        el("td", {}, hall.lostPackets != null ? `${hall.lostPackets} / ${hall.retransmittedPackets ?? 0}` : "—"),
        el("td", {}, hall.rttMs != null ? `${hall.rttMs.toFixed(0)} ms` : "—"),
        el("td", {}, hall.lastReportAt ? localTime(hall.lastReportAt) : "—"), el("td", {}, confirm),
        el("td", {}, hall.state !== "connected" || !["rehearsal", "live"].includes(run.state) ? "" :
          el("button", { type: "button", class: "small secondary", "data-key": "confirm-" + hall.hallId, onclick: () => confirmHall(hall) }, t("board.confirm")))));
    }
    table.append(body);
    keepFocus(hallTable, () => hallTable.replaceChildren(table));
    alarms.replaceChildren(...run.alarms.map((alarm) => el("li", { class: "error" }, `${dateTime(alarm.at)} — ${t("alarm." + alarm.kind)}: ${alarm.detail}`)));
    if (!run.alarms.length) alarms.append(el("li", { class: "muted" }, t("board.noAlarms")));
  }
  async function act(action, body, question) {
    if (!(await confirmAction(question))) return;
    if (await attempt(() => api(`/api/v1/meetings/${id}/run/${action}`, { method: "POST", body }), result)) { notify(t("board.done")); refresh(); }
  }
  async function confirmHall(hall) {
    if (await attempt(() => api(`/api/v1/meetings/${id}/run/confirmations`, { method: "POST", body: { hall: hall.hallId } }), result)) { notify(t("board.confirmedHall", { hall: hall.name })); refresh(); }
  }
  await refresh();
  const timer = setInterval(() => refresh().catch(() => {}), everySeconds * 1000);
  const stopEvents = onEvent((kind, data) => {
    if (data.meetingId === id || (current && data.relayId != null && `rl${data.relayId}` === current.relayId)) log.add(kind, data);
    if (data.meetingId === id) refresh().catch(() => {});
  });
  return () => { clearInterval(timer); stopEvents(); };
}

/** One relay: its halls live (with the address each hall calls), add or remove a hall, stop it. */
export async function relay(view, [id]) {
  const halls = await api("/api/v1/halls");
  const hallName = (hallId) => (halls.find((h) => h.id === hallId) || { name: hallId }).name;
  const top = el("div");
  const controls = el("div");
  let controlsKey = "";
  const table = el("div", { id: "relay-halls" });
  const result = el("div", { role: "status" });
  let seeded = false;
  // The address a hall's decoder calls, to paste into it.
  const copy = async (text) => {
    try { await navigator.clipboard.writeText(text); notify(t("relay.copied")); } catch (_) { notify(text); }
  };
  const log = eventLog(halls);
  view.append(screenTitle(t("relay.title", { id })), el("p", {}, el("a", { href: "#/console" }, "← ", t("board.back"))), top, controls,
    el("section", { class: "card" }, el("h2", {}, t("board.halls")), table), result, log.section);
  async function refresh() {
    const current = await api(`/api/v1/relays/${id}`);
    const running = !["stopped", "failed"].includes(current.state);
    const figures = new Map((current.statistics ? current.statistics.halls : []).map((h) => [h.hallId, h]));
    const access = new Map((current.access || []).map((a) => [a.hallId, a]));
    const active = current.halls.filter((h) => !h.removedAt);
    const addable = halls.filter((h) => !active.some((a) => a.hallId === h.id));
    const add = select(addable.map((h) => [h.id, h.name]), "", { name: "add-hall" });
    top.replaceChildren(el("section", { class: "card" },
      el("p", {}, badge(current.state, "relay"), ` ${current.source} · ${t("relay.port")} ${current.listenerPort} · ${t("relay.started")} ${dateTime(current.startedAt)}`,
        current.restarts ? ` · ${t("relay.restarts", { n: current.restarts })}` : ""),
      el("p", {}, t("board.source"), " ", badge(current.statistics ? current.statistics.source : "connecting", "source"))));
    const key = `${running}|${addable.map((h) => h.id).join()}`;
    if (key !== controlsKey) {
      controlsKey = key;
      controls.replaceChildren(running ? el("div", { class: "toolbar card" },
        addable.length ? field(t("relay.addHall"), add) : null,
        addable.length ? el("button", { type: "button", class: "secondary", onclick: async () => {
          if (await attempt(() => api(`/api/v1/relays/${id}/halls`, { method: "POST", body: { hallId: add.value } }), result)) { notify(t("relay.added", { hall: hallName(add.value) })); refresh(); }
        } }, t("relay.add")) : null,
        el("button", { type: "button", class: "danger", id: "stop-relay", onclick: async () => {
          if (!(await confirmAction(t("relay.confirmStop", { id }), t("relay.stop")))) return;
          if (await attempt(() => api(`/api/v1/relays/${id}`, { method: "DELETE" }), result)) { notify(t("relay.stopped", { id })); refresh(); }
        } }, t("relay.stop"))) : "");
    }
    const rows = el("tbody");
    for (const hall of active) {
      const live = figures.get(hall.hallId);
      const state = live && live.connected ? "connected" : "waiting";
      const address = access.get(hall.hallId);
      rows.append(el("tr", { "data-hall": hall.hallId, "data-state": state, class: "hall-" + state },
        el("th", { scope: "row" }, hallName(hall.hallId)), el("td", {}, badge(state, "hall")),
        el("td", {}, live ? `${live.bitrateKbps} kbit/s` : "—"), el("td", {}, live && live.rttMs != null ? `${live.rttMs.toFixed(0)} ms` : "—"),
        el("td", {}, live && live.lostPackets != null ? `${live.lostPackets} / ${live.retransmittedPackets ?? 0}` : "—"),
        el("td", {}, address ? el("code", { class: "address", "data-url": address.url }, address.url) : "—",
          address ? el("button", { type: "button", class: "small secondary", "data-key": "copy-" + hall.hallId, onclick: () => copy(address.url) }, t("relay.copy")) : null),
        el("td", {}, running ? el("button", { type: "button", class: "small secondary", "data-key": "remove-" + hall.hallId, onclick: async () => {
          if (!(await confirmAction(t("relay.confirmRemove", { hall: hallName(hall.hallId) }), t("relay.remove")))) return;
          if (await attempt(() => api(`/api/v1/relays/${id}/halls/${hall.hallId}`, { method: "DELETE" }), result)) refresh();
        } }, t("relay.remove")) : "")));
    }
    keepFocus(table, () => table.replaceChildren(el("table", {}, el("thead", {}, el("tr", {}, ...["meeting.hall", "console.state", "board.bitrate", "board.rtt", "board.loss", "relay.address", ""].map((k) => el("th", { scope: "col" }, k ? t(k) : "")))), rows)));
    if (!seeded) { seeded = true; for (const event of current.recentEvents || []) log.add(event.kind, { ...event, relayId: Number(id.slice(2)) }); }
    return running;
  }
  await refresh();
  const timer = setInterval(() => refresh().catch(() => {}), everySeconds * 1000);
  const stopEvents = onEvent((kind, data) => { if (`rl${data.relayId}` === id) log.add(kind, data); });
  return () => { clearInterval(timer); stopEvents(); };
}
