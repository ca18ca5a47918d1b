// The batch page (`/batch`): many queries at once (pasted, or a text/CSV
// file whose first column is the query), a table of counts per line with
// links, and the table as CSV.

import { $, el, link, num, searchUrl, api, errorNode } from "./util.js";

/** A CSV field, quoted when needed. */
function csvField(v) {
  const s = v === null || v === undefined ? "" : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, "\"\"")}"` : s;
}

export function batchPage(view) {
  view.className = "batch-view";
  document.title = "ค้นหาหลายรายการ · สารบรรณ";
  view.append(el("h1", "ค้นหาหลายรายการ (batch search)"));
  view.append(el("p", "หนึ่งคำค้นต่อบรรทัด หรือไฟล์ CSV ที่คอลัมน์แรกเป็นคำค้น — เช่น เลขคำสั่ง 200 รายการ หรือรายชื่อบุคคล บรรทัดที่ผิดจะแจ้งข้อผิดพลาดของบรรทัดนั้น ส่วนบรรทัดอื่นยังค้นต่อ", "muted"));
  const form = el("form", null, "batch");
  form.id = "batch-form";
  const area = el("textarea");
  area.id = "batch-input";
  area.rows = 10;
  area.spellcheck = false;
  area.placeholder = "order:2/2566\nprovince:เชียงใหม่\n\"แผนสิทธิมนุษยชนแห่งชาติ\"";
  area.setAttribute("aria-label", "คำค้น หนึ่งบรรทัดต่อหนึ่งคำค้น (one query per line)");
  const file = el("input");
  file.type = "file";
  file.id = "batch-file";
  file.accept = ".txt,.csv,text/plain,text/csv";
  file.addEventListener("change", async () => {
    const f = file.files && file.files[0];
    if (f) area.value = await f.text();
  });
  const fileLabel = el("label", "หรืออัปโหลดไฟล์ (upload .txt/.csv): ");
  fileLabel.append(file);
  const run = el("button", "ค้นหาทั้งหมด (run)");
  run.type = "submit";
  run.id = "batch-run";
  form.append(area, el("br"), fileLabel, run);
  const status = el("p", null, "status");
  status.id = "batch-status";
  status.setAttribute("role", "status");
  const out = el("div");
  out.id = "batch-results";
  view.append(form, status, out);

  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    run.disabled = true;
    status.textContent = "กำลังค้น… (running)";
    out.replaceChildren();
    const r = await api("/api/v1/batch", {
      method: "POST",
      headers: { "content-type": "text/plain; charset=utf-8" },
      body: area.value,
    });
    run.disabled = false;
    if (!r.ok) { status.replaceChildren(errorNode(r.body.error || `HTTP ${r.status}`)); return; }
    const lines = Array.isArray(r.body) ? r.body : (r.body.lines || []);
    const bad = lines.filter((l) => l.error).length;
    status.textContent = `${num(lines.length)} คำค้น` + (bad ? ` · ผิดพลาด ${num(bad)} บรรทัด` : "");
    out.append(table(lines), download(lines));
  });
}

function table(lines) {
  const t = el("table", null, "batch-table");
  t.id = "batch-table";
  const head = el("tr");
  for (const h of ["บรรทัด (line)", "คำค้น (query)", "จำนวนเอกสาร (total)"]) head.append(el("th", h));
  t.append(el("thead"));
  t.tHead.append(head);
  const body = el("tbody");
  for (const l of lines) {
    const tr = el("tr", null, l.error ? "bad" : "");
    tr.append(el("td", l.line, "num"));
    const q = el("td");
    q.append(l.error ? el("span", l.query) : link(searchUrl(l.query), l.query));
    tr.append(q);
    tr.append(l.error ? el("td", l.error, "error") : el("td", num(l.total), "num total"));
    body.append(tr);
  }
  t.append(body);
  return t;
}

function download(lines) {
  const rows = [["line", "query", "total", "error"]].concat(
    lines.map((l) => [l.line, l.query, l.error ? "" : l.total, l.error || ""]));
  // BOM first, so spreadsheet programs read the Thai as UTF-8.
  const csv = "\ufeff" + rows.map((r) => r.map(csvField).join(",")).join("\r\n") + "\r\n";
  const a = link(URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" })),
    "ดาวน์โหลดตารางเป็น CSV (download CSV)", "download");
  a.id = "batch-csv";
  a.setAttribute("download", "saraban-batch.csv");
  const p = el("p");
  p.append(a);
  return p;
}
