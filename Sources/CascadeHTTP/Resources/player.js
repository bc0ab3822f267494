// Cascade's player: plays a meeting's recording from any point, across its parts and the gaps
// between them, with Media Source Extensions. It reads the meeting's media map
// (GET /api/v1/meetings/{id}/media): each part's byte ranges, where it sits on the meeting's
// timeline, and the gaps. Segments are fetched a little ahead of the playhead; at a gap, or at a
// hole of a few milliseconds between two parts, the playhead jumps to where media resumes.
// Used by the meeting page of the web application and by the stand-alone page /watch.
import { clock, t } from "./strings.js";

const aheadSeconds = 30;
const behindSeconds = 60;

async function fetchBytes(url, first, last) {
  const response = await fetch(url, { headers: { Range: `bytes=${first}-${last}` } });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

function waitFor(target, name) {
  return new Promise((resolve) => target.addEventListener(name, resolve, { once: true }));
}

/**
 * Plays `meetingId` in `parts.video`, reporting in `parts.status` and `parts.position`, listing
 * chapters and gaps in `parts.chapters` and `parts.gaps`. Resolves to the media map (or null) and
 * a function that stops the player.
 */
export async function mountPlayer(meetingId, parts) {
  const { video, status: statusLine } = parts;
  let timer = null;
  const stop = () => { clearInterval(timer); video.removeAttribute("src"); video.load(); };
  if (!/^(m\d+|s\d+-\d{4}-\d{2}-\d{2})$/.test(meetingId)) {
    statusLine.textContent = t("player.noMeeting");
    return { map: null, stop };
  }
  const response = await fetch(`/api/v1/meetings/${encodeURIComponent(meetingId)}/media`);
  if (response.status === 401) { statusLine.textContent = t("player.signIn"); return { map: null, stop }; }
  if (!response.ok) { statusLine.textContent = (await response.json()).detail || `HTTP ${response.status}`; return { map: null, stop }; }
  const map = await response.json();
  showChapters(map.chapters, video, parts.chapters);
  showGaps(map.gaps, parts.gaps);
  const segments = map.parts.flatMap((part) => part.segments.map((segment) => ({ part, ...segment })));
  const mime = `video/mp4; codecs="${map.codecs}"`;
  if (!window.MediaSource || !MediaSource.isTypeSupported(mime)) {
    statusLine.textContent = t("player.unsupported", { type: mime });
    return { map, stop };
  }
  const source = new MediaSource();
  video.src = URL.createObjectURL(source);
  await waitFor(source, "sourceopen");
  source.duration = map.durationSeconds;
  const buffer = source.addSourceBuffer(mime);
  buffer.mode = "segments";
  let initialisedPart = null;
  let busy = false;
  let ended = false;

  async function append(bytes) {
    buffer.appendBuffer(bytes);
    await waitFor(buffer, "updateend");
  }

  function bufferedEnd(at) {
    for (let i = 0; i < buffer.buffered.length; i++) {
      if (buffer.buffered.start(i) <= at + 0.1 && at < buffer.buffered.end(i)) return buffer.buffered.end(i);
    }
    return at;
  }

  async function fill() {
    if (busy || source.readyState !== "open") return;
    busy = true;
    try {
      const now = video.currentTime;
      const from = bufferedEnd(now);
      const next = segments.find((s) => s.startSeconds + s.durationSeconds > from + 0.05 && s.startSeconds < now + aheadSeconds);
      if (next) {
        if (initialisedPart !== next.part) {
          const [first, last] = next.part.initialisation;
          buffer.timestampOffset = next.part.offsetSeconds - next.part.baseSeconds;
          await append(await fetchBytes(next.part.url, first, last));
          initialisedPart = next.part;
        }
        await append(await fetchBytes(next.part.url, next.firstByte, next.lastByte));
      } else if (!ended && segments.length && from >= segments[segments.length - 1].startSeconds + segments[segments.length - 1].durationSeconds - 0.5) {
        ended = true;
        source.endOfStream();
      } else if (now > behindSeconds + 10 && buffer.buffered.length && buffer.buffered.start(0) < now - behindSeconds) {
        buffer.remove(0, now - behindSeconds);
        await waitFor(buffer, "updateend");
      }
    } catch (error) {
      statusLine.textContent = t("player.loadFailed", { detail: error.message });
    } finally {
      busy = false;
    }
  }

  // A gap in the recording, or a hole of a few milliseconds where two parts meet: jump over it.
  function skipHoles() {
    const now = video.currentTime;
    for (const gap of map.gaps) {
      if (now >= gap.startSeconds - 0.25 && now < gap.endSeconds) { video.currentTime = gap.endSeconds + 0.01; return; }
    }
    if (video.readyState >= 3 || video.seeking) return;
    for (let i = 0; i < buffer.buffered.length; i++) {
      const start = buffer.buffered.start(i);
      if (start > now && start - now < 1.5) { video.currentTime = start + 0.01; return; }
    }
  }

  video.addEventListener("seeking", () => {
    ended = false;
    if (source.readyState === "ended") { try { buffer.abort(); } catch (_) {} }
    fill();
  });
  video.addEventListener("waiting", skipHoles);
  video.addEventListener("timeupdate", () => {
    parts.position.textContent = `${clock(video.currentTime)} / ${clock(map.durationSeconds)}`;
  });
  timer = setInterval(() => { skipHoles(); fill(); }, 250);
  statusLine.textContent = t("player.summary", { parts: map.parts.length, length: clock(map.durationSeconds) });
  video.dataset.ready = "true";
  fill();
  return { map, stop };
}

function showChapters(chapters, video, list) {
  list.replaceChildren();
  for (const chapter of chapters) {
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.textContent = `${clock(chapter.startSeconds)} — ${chapter.title}`;
    button.addEventListener("click", () => { video.currentTime = chapter.startSeconds; video.play(); });
    item.append(button);
    list.append(item);
  }
  if (!chapters.length) { const item = document.createElement("li"); item.textContent = t("player.noChapters"); list.append(item); }
}

function showGaps(gaps, list) {
  list.replaceChildren();
  for (const gap of gaps) {
    const item = document.createElement("li");
    item.textContent = `${clock(gap.startSeconds)} – ${clock(gap.endSeconds)}`;
    list.append(item);
  }
  if (!gaps.length) { const item = document.createElement("li"); item.textContent = t("player.noGaps"); list.append(item); }
}
