// Cascade's web application: one page, a screen per address after the '#'. The secretariat's
// calendar and booking, the technicians' console, the staff's archive and the administrators'
// screens are modules loaded when first shown. Signing in sets an HttpOnly session cookie.
import { api, loadSession, onEvent, session, signIn, signOut } from "./api.js";
import { language, setLanguage, setZone, t } from "./strings.js";
import { el, notify } from "./ui.js";

const view = document.getElementById("view");
const loginSection = document.getElementById("login");
let leave = null;
let routing = 0;
let stopAlarms = null;

function leaveScreen() {
  if (leave) { try { leave(); } catch (_) { /* a screen that fails to clean up must not block the next */ } leave = null; }
}

// Address → screen module and the roles that may open it (the server checks again on every call).
const screens = [
  { pattern: /^calendar$/, module: "./calendar.js", nav: "nav.calendar", path: "calendar" },
  { pattern: /^book$/, module: "./booking.js", roles: ["admin", "secretariat"] },
  { pattern: /^meetings\/([\w-]+)$/, module: "./meeting.js" },
  { pattern: /^meetings\/([\w-]+)\/roll-call$/, module: "./rollcall.js" },
  { pattern: /^meetings\/([\w-]+)\/minutes$/, module: "./minutes.js" },
  { pattern: /^console$/, module: "./console.js", nav: "nav.console", path: "console", roles: ["admin", "technician"] },
  { pattern: /^console\/meetings\/([\w-]+)$/, module: "./console.js", entry: "board", roles: ["admin", "technician"] },
  { pattern: /^console\/relays\/([\w-]+)$/, module: "./console.js", entry: "relay", roles: ["admin", "technician"] },
  { pattern: /^archive$/, module: "./archive.js", nav: "nav.archive", path: "archive" },
  { pattern: /^account$/, module: "./admin.js", entry: "account", nav: "nav.account", path: "account" },
  { pattern: /^admin(?:\/([\w-]+))?$/, module: "./admin.js", nav: "nav.admin", path: "admin", roles: ["admin"] },
];

function home(role) {
  return { admin: "calendar", secretariat: "calendar", technician: "console" }[role] || "archive";
}

function allowed(screen) { return !screen.roles || screen.roles.includes(session.me.role); }

function drawNav(current) {
  const nav = document.getElementById("nav");
  nav.replaceChildren();
  if (!session.me) return;
  const list = el("ul");
  for (const screen of screens.filter((s) => s.nav && allowed(s))) {
    const link = el("a", { href: "#/" + screen.path }, t(screen.nav));
    if (current.split("/")[0] === screen.path) link.setAttribute("aria-current", "page");
    list.append(el("li", {}, link));
  }
  nav.append(list);
}

async function route() {
  leaveScreen();
  const ticket = ++routing;
  if (!session.me) return showSignIn();
  const [path, search] = location.hash.replace(/^#\/?/, "").split("?");
  if (!path) { location.replace("#/" + home(session.me.role)); return; }
  const parameters = new URLSearchParams(search || "");
  drawNav(path);
  // The screen being left cannot be used while the next one loads: a tap on it would act on the wrong meeting.
  setLoading(true);
  for (const screen of screens) {
    const match = path.match(screen.pattern);
    if (!match) continue;
    if (!allowed(screen)) break;
    const module = await import(screen.module);
    if (ticket !== routing) return;
    // A screen draws into a container of its own, shown once it is ready; a newer address wins.
    const container = el("div");
    let cleanUp = null;
    try {
      cleanUp = (await module[screen.entry || "render"](container, match.slice(1), parameters)) || null;
    } catch (problem) {
      container.append(el("p", { class: "error", role: "alert" }, problem.message));
    }
    if (ticket !== routing) { if (cleanUp) cleanUp(); return; }
    leave = cleanUp;
    setLoading(false);
    view.replaceChildren(...container.childNodes);
    // Focus goes to the field a screen asks for (the archive's search box), else to its title.
    const target = view.querySelector("[data-autofocus]") || document.getElementById("screen-title");
    if (target && !view.contains(document.activeElement)) target.focus({ preventScroll: true });
    return;
  }
  setLoading(false);
  view.replaceChildren(el("h1", {}, t("screen.notFound")), el("p", {}, el("a", { href: "#/" }, t("action.home"))));
}

/** Marks the view busy (and out of reach) while a screen loads. */
function setLoading(isLoading) {
  view.inert = isLoading;
  if (isLoading) view.setAttribute("aria-busy", "true"); else view.removeAttribute("aria-busy");
}

function showSignIn() {
  setLoading(false);
  drawNav("");
  document.getElementById("who").textContent = "";
  document.getElementById("sign-out").hidden = true;
  view.replaceChildren(loginSection);
  loginSection.hidden = false;
  translateShell();
  if (!loginSection.contains(document.activeElement)) document.getElementById("name").focus();
}

function translateShell() {
  loginSection.querySelector("#login-title").textContent = t("signIn.title");
  loginSection.querySelector("#name-label").textContent = t("signIn.name");
  loginSection.querySelector("#password-label").textContent = t("signIn.password");
  loginSection.querySelector("#login-submit").textContent = t("signIn.submit");
  document.getElementById("sign-out").textContent = t("signOut");
  document.getElementById("nav").setAttribute("aria-label", t("nav.label"));
  document.querySelector(".skip").textContent = t("skip");
  const switcher = document.getElementById("language");
  switcher.textContent = language() === "vi" ? "English" : "Tiếng Việt";
  switcher.lang = language() === "vi" ? "en" : "vi";
}

async function start() {
  setLanguage(language());
  translateShell();
  if (await loadSession()) {
    const [me, site] = await Promise.all([api("/api/v1/me"), api("/api/v1/site")]);
    session.me = me;
    session.site = site;
    setZone(site.zone);
    document.getElementById("who").textContent = `${me.name} · ${t("role." + me.role)}`;
    document.getElementById("sign-out").hidden = false;
    // Meeting state changes and alarms reach every screen as a notice.
    if (stopAlarms) stopAlarms();
    stopAlarms = onEvent((kind, data) => {
      if (kind === "meeting-alarm" && data.alarm) notify(`${data.title}: ${data.alarm.detail}`, "error");
    });
  }
  route();
}

document.getElementById("login-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const error = document.getElementById("login-error");
  error.textContent = "";
  try {
    await signIn(document.getElementById("name").value, document.getElementById("password").value);
    document.getElementById("password").value = "";
    start();
  } catch (problem) {
    error.textContent = problem.status === 401 ? t("signIn.refused") : problem.message;
  }
});
document.getElementById("sign-out").addEventListener("click", async () => {
  if (!(await signOut())) { notify(t("signOut.failed"), "error"); return; }
  leaveScreen();
  location.hash = "#/";
  showSignIn();
});
document.getElementById("language").addEventListener("click", () => {
  setLanguage(language() === "vi" ? "en" : "vi");
  translateShell();
  if (session.me) document.getElementById("who").textContent = `${session.me.name} · ${t("role." + session.me.role)}`;
  route();
});
window.addEventListener("hashchange", route);
window.addEventListener("cascade:signed-out", () => { leaveScreen(); showSignIn(); });
start();
