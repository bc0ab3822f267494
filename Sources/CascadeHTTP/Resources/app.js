// Cascade's home page. Signing in sets an HttpOnly session cookie this script cannot read; every
// write sends the session's CSRF token, which the server gave at sign-in (or on GET /auth/session).
let csrfToken = null;
const el = (tag, text, cls) => { const e = document.createElement(tag); if (text) e.textContent = text; if (cls) e.className = cls; return e; };

async function api(path) {
  const response = await fetch(path);
  if (response.status === 401) { csrfToken = null; show(); throw new Error("signed out"); }
  if (!response.ok) throw new Error((await response.json()).detail);
  return response.json();
}

async function health() {
  const text = document.getElementById("health-text");
  try {
    const body = await (await fetch("/healthz")).json();
    text.textContent = (body.status === "ok" ? "Hoạt động tốt — " : "Có sự cố — ") + body.gstreamer.version +
      ", CSDL " + body.database.journalMode + ", " + body.workers + " tiến trình" +
      (body.problems.length ? " — " + body.problems.join("; ") : "");
    text.className = body.status === "ok" ? "ok" : "error";
  } catch (e) { text.textContent = "Không liên lạc được máy chủ"; text.className = "error"; }
}

async function show() {
  if (csrfToken === null) {
    const session = await fetch("/auth/session").catch(() => null);
    if (session && session.ok) csrfToken = (await session.json()).csrfToken || null;
  }
  const signedIn = csrfToken !== null;
  document.getElementById("login").hidden = signedIn;
  for (const id of ["tree-section", "agenda-section", "relay-section", "archive-section"]) document.getElementById(id).hidden = !signedIn;
  if (!signedIn) { document.getElementById("who").textContent = ""; document.getElementById("booking-section").hidden = true; return; }
  const [me, units, halls] = await Promise.all([api("/api/v1/me"), api("/api/v1/units"), api("/api/v1/halls")]);
  document.getElementById("who").textContent = me.name + " (" + me.role + ")";
  const canBook = me.role === "admin" || me.role === "secretariat";
  document.getElementById("booking-section").hidden = !canBook;
  if (canBook) fillBookingForm(units, halls);
  agenda();
  relays();
  followEvents();
  const nodes = new Map(units.map(u => [u.id, { unit: u, list: el("ul") }]));
  const root = document.getElementById("tree");
  root.replaceChildren();
  for (const u of units) {
    const item = el("li");
    item.append(el("strong", u.name), " ", el("span", u.level, "level"));
    for (const h of halls.filter(h => h.unitId === u.id)) {
      item.append(el("div", "▣ " + h.name + " — " + h.endpoint.mode + ", " + h.capacityKbps + " kbit/s", "hall"));
    }
    item.append(nodes.get(u.id).list);
    const parent = u.parentId && nodes.get(u.parentId);
    (parent ? parent.list : root).append(item);
  }
}

// Each running relay with its source and every hall's link, refreshed every two seconds.
async function relays() {
  if (csrfToken === null) return;
  const box = document.getElementById("relays");
  try {
    const running = (await api("/api/v1/relays")).filter(r => !["stopped", "failed"].includes(r.state));
    box.replaceChildren();
    if (!running.length) box.append(el("p", "Không có truyền dẫn nào / No relay running"));
    for (const r of running) {
      const source = r.statistics ? r.statistics.source : "connecting";
      box.append(el("div", r.id + " — " + r.source + " — nguồn: " + source + (r.restarts ? " — khởi động lại " + r.restarts : ""), source === "live" ? "ok" : "error"));
      const list = el("ul");
      for (const h of (r.statistics ? r.statistics.halls : [])) {
        const text = h.hallId + ": " + (h.connected ? "đã kết nối" : "chưa kết nối") + ", " + h.bitrateKbps + " kbit/s" +
          (h.rttMs != null ? ", RTT " + h.rttMs.toFixed(0) + " ms, mất " + h.lostPackets + ", gửi lại " + h.retransmittedPackets : "");
        list.append(el("li", text, h.connected ? "ok" : "error"));
      }
      box.append(list);
    }
  } catch (e) { box.textContent = e.message; }
  setTimeout(relays, 2000);
}

// Server-sent events, read with fetch (the session cookie goes with it).
let following = false;
async function followEvents() {
  if (following) return;
  following = true;
  const list = document.getElementById("relay-events");
  try {
    const response = await fetch("/api/v1/events");
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let pending = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      pending += decoder.decode(value, { stream: true });
      const blocks = pending.split("\n\n");
      pending = blocks.pop();
      for (const block of blocks) {
        const data = block.split("\n").find(line => line.startsWith("data: "));
        if (!data) continue;
        const e = JSON.parse(data.slice(6));
        list.prepend(el("li", e.at.slice(11, 19) + " rl" + e.relayId + " " + e.kind + (e.hallId ? " " + e.hallId : "") + (e.detail ? " — " + e.detail : "")));
        while (list.children.length > 50) list.lastChild.remove();
      }
    }
  } catch (e) { /* the stream ends with the server or the session */ }
  following = false;
}

async function agenda() {
  const days = await api("/api/v1/agenda?days=7");
  const box = document.getElementById("agenda");
  box.replaceChildren();
  for (const day of days) {
    box.append(el("div", day.date, "day"));
    if (!day.meetings.length) box.append(el("div", "—", "meeting"));
    for (const m of day.meetings) {
      box.append(el("div", m.start.slice(11, 16) + "–" + m.end.slice(11, 16) + "  " + m.title + " (" + m.halls.length + " hội trường)", "meeting"));
    }
  }
}

// Search over meetings and their minutes; a recorded meeting links to the player.
document.getElementById("search-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const query = new URLSearchParams({ q: document.getElementById("search-words").value });
  if (document.getElementById("search-recorded").checked) query.set("hasRecording", "true");
  const page = await api("/api/v1/search?" + query);
  document.getElementById("search-summary").textContent = page.total + " cuộc họp / meetings";
  const list = document.getElementById("search-results");
  list.replaceChildren();
  for (const hit of page.results) {
    const item = el("li");
    const minutes = Math.round(hit.recordedSeconds / 60);
    item.append(el("span", hit.start.slice(0, 10) + "  " + hit.title + "  (" + hit.organiserUnitId + ")" + (hit.hasRecording ? "  " + minutes + " phút / min" : "")));
    if (hit.documentNumbers.length) item.append(el("span", "  · " + hit.documentNumbers.join(", "), "level"));
    if (hit.hasRecording) {
      const link = el("a", "  ▶ Xem lại / Play");
      link.href = "/watch?meeting=" + encodeURIComponent(hit.id);
      item.append(link);
    }
    list.append(item);
  }
});

function fillBookingForm(units, halls) {
  const unit = document.getElementById("b-unit"), subtree = document.getElementById("b-subtree"), list = document.getElementById("b-halls");
  unit.replaceChildren(); subtree.replaceChildren(new Option("—", "")); list.replaceChildren();
  for (const u of units) { unit.append(new Option(u.name, u.id)); subtree.append(new Option(u.name, u.id)); }
  for (const h of halls) {
    const label = el("label"), box = el("input");
    box.type = "checkbox"; box.value = h.id; box.style.width = "auto";
    label.append(box, " " + h.name);
    list.append(label);
  }
}

document.getElementById("booking-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const result = document.getElementById("booking-result");
  result.replaceChildren();
  const body = {
    title: document.getElementById("b-title").value,
    organiserUnitId: document.getElementById("b-unit").value,
    start: document.getElementById("b-start").value,
    end: document.getElementById("b-end").value,
    halls: [...document.querySelectorAll("#b-halls input:checked")].map(box => box.value)
  };
  const subtree = document.getElementById("b-subtree").value;
  if (subtree) body.hallsOfUnit = subtree;
  if (document.getElementById("b-weekly").checked) body.recurrence = { frequency: "weekly" };
  const response = await fetch("/api/v1/meetings", {
    method: "POST", headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken },
    body: JSON.stringify(body)
  });
  const answer = await response.json();
  if (response.ok) {
    result.append(el("p", "Đã đặt lịch / Booked: " + answer.id, "ok"));
    agenda();
    return;
  }
  result.append(el("p", answer.detail, "error"));
  for (const c of answer.conflicts || []) {
    result.append(el("div", "• " + c.reason + " (" + c.overlapStart.slice(0, 16).replace("T", " ") + " – " + c.overlapEnd.slice(11, 16) + ")", "error"));
  }
  if ((answer.suggestions || []).length) {
    result.append(el("p", "Giờ còn trống / Free slots:"));
    for (const s of answer.suggestions) result.append(el("div", s.start.slice(0, 16).replace("T", " ") + " – " + s.end.slice(11, 16), "meeting"));
  }
});

document.getElementById("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = document.getElementById("login-error");
  error.textContent = "";
  const response = await fetch("/auth/session", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: document.getElementById("name").value, password: document.getElementById("password").value, label: "web" })
  });
  const body = await response.json();
  if (!response.ok) { error.textContent = body.detail; return; }
  csrfToken = body.csrfToken;
  document.getElementById("password").value = "";
  show();
});
document.getElementById("logout").addEventListener("click", async () => {
  // Signing out ends the session on the server too: the cookie's token is revoked.
  if (csrfToken !== null) await fetch("/auth/session", { method: "DELETE", headers: { "X-CSRF-Token": csrfToken } }).catch(() => {});
  csrfToken = null;
  show();
});
health();
show();
