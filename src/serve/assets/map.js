// Map of Thailand's 77 provinces shaded by hit count; a click filters by
// the province (a second click removes the filter). The shapes are the
// vendored `thailand.svg` of @svg-maps/thailand (CC BY 4.0, see
// thailand-SOURCE.md), parsed here and inserted as SVG elements.

import { el, link, num, filterToken, toggle, state, searchUrl } from "./util.js";

/** Path id in thailand.svg → the province's canonical Thai name
 * (dictionaries/provinces.tsv). */
export const PROVINCE_IDS = {
  bkk: "กรุงเทพมหานคร", spk: "สมุทรปราการ", nbi: "นนทบุรี", pte: "ปทุมธานี",
  aya: "พระนครศรีอยุธยา", atg: "อ่างทอง", lri: "ลพบุรี", sbr: "สิงห์บุรี", cnt: "ชัยนาท",
  sri: "สระบุรี", cbi: "ชลบุรี", ryg: "ระยอง", cti: "จันทบุรี", trt: "ตราด",
  cco: "ฉะเชิงเทรา", pri: "ปราจีนบุรี", nyk: "นครนายก", skw: "สระแก้ว",
  nma: "นครราชสีมา", brm: "บุรีรัมย์", srn: "สุรินทร์", ssk: "ศรีสะเกษ",
  ubn: "อุบลราชธานี", yst: "ยโสธร", cpm: "ชัยภูมิ", acr: "อำนาจเจริญ", bkn: "บึงกาฬ",
  nbp: "หนองบัวลำภู", kkn: "ขอนแก่น", udn: "อุดรธานี", lei: "เลย", nki: "หนองคาย",
  mkm: "มหาสารคาม", ret: "ร้อยเอ็ด", ksn: "กาฬสินธุ์", snk: "สกลนคร", npm: "นครพนม",
  mdh: "มุกดาหาร", cmi: "เชียงใหม่", lpn: "ลำพูน", lpg: "ลำปาง", utd: "อุตรดิตถ์",
  pre: "แพร่", nan: "น่าน", pyo: "พะเยา", cri: "เชียงราย", msn: "แม่ฮ่องสอน",
  nsn: "นครสวรรค์", uti: "อุทัยธานี", kpt: "กำแพงเพชร", tak: "ตาก", sti: "สุโขทัย",
  plk: "พิษณุโลก", pct: "พิจิตร", pnb: "เพชรบูรณ์", rbr: "ราชบุรี", kri: "กาญจนบุรี",
  spb: "สุพรรณบุรี", npt: "นครปฐม", skn: "สมุทรสาคร", skm: "สมุทรสงคราม",
  pbi: "เพชรบุรี", pkn: "ประจวบคีรีขันธ์", nrt: "นครศรีธรรมราช", kbi: "กระบี่",
  pna: "พังงา", pkt: "ภูเก็ต", sni: "สุราษฎร์ธานี", rng: "ระนอง", cpn: "ชุมพร",
  ska: "สงขลา", stn: "สตูล", trg: "ตรัง", plg: "พัทลุง", ptn: "ปัตตานี", yla: "ยะลา",
  nwt: "นราธิวาส",
};

const SVG_NS = "http://www.w3.org/2000/svg";
let shapes = null;

/** The parsed map, fetched once. */
async function loadShapes() {
  if (!shapes) {
    shapes = fetch("/assets/thailand.svg")
      .then((r) => (r.ok ? r.text() : Promise.reject(new Error(r.statusText))))
      .then((t) => new DOMParser().parseFromString(t, "image/svg+xml"));
  }
  return shapes;
}

/** A colour from pale to deep red for `count` of at most `max`. */
function shade(count, max) {
  if (!count) return "#eeeae2";
  const t = max > 1 ? Math.log(count) / Math.log(max) : 1;
  const lerp = (a, b) => Math.round(a + (b - a) * t);
  return `rgb(${lerp(253, 165)},${lerp(219, 15)},${lerp(160, 21)})`;
}

/** Draws the map into `box` from province facet values `[{value, count}]`. */
export async function renderMap(box, values, q, sort) {
  const counts = new Map(values.map((f) => [f.value, f.count]));
  box.replaceChildren(el("h3", "แผนที่จังหวัด (map)"));
  let doc;
  try {
    doc = await loadShapes();
  } catch (e) {
    box.append(el("p", `แผนที่ไม่พร้อม (${e})`, "error"));
    return;
  }
  const src = doc.documentElement;
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", src.getAttribute("viewBox") || "0 0 560 1025");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", "แผนที่ประเทศไทยรายจังหวัด แรเงาตามจำนวนเอกสาร");
  const max = Math.max(1, ...values.map((f) => f.count));
  for (const p of src.querySelectorAll("path")) {
    const id = p.getAttribute("id");
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", p.getAttribute("d") || "");
    const name = PROVINCE_IDS[id];
    if (!name) {
      path.setAttribute("class", "water");
      svg.append(path);
      continue;
    }
    const count = counts.get(name) || 0;
    const tok = filterToken("province", name);
    const st = state(q, tok);
    path.setAttribute("id", `prov-${id}`);
    path.setAttribute("class", `prov ${st}${count ? " has" : ""}`);
    path.setAttribute("fill", shade(count, max));
    path.dataset.province = name;
    path.dataset.count = String(count);
    const title = document.createElementNS(SVG_NS, "title");
    title.textContent = `${name}: ${num(count)} เอกสาร`;
    path.append(title);
    // A link for the keyboard too: Tab reaches it, Enter or Space follows it.
    path.setAttribute("tabindex", "0");
    path.setAttribute("role", "link");
    path.setAttribute("aria-label", title.textContent);
    const go = () => { window.location.href = searchUrl(toggle(q, tok, false), sort); };
    path.addEventListener("click", go);
    path.addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" || ev.key === " ") { ev.preventDefault(); go(); }
    });
    svg.append(path);
  }
  // Selected provinces drawn last so their outline is on top.
  for (const p of svg.querySelectorAll("path.on")) svg.append(p);
  box.append(svg);
  const legend = el("p", null, "legend");
  legend.append(el("span", "น้อย", "lo"), el("span", null, "ramp"), el("span", `มาก (${num(max)})`, "hi"));
  box.append(legend);
  const credit = el("p", null, "credit");
  credit.append(document.createTextNode("แผนที่: "),
    link("/assets/thailand-SOURCE.md", "@svg-maps/thailand"),
    document.createTextNode(" · "), link("/assets/thailand-LICENSE.md", "CC BY 4.0"));
  box.append(credit);
}
