// The minutes editor: chair, secretary, agenda items (presenter, where each starts in the recording,
// conclusion), documents issued and notes; saved as a draft, then made final. While the meeting is
// live, "starts now" on an item marks where it begins in the recording. A final version changes only
// through a new version; earlier ones stay readable. Attachments are PDF, DOCX or ODT files.
import { api, onEvent, session, upload } from "./api.js";
import { clock, dateTime, t } from "./strings.js";
import { attempt, confirmAction, dateInput, el, field, notify, readDate, screenTitle, showProblem } from "./ui.js";

export async function render(view, [id]) {
  const meeting = await api(`/api/v1/meetings/${id}`);
  const load = () => api(`/api/v1/meetings/${id}/minutes`).catch((problem) => { if (problem.status === 404) return null; throw problem; });
  let minutes = await load();
  let run = await api(`/api/v1/meetings/${id}/run`).catch(() => null);
  const canEdit = ["admin", "secretariat"].includes(session.me.role);
  const container = el("div");
  view.append(screenTitle(t("minutes.title", { title: meeting.title })),
    el("p", {}, el("a", { href: `#/meetings/${id}` }, "← ", t("rollCall.back"))), container);

  function draw() {
    const content = minutes ? minutes.content : { chair: meeting.chair || "", secretary: "", notes: "", agenda: [], documents: [] };
    // Read only once final (a change needs a new version), and for those who do not write minutes.
    const isFinal = (minutes && minutes.state === "final") || !canEdit;
    const isLive = run && run.state === "live";
    const result = el("div", { id: "minutes-result" });
    const chair = el("input", { name: "chair", value: content.chair, maxLength: 200, disabled: isFinal });
    const secretary = el("input", { name: "secretary", value: content.secretary, maxLength: 200, disabled: isFinal });
    const notes = el("textarea", { name: "notes", rows: 3, disabled: isFinal }, content.notes);
    const agenda = el("ol", { class: "agenda-editor", id: "agenda-items" });
    const documents = el("div", { id: "documents" });

    const itemRow = (item, index) => {
      const row = el("li", { class: "agenda-item" },
        field(t("minutes.itemTitle"), el("input", { name: "item-title", value: item.title || "", maxLength: 300, disabled: isFinal })),
        field(t("minutes.presenter"), el("input", { name: "item-presenter", value: item.presenter || "", maxLength: 200, disabled: isFinal })),
        el("div", { class: "row" },
          field(t("minutes.startSeconds"), el("input", { name: "item-start", type: "number", min: 0, step: 1, value: item.startSeconds ?? "", disabled: isFinal })),
          field(t("minutes.endSeconds"), el("input", { name: "item-end", type: "number", min: 0, step: 1, value: item.endSeconds ?? "", disabled: isFinal }))),
        field(t("minutes.conclusion"), el("textarea", { name: "item-conclusion", rows: 2, disabled: isFinal }, item.conclusion || "")));
      if (!isFinal) {
        row.append(el("div", { class: "toolbar" },
          el("button", { type: "button", class: "live", "data-mark": "", hidden: !isLive, onclick: () => markNow(row) }, "● ", t("minutes.startsNow")),
          el("button", { type: "button", class: "secondary", onclick: () => { row.remove(); } }, t("minutes.removeItem"))));
      }
      if (item.startSeconds != null) row.prepend(el("p", { class: "muted" }, t("minutes.startsAt", { at: clock(item.startSeconds) })));
      return row;
    };
    content.agenda.forEach((item, index) => agenda.append(itemRow(item, index)));
    const documentRow = (document) => el("div", { class: "row document" },
      field(t("minutes.number"), el("input", { name: "doc-number", value: document.number || "", placeholder: "137-TB/TU", disabled: isFinal })),
      field(t("minutes.kind"), el("input", { name: "doc-kind", value: document.kind || "", placeholder: t("minutes.kindExample"), disabled: isFinal })),
      field(t("minutes.documentTitle"), el("input", { name: "doc-title", value: document.title || "", disabled: isFinal })),
      field(t("minutes.date"), Object.assign(dateInput("doc-date", document.date || meeting.start.slice(0, 10), false), { disabled: isFinal })));
    content.documents.forEach((d) => documents.append(documentRow(d)));

    const form = el("form", { class: "card", id: "minutes-form" },
      el("p", { id: "minutes-state" }, minutes ? t("minutes.versionState", { version: minutes.version, state: t("minutes.state." + minutes.state) }) + ` · ${minutes.updatedBy}, ${dateTime(minutes.updatedAt)}` : t("minutes.none")),
      el("div", { class: "row" }, field(t("booking.chair"), chair), field(t("minutes.secretary"), secretary)),
      el("h2", {}, t("minutes.agenda")), agenda,
      isFinal ? null : el("button", { type: "button", class: "secondary", id: "add-item", onclick: () => agenda.append(itemRow({}, agenda.children.length)) }, "+ ", t("minutes.addItem")),
      el("h2", {}, t("minutes.documents")), documents,
      isFinal ? null : el("button", { type: "button", class: "secondary", onclick: () => documents.append(documentRow({})) }, "+ ", t("minutes.addDocument")),
      field(t("booking.notes"), notes),
      el("div", { class: "toolbar" },
        isFinal ? null : el("button", { type: "submit", id: "save-minutes" }, t("minutes.save")),
        !isFinal && minutes ? el("button", { type: "button", class: "secondary", id: "final-minutes", onclick: makeFinal }, t("minutes.makeFinal")) : null,
        isFinal && canEdit ? el("button", { type: "button", id: "new-version", onclick: newVersion }, t("minutes.newVersion")) : null,
        el("button", { type: "button", class: "secondary", onclick: () => window.print() }, t("meeting.print"))),
      result);
    // The form as the API takes it; saved before it is made final or an item is marked, so nothing typed is lost.
    function written() {
      const number = (value) => (value === "" ? undefined : Number(value));
      const body = {
        chair: chair.value, secretary: secretary.value, notes: notes.value,
        agenda: [...agenda.children].map((row) => ({
          title: row.querySelector("[name=item-title]").value, presenter: row.querySelector("[name=item-presenter]").value,
          startSeconds: number(row.querySelector("[name=item-start]").value), endSeconds: number(row.querySelector("[name=item-end]").value),
          conclusion: row.querySelector("[name=item-conclusion]").value,
        })),
        documents: [...documents.children].map((row) => ({
          number: row.querySelector("[name=doc-number]").value, kind: row.querySelector("[name=doc-kind]").value,
          title: row.querySelector("[name=doc-title]").value, date: readDate(row.querySelector("[name=doc-date]")) || undefined,
        })).filter((d) => d.number),
      };
      return body;
    }
    async function save() {
      try {
        minutes = await api(`/api/v1/meetings/${id}/minutes`, { method: "PUT", body: written() });
        return true;
      } catch (problem) { showProblem(result, problem); return false; }
    }
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (await save()) { notify(t("minutes.saved", { version: minutes.version })); draw(); }
    });
    async function makeFinal() {
      if (!(await confirmAction(t("minutes.confirmFinal"), t("minutes.makeFinal")))) return;
      if (!(await save())) return;
      const done = await attempt(() => api(`/api/v1/meetings/${id}/minutes/final`, { method: "POST" }), result);
      if (done) { minutes = done; notify(t("minutes.finalised")); draw(); }
    }
    async function newVersion() {
      const done = await attempt(() => api(`/api/v1/meetings/${id}/minutes/versions`, { method: "POST" }), result);
      if (done) { minutes = done; draw(); }
    }
    async function markNow(row) {
      const index = [...agenda.children].indexOf(row);
      if (!(await save())) return;
      const done = await attempt(() => api(`/api/v1/meetings/${id}/minutes/items/${index}/mark`, { method: "POST" }), result);
      if (done) { minutes = done; notify(t("minutes.marked", { title: done.content.agenda[index].title })); draw(); }
    }
    container.replaceChildren(form, attachmentsCard(), versionsCard());
  }

  function attachmentsCard() {
    const list = el("ul", { id: "attachments" });
    const file = el("input", { type: "file", name: "attachment", accept: ".pdf,.docx,.odt,application/pdf" });
    const result = el("div", { role: "status" });
    const refresh = async () => {
      const attachments = await api(`/api/v1/meetings/${id}/attachments`).catch(() => []);
      list.replaceChildren(...attachments.map((a) => el("li", {}, el("a", { href: a.url, download: a.name }, a.name), ` — ${a.uploadedBy}, ${dateTime(a.uploadedAt)}`)));
      if (!attachments.length) list.append(el("li", { class: "muted" }, t("minutes.noAttachments")));
    };
    file.addEventListener("change", async () => {
      const chosen = file.files[0];
      if (!chosen) return;
      if (await attempt(() => upload(`/api/v1/meetings/${id}/attachments?name=${encodeURIComponent(chosen.name)}`, chosen), result)) { notify(t("minutes.attached", { name: chosen.name })); refresh(); }
      file.value = "";
    });
    refresh();
    return el("section", { class: "card" }, el("h2", {}, t("minutes.attachments")), list,
      canEdit ? field(t("minutes.attach"), file, t("minutes.attachHint")) : null, result);
  }

  function versionsCard() {
    const list = el("ul", { id: "versions" });
    api(`/api/v1/meetings/${id}/minutes/versions`).then((versions) => {
      list.replaceChildren(...versions.map((v) => el("li", {}, t("minutes.versionState", { version: v.version, state: t("minutes.state." + v.state) }), ` — ${v.updatedBy}, ${dateTime(v.updatedAt)}`)));
    }).catch(() => {});
    return el("section", { class: "card" }, el("h2", {}, t("minutes.versions")), list);
  }

  draw();
  // The run going live (or ending) shows or hides "starts now".
  return onEvent(async (kind, data) => {
    if (kind !== "meeting-state" || data.meetingId !== id) return;
    run = await api(`/api/v1/meetings/${id}/run`).catch(() => null);
    // Only the "starts now" buttons change: what is being typed stays.
    for (const button of container.querySelectorAll("[data-mark]")) button.hidden = !(run && run.state === "live");
  });
}
