// The order page (`/order/2/2566`): the order itself when the index holds
// it, and every document citing it, by date.

import { $, el, link, num, filterToken, searchUrl, api, errorNode, hitNode, orderUrl } from "./util.js";
import { byDate } from "./doc.js";

export async function orderPage(view, number) {
  view.className = "order-view";
  const q = filterToken("order", number);
  $("q").value = q;
  document.title = `คำสั่ง ${number} · สารบรรณ`;
  const h1 = el("h1", `คำสั่ง/มติ ${number}`);
  h1.id = "order-title";
  view.append(h1);
  const r = await api(`/api/v1/orders/${String(number).split("/").map(encodeURIComponent).join("/")}`);
  if (!r.ok) { view.append(errorNode(r.body.error || `HTTP ${r.status}`)); return; }
  const b = r.body;
  if (b.number && b.number !== number) {
    history.replaceState(null, "", orderUrl(b.number));
    h1.textContent = `คำสั่ง/มติ ${b.number}`;
  }
  const n = b.number || number;
  const tools = el("p", null, "tools");
  tools.append(link(searchUrl(filterToken("order", n)), `ค้นหา order:${n}`), document.createTextNode(" · "),
    link(searchUrl(filterToken("number", n)), `ค้นหา number:${n}`), document.createTextNode(" · "),
    link(`/api/v1/export/all?${new URLSearchParams({ q: filterToken("order", n), format: "csv" })}`, "ส่งออก CSV"));
  view.append(tools);

  const own = el("section", null, "self");
  own.id = "self";
  own.append(el("h2", "ตัวคำสั่ง (the order)"));
  const self = b.self || [];
  if (self.length) {
    const ol = el("ol", null, "hits");
    for (const h of self) ol.append(hitNode(h, filterToken("number", n)));
    own.append(ol);
  } else {
    own.append(el("p", "ไม่มีตัวคำสั่งนี้ในคลัง มีเฉพาะเอกสารที่อ้างถึง (not in the index)", "muted"));
  }
  view.append(own);

  const citing = el("section", null, "cited-by");
  citing.id = "cited-by";
  const hits = byDate(b.cited_by || []);
  citing.append(el("h2", `เอกสารที่อ้างถึง ${num(hits.length)} ฉบับ เรียงตามวันที่ (cited by, by date)`));
  if (hits.length) {
    const ol = el("ol", null, "hits");
    for (const h of hits) ol.append(hitNode(h, q));
    citing.append(ol);
  } else {
    citing.append(el("p", "ไม่มีเอกสารที่อ้างถึง (none)", "muted"));
  }
  view.append(citing);
}
