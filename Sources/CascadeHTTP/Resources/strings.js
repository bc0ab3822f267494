// The application's words and the way it writes dates: Vietnamese first, English on request. Every
// string lives in one catalogue per language (strings-vi.js, strings-en.js); times are shown in the
// zone the server is configured for, whatever the browser's own zone is.
import vi from "./strings-vi.js";
import en from "./strings-en.js";

const catalogues = { vi, en };
let current = localStorage.getItem("cascade.language") === "en" ? "en" : "vi";
let zone = "Asia/Ho_Chi_Minh";

export function language() { return current; }
export function setLanguage(code) {
  current = catalogues[code] ? code : "vi";
  localStorage.setItem("cascade.language", current);
  document.documentElement.lang = current;
}
export function setZone(name) { zone = name; }

/** The text for `key`, with `{name}` placeholders filled from `values`. */
export function t(key, values = {}) {
  // A count of one takes the catalogue's singular form when it has one ("1 hall", not "1 halls").
  const singular = values.n === 1 ? catalogues[current][key + ".one"] : undefined;
  const text = singular ?? catalogues[current][key] ?? vi[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (values[name] ?? ""));
}

function parts(instant) {
  const format = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
  });
  const found = {};
  for (const part of format.formatToParts(new Date(instant))) found[part.type] = part.value;
  return found;
}

/** The configured zone's date (yyyy-mm-dd) of an instant (ISO text or Date). */
export function localDate(instant) { const p = parts(instant); return `${p.year}-${p.month}-${p.day}`; }
/** The configured zone's time (HH:mm) of an instant. */
export function localTime(instant) { const p = parts(instant); return `${p.hour}:${p.minute}`; }
/** yyyy-mm-ddTHH:mm in the configured zone (what ``formatInput`` shows in a form). */
export function localInput(instant) { return `${localDate(instant)}T${localTime(instant)}`; }

/** A local date (yyyy-mm-dd) moved by `days`. */
export function addDays(date, days) {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}
/** 0 = Monday … 6 = Sunday. */
export function weekday(date) {
  const [y, m, d] = date.split("-").map(Number);
  return (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
}
/** "Thứ Hai, 30/11/2026" (or "Monday, 30/11/2026"). */
export function longDate(date) { return `${t("weekday." + weekday(date))}, ${shortDate(date)}`; }
/** "30/11/2026". */
export function shortDate(date) { const [y, m, d] = date.split("-"); return `${d}/${m}/${y}`; }
/** "08:00 30/11/2026" — the Vietnamese order, time first. */
export function dateTime(instant) {
  if (!instant) return "—";
  return `${localTime(instant)} ${shortDate(localDate(instant))}`;
}
/** "1 giờ 05 phút" / "1 h 05 min". */
export function duration(seconds) {
  if ((seconds || 0) < 60) return t("duration.seconds", { s: Math.round(seconds || 0) });
  const minutes = Math.round(seconds / 60);
  return minutes >= 60 ? t("duration.hours", { h: Math.floor(minutes / 60), m: String(minutes % 60).padStart(2, "0") }) : t("duration.minutes", { m: minutes });
}
/** "01:02:03" on a recording's clock. */
export function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, "0")).join(":");
}

/** "yyyy-mm-ddTHH:mm" (or "yyyy-mm-dd") → "dd/mm/yyyy HH:mm" (or "dd/mm/yyyy"), as the forms show it. */
export function formatInput(local) {
  if (!local) return "";
  const [date, time] = local.split("T");
  return shortDate(date) + (time ? " " + time.slice(0, 5) : "");
}

/**
 * What someone typed — "30/11/2026 08:00", "30/11/2026 8h00" or "30/11/2026" — as "yyyy-mm-ddTHH:mm"
 * (or "yyyy-mm-dd"); null when it is not a date (and time) that exists.
 */
export function parseInput(text) {
  const match = (text || "").trim().match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:\s+(\d{1,2})[:hH](\d{2}))?$/);
  if (!match) return null;
  const [, day, month, year, hour, minute] = match;
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCDate() !== Number(day) || date.getUTCMonth() !== Number(month) - 1) return null;
  const iso = `${year}-${month.padStart(2, "0")}-${day.padStart(2, "0")}`;
  if (hour === undefined) return iso;
  if (Number(hour) > 23 || Number(minute) > 59) return null;
  return `${iso}T${hour.padStart(2, "0")}:${minute}`;
}
