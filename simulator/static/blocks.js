// Block Kit to DOM. Whatever this file does not know is shown as a visible
// placeholder, never dropped. ctx carries the surface, name look-ups, the
// people and channels for pickers, and onAction for interactive elements.

import { textHTML, plain } from "./mrkdwn.js";
import { inputElement, inputID } from "./inputs.js";

export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "html") e.innerHTML = v;
    else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c != null) e.append(c);
  return e;
}

export function placeholder(what, obj) {
  const box = el("div", { class: "placeholder", role: "note" },
    `The simulator cannot show ${what} yet; Slack would.`);
  box.title = JSON.stringify(obj, null, 2).slice(0, 2000);
  return box;
}

// blockID is the block's own ID, or a stable stand-in (Slack generates one).
export function blockID(b, i) { return b.block_id || `sim-b${i}`; }

export function renderBlocks(blocks, ctx) {
  const frag = document.createDocumentFragment();
  (blocks || []).forEach((b, i) => frag.append(renderBlock(b, i, ctx)));
  return frag;
}

function renderBlock(b, i, ctx) {
  const id = blockID(b, i);
  const wrap = (cls, ...kids) => el("div", { class: `block ${cls}`, "data-block-id": id }, ...kids);
  switch (b.type) {
    case "header":
      return wrap("", el("h3", { class: "block-header", html: plain(b.text) }));
    case "section": {
      const main = el("div", { class: "main" });
      if (b.text) main.append(el("div", { class: "text", html: textHTML(b.text, ctx) }));
      if (b.fields?.length) {
        const grid = el("div", { class: "fields" });
        for (const f of b.fields) grid.append(el("div", { class: "text", html: textHTML(f, ctx) }));
        main.append(grid);
      }
      const sec = wrap("section", main);
      if (b.accessory) sec.append(element(b.accessory, id, ctx, true));
      return sec;
    }
    case "context": {
      const box = wrap("context");
      for (const e of b.elements || []) {
        if (e.type === "image") box.append(el("img", { src: e.image_url, alt: e.alt_text || "" }));
        else box.append(el("span", { class: "text", html: textHTML(e, ctx) }));
      }
      return box;
    }
    case "divider":
      return wrap("", el("hr", { class: "divider" }));
    case "image": {
      const fig = el("figure", { class: "image" });
      if (b.title) fig.append(el("figcaption", { html: plain(b.title) }));
      fig.append(el("img", { src: b.image_url || "", alt: b.alt_text || "" }));
      return wrap("", fig);
    }
    case "actions": {
      const box = wrap("actions");
      box.setAttribute("role", "group");
      box.setAttribute("aria-label", "Actions");
      for (const e of b.elements || []) box.append(element(e, id, ctx, false));
      return box;
    }
    case "input":
      if (ctx.surface === "message") return wrap("", placeholder("an input block in a message (Slack refuses it)", b));
      return inputBlock(b, id, ctx);
    default:
      return wrap("", placeholder(`a "${b.type}" block`, b));
  }
}

function inputBlock(b, id, ctx) {
  const err = ctx.errors?.[id];
  const box = el("div", { class: "block input" + (err ? " invalid" : ""), "data-block-id": id, "data-input": "1",
    "data-optional": b.optional ? "1" : "", "data-dispatch": b.dispatch_action ? "1" : "" });
  const fid = inputID(id);
  const grouped = ["checkboxes", "radio_buttons"].includes(b.element?.type);
  const label = el(grouped ? "span" : "label", { class: "label", id: fid + "-label", for: grouped ? null : fid,
    html: plain(b.label) + (b.optional ? ' <span class="optional">(optional)</span>' : "") });
  const describedBy = [b.hint ? fid + "-hint" : "", err ? fid + "-error" : ""].filter(Boolean).join(" ");
  box.append(label, inputElement(b.element, id, fid, describedBy, ctx));
  if (b.hint) box.append(el("p", { class: "hint", id: fid + "-hint", html: plain(b.hint) }));
  if (err) box.append(el("p", { class: "field-error", id: fid + "-error", role: "alert" }, err));
  return box;
}

// element renders an interactive element of a section or an actions block.
function element(e, blockId, ctx, accessory) {
  const act = (extra) => ctx.onAction({ type: e.type, action_id: e.action_id || `sim-a-${blockId}`, block_id: blockId, ...extra });
  switch (e.type) {
    case "button": {
      const b = el("button", { type: "button", class: "btn " + (e.style || ""), html: plain(e.text),
        "aria-label": e.accessibility_label || null });
      b.addEventListener("click", () => {
        if (e.url) window.open(e.url, "_blank", "noopener");
        act({ text: e.text, value: e.value, style: e.style });
      });
      return b;
    }
    case "overflow": {
      const d = el("details", { class: "overflow" }, el("summary", { "aria-label": "More actions", role: "button" }, "⋯"));
      const menu = el("div", { role: "menu" });
      for (const o of e.options || []) {
        menu.append(el("button", { type: "button", role: "menuitem", html: plain(o.text),
          onclick: () => { d.open = false; act({ selected_option: o }); } }));
      }
      d.append(menu);
      return d;
    }
    case "image":
      return el("img", { class: "accessory-image", src: e.image_url, alt: e.alt_text || "" });
    case "static_select": case "users_select": case "conversations_select": case "channels_select":
    case "datepicker": case "timepicker": case "checkboxes": case "radio_buttons":
    case "multi_static_select": case "multi_users_select": case "multi_conversations_select": case "multi_channels_select": {
      // The same controls as in modals, but every change is an action at once.
      const node = inputElement(e, blockId, inputID(blockId + "-" + (e.action_id || "a")), "",
        { ...ctx, onChange: (value) => act(value) });
      if (!accessory) node.classList?.add("inline-control");
      return node;
    }
    default:
      return placeholder(`a "${e.type}" element`, e);
  }
}
