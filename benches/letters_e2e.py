#!/usr/bin/python3
"""Scanned letters end to end: ingest 15 synthetic scans, then look each one up.

Makes 15 one-page letters with `scripts/ocr_bench_gen.py` (real body text,
TLWG fonts, Thai or Arabic digits) in the five forms archivists load: clean
PNG, speckled 200 dpi PNG, rotated noisy JPEG, two-page TIFF (group 4, the
second page a continuation) and image-only PDF. It ingests them into a fresh
index with the release binary and checks, for every letter:

- `docno:"NUMBER"` finds it (the `ที่` number as printed);
- a quoted phrase that crosses a printed line break finds it (the end of one
  body line joined to the start of the next line of the same paragraph, as a
  user copies it from the original text);
- its `doc_date` (`show --json`) is the letter's date line.

Prints one row per letter and the totals. Run with Debian's python3 (Pillow
with libraqm shapes Thai):

    cargo build --release --bin saraban
    /usr/bin/python3 benches/letters_e2e.py --seed 23

The seed picks the letters; the benchmark pages of `ocr_bench` use seeds 1
and 2, so any other seed is a set the OCR code was not tuned on.
"""

import argparse
import importlib.util
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
spec = importlib.util.spec_from_file_location("gen", os.path.join(ROOT, "scripts", "ocr_bench_gen.py"))
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)
from PIL import Image  # noqa: E402  (after the generator, which checks for Pillow)

FORMS = ["png_clean", "png_speckle", "jpg_rotated", "tiff_2page", "pdf_image"]
# Government-style faces first: Laksaman is the TH Sarabun look-alike.
FACES = ["Laksaman", "Laksaman", "Norasi", "Garuda", "Kinnari"]
THAI = set(chr(c) for c in range(0x0E01, 0x0E5C)) - set(gen.THAI_DIGITS)


def fonts():
    out = {}
    for name, file, pt in gen.FONTS:
        for d in gen.TLWG:
            p = os.path.join(d, file)
            if os.path.exists(p):
                out[name] = (p, pt)
                break
    return out


MARKS = set("\u0e31") | set(chr(c) for c in range(0x0E34, 0x0E3B)) | set(chr(c) for c in range(0x0E47, 0x0E4F))


def record_paragraphs():
    """Make the generator's pages remember each paragraph's printed lines."""
    para = gen.Page.para

    def recorded(self, *a, **k):
        lines = para(self, *a, **k)
        if not hasattr(self, "paragraphs"):
            self.paragraphs = []
        self.paragraphs.append(lines)
        return lines

    gen.Page.para = recorded


def crossing_phrase(rng, paragraphs):
    """The end of one printed line and the start of the next line of the same
    paragraph, Thai on both sides of the break, no spaces, 6–10 characters a
    side, starting on a base letter (as a user selects text); None when no
    pair qualifies."""
    pairs = []
    for lines in paragraphs:
        for a, b in zip(lines, lines[1:]):
            if not a or not b or a[-1] not in THAI or b[0] not in THAI:
                continue
            tail = a.split(" ")[-1][-10:]
            while tail and tail[0] in MARKS:
                tail = tail[1:]
            head = b.split(" ")[0][:10]
            if len(tail) >= 6 and len(head) >= 6:
                pairs.append(tail + head)
    return rng.choice(pairs) if pairs else None


def make(out, seed):
    fs = fonts()
    record_paragraphs()
    letters = []
    for i in range(15):
        rng = random.Random(seed * 7_919 + i)
        form = FORMS[i % len(FORMS)]
        face = FACES[(i // len(FORMS) + i) % len(FACES)]
        if face not in fs:
            sys.exit(f"font {face} missing (apt-get install fonts-thai-tlwg)")
        path, pt = fs[face]
        dpi = 200 if form in ("png_speckle", "tiff_2page") else 300
        for _ in range(20):
            pg, number, iso, _thai = gen.render(rng, "letter", path, pt, dpi)
            phrase = crossing_phrase(rng, getattr(pg, "paragraphs", []))
            if phrase:
                break
        else:
            sys.exit(f"letter {i}: no body line break between two Thai letters")
        img = pg.img
        base = f"{i:02d}_{form}_{face}_{dpi}"
        if form == "png_clean":
            file = base + ".png"
            img.save(os.path.join(out, file), "PNG", dpi=(dpi, dpi))
        elif form == "png_speckle":
            file = base + ".png"
            gen.degrade(rng, img, "speckle", dpi).save(os.path.join(out, file), "PNG", dpi=(dpi, dpi))
        elif form == "jpg_rotated":
            file = base + ".jpg"
            img = gen.degrade(rng, gen.degrade(rng, img, "skew", dpi), "jpeg", dpi)
            img.save(os.path.join(out, file), "JPEG", quality=60, dpi=(dpi, dpi))
        elif form == "tiff_2page":
            file = base + ".tif"
            # Page 2: the body and closing of another letter, its header blanked.
            pg2, _, _, _ = gen.render(rng, "letter", path, pt, dpi)
            p2 = pg2.img.copy()
            p2.paste(255, (0, 0, p2.width, int(p2.height * 0.3)))
            pages = [im.point(lambda v: 255 if v > 150 else 0).convert("1") for im in (img, p2)]
            pages[0].save(os.path.join(out, file), "TIFF", compression="group4", dpi=(dpi, dpi),
                          save_all=True, append_images=pages[1:])
        else:
            file = base + ".pdf"
            img = gen.degrade(rng, img, "jpeg", dpi)
            img.save(os.path.join(out, file), "PDF", resolution=dpi)
        letters.append({"file": file, "form": form, "face": face, "dpi": dpi, "number": number,
                        "date": iso, "phrase": phrase})
    with open(os.path.join(out, "letters.json"), "w", encoding="utf-8") as fh:
        json.dump(letters, fh, ensure_ascii=False, indent=1)
    return letters


def search(binary, index, query):
    r = subprocess.run([binary, "--index", index, "search", "--json", "--limit", "100", query],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return None, r.stderr.strip()
    hits = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    return hits, None


def doc_date(binary, index, path):
    """The document's date as `show --json` gives it (`None` when unknown)."""
    r = subprocess.run([binary, "--index", index, "show", "--json", path], capture_output=True, text=True)
    if r.returncode != 0:
        return None
    try:
        return json.loads(r.stdout).get("doc_date")
    except json.JSONDecodeError:
        return None


def found(hits, file):
    return next((h for h in hits or [] if os.path.basename(h.get("source", "")) == file), None)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=23)
    ap.add_argument("--bin", default=os.path.join(ROOT, "target", "release", "saraban"))
    ap.add_argument("--work", help="directory for the scans and the index (default: a temporary one)")
    args = ap.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="letters_e2e_")
    scans, index = os.path.join(work, "scans"), os.path.join(work, "index")
    shutil.rmtree(scans, ignore_errors=True)
    shutil.rmtree(index, ignore_errors=True)
    os.makedirs(scans)
    letters = make(scans, args.seed)
    ing = subprocess.run([args.bin, "--index", index, "ingest", "-q", scans], capture_output=True, text=True)
    print(f"ingest exit {ing.returncode}{': ' + ing.stderr.strip() if ing.returncode else ''}")
    totals = {"docno": 0, "phrase": 0, "date": 0, "all": 0}
    print("| letter | docno | phrase across a line break | date |")
    print("|---|---|---|---|")
    for L in letters:
        hits, err = search(args.bin, index, f'docno:"{L["number"]}"')
        by_no = found(hits, L["file"])
        hits, err2 = search(args.bin, index, f'"{L["phrase"]}"')
        by_phrase = found(hits, L["file"])
        date = doc_date(args.bin, index, os.path.join(scans, L["file"]))
        ok = {"docno": by_no is not None, "phrase": by_phrase is not None, "date": date == L["date"]}
        for k, v in ok.items():
            totals[k] += v
        totals["all"] += all(ok.values())
        mark = lambda b: "yes" if b else "**no**"  # noqa: E731
        print(f"| {L['file']} `{L['number']}` | {mark(ok['docno'])}{' ' + err if err else ''} "
              f"| {mark(ok['phrase'])} `{L['phrase']}`{' ' + err2 if err2 else ''} "
              f"| {mark(ok['date'])} {date} (truth {L['date']}) |")
    n = len(letters)
    print(f"\nfound by docno {totals['docno']}/{n}, by phrase {totals['phrase']}/{n}, "
          f"date right {totals['date']}/{n}, all three {totals['all']}/{n}")
    print(f"scans and index in {work}")


if __name__ == "__main__":
    main()
