// Input elements (modals, Home tab, and stateful elements in messages), and
// reading their state back in the shape Slack sends in state.values.

import { el, placeholder } from "./blocks.js";
import { plain } from "./mrkdwn.js";

export function inputID(blockId) { return "in-" + blockId.replace(/[^A-Za-z0-9_-]/g, "_"); }

const TEXT_TYPES = { plain_text_input: "text", email_text_input: "email", url_text_input: "url", number_input: "number" };

// inputElement builds the control for element e. The returned node carries
// data-action-id and data-type, and a simValue() that reads its value.
export function inputElement(e, blockId, fid, describedBy, ctx) {
  const actionId = e.action_id || `sim-a-${blockId}`;
  const common = { id: fid, "data-action-id": actionId, "data-type": e.type, "aria-describedby": describedBy || null,
    placeholder: e.placeholder?.text || null };
  const changed = (node) => { if (ctx.onChange) ctx.onChange(node.simValue()); };
  let node;
  if (TEXT_TYPES[e.type]) {
    const attrs = { ...common, minlength: e.min_length, maxlength: e.max_length };
    if (e.type === "number_input") {
      Object.assign(attrs, { inputmode: e.is_decimal_allowed ? "decimal" : "numeric", min: e.min_value, max: e.max_value,
        step: e.is_decimal_allowed ? "any" : "1" });
    }
    node = e.multiline ? el("textarea", attrs) : el("input", { ...attrs, type: TEXT_TYPES[e.type] });
    node.value = e.initial_value ?? "";
    node.simValue = () => ({ type: e.type, value: node.value === "" ? null : node.value });
    if (ctx.onChange) node.addEventListener("change", () => changed(node));
    return node;
  }
  switch (e.type) {
    case "static_select": case "multi_static_select": {
      const multi = e.type.startsWith("multi_");
      const all = [...(e.options || [])];
      node = el("select", { ...common, multiple: multi });
      if (!multi) node.append(el("option", { value: "" }, e.placeholder?.text || "Choose…"));
      const addOpt = (parent, o) => parent.append(el("option", { value: String(all.indexOf(o)), html: plain(o.text) }));
      for (const o of e.options || []) addOpt(node, o);
      for (const g of e.option_groups || []) {
        const og = el("optgroup", { label: g.label?.text || "" });
        for (const o of g.options || []) { all.push(o); addOpt(og, o); }
        node.append(og);
      }
      const initial = multi ? (e.initial_options || []) : (e.initial_option ? [e.initial_option] : []);
      for (const opt of node.options) {
        const o = all[Number(opt.value)];
        if (o && initial.some((i) => i.value === o.value)) opt.selected = true;
      }
      const chosen = () => [...node.selectedOptions].filter((o) => o.value !== "").map((o) => all[Number(o.value)]);
      node.simValue = () => multi ? { type: e.type, selected_options: chosen() }
        : { type: e.type, selected_option: chosen()[0] || null };
      break;
    }
    case "users_select": case "multi_users_select":
      node = picker(e, common, ctx.people.map((p) => [p.id, `${p.real_name} (@${p.name})`]),
        e.initial_user ? [e.initial_user] : e.initial_users, "selected_user", "selected_users");
      break;
    case "conversations_select": case "multi_conversations_select":
    case "channels_select": case "multi_channels_select": {
      const convs = ctx.channels.map((c) => [c.id, "#" + c.name]);
      if (e.type.includes("conversations")) convs.push(...ctx.people.map((p) => ["D" + p.id, `DM with ${p.real_name}`]));
      const isConv = e.type.includes("conversations");
      const one = isConv ? e.initial_conversation : e.initial_channel;
      const many = isConv ? e.initial_conversations : e.initial_channels;
      node = picker(e, common, convs, one ? [one] : many,
        isConv ? "selected_conversation" : "selected_channel", isConv ? "selected_conversations" : "selected_channels");
      break;
    }
    case "datepicker":
      node = el("input", { ...common, type: "date", value: e.initial_date || null });
      node.simValue = () => ({ type: e.type, selected_date: node.value || null });
      break;
    case "timepicker":
      node = el("input", { ...common, type: "time", value: e.initial_time || null });
      node.simValue = () => ({ type: e.type, selected_time: node.value || null });
      break;
    case "checkboxes": case "radio_buttons":
      node = choices(e, common, fid);
      break;
    default:
      return placeholder(`a "${e.type}" input`, e);
  }
  node.addEventListener("change", () => changed(node));
  return node;
}

// picker is a select over [value, label] pairs for user and conversation pickers.
function picker(e, common, items, initial, oneKey, manyKey) {
  const multi = e.type.startsWith("multi_");
  const node = el("select", { ...common, multiple: multi });
  if (!multi) node.append(el("option", { value: "" }, e.placeholder?.text || "Choose…"));
  for (const [value, label] of items) {
    node.append(el("option", { value, selected: (initial || []).includes(value) }, label));
  }
  const chosen = () => [...node.selectedOptions].map((o) => o.value).filter(Boolean);
  node.simValue = () => multi ? { type: e.type, [manyKey]: chosen() } : { type: e.type, [oneKey]: chosen()[0] || null };
  return node;
}

function choices(e, common, fid) {
  const radio = e.type === "radio_buttons";
  const node = el("fieldset", { "data-action-id": common["data-action-id"], "data-type": e.type,
    "aria-labelledby": fid + "-label", "aria-describedby": common["aria-describedby"] });
  const initial = radio ? (e.initial_option ? [e.initial_option] : []) : (e.initial_options || []);
  (e.options || []).forEach((o, i) => {
    const box = el("input", { type: radio ? "radio" : "checkbox", name: fid, id: `${fid}-${i}`, value: String(i),
      checked: initial.some((x) => x.value === o.value) });
    const label = el("label", { class: "choice", for: `${fid}-${i}` }, box, " ");
    label.insertAdjacentHTML("beforeend", plain(o.text));
    if (o.description) label.append(el("span", { class: "desc", html: plain(o.description) }));
    node.append(label);
  });
  const chosen = () => [...node.querySelectorAll("input:checked")].map((i) => e.options[Number(i.value)]);
  node.simValue = () => radio ? { type: e.type, selected_option: chosen()[0] || null }
    : { type: e.type, selected_options: chosen() };
  return node;
}

// collectValues reads every stateful element under root into Slack's
// state.values: block_id → action_id → value.
export function collectValues(root) {
  const values = {};
  for (const node of root.querySelectorAll("[data-action-id]")) {
    if (typeof node.simValue !== "function") continue;
    const block = node.closest("[data-block-id]")?.dataset.blockId;
    if (!block) continue;
    (values[block] ||= {})[node.dataset.actionId] = node.simValue();
  }
  return values;
}

// isEmpty tells whether a value from simValue holds nothing.
export function isEmpty(v) {
  const x = Object.entries(v).find(([k]) => k !== "type")?.[1];
  return x == null || x === "" || (Array.isArray(x) && x.length === 0);
}
