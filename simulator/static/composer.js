// The message box: slash commands from the app manifest are offered as you
// type (an ARIA combobox: arrows to move, Enter or Tab to pick, Escape to
// close), and the usage hint of the command being typed is shown below.

import { el } from "./blocks.js";

export function setupComposer(commands, send) {
  const input = document.getElementById("composer-input");
  const list = document.getElementById("suggestions");
  const hint = document.getElementById("usage-hint");
  let matches = [], active = -1;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    matches = [];
    active = -1;
  };

  const show = () => {
    list.replaceChildren(...matches.map((c, i) => {
      const li = el("li", { id: "sugg-" + i, role: "option", "aria-selected": String(i === active) },
        el("span", { class: "cmd" }, c.command), el("span", { class: "hint" }, c.usage_hint || ""),
        el("span", { class: "desc" }, c.description || ""));
      li.addEventListener("mousedown", (ev) => { ev.preventDefault(); pick(i); });
      return li;
    }));
    list.hidden = matches.length === 0;
    input.setAttribute("aria-expanded", String(matches.length > 0));
    if (active >= 0) input.setAttribute("aria-activedescendant", "sugg-" + active);
    else input.removeAttribute("aria-activedescendant");
  };

  const pick = (i) => {
    input.value = matches[i].command + " ";
    close();
    update(false);
    input.focus();
  };

  const update = (suggest = true) => {
    const v = input.value;
    const word = v.split(" ")[0];
    const typed = commands.find((c) => c.command === word);
    hint.textContent = typed && v.includes(" ") ? `${typed.command} ${typed.usage_hint || ""}` : "";
    if (suggest && v.startsWith("/") && !v.includes(" ")) {
      matches = commands.filter((c) => c.command.startsWith(word));
      active = matches.length ? 0 : -1;
      show();
    } else {
      close();
    }
  };

  input.addEventListener("input", () => update());
  input.addEventListener("blur", close);
  input.addEventListener("keydown", (ev) => {
    if (list.hidden) return;
    if (ev.key === "ArrowDown" || ev.key === "ArrowUp") {
      ev.preventDefault();
      active = (active + (ev.key === "ArrowDown" ? 1 : -1) + matches.length) % matches.length;
      show();
    } else if ((ev.key === "Enter" || ev.key === "Tab") && active >= 0) {
      ev.preventDefault();
      pick(active);
    } else if (ev.key === "Escape") {
      ev.preventDefault();
      close();
    }
  });

  document.getElementById("composer").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const text = input.value.trim();
    if (!text) return;
    send(text);
    input.value = "";
    update(false);
  });
}
