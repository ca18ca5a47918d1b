// The web interface's entry point: picks the view from the address
// (`/`, `/doc/ID`, `/order/NUMBER`, `/batch`). The server sends the same
// static page for each; nothing of the request is written into it. The
// views read the API (/api/v1/search, /api/v1/documents/ID,
// /api/v1/orders/NUMBER, /api/v1/batch, /api/v1/export/KIND) and build the
// page with DOM calls: data is set with textContent, never parsed as HTML.

import { $, el, errorNode } from "./util.js";
import { searchPage } from "./search.js";
import { docPage } from "./doc.js";
import { orderPage } from "./order.js";
import { batchPage } from "./batch.js";

function decoded(s) {
  try { return decodeURIComponent(s); } catch (_) { return null; }
}

function route() {
  const view = $("view");
  const path = window.location.pathname;
  $("sort").addEventListener("change", () => {
    if ($("q").value.trim()) $("search").requestSubmit();
  });
  if (path === "/" || path === "") return searchPage(view);
  if (path === "/batch") return batchPage(view);
  let m;
  if ((m = /^\/doc\/(.+)$/.exec(path))) {
    const id = decoded(m[1]);
    if (id !== null) return docPage(view, id);
  }
  if ((m = /^\/order\/(.+)$/.exec(path))) {
    const number = decoded(m[1]);
    if (number !== null) return orderPage(view, number);
  }
  view.append(el("h1", "ไม่พบหน้านี้ (not found)"), errorNode(path));
  return null;
}

Promise.resolve(route()).finally(() => {
  // Lets tests and scripts know the view is drawn.
  document.body.dataset.ready = "1";
});
