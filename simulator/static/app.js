// The simulator page: who you are, the conversations, the message list, the
// composer with slash-command suggestions, the app's Home tab and modals.
// Everything shown comes from /sim/state, fetched again on each server-sent
// "change" event.

import { el, renderBlocks } from "./blocks.js";
import { mrkdwn } from "./mrkdwn.js";
import { renderModal } from "./modal.js";
import { collectValues } from "./inputs.js";
import { setupComposer } from "./composer.js";
import { setupLeads } from "./leads.js";

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const S = {
  ws: null, user: params.get("as") || localStorage.getItem("sim.user"),
  conv: params.get("c") || "C01SALES", tab: params.get("tab") || "messages",
  seen: {}, rendered: new Map(), homeKey: null, last: null,
};

async function post(path, body) {
  const r = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  if (!r.ok) console.warn(path, r.status, await r.text());
  return r.ok ? r.json() : null;
}

const dm = () => "D" + S.user;
const isApp = () => S.conv === dm();
const person = (id) => S.ws.people.find((p) => p.id === id);

function ctx() {
  return {
    people: S.ws.people, channels: S.ws.channels,
    userName: (id) => (id === S.ws.bot.id ? S.ws.bot.name : person(id)?.name || id),
    channelName: (id) => S.ws.channels.find((c) => c.id === id)?.name || id,
    tz: person(S.user)?.tz, // date tokens are shown in the viewer's own timezone
  };
}

const api = {
  action: (body) => post("/sim/action", { user: S.user, ...body }),
  submit: (view_id, values) => post("/sim/submit", { user: S.user, view_id, values }).then(refresh),
  close: (view_id, all) => post("/sim/close", { user: S.user, view_id, all }).then(refresh),
  send: (text) => post("/sim/command", { user: S.user, channel: S.conv, text }),
};

function navigate(conv, tab) {
  S.conv = conv;
  S.tab = isApp() ? tab || S.tab : "messages";
  S.rendered.clear();
  S.homeKey = null;
  $("messages").replaceChildren();
  const url = new URL(location);
  url.searchParams.set("as", S.user);
  url.searchParams.set("c", S.conv);
  url.searchParams.set("tab", S.tab);
  history.replaceState(null, "", url);
  renderChrome();
  if (S.tab === "home") post("/sim/home", { user: S.user });
  refresh();
}

function renderChrome() {
  const chans = $("channel-list"), apps = $("app-list");
  chans.replaceChildren(...S.ws.channels.map((c) =>
    el("li", {}, convButton(c.id, (c.private ? "🔒 " : "# ") + c.name + (c.archived ? " (archived)" : "")))));
  apps.replaceChildren(el("li", {}, convButton(dm(), S.ws.bot.name)));
  const home = S.tab === "home";
  $("conv-title").textContent = isApp() ? S.ws.bot.name : "#" + ctx().channelName(S.conv);
  $("app-tabs").hidden = !isApp();
  const chan = S.ws.channels.find((c) => c.id === S.conv);
  $("channel-tools").hidden = isApp() || !chan || chan.archived;
  $("tab-home").setAttribute("aria-selected", String(home));
  $("tab-messages").setAttribute("aria-selected", String(!home));
  $("home").hidden = !home;
  $("messages").hidden = home;
  $("composer").hidden = home;
  $("composer-label").textContent = isApp() ? "Message salesbot" : "Message #" + ctx().channelName(S.conv);
  renderBadges();
}

function convButton(id, label) {
  const b = el("button", { type: "button", "data-conv": id, "aria-current": String(id === S.conv) },
    el("span", {}, label), el("span", { class: "badge", hidden: true }));
  b.addEventListener("click", () => navigate(id, id === dm() ? "messages" : undefined));
  return b;
}

function renderBadges() {
  const counts = S.last?.counts || {};
  if (S.tab === "messages") S.seen[S.user + S.conv] = counts[S.conv] || 0;
  for (const b of document.querySelectorAll("[data-conv]")) {
    const n = (counts[b.dataset.conv] || 0) - (S.seen[S.user + b.dataset.conv] || 0);
    const badge = b.querySelector(".badge");
    badge.hidden = n <= 0;
    badge.textContent = n > 0 ? String(n) : "";
    b.setAttribute("aria-label", b.firstChild.textContent + (n > 0 ? `, ${n} new` : ""));
  }
}

let inflight = null, again = false;
async function refresh() {
  if (inflight) { again = true; return inflight; }
  inflight = (async () => {
    do {
      again = false;
      const r = await fetch(`/sim/state?user=${encodeURIComponent(S.user)}&channel=${encodeURIComponent(S.conv)}`);
      if (r.ok) render(await r.json());
    } while (again);
  })().finally(() => { inflight = null; });
  return inflight;
}

function render(st) {
  S.last = st;
  // The bot may have made, renamed or archived channels since the last look.
  if (st.channels && JSON.stringify(st.channels) !== JSON.stringify(S.ws.channels)) {
    S.ws.channels = st.channels;
    renderChrome();
  }
  const status = $("status");
  status.className = "status " + (st.connected ? "ok" : "down");
  status.textContent = st.connected ? "salesbot is connected" : "salesbot is not connected (start it with salesbot dev)";
  renderMessages(st.messages);
  if (S.tab === "home") renderHome(st.home);
  renderModal(st.modal, ctx(), api);
  renderBadges();
}

function renderMessages(list) {
  const box = $("messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const keep = new Set(list.map((m) => m.ts));
  for (const [ts, r] of S.rendered) if (!keep.has(ts)) { r.node.remove(); S.rendered.delete(ts); }
  let prev = null;
  for (const m of list) {
    const sig = JSON.stringify([m.text, m.blocks, m.edited, m.files, m.pinned]);
    let r = S.rendered.get(m.ts);
    if (!r || r.sig !== sig) {
      const node = messageNode(m);
      if (r) r.node.replaceWith(node);
      r = { sig, node };
      S.rendered.set(m.ts, r);
    }
    if (prev ? prev.nextSibling !== r.node : box.firstChild !== r.node) {
      prev ? prev.after(r.node) : box.prepend(r.node);
    }
    prev = r.node;
  }
  box.querySelector(".empty")?.remove();
  if (list.length === 0) box.append(el("p", { class: "empty" }, isApp()
    ? "No messages with salesbot yet. Try /lead new Acme or /salesbot help."
    : "No messages yet. Type / to see the slash commands."));
  if (atBottom) box.scrollTop = box.scrollHeight;
}

// keepAtBottom scrolls down again when an image loads under a list that
// was scrolled to its end.
function keepAtBottom(ev) {
  const box = $("messages");
  if (box.scrollHeight - box.scrollTop - box.clientHeight < ev.target.clientHeight + 80) box.scrollTop = box.scrollHeight;
}

function author(m) {
  if (m.via === "slackbot") return { name: "Slackbot", cls: "slackbot", tag: "" };
  if (m.user === S.ws.bot.id || m.via === "ack" || m.via === "response_url" || m.via === "chat.postEphemeral")
    return { name: S.ws.bot.name, cls: "bot", tag: "APP" };
  const p = person(m.user);
  return { name: p ? p.real_name : m.user, cls: "", tag: "" };
}

function messageNode(m) {
  const a = author(m);
  const time = new Date(Number(m.ts.split(".")[0]) * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", timeZone: person(S.user)?.tz });
  const body = el("div", { class: "body" });
  const meta = el("div", { class: "meta" }, el("b", {}, a.name));
  if (a.tag) meta.append(el("span", { class: "tag" }, a.tag));
  meta.append(el("time", {}, time));
  if (m.edited) meta.append(" (edited)");
  if (m.pinned) meta.append(el("span", { class: "pinned" }, " 📌 Pinned"));
  if (m.thread_ts && m.thread_ts !== m.ts) meta.append(" · reply in thread");
  body.append(meta);
  if (m.ephemeral) body.append(el("div", { class: "only-you" }, "Only visible to you"));
  const c = {
    ...ctx(), surface: "message",
    onAction: (action) => api.action({ channel: S.conv, ts: m.ts, action, values: collectValues(body) }),
  };
  if (m.blocks?.length) body.append(renderBlocks(m.blocks, c));
  else if (m.text) body.append(el("div", { class: "text", html: mrkdwn(m.text, c) }));
  if (m.files?.length) {
    const files = el("div", { class: "files" });
    for (const f of m.files) {
      files.append(f.image
        ? el("figure", { class: "file" }, el("figcaption", {}, f.title),
          el("img", { src: f.url, alt: f.title, onload: keepAtBottom }))
        : el("a", { href: f.url, target: "_blank" }, "📎 " + f.title));
    }
    body.append(files);
  }
  const node = el("article", { class: "msg" + (m.ephemeral ? " ephemeral" : ""), "data-ts": m.ts, "data-via": m.via },
    el("div", { class: "avatar " + a.cls, "aria-hidden": "true" }, a.name[0].toUpperCase()), body);
  if (!m.ephemeral && S.ws.shortcuts?.length) node.append(shortcutMenu(m));
  return node;
}

// shortcutMenu is a message's "…" menu: the app's message shortcuts.
function shortcutMenu(m) {
  const menu = el("ul", { class: "menu", role: "menu", hidden: true });
  const more = el("button", { type: "button", class: "btn more", "aria-haspopup": "menu", "aria-label": "More actions" }, "…");
  more.addEventListener("click", () => { menu.hidden = !menu.hidden; });
  for (const sc of S.ws.shortcuts) {
    const b = el("button", { type: "button", role: "menuitem", title: sc.description || "" }, sc.name);
    b.addEventListener("click", () => {
      menu.hidden = true;
      post("/sim/shortcut", { user: S.user, channel: S.conv, ts: m.ts, callback_id: sc.callback_id });
    });
    menu.append(el("li", {}, b));
  }
  return el("div", {}, more, menu);
}

async function channelOp(op, name) {
  const r = await post("/sim/channel", { user: S.user, channel: S.conv, op, name });
  if (r && !r.ok) alert(r.message);
}

function renderHome(view) {
  const box = $("home");
  const key = view ? view.id + view.hash : "none";
  if (key === S.homeKey) return;
  S.homeKey = key;
  if (!view) {
    box.replaceChildren(el("p", { class: "empty" }, "salesbot has not published a Home tab for you yet."));
    return;
  }
  const c = {
    ...ctx(), surface: "home",
    onAction: (action) => api.action({ view_id: view.id, action, values: collectValues(box) }),
  };
  box.replaceChildren(renderBlocks(view.blocks, c));
}

async function main() {
  S.ws = await (await fetch("/sim/workspace")).json();
  if (!person(S.user)) S.user = (S.ws.people.find((p) => p.id === "U03SAM") || S.ws.people[0]).id;
  if (S.conv.startsWith("D")) S.conv = dm();
  const who = $("who");
  for (const p of S.ws.people) who.append(el("option", { value: p.id, selected: p.id === S.user }, `${p.real_name} — ${p.title}`));
  who.addEventListener("change", () => {
    const wasApp = isApp();
    S.user = who.value;
    localStorage.setItem("sim.user", S.user);
    navigate(wasApp ? dm() : S.conv);
  });
  $("tab-home").addEventListener("click", () => navigate(S.conv, "home"));
  $("channel-rename").addEventListener("click", () => {
    const name = prompt("New channel name", ctx().channelName(S.conv));
    if (name) channelOp("rename", name);
  });
  $("channel-archive").addEventListener("click", () => {
    if (confirm("Archive #" + ctx().channelName(S.conv) + "?")) channelOp("archive");
  });
  $("tab-messages").addEventListener("click", () => navigate(S.conv, "messages"));
  setupComposer(S.ws.commands, api.send, S.ws);
  const demo = $("demo-data");
  demo.addEventListener("click", async () => {
    demo.disabled = true;
    try {
      await post("/sim/demo-data", { user: S.user, channel: S.conv });
    } finally {
      demo.disabled = false;
    }
  });
  setupLeads($("leads-toggle"), $("leads"));
  new EventSource("/sim/events").addEventListener("change", () => refresh());
  navigate(S.conv, S.tab);
}

main();
