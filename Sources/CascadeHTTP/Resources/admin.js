// Administration and the user's own account. Administrators create users (the password shown once),
// set their scope, disable them, reset passwords and revoke tokens; read the units and halls of the
// configuration; search the audit log; and see the server's health and its media workers. Everyone
// changes their own password, sees their sign-ins and tokens, and makes calendar-feed links.
import { api, query, session } from "./api.js";
import { dateTime, t } from "./strings.js";
import { attempt, badge, confirmAction, el, field, notify, screenTitle, select, showProblem } from "./ui.js";

const tabs = ["users", "audit", "health", "topology"];

export async function render(view, [tab = "users"], parameters) {
  const current = tabs.includes(tab) ? tab : "users";
  view.append(screenTitle(t("admin.title")),
    el("nav", { class: "tabs", "aria-label": t("admin.sections") }, ...tabs.map((name) =>
      el("a", { href: `#/admin/${name}`, class: "tab", "aria-current": name === current ? "page" : null }, t("admin." + name)))));
  const body = el("div");
  view.append(body);
  return { users, audit, health, topology }[current](body, parameters);
}

async function users(view) {
  const [list, units] = await Promise.all([api("/api/v1/users"), api("/api/v1/units")]);
  const unitName = (id) => (id ? (units.find((u) => u.id === id) || { name: id }).name : t("admin.wholeTree"));
  const secret = el("div", { id: "one-time-password" });
  const table = el("table", { id: "users" }, el("thead", {}, el("tr", {}, ...["admin.name", "admin.role", "admin.scope", "admin.status", ""].map((k) => el("th", { scope: "col" }, k ? t(k) : "")))));
  const rows = el("tbody");
  const tokens = el("div", { id: "user-tokens" });
  for (const user of list) {
    rows.append(el("tr", { "data-user": user.name },
      el("th", { scope: "row" }, user.name), el("td", {}, t("role." + user.role)), el("td", {}, unitName(user.unitId)),
      el("td", {}, user.isDisabled ? badge("disabled", "user") : badge("active", "user")),
      el("td", { class: "actions" },
        el("button", { type: "button", class: "small secondary", onclick: () => toggle(user) }, user.isDisabled ? t("admin.enable") : t("admin.disable")),
        el("button", { type: "button", class: "small secondary", onclick: () => reset(user) }, t("admin.resetPassword")),
        el("button", { type: "button", class: "small secondary", onclick: () => showTokens(user) }, t("admin.tokens")))));
  }
  table.append(rows);
  const name = el("input", { name: "name", required: true, maxLength: 64, autocomplete: "off" });
  const role = select(["viewer", "secretariat", "technician", "admin"].map((r) => [r, t("role." + r)]), "viewer", { name: "role" });
  // The scope is chosen, never defaulted to the whole tree.
  const scope = select([["", t("admin.chooseScope")], ...(session.me.scopeUnitId ? [] : [["*", t("admin.wholeTree")]]), ...units.map((u) => [u.id, u.name])], "", { name: "unitId", required: true });
  const result = el("div");
  const form = el("form", { class: "card", id: "create-user" }, el("h2", {}, t("admin.createUser")),
    el("div", { class: "row" }, field(t("admin.name"), name), field(t("admin.role"), role), field(t("admin.scope"), scope, t("admin.scopeHint"))),
    el("button", { type: "submit" }, t("admin.create")), result);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!scope.value) { result.replaceChildren(el("p", { class: "error", role: "alert" }, t("admin.scopeNeeded"))); scope.focus(); return; }
    const body = { name: name.value.trim(), role: role.value };
    if (scope.value !== "*") body.unitId = scope.value;
    const created = await attempt(() => api("/api/v1/users", { method: "POST", body }), result);
    if (created) showSecret(created.user.name, created.password);
  });
  view.append(secret, el("section", { class: "card" }, el("h2", {}, t("admin.users")), table), tokens, form);

  function showSecret(user, password) {
    // Shown, not read aloud; hidden again with one click once handed over.
    secret.replaceChildren(el("div", { class: "card notice-secret" }, el("p", {}, t("admin.passwordOnce", { user })), el("code", { class: "secret" }, password),
      " ", el("button", { type: "button", class: "small secondary", onclick: () => secret.replaceChildren() }, t("admin.hidePassword"))));
    secret.scrollIntoView();
  }
  async function toggle(user) {
    if (!user.isDisabled && !(await confirmAction(t("admin.confirmDisable", { user: user.name }), t("admin.disable")))) return;
    if (await attempt(() => api(`/api/v1/users/${encodeURIComponent(user.name)}`, { method: "PATCH", body: { disabled: !user.isDisabled } }))) refreshScreen();
  }
  async function reset(user) {
    if (!(await confirmAction(t("admin.confirmReset", { user: user.name }), t("admin.resetPassword")))) return;
    const answer = await attempt(() => api(`/api/v1/users/${encodeURIComponent(user.name)}/password`, { method: "POST" }));
    if (answer) showSecret(user.name, answer.password);
  }
  async function showTokens(user) {
    const path = `/api/v1/users/${encodeURIComponent(user.name)}/tokens`;
    tokens.replaceChildren(el("section", { class: "card" }, el("h2", {}, t("admin.tokensOf", { user: user.name })), tokenTable(await api(path), path, () => showTokens(user))));
  }
}

function refreshScreen() { window.dispatchEvent(new HashChangeEvent("hashchange")); }

function tokenTable(list, path, refresh) {
  const table = el("table", {}, el("thead", {}, el("tr", {}, ...["admin.label", "admin.created", "admin.expires", "admin.status", ""].map((k) => el("th", { scope: "col" }, k ? t(k) : "")))));
  const rows = el("tbody");
  for (const token of list) {
    const state = token.revokedAt ? "revoked" : "active";
    rows.append(el("tr", {}, el("td", {}, token.label + (token.calendarPath ? ` (${t("account.feed")})` : "")), el("td", {}, dateTime(token.createdAt)),
      el("td", {}, dateTime(token.expiresAt)), el("td", {}, badge(state, "token")),
      el("td", {}, token.revokedAt ? "" : el("button", { type: "button", class: "small secondary", onclick: async () => {
        if (!(await confirmAction(t("admin.confirmRevoke", { label: token.label }), t("admin.revoke")))) return;
        if (await attempt(() => api(`${path}/${token.id}`, { method: "DELETE" }))) refresh();
      } }, t("admin.revoke")))));
  }
  if (!list.length) rows.append(el("tr", {}, el("td", { colSpan: 5, class: "muted" }, "—")));
  table.append(rows);
  return table;
}

async function audit(view, parameters) {
  const value = (name) => parameters.get(name) || "";
  const actor = el("input", { name: "actor", value: value("actor") });
  const action = el("input", { name: "action", value: value("action"), placeholder: "meeting, relay.started…" });
  const target = el("input", { name: "target", value: value("target"), placeholder: "m1, rl2…" });
  const form = el("form", { class: "card toolbar", id: "audit-filter" }, field(t("admin.actor"), actor), field(t("admin.action"), action), field(t("admin.target"), target),
    el("button", { type: "submit" }, t("admin.filter")));
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    location.hash = "#/admin/audit" + query({ actor: actor.value.trim(), action: action.value.trim(), target: target.value.trim() });
  });
  const rows = el("tbody");
  const more = el("button", { type: "button", class: "secondary" }, t("admin.older"));
  const table = el("table", { id: "audit" }, el("thead", {}, el("tr", {}, ...["admin.when", "admin.actor", "admin.action", "admin.target", "admin.details"].map((k) => el("th", { scope: "col" }, t(k))))), rows);
  view.append(form, el("section", { class: "card" }, table, more));
  let before = "";
  async function load() {
    const entries = await api("/api/v1/audit" + query({ limit: 100, before, actor: value("actor"), action: value("action"), target: value("target") }));
    for (const entry of entries) {
      rows.append(el("tr", {}, el("td", {}, dateTime(entry.at)), el("td", {}, entry.actor), el("td", {}, entry.action), el("td", {}, entry.target || ""), el("td", {}, entry.details || "")));
    }
    before = entries.length ? String(entries[entries.length - 1].id) : before;
    more.hidden = entries.length < 100;
  }
  more.addEventListener("click", load);
  await load();
}

async function health(view) {
  const response = await fetch("/healthz");
  const report = await response.json();
  const workers = await api("/api/v1/workers").catch(() => []);
  const gigabytes = (bytes) => (bytes / 1e9).toFixed(1);
  view.append(el("section", { class: "card", id: "health" }, el("h2", {}, t("admin.health")),
    el("p", {}, badge(report.status, "health"), report.problems.length ? el("span", { class: "error" }, " " + report.problems.join("; ")) : ""),
    el("dl", { class: "details" },
      el("dt", {}, "GStreamer"), el("dd", {}, report.gstreamer.version + (report.gstreamer.missingElements.length ? ` — ${t("admin.missing")}: ${report.gstreamer.missingElements.join(", ")}` : "")),
      el("dt", {}, t("admin.database")), el("dd", {}, `${report.database.journalMode}`),
      el("dt", {}, t("admin.disk")), el("dd", {}, report.disk ? t("admin.diskFree", { free: gigabytes(report.disk.freeBytes), total: gigabytes(report.disk.totalBytes) }) : "—"),
      el("dt", {}, t("admin.workers")), el("dd", {}, String(report.workers)))));
  const rows = el("tbody");
  for (const worker of workers) {
    const running = worker.state === "running";
    rows.append(el("tr", {}, el("td", {}, worker.id), el("td", {}, worker.purpose), el("td", {}, String(worker.pid)), el("td", {}, worker.state + (worker.pipelineState ? ` (${worker.pipelineState})` : "")),
      el("td", {}, dateTime(worker.startedAt)),
      el("td", {}, running ? el("button", { type: "button", class: "small secondary", onclick: async () => {
        if (!(await confirmAction(t("admin.confirmStopWorker", { id: worker.id }), t("relay.stop")))) return;
        if (await attempt(() => api(`/api/v1/workers/${encodeURIComponent(worker.id)}`, { method: "DELETE" }))) { notify(t("admin.workerStopped")); refreshScreen(); }
      } }, t("relay.stop")) : "")));
  }
  view.append(el("section", { class: "card" }, el("h2", {}, t("admin.workerList")),
    el("table", {}, el("thead", {}, el("tr", {}, ...["admin.id", "admin.purpose", "PID", "console.state", "relay.started", ""].map((k) => el("th", { scope: "col" }, k.includes(".") ? t(k) : k)))), rows)));
}

async function topology(view) {
  const [units, halls] = await Promise.all([api("/api/v1/units"), api("/api/v1/halls")]);
  const result = el("div", { role: "status" });
  const rows = el("tbody");
  for (const unit of units) {
    const parent = units.find((u) => u.id === unit.parentId);
    rows.append(el("tr", {}, el("th", { scope: "row" }, unit.name), el("td", {}, unit.id), el("td", {}, unit.level), el("td", {}, parent ? parent.name : "—"),
      el("td", {}, halls.filter((h) => h.unitId === unit.id).map((h) => `${h.name} (${h.endpoint.mode}, ${h.capacityKbps} kbit/s)`).join("; ") || "—")));
  }
  view.append(el("section", { class: "card" }, el("h2", {}, t("admin.topology")), el("p", { class: "muted" }, t("admin.topologyHint")),
    el("button", { type: "button", id: "reload-topology", onclick: async () => {
      if (!(await confirmAction(t("admin.confirmReload"), t("admin.reload")))) return;
      const answer = await attempt(() => api("/api/v1/topology/reload", { method: "POST" }), result);
      if (answer) { notify(t("admin.reloaded", { units: answer.units, halls: answer.halls })); refreshScreen(); }
    } }, t("admin.reload")), result,
    el("table", { id: "units" }, el("thead", {}, el("tr", {}, ...["admin.unit", "admin.id", "admin.level", "admin.parent", "booking.halls"].map((k) => el("th", { scope: "col" }, t(k))))), rows)));
}

/** The signed-in person's own account: password, sign-ins and tokens, calendar-feed links. */
export async function account(view) {
  const [tokens, feeds, units, halls] = await Promise.all([api("/api/v1/me/tokens"), api("/api/v1/calendar-feeds"), api("/api/v1/units"), api("/api/v1/halls")]);
  const current = el("input", { type: "password", name: "currentPassword", autocomplete: "current-password", required: true });
  const next = el("input", { type: "password", name: "newPassword", autocomplete: "new-password", required: true, minLength: 12 });
  const passwordResult = el("div");
  const passwordForm = el("form", { class: "card", id: "change-password" }, el("h2", {}, t("account.password")),
    el("div", { class: "row" }, field(t("account.current"), current), field(t("account.new"), next, t("account.newHint"))),
    el("button", { type: "submit" }, t("account.change")), passwordResult);
  passwordForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await api("/api/v1/me/password", { method: "POST", body: { currentPassword: current.value, newPassword: next.value } });
      current.value = ""; next.value = "";
      notify(t("account.changed"));
    } catch (problem) { showProblem(passwordResult, problem); }
  });
  const target = select([...units.map((u) => ["unit:" + u.id, u.name]), ...halls.map((h) => ["hall:" + h.id, h.name])], "", { name: "feed-target" });
  const feedResult = el("div", { id: "feed-url" });
  const feedForm = el("form", { class: "card", id: "calendar-feed" }, el("h2", {}, t("account.feeds")), el("p", { class: "muted" }, t("account.feedsHint")),
    field(t("account.feedFor"), target), el("button", { type: "submit" }, t("account.makeFeed")), feedResult,
    tokenTable(feeds, "/api/v1/calendar-feeds", refreshScreen));
  feedForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const [kind, id] = target.value.split(":");
    const issued = await attempt(() => api("/api/v1/calendar-feeds", { method: "POST", body: kind === "unit" ? { unitId: id } : { hallId: id } }), feedResult);
    if (issued) feedResult.replaceChildren(el("p", {}, t("account.feedOnce")), el("code", { class: "secret" }, new URL(issued.url, location.href).href));
  });
  view.append(screenTitle(t("account.title", { name: session.me.name })), passwordForm,
    el("section", { class: "card" }, el("h2", {}, t("account.tokens")), tokenTable(tokens, "/api/v1/me/tokens", refreshScreen)), feedForm);
}
