// Small building blocks shared by the screens: elements, labelled fields, a confirmation dialog,
// status messages read out by screen readers, and the coloured state badges.
import { formatInput, parseInput, t } from "./strings.js";

let counter = 0;

/** An element with attributes (`class`, `for`, data-*, properties such as `onclick`) and children. */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) element.addEventListener(key.slice(2), value);
    else if (key === "class") element.className = value;
    else if (key in element && !key.includes("-")) element[key] = value;
    else element.setAttribute(key, value === true ? "" : value);
  }
  element.append(...children.flat().filter((child) => child !== undefined && child !== null && child !== false));
  return element;
}

/** A label and its control, tied by id (the control gets one when it has none). */
export function field(label, control, hint) {
  if (!control.id) control.id = `f${++counter}`;
  const wrapper = el("div", { class: "field" }, el("label", { htmlFor: control.id }, label), control);
  if (hint) {
    const hintElement = el("small", { id: control.id + "-hint", class: "hint" }, hint);
    control.setAttribute("aria-describedby", hintElement.id);
    wrapper.append(hintElement);
  }
  return wrapper;
}

/** A <select> of [value, text] pairs. */
export function select(options, value, attributes = {}) {
  const control = el("select", attributes);
  for (const [optionValue, text] of options) control.append(new Option(text, optionValue, false, optionValue === value));
  return control;
}

/** A heading for a screen, which also becomes the document's title and takes focus for screen readers. */
export function screenTitle(text) {
  document.title = `${text} — Cascade`;
  return el("h1", { tabIndex: -1, id: "screen-title" }, text);
}

/** Asks before something that cannot be undone; resolves to true when confirmed. */
export function confirmAction(message, confirmText) {
  return new Promise((resolve) => {
    const dialog = el("dialog", { class: "confirm", "aria-labelledby": "confirm-text" },
      el("p", { id: "confirm-text" }, message),
      el("div", { class: "actions" },
        el("button", { type: "button", class: "secondary", onclick: () => dialog.close("no") }, t("action.cancel")),
        el("button", { type: "button", class: "danger", id: "confirm-yes", onclick: () => dialog.close("yes") }, confirmText || t("action.confirm"))));
    dialog.addEventListener("close", () => { dialog.remove(); resolve(dialog.returnValue === "yes"); });
    document.body.append(dialog);
    dialog.showModal();
    // Enter on an unread question must not do what cannot be undone: "cancel" has the focus.
    dialog.querySelector("button.secondary").focus();
  });
}

/** Asks for one line of text in a dialog (large enough for a tablet); resolves to it, or null when cancelled. */
export function askText(question, okText) {
  return new Promise((resolve) => {
    const answer = el("input", { name: "answer", maxLength: 500, autocomplete: "off", required: true });
    const form = el("form", { method: "dialog" },
      field(question, answer),
      el("div", { class: "actions" },
        el("button", { type: "button", class: "secondary", onclick: () => dialog.close("") }, t("action.cancel")),
        el("button", { type: "submit", value: "ok", id: "ask-ok" }, okText || t("action.confirm"))));
    const dialog = el("dialog", { class: "confirm ask" }, form);
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      if (answer.value.trim()) dialog.close("ok");
    });
    dialog.addEventListener("close", () => { dialog.remove(); resolve(dialog.returnValue === "ok" ? answer.value.trim() : null); });
    document.body.append(dialog);
    dialog.showModal();
    answer.focus();
  });
}

/** Shows a short message in the status line (announced by screen readers). */
export function notify(message, kind = "ok") {
  const line = document.getElementById("notice");
  line.textContent = message;
  line.className = kind;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => { line.textContent = ""; }, 8000);
}

/** Shows a refused request where the user is looking: its detail, and marks the field at fault. */
export function showProblem(container, problem) {
  container.replaceChildren(el("p", { class: "error", role: "alert" }, problem.message));
  if (problem.field) {
    const control = document.querySelector(`[name="${CSS.escape(problem.field)}"]`);
    if (control) { control.setAttribute("aria-invalid", "true"); control.focus(); }
  }
}

/** A coloured badge for a meeting's or a hall's state, with the state in words (never colour alone). */
export function badge(state, group = "state") {
  return el("span", { class: `badge badge-${state}`, "data-state": state }, t(`${group}.${state}`));
}

/** Runs `body` and shows any refusal in `container` (or as a notice). */
export async function attempt(body, container) {
  try { return await body(); } catch (problem) {
    if (container) showProblem(container, problem); else notify(problem.message, "error");
    return undefined;
  }
}

/**
 * A date (and time) field in the Vietnamese order, whatever the browser's language: "30/11/2026 08:00".
 * `value` is "yyyy-mm-ddTHH:mm" or "yyyy-mm-dd"; read it back with ``readDate``.
 */
export function dateInput(name, value, withTime = true) {
  return el("input", {
    name, value: formatInput(value), inputMode: "numeric", autocomplete: "off", spellcheck: false, class: withTime ? "date-time" : "date",
    placeholder: withTime ? "dd/mm/yyyy hh:mm" : "dd/mm/yyyy", "data-date": withTime ? "date-time" : "date",
  });
}

/** The value of a ``dateInput`` as "yyyy-mm-ddTHH:mm" (or "yyyy-mm-dd"), "" when empty, null (and marked) when malformed. */
export function readDate(input) {
  if (!input.value.trim()) { input.removeAttribute("aria-invalid"); return ""; }
  const value = parseInput(input.value);
  const wanted = input.dataset.date === "date-time" ? 16 : 10;
  if (value === null || value.length !== wanted) { input.setAttribute("aria-invalid", "true"); return null; }
  input.removeAttribute("aria-invalid");
  return value;
}

/**
 * Redraws part of a screen that refreshes itself (figures every few seconds) without taking the
 * keyboard focus away: an element with a `data-key` that had the focus gets it back in the new drawing.
 */
export function keepFocus(container, redraw) {
  const focused = container.contains(document.activeElement) ? document.activeElement.dataset.key : undefined;
  redraw();
  if (focused) container.querySelector(`[data-key="${CSS.escape(focused)}"]`)?.focus();
}
