// The message box: slash commands from the app manifest are offered as you
// type, and so are people after "@" and channels after "#" (an ARIA
// combobox: arrows to move, Enter or Tab to pick, Escape to close); the
// usage hint of the command being typed is shown below. What is sent is
// what Slack's own client sends: &, < and > as entities, a person as
// <@U…>, a channel as <#C…|name>.

import { el } from "./blocks.js";

export function setupComposer(commands, send, ws = { people: [], channels: [] }) {
  const input = document.getElementById("composer-input");
  const list = document.getElementById("suggestions");
  const hint = document.getElementById("usage-hint");
  let matches = [], active = -1, kind = "command", word = null;
  // picking set while the Enter that picked is down: some input paths (a
  // separate keypress, as DevTools sends) would otherwise also submit.
  let picking = false;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    matches = [];
    active = -1;
    word = null;
  };

  // item is one suggestion's content: a command with its hint, a person with
  // their name and title, or a channel.
  const item = (m) => {
    if (kind === "person") return [el("span", { class: "cmd" }, "@" + m.name),
      el("span", { class: "hint" }, m.real_name), el("span", { class: "desc" }, m.title || "")];
    if (kind === "channel") return [el("span", { class: "cmd" }, "#" + m.name)];
    return [el("span", { class: "cmd" }, m.command), el("span", { class: "hint" }, m.usage_hint || ""),
      el("span", { class: "desc" }, m.description || "")];
  };

  const show = () => {
    list.setAttribute("aria-label", { person: "People", channel: "Channels" }[kind] || "Slash commands");
    list.replaceChildren(...matches.map((m, i) => {
      const li = el("li", { id: "sugg-" + i, role: "option", "aria-selected": String(i === active), "data-kind": kind },
        ...item(m));
      li.addEventListener("mousedown", (ev) => { ev.preventDefault(); pick(i); });
      return li;
    }));
    list.hidden = matches.length === 0;
    input.setAttribute("aria-expanded", String(matches.length > 0));
    if (active >= 0) input.setAttribute("aria-activedescendant", "sugg-" + active);
    else input.removeAttribute("aria-activedescendant");
  };

  const pick = (i) => {
    const m = matches[i];
    if (kind === "command") {
      input.value = m.command + " ";
    } else {
      // The picked name replaces the @word or #word being typed.
      const v = input.value, w = word;
      const rest = v.slice(w.end).replace(/^\S*/, "");
      const token = (kind === "person" ? "@" : "#") + m.name + " ";
      input.value = v.slice(0, w.start) + token + rest.replace(/^ /, "");
      const caret = w.start + token.length;
      input.setSelectionRange(caret, caret);
    }
    close();
    update(false);
    input.focus();
  };

  const update = (suggest = true) => {
    const v = input.value;
    const first = v.split(" ")[0];
    const typed = commands.find((c) => c.command === first);
    hint.textContent = typed && v.includes(" ") ? `${typed.command} ${typed.usage_hint || ""}` : "";
    if (!suggest) { close(); return; }
    if (v.startsWith("/") && !v.includes(" ")) {
      kind = "command";
      matches = commands.filter((c) => c.command.startsWith(first));
    } else if ((word = wordAtCaret(input))) {
      const q = word.query.toLowerCase();
      if (word.sigil === "@") {
        kind = "person";
        matches = ws.people.filter((p) => p.name.startsWith(q) ||
          p.real_name.toLowerCase().split(/\s+/).some((part) => part.startsWith(q)));
      } else {
        kind = "channel";
        matches = ws.channels.filter((c) => c.name.startsWith(q));
      }
    } else {
      close();
      return;
    }
    active = matches.length ? 0 : -1;
    show();
  };

  input.addEventListener("input", () => update());
  input.addEventListener("blur", close);
  input.addEventListener("keyup", (ev) => { if (ev.key === "Enter") picking = false; });
  input.addEventListener("keydown", (ev) => {
    if (list.hidden) return;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      active = (active + (ev.key === "ArrowDown" ? 1 : -1) + matches.length) % matches.length;
      show();
    } else if ((ev.key === "Enter" || ev.key === "Tab") && active >= 0) {
      ev.preventDefault();
      picking = ev.key === "Enter";
      pick(active);
    } else if (ev.key === "Escape") {
      ev.preventDefault();
      close();
    }
  });

  document.getElementById("composer").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text || picking) return;
    send(toSlack(text, ws));
    input.value = "";
    update(false);
  });
}

// wordAtCaret is the @word or #word the caret ends, if any.
function wordAtCaret(input) {
  const caret = input.selectionStart ?? input.value.length;
  const m = input.value.slice(0, caret).match(/(^|\s)([@#])([\w.-]*)$/);
  if (!m) return null;
  return { sigil: m[2], query: m[3], start: caret - m[3].length - 1, end: caret };
}

// toSlack writes typed text as Slack's client sends it: entities first, then
// each @name of a member as <@U…>, @here/@channel/@everyone as <!here>…, and
// each #name of a channel as <#C…|name>. Names nobody has stay as typed.
export function toSlack(text, ws) {
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return escaped.replace(/(^|\s)([@#])([\w-]+(?:\.[\w-]+)*)/g, (m, pre, sigil, name) => {
    const n = name.toLowerCase();
    if (sigil === "@") {
      if (["here", "channel", "everyone"].includes(n)) return `${pre}<!${n}>`;
      const p = ws.people.find((x) => x.name === n);
      return p ? `${pre}<@${p.id}>` : m;
    }
    const c = ws.channels.find((x) => x.name === n);
    return c ? `${pre}<#${c.id}|${c.name}>` : m;
  });
}
