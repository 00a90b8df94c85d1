// The "Leads from your website" panel: the HTML form snippet a website
// owner pastes (with the simulator's form key), the same form live, and a
// curl example with the secret key. The live form posts to the API itself,
// as a form on a website would; its answer opens in a frame so the page
// stays, and the lead arrives in the rep's DM like any routed lead.

import { el } from "./blocks.js";

export function setupLeads(toggle, panel) {
  let loaded = false;
  toggle.addEventListener("click", async () => {
    const open = panel.hidden;
    panel.hidden = !open;
    toggle.setAttribute("aria-expanded", String(open));
    if (open && !loaded) {
      loaded = true;
      const r = await fetch("/sim/leads");
      render(panel, r.ok ? await r.json() : { available: false });
    }
    if (open) panel.focus();
  });
}

function render(panel, p) {
  const title = el("h2", { id: "leads-title" }, "Leads from your website");
  if (!p.available) {
    panel.replaceChildren(title, el("p", { class: "muted" }, "The HTTP API is off in this simulator, so there is no form to show."));
    return;
  }
  // The snippet is markup made and escaped by the simulator (html/template):
  // the live form is that very markup. Scripts inserted this way never run,
  // so the hidden fields are filled here instead.
  const tpl = document.createElement("template");
  tpl.innerHTML = p.snippet;
  const form = tpl.content.querySelector("form");
  form.id = "leads-form";
  form.target = "leads-answer";
  form.elements.utm_source.value = "simulator";
  form.elements.page_url.value = location.href;
  panel.replaceChildren(
    title,
    el("p", {}, "Paste this form into a page of your website. Each submission becomes a lead, routed at once to a rep, who gets it in Slack. Its key is a form key: it can only create leads, and only from pages at ",
      el("code", {}, p.origin), " (this simulator), so it is safe to publish."),
    codeBlock("leads-snippet", "The form snippet", p.snippet),
    el("h3", {}, "Try it here"),
    form,
    el("iframe", { name: "leads-answer", id: "leads-answer", title: "The API's answer to the form" }),
    el("h3", {}, "From a server: curl"),
    el("p", {}, "With the secret key, which must stay on your servers. Sending it again with the same Idempotency-Key creates nothing new."),
    codeBlock("leads-curl", "The curl example", p.curl),
  );
}

function codeBlock(id, label, text) {
  const pre = el("pre", { id, class: "code", tabindex: "0", "aria-label": label });
  pre.textContent = text;
  const copy = el("button", { type: "button", class: "btn copy" }, "Copy");
  copy.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(text);
      copy.textContent = "Copied";
    } catch {
      getSelection().selectAllChildren(pre); // copy by hand
      copy.textContent = "Press Ctrl-C";
    }
    setTimeout(() => { copy.textContent = "Copy"; }, 2000);
  });
  return el("div", { class: "code-wrap" }, copy, pre);
}
