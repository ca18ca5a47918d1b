// Shared helpers of the web interface: DOM building (text is always set
// with textContent, never parsed as HTML), the query's filter tokens,
// Thai/CE dates and API calls.

export const $ = (id) => document.getElementById(id);

/** An element with `text` as its text (never as HTML) and class `cls`. */
export function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

/** A link to `href` reading `text`. */
export function link(href, text, cls) {
  const a = el("a", text, cls);
  a.href = href;
  return a;
}

export const TYPE_TH = {
  order: "คำสั่ง", circular: "หนังสือเวียน", letter: "หนังสือ",
  announcement: "ประกาศ", news: "ข่าว", other: "อื่น ๆ",
};

export const MONTHS_TH = ["ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
  "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค."];

/** A CE date `YYYY[-MM[-DD]]` in Thai (BE) with the CE form after it. */
export function dateText(d) {
  if (!d) return "ไม่ระบุวันที่ (no date)";
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(d);
  if (!m) return d;
  const be = parseInt(m[1], 10) + 543;
  const parts = [];
  if (m[3]) parts.push(String(parseInt(m[3], 10)));
  if (m[2]) parts.push(MONTHS_TH[parseInt(m[2], 10) - 1] || m[2]);
  parts.push(`พ.ศ. ${be}`);
  return `${parts.join(" ")} (${d.slice(0, 10)})`;
}

/** The number in Thai grouping. */
export function num(n) {
  return Number(n).toLocaleString("th-TH");
}

/** Decodes the entities the API escapes in snippets. */
export function unescapeHtml(s) {
  return s.replace(/&(lt|gt|quot|#39|#x27|amp);/g, (_, n) =>
    ({ lt: "<", gt: ">", quot: "\"", "#39": "'", "#x27": "'", amp: "&" })[n]);
}

/** A snippet (escaped text whose only markup is <b>) rebuilt node by node. */
export function snippetNode(snippet) {
  const p = el("p", null, "snippet");
  let bold = false;
  for (const part of String(snippet || "").split(/(<b>|<\/b>)/)) {
    if (part === "<b>") { bold = true; continue; }
    if (part === "</b>") { bold = false; continue; }
    if (!part) continue;
    const text = unescapeHtml(part);
    p.appendChild(bold ? el("b", text) : document.createTextNode(text));
  }
  return p;
}

// ---- the query as tokens -------------------------------------------------

export const FILTERS = ["order", "number", "province", "official", "plan", "type", "date", "fy"];
const TOKEN = /-?[A-Za-z_]+:"[^"]*"|-?[A-Za-z_]+:\S+|"[^"]*"|\S+/g;
const FILTER = new RegExp(`^-?(${FILTERS.join("|")}):`);

/** The query split into words, phrases and filters (quotes kept). */
export function tokens(q) {
  return String(q || "").match(TOKEN) || [];
}

export function isFilter(tok) {
  return FILTER.test(tok);
}

/** `value`, quoted when it holds spaces, quotes, parentheses or colons. */
export function quoteValue(v) {
  v = String(v);
  return /[\s"():]/.test(v) ? `"${v.replace(/"/g, "")}"` : v;
}

/** The filter token `name:value`. */
export function filterToken(name, value) {
  return `${name}:${quoteValue(value)}`;
}

/** The query with `tok` toggled: removed when present (as is or negated),
 * else appended; `negate` appends `-tok`. */
export function toggle(q, tok, negate) {
  const ts = tokens(q);
  const want = negate ? `-${tok}` : tok;
  const present = ts.filter((t) => t === tok || t === `-${tok}`);
  let rest = ts.filter((t) => t !== tok && t !== `-${tok}`);
  if (!present.includes(want)) rest = rest.concat([want]);
  return rest.join(" ");
}

/** The query without token `tok`. */
export function without(q, tok) {
  return tokens(q).filter((t) => t !== tok).join(" ");
}

/** "on", "off" (negated) or "" for filter `tok` in `q`. */
export function state(q, tok) {
  const ts = tokens(q);
  if (ts.includes(tok)) return "on";
  if (ts.includes(`-${tok}`)) return "off";
  return "";
}

/** The address of a search, keeping the sort order. */
export function searchUrl(q, sort) {
  const p = new URLSearchParams();
  if (q) p.set("q", q);
  if (sort && sort !== "relevance") p.set("sort", sort);
  return "/?" + p.toString();
}

/** Thai digits as Arabic ones (one code unit for one). */
export function arabicDigits(s) {
  return String(s).replace(/[๐-๙]/g, (d) => String(d.charCodeAt(0) - 0x0e50));
}

/** The last day of a CE month `YYYY-MM`. */
export function monthRange(ym) {
  const [y, m] = ym.split("-").map((x) => parseInt(x, 10));
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return `${ym}-01..${ym}-${String(last).padStart(2, "0")}`;
}

// ---- API -----------------------------------------------------------------

/** GETs `url` as JSON: `{ok, status, body}`; a failed fetch or a body
 * that is not JSON becomes an error body. */
export async function api(url, init) {
  try {
    const resp = await fetch(url, init);
    let body;
    try { body = await resp.json(); } catch (_) { body = { error: resp.statusText || "bad answer" }; }
    return { ok: resp.ok, status: resp.status, body };
  } catch (e) {
    return { ok: false, status: 0, body: { error: String(e) } };
  }
}

/** The path of document `id`'s page (with the query, to mark its matches). */
export function docUrl(id, q) {
  const base = "/doc/" + encodeURIComponent(id);
  return q ? `${base}?${new URLSearchParams({ q })}` : base;
}

/** The path of an order's page. */
export function orderUrl(number) {
  return "/order/" + String(number).split("/").map(encodeURIComponent).join("/");
}

/** An error message box. */
export function errorNode(message) {
  const p = el("p", message, "error");
  p.setAttribute("role", "alert");
  return p;
}

const PROVINCES_SHOWN = 8;

/** A list item for a hit: title link, type, date (BE and CE), provinces,
 * snippet. */
export function hitNode(h, q) {
  const li = el("li", null, "hit");
  li.dataset.id = h.id;
  const title = link(docUrl(h.id, q), h.title || h.source, "title");
  const meta = el("div", null, "meta");
  meta.append(el("span", TYPE_TH[h.type] || h.type, `type t-${h.type}`),
    el("span", dateText(h.date), "date"));
  const provinces = h.provinces || [];
  for (const p of provinces.slice(0, PROVINCES_SHOWN)) {
    meta.append(link(searchUrl(filterToken("province", p)), p, "prov"));
  }
  if (provinces.length > PROVINCES_SHOWN) {
    const rest = el("span", `+${provinces.length - PROVINCES_SHOWN} จังหวัด`, "more-prov");
    rest.title = provinces.slice(PROVINCES_SHOWN).join(", ");
    meta.append(rest);
  }
  li.append(title, meta);
  if (h.snippet) li.append(snippetNode(h.snippet));
  return li;
}
