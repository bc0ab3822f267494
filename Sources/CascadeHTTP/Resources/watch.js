// The stand-alone player page (/watch?meeting=m1): the same player as the meeting page.
import { mountPlayer } from "./player.js";
import { language, setLanguage, t } from "./strings.js";

setLanguage(language());
const meetingId = new URLSearchParams(location.search).get("meeting") || "";
const byId = (id) => document.getElementById(id);
for (const [id, key] of [["chapters-heading", "player.chapters"], ["gaps-heading", "player.gaps"], ["download", "player.downloadWhole"], ["status", "player.loading"]]) {
  byId(id).textContent = t(key);
}
byId("title").textContent = t("player.title");
byId("player").setAttribute("aria-label", t("player.video"));
byId("download").href = `/api/v1/meetings/${encodeURIComponent(meetingId)}/media.mp4`;
const { map } = await mountPlayer(meetingId, {
  video: byId("player"), status: byId("status"), position: byId("position"), chapters: byId("chapters"), gaps: byId("gaps"),
});
if (map) {
  byId("title").textContent = map.title;
  document.title = `${map.title} — Cascade`;
  byId("meeting-link").href = `/#/meetings/${encodeURIComponent(meetingId)}`;
  document.body.dataset.ready = "true";
}
