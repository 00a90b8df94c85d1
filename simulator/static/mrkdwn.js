// Slack's mrkdwn to safe HTML: every piece of text is escaped first, and only
// the markup built here reaches innerHTML. EMOJI holds the short codes
// salesbot sends (a test checks render's against it) and common others;
// a code not here stays as typed, as Slack shows a code it does not know.

const EMOJI = {
  white_check_mark: "✅", heavy_check_mark: "✔️", x: "❌", warning: "⚠️", tada: "🎉", trophy: "🏆",
  chart_with_upwards_trend: "📈", chart_with_downwards_trend: "📉", bar_chart: "📊", moneybag: "💰",
  money_with_wings: "💸", dollar: "💵", calendar: "📅", date: "📅", spiral_calendar_pad: "🗓️", bell: "🔔",
  hourglass: "⌛", hourglass_flowing_sand: "⏳", alarm_clock: "⏰", fire: "🔥", rocket: "🚀", wave: "👋",
  memo: "📝", pencil: "📝", clipboard: "📋", zzz: "💤", star: "⭐", sparkles: "✨", eyes: "👀", dart: "🎯",
  bust_in_silhouette: "👤", busts_in_silhouette: "👥", email: "📧", envelope: "✉️", phone: "📞",
  telephone_receiver: "📞", handshake: "🤝", information_source: "ℹ️", snail: "🐌", link: "🔗",
  pushpin: "📌", mag: "🔍", gear: "⚙️", lock: "🔒", house: "🏠", hammer_and_wrench: "🛠️", inbox_tray: "📥",
  outbox_tray: "📤", arrow_right: "➡️", arrow_up: "⬆️", arrow_down: "⬇️", new: "🆕", ok_hand: "👌",
  thumbsup: "👍", "+1": "👍", thumbsdown: "👎", clap: "👏", muscle: "💪", raised_hands: "🙌", crown: "👑",
  medal: "🏅", first_place_medal: "🥇", second_place_medal: "🥈", third_place_medal: "🥉", repeat: "🔁",
  no_entry: "⛔", red_circle: "🔴", large_green_circle: "🟢", large_yellow_circle: "🟡", white_circle: "⚪",
  hourglass_done: "⌛", bulb: "💡", briefcase: "💼", office: "🏢", speech_balloon: "💬", question: "❓",
  exclamation: "❗", heavy_plus_sign: "➕", sunrise: "🌅", crystal_ball: "🔮", robot_face: "🤖",
  leftwards_arrow_with_hook: "↩️", no_entry_sign: "🚫", page_facing_up: "📄", palm_tree: "🌴", pencil2: "✏️",
  rotating_light: "🚨", seedling: "🌱", point_right: "👉", stopwatch: "⏱️", mega: "📣", loudspeaker: "📢",
  globe_with_meridians: "🌐", satellite_antenna: "📡", wastebasket: "🗑️",
  partying_face: "🥳", confetti_ball: "🎊", wrench: "🔧", key: "🔑", bookmark_tabs: "📑", card_index: "📇",
  telephone: "☎️", writing_hand: "✍️", arrows_counterclockwise: "🔄", checkered_flag: "🏁", heavy_minus_sign: "➖",
  small_blue_diamond: "🔹", small_orange_diamond: "🔸", mailbox: "📫", sunny: "☀️", clock9: "🕘", hand: "✋",
  raised_hand: "✋", speaking_head_in_silhouette: "🗣️", door: "🚪", scissors: "✂️",
};

export function escapeHTML(s) {
  return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

// Slack escapes &, < and > in message text; turn them back into characters.
function decode(s) {
  return s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

export function emojify(html) {
  return html.replace(/:([a-z0-9_+-]+):/g, (m, name) => EMOJI[name] || m);
}

function safeURL(u) {
  return /^(https?:|mailto:|tel:|slack:)/i.test(u) ? u : "#";
}

// token renders one <…> entity: mentions, channels, links and dates.
function token(inner, ctx) {
  const [target, label] = splitOnce(inner, "|");
  if (target.startsWith("@")) {
    const name = ctx.userName(target.slice(1));
    return `<span class="mention">@${escapeHTML(label || name)}</span>`;
  }
  if (target.startsWith("#")) {
    const name = label || ctx.channelName(target.slice(1));
    return `<span class="mention">#${escapeHTML(name)}</span>`;
  }
  if (target.startsWith("!")) {
    const special = target.slice(1).split("^")[0];
    if (special === "date") return dateToken(target.slice(1).split("^"), label, ctx);
    if (special.startsWith("subteam")) return `<span class="mention">${escapeHTML(label || "@group")}</span>`;
    return `<span class="mention">@${escapeHTML(label || special)}</span>`;
  }
  const url = decode(target);
  return `<a href="${escapeHTML(safeURL(url))}" target="_blank" rel="noopener noreferrer">${escapeHTML(decode(label || url))}</a>`;
}

// dateToken renders <!date^unix^format^link|fallback> as Slack's client does:
// in the viewer's timezone (ctx.tz) and clock, the fallback when the token
// is malformed or the viewer unknown.
function dateToken(parts, fallback, ctx) {
  const secs = Number(parts[1]);
  const format = parts[2];
  if (!ctx?.tz || !Number.isFinite(secs) || !format) return escapeHTML(decode(fallback || ""));
  let text;
  try {
    text = formatDate(new Date(secs * 1000), decode(format), ctx.tz, ctx.now ? ctx.now() : new Date());
  } catch {
    return escapeHTML(decode(fallback || ""));
  }
  const html = `<time class="date" datetime="${new Date(secs * 1000).toISOString()}">${escapeHTML(text)}</time>`;
  const link = parts[3] ? decode(parts[3]) : "";
  return link ? `<a href="${escapeHTML(safeURL(link))}" target="_blank" rel="noopener noreferrer">${html}</a>` : html;
}

// A person's clock: the simulator's people carry a timezone only, so the
// Americas read a 12-hour clock and everyone else a 24-hour one.
function localeFor(tz) {
  return tz.startsWith("America/") ? "en-US" : "en-GB";
}

function ordinal(n) {
  const s = ["th", "st", "nd", "rd"], v = n % 100;
  return n + (s[(v - 20) % 10] || s[v] || s[0]);
}

// formatDate fills Slack's date format tokens for the instant d seen in tz.
function formatDate(d, format, tz, now) {
  const locale = localeFor(tz);
  const part = (opts) => new Intl.DateTimeFormat(locale, { timeZone: tz, ...opts }).format(d);
  const dayKey = (t) => new Intl.DateTimeFormat("en-CA", { timeZone: tz, year: "numeric", month: "2-digit", day: "2-digit" }).format(t);
  const dayNum = Number(new Intl.DateTimeFormat("en-US", { timeZone: tz, day: "numeric" }).format(d));
  const month = (style) => new Intl.DateTimeFormat("en-US", { timeZone: tz, month: style }).format(d);
  const year = new Intl.DateTimeFormat("en-US", { timeZone: tz, year: "numeric" }).format(d);
  const weekday = new Intl.DateTimeFormat("en-US", { timeZone: tz, weekday: "long" }).format(d);
  const date = `${month("long")} ${ordinal(dayNum)}, ${year}`;
  const dateShort = `${month("short")} ${dayNum}, ${year}`;
  const dateLong = `${weekday}, ${date}`;
  const relative = () => {
    const day = 24 * 3600 * 1000, key = dayKey(d);
    if (key === dayKey(now)) return "today";
    if (key === dayKey(new Date(now.getTime() - day))) return "yesterday";
    if (key === dayKey(new Date(now.getTime() + day))) return "tomorrow";
    return "";
  };
  const ago = () => {
    const s = Math.round((now.getTime() - d.getTime()) / 1000), a = Math.abs(s);
    const [n, unit] = a < 60 ? [a, "second"] : a < 3600 ? [Math.round(a / 60), "minute"]
      : a < 86400 ? [Math.round(a / 3600), "hour"] : [Math.round(a / 86400), "day"];
    const words = `${n} ${unit}${n === 1 ? "" : "s"}`;
    return s >= 0 ? `${words} ago` : `in ${words}`;
  };
  const values = {
    date_num: dayKey(d), date, date_short: dateShort, date_long: dateLong,
    date_pretty: () => relative() || date, date_short_pretty: () => relative() || dateShort,
    date_long_pretty: () => relative() || dateLong,
    time: () => part({ hour: "numeric", minute: "2-digit" }),
    time_secs: () => part({ hour: "numeric", minute: "2-digit", second: "2-digit" }),
    ago,
  };
  return format.replace(/\{([a-z_]+)\}/g, (m, name) => {
    const v = values[name];
    if (v === undefined) return m;
    return typeof v === "function" ? v() : v;
  });
}

function splitOnce(s, sep) {
  const i = s.indexOf(sep);
  return i < 0 ? [s, ""] : [s.slice(0, i), s.slice(i + 1)];
}

// inline formats one line: entities and code are set aside as placeholders so
// that *bold* and _italics_ never reach inside them.
function inline(line, ctx) {
  const held = [];
  const hold = (html) => `\u0000${held.push(html) - 1}\u0000`;
  let s = line.replace(/`([^`]+)`/g, (m, code) => hold(`<code>${escapeHTML(decode(code))}</code>`));
  s = s.replace(/<([^<>]+)>/g, (m, inner) => hold(token(inner, ctx)));
  s = escapeHTML(decode(s));
  s = s.replace(/(^|[\s(\u0000>])\*(?=\S)([^*\n]*?\S)\*(?=$|[\s.,!?;:)\u0000<])/g, "$1<b>$2</b>");
  s = s.replace(/(^|[\s(\u0000>])_(?=\S)([^_\n]*?\S)_(?=$|[\s.,!?;:)\u0000<])/g, "$1<i>$2</i>");
  s = s.replace(/(^|[\s(\u0000>])~(?=\S)([^~\n]*?\S)~(?=$|[\s.,!?;:)\u0000<])/g, "$1<s>$2</s>");
  s = emojify(s);
  return s.replace(/\u0000(\d+)\u0000/g, (m, i) => held[Number(i)]);
}

// mrkdwn renders text as Slack does: code blocks, quotes, bulleted and
// numbered lists, then inline formatting.
export function mrkdwn(text, ctx) {
  const parts = String(text ?? "").split("```");
  let html = "";
  parts.forEach((part, i) => {
    if (i % 2 === 1) {
      html += `<pre>${escapeHTML(decode(part.replace(/^\n/, "")))}</pre>`;
      return;
    }
    html += lines(part, ctx);
  });
  return html;
}

function lines(text, ctx) {
  const out = [];
  let list = null; // "ul" or "ol" while inside a list
  const close = () => { if (list) { out.push(`</${list}>`); list = null; } };
  for (const line of text.split("\n")) {
    const bullet = line.match(/^\s*[•◦▪\-*]\s+(.*)$/);
    const numbered = line.match(/^\s*\d+[.)]\s+(.*)$/);
    const quote = line.match(/^(?:&gt;|>)\s?(.*)$/);
    if (bullet || numbered) {
      const kind = bullet ? "ul" : "ol";
      if (list !== kind) { close(); out.push(`<${kind}>`); list = kind; }
      out.push(`<li>${inline((bullet || numbered)[1], ctx)}</li>`);
      continue;
    }
    close();
    if (quote) out.push(`<blockquote>${inline(quote[1], ctx)}</blockquote>`);
    else out.push(inline(line, ctx) + "\n");
  }
  close();
  return out.join("").replace(/\n$/, "").replace(/\n(<\/?(ul|ol|blockquote))/g, "$1");
}

// plain renders a plain_text object: escaped, with emoji when asked.
export function plain(obj) {
  const html = escapeHTML(obj?.text ?? "");
  return obj?.emoji === false ? html : emojify(html);
}

// textHTML renders any text object.
export function textHTML(obj, ctx) {
  if (!obj) return "";
  if (obj.type === "mrkdwn") return obj.verbatim ? escapeHTML(decode(obj.text)) : mrkdwn(obj.text, ctx);
  return plain(obj);
}
