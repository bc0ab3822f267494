// Cascade's web application talks to the server through these few functions. The session is an
// HttpOnly cookie this script never sees; every write carries the CSRF token the server gave at
// sign-in (or on GET /auth/session after a reload).
import { language, t } from "./strings.js";

export const session = { csrfToken: null, me: null, site: null };

/**
 * A refused request: the RFC 9457 problem the server answered with. The server explains in English;
 * in Vietnamese the kind of refusal comes first in Vietnamese, the server's detail after it.
 */
export class Problem extends Error {
  constructor(status, body) {
    const detail = (body && body.detail) || `HTTP ${status}`;
    const summary = body && body.code && language() === "vi" ? t("problem." + body.code) : null;
    super(summary && summary !== "problem." + body.code ? `${summary} (${detail})` : detail);
    this.status = status;
    this.field = body && body.field;
    this.body = body || {};
  }
}

async function answer(response) {
  if (response.status === 401 && session.csrfToken !== null) {
    forget();
    window.dispatchEvent(new Event("cascade:signed-out"));
  }
  if (response.status === 204) return null;
  const type = response.headers.get("Content-Type") || "";
  const body = type.includes("json") ? await response.json().catch(() => null) : null;
  if (!response.ok) throw new Problem(response.status, body);
  return body;
}

/** Calls the API: `GET` unless `method` says otherwise; `body` is sent as JSON. */
export async function api(path, { method = "GET", body } = {}) {
  const headers = {};
  if (method !== "GET") headers["X-CSRF-Token"] = session.csrfToken || "";
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return answer(response);
}

/** Sends a file's bytes as the body (CSV imports, attachments). */
export async function upload(path, file, type) {
  const response = await fetch(path, {
    method: "POST", body: file,
    headers: { "Content-Type": type || file.type || "application/octet-stream", "X-CSRF-Token": session.csrfToken || "" },
  });
  return answer(response);
}

/** Builds a query string from the values that are set. */
export function query(values) {
  const parameters = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== null && value !== "") parameters.set(key, value);
  const text = parameters.toString();
  return text ? "?" + text : "";
}

/** Whether the browser is signed in; remembers the CSRF token. */
export async function loadSession() {
  const response = await fetch("/auth/session").catch(() => null);
  const body = response && response.ok ? await response.json() : null;
  session.csrfToken = body ? body.csrfToken || null : null;
  return session.csrfToken !== null;
}

export async function signIn(name, password) {
  const response = await fetch("/auth/session", {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name, password, label: "web" }),
  });
  const body = await answer(response);
  session.csrfToken = body.csrfToken;
}

/**
 * Ends the session on the server too: the cookie's token is revoked. Resolves to false (and stays
 * signed in) when the server could not be told — a shared tablet must not look signed out when it is not.
 */
export async function signOut() {
  if (session.csrfToken !== null) {
    const response = await fetch("/auth/session", { method: "DELETE", headers: { "X-CSRF-Token": session.csrfToken } }).catch(() => null);
    if (!response || (response.status !== 204 && response.status !== 401)) return false;
  }
  forget();
  return true;
}

/** Drops the session on this page: no token, no user, no event stream. */
export function forget() {
  session.csrfToken = null;
  session.me = null;
  if (streamControl) streamControl.abort();
}

// One server-sent event stream for the whole application, read with fetch (the cookie goes with
// it); screens subscribe while they are shown. It reconnects after a dropped connection.
const listeners = new Set();
let streaming = false;
let streamControl = null;

/** Calls `listener(kind, data)` for every event until the returned function is called. */
export function onEvent(listener) {
  listeners.add(listener);
  if (!streaming) stream();
  return () => listeners.delete(listener);
}

async function stream() {
  streaming = true;
  while (session.csrfToken !== null) {
    try {
      streamControl = new AbortController();
      const response = await fetch("/api/v1/events", { signal: streamControl.signal });
      if (!response.ok) break;
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
          const lines = block.split("\n");
          const kind = (lines.find((line) => line.startsWith("event: ")) || "event: message").slice(7);
          const data = lines.find((line) => line.startsWith("data: "));
          if (!data) continue;
          const parsed = JSON.parse(data.slice(6));
          for (const listener of [...listeners]) listener(kind, parsed);
        }
      }
    } catch (error) { /* the connection dropped: try again below */ }
    await new Promise((resolve) => setTimeout(resolve, 3000));
  }
  streaming = false;
}
