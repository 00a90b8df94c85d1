// The modal: one <dialog> showing the top view of the person's stack.
// Re-rendered only when the view itself changes, so typing is never lost to
// a live update; inline errors are patched in place.

import { el, renderBlocks } from "./blocks.js";
import { plain } from "./mrkdwn.js";
import { collectValues, isEmpty, inputID } from "./inputs.js";

const dialog = () => document.getElementById("modal");
let shown = null; // { id, hash } of the rendered view

export function renderModal(modal, ctx, api) {
  const d = dialog();
  if (!modal) {
    if (d.open) d.close();
    shown = null;
    return;
  }
  const v = modal.view;
  if (!shown || shown.id !== v.id || shown.hash !== v.hash) {
    build(d, v, modal, ctx, api);
    shown = { id: v.id, hash: v.hash };
    if (!d.open) d.showModal();
    d.querySelector(".modal-body input, .modal-body select, .modal-body textarea, .modal-body button")?.focus();
  }
  patchErrors(d, modal.errors || {}, modal.alert || "");
}

function build(d, v, modal, ctx, api) {
  d.replaceChildren();
  const form = el("form", { novalidate: true });
  const closeAll = el("button", { type: "button", class: "x", "aria-label": "Close all", title: "Close" }, "×");
  closeAll.addEventListener("click", () => api.close(v.id, true));
  const head = el("div", { class: "modal-head" }, el("h2", { id: "modal-title", html: plain(v.title) }), closeAll);
  const body = el("div", { class: "modal-body" }, el("div", { class: "alert", role: "alert", hidden: true }));
  const blockCtx = {
    ...ctx, surface: "modal", errors: modal.errors || {},
    onAction: (action) => api.action({ view_id: v.id, action, values: collectValues(form) }),
  };
  body.append(renderBlocks(v.blocks, blockCtx));
  // dispatch_action inputs send block_actions on change, as in Slack.
  for (const box of body.querySelectorAll('[data-dispatch="1"] [data-action-id]')) {
    box.addEventListener("change", () => {
      const blockId = box.closest("[data-block-id]").dataset.blockId;
      api.action({ view_id: v.id, values: collectValues(form),
        action: { action_id: box.dataset.actionId, block_id: blockId, ...box.simValue() } });
    });
  }
  const foot = el("div", { class: "modal-foot" });
  const cancel = el("button", { type: "button", class: "btn", html: v.close ? plain(v.close) : "Cancel" });
  cancel.addEventListener("click", () => api.close(v.id, false));
  foot.append(cancel);
  if (v.submit) foot.append(el("button", { type: "submit", class: "btn primary", html: plain(v.submit) }));
  form.append(head, body, foot);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!checkRequired(form)) return;
    const button = form.querySelector("[type=submit]");
    button.disabled = true;
    try {
      await api.submit(v.id, collectValues(form));
    } finally {
      button.disabled = false;
    }
  });
  d.append(form);
  d.oncancel = (ev) => { ev.preventDefault(); api.close(v.id, true); };
}

// checkRequired blocks the submission of empty required inputs, as Slack's
// client does, without asking the app.
function checkRequired(form) {
  const missing = {};
  for (const box of form.querySelectorAll('[data-input="1"]')) {
    if (box.dataset.optional === "1") continue;
    const ctl = box.querySelector("[data-action-id]");
    if (ctl?.simValue && isEmpty(ctl.simValue())) missing[box.dataset.blockId] = "Please complete this required field.";
  }
  if (Object.keys(missing).length === 0) return true;
  patchErrors(dialog(), missing, "");
  return false;
}

function patchErrors(d, errors, alert) {
  const a = d.querySelector(".alert");
  if (a) { a.hidden = !alert; a.textContent = alert; }
  let first = null;
  for (const box of d.querySelectorAll('[data-input="1"]')) {
    const id = box.dataset.blockId, fid = inputID(id), msg = errors[id];
    box.classList.toggle("invalid", !!msg);
    box.querySelector(".field-error")?.remove();
    const ctl = box.querySelector("[data-action-id]");
    const described = (ctl?.getAttribute("aria-describedby") || "").split(" ").filter((x) => x && x !== fid + "-error");
    if (msg) {
      box.append(el("p", { class: "field-error", id: fid + "-error", role: "alert" }, msg));
      described.push(fid + "-error");
      first ||= ctl;
    }
    ctl?.setAttribute("aria-invalid", msg ? "true" : "false");
    if (described.length) ctl?.setAttribute("aria-describedby", described.join(" "));
    else ctl?.removeAttribute("aria-describedby");
  }
  const key = JSON.stringify(errors);
  if (first && d.dataset.errors !== key) first.focus();
  d.dataset.errors = key;
}
