// The roll call, made for a hall clerk's tablet: one hall at a time (or all), every delegate with
// large buttons for present, online, absent with reason, absent, represented. Each tap is saved at
// once. The organiser's secretariat also adds delegates, copies the list of the previous meeting of
// a series, or imports a CSV.
import { api, session, upload } from "./api.js";
import { t } from "./strings.js";
import { askText, attempt, confirmAction, el, field, notify, screenTitle, select } from "./ui.js";

const states = ["present-in-hall", "present-online", "absent-with-reason", "absent", "represented"];

export async function render(view, [id], parameters) {
  const [meeting, halls, units] = await Promise.all([api(`/api/v1/meetings/${id}`), api("/api/v1/halls"), api("/api/v1/units")]);
  let delegates = await api(`/api/v1/meetings/${id}/delegates`);
  // Only the secretariat calls the roll; others see it as it stands.
  const canMark = ["admin", "secretariat"].includes(session.me.role);
  const hallName = (hallId) => (halls.find((h) => h.id === hallId) || { name: hallId }).name;
  const hall = parameters.get("hall") || "";
  const hallFilter = select([["", t("rollCall.allHalls")], ...meeting.halls.map((h) => [h, hallName(h)])], hall, { name: "hall" });
  hallFilter.addEventListener("change", () => { location.hash = `#/meetings/${id}/roll-call` + (hallFilter.value ? `?hall=${hallFilter.value}` : ""); });
  const tally = el("p", { id: "tally", role: "status" });
  const list = el("div", { class: "roll-call", id: "roll-call" });
  view.append(screenTitle(t("rollCall.title", { title: meeting.title })),
    el("p", {}, el("a", { href: `#/meetings/${id}` }, "← ", t("rollCall.back"))),
    el("div", { class: "toolbar" }, field(t("calendar.hall"), hallFilter)), tally, list, canMark ? manage() : null);

  // Counts marks and reloads made on this tablet: a periodic refresh that started before one is stale.
  let changes = 0;

  function draw() {
    const shown = delegates.filter((d) => !hall || d.hallId === hall);
    const present = shown.filter((d) => ["present-in-hall", "present-online", "represented"].includes(d.state)).length;
    tally.textContent = t("rollCall.tally", { present, total: shown.length, open: shown.filter((d) => d.state === "not-called").length });
    list.replaceChildren();
    if (!shown.length) list.append(el("p", { class: "muted" }, t("rollCall.empty")));
    for (const delegate of shown) {
      const row = el("fieldset", { class: "delegate state-" + delegate.state, "data-delegate": String(delegate.id) },
        el("legend", {}, el("strong", {}, delegate.name), " — ", delegate.position, el("span", { class: "muted" }, " · " + hallName(delegate.hallId))));
      const buttons = el("div", { class: "choices" });
      for (const state of states) {
        // A second tap on the chosen state takes it back (not called yet).
        const chosen = delegate.state === state;
        buttons.append(el("button", {
          type: "button", class: "choice", "aria-pressed": String(chosen), "data-choice": state, disabled: !canMark,
          onclick: () => mark(delegate, chosen ? "not-called" : state),
        }, t("delegate." + state)));
      }
      row.append(buttons);
      if (delegate.reason || delegate.representedBy) row.append(el("p", { class: "muted" }, delegate.reason || t("rollCall.representedBy", { name: delegate.representedBy })));
      list.append(row);
    }
  }

  async function mark(delegate, state) {
    const body = { state };
    if (state === "absent-with-reason") {
      const reason = await askText(t("rollCall.reasonPrompt", { name: delegate.name }), t("action.save"));
      if (!reason) return;
      body.reason = reason;
    }
    if (state === "represented") {
      const name = await askText(t("rollCall.representedPrompt", { name: delegate.name }), t("action.save"));
      if (!name) return;
      body.representedBy = name;
    }
    changes += 1;
    const saved = await attempt(() => api(`/api/v1/meetings/${id}/delegates/${delegate.id}`, { method: "PATCH", body }));
    if (!saved) return;
    changes += 1;
    delegates = delegates.map((d) => (d.id === delegate.id ? saved : d));
    draw();
    notify(t("rollCall.marked", { name: delegate.name, state: t("delegate." + state) }));
    const next = list.querySelector(`[data-delegate="${delegate.id}"]`)?.nextElementSibling?.querySelector("button");
    if (next) next.focus();
  }

  // Adding to the list: one delegate, the previous meeting's list, or a CSV file.
  function manage() {
    const name = el("input", { name: "name", required: true, maxLength: 200 });
    const position = el("input", { name: "position", maxLength: 200 });
    const inHall = select(meeting.halls.map((h) => [h, hallName(h)]), hall || meeting.halls[0], { name: "hallId" });
    const file = el("input", { type: "file", accept: ".csv,text/csv", name: "csv" });
    const result = el("div", { role: "status" });
    const reload = async () => { changes += 1; delegates = await api(`/api/v1/meetings/${id}/delegates`); draw(); };
    const form = el("form", { class: "card", id: "add-delegate" }, el("h2", {}, t("rollCall.manage")),
      el("div", { class: "row" }, field(t("rollCall.name"), name), field(t("rollCall.position"), position), field(t("calendar.hall"), inHall)),
      el("div", { class: "toolbar" },
        el("button", { type: "submit" }, t("rollCall.add")),
        meeting.seriesId ? el("button", { type: "button", class: "secondary", onclick: async () => {
          if (await attempt(() => api(`/api/v1/meetings/${id}/delegates/copy-previous`, { method: "POST" }), result)) reload();
        } }, t("rollCall.copyPrevious")) : null),
      field(t("rollCall.import"), file, t("rollCall.importHint")), result);
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const unitId = (halls.find((h) => h.id === inHall.value) || {}).unitId || units[0].id;
      const body = { name: name.value.trim(), position: position.value.trim(), unitId, hallId: inHall.value };
      if (await attempt(() => api(`/api/v1/meetings/${id}/delegates`, { method: "POST", body }), result)) { name.value = ""; position.value = ""; reload(); name.focus(); }
    });
    file.addEventListener("change", async () => {
      if (!file.files.length) return;
      if (delegates.length && !(await confirmAction(t("rollCall.confirmImport", { n: delegates.length }), t("rollCall.import")))) { file.value = ""; return; }
      if (await attempt(() => upload(`/api/v1/meetings/${id}/delegates/import`, file.files[0], "text/csv"), result)) { notify(t("rollCall.imported")); reload(); }
    });
    return form;
  }
  draw();
  // Another clerk's marks (another hall, another tablet) appear within a quarter of a minute.
  const timer = setInterval(async () => {
    if (list.contains(document.activeElement) && document.activeElement.tagName === "INPUT") return;
    const before = changes;
    const fresh = await api(`/api/v1/meetings/${id}/delegates`).catch(() => null);
    // A mark made here while the list was on its way is newer than the list: keep it.
    if (before !== changes) return;
    if (fresh && JSON.stringify(fresh) !== JSON.stringify(delegates)) {
      const focused = document.activeElement && document.activeElement.closest("[data-delegate]");
      delegates = fresh;
      draw();
      if (focused) list.querySelector(`[data-delegate="${focused.dataset.delegate}"] button`)?.focus();
    }
  }, 15000);
  return () => clearInterval(timer);
}
