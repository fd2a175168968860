#!/usr/bin/env python3
"""The `tinymlc report` page of a real model, rendered in headless Chromium.

    check_report.py TINYMLC MODEL.tflite OUT_DIR [CHROMIUM]

Writes OUT_DIR/report.html and OUT_DIR/report.png and checks:
  - the page is self-contained: no <script>, no external reference (src=, href=, url(),
    @import, http:/https:);
  - the memory plan's SVG has exactly one <rect class="buffer..."> per buffer of
    `tinymlc inspect --json` (the same facts), and the layer table one row per operator;
  - Chromium renders it (--headless --screenshot) into a PNG that is not blank: more than
    MIN_COLOURS distinct colours.
Prints "SKIPPED: ..." and exits 0 when Chromium is missing (scripts/install_deps.sh
installs the Debian package `chromium`).
"""
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import zlib

MIN_COLOURS = 20


def fail(msg):
    print("FAILED: " + msg)
    sys.exit(1)


def png_colours(path):
    """Distinct RGB(A) colours of an 8-bit non-interlaced PNG (what Chromium writes)."""
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        fail(path + " is not a PNG")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            width, height, depth, ctype, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or ctype not in (2, 6) or interlace:
                fail("unexpected PNG format (depth %d, colour type %d)" % (depth, ctype))
            bpp = 3 if ctype == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = zlib.decompress(idat)
    stride = width * bpp
    prev = bytearray(stride)
    colours = set()
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 255
            elif ftype == 2:
                line[i] = (line[i] + b) & 255
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, bpp):
            colours.add(bytes(line[x:x + 3]))
        prev = line
    return width, height, colours


def main():
    if len(sys.argv) < 4:
        fail(__doc__)
    tinymlc, model, out = sys.argv[1:4]
    chromium = sys.argv[4] if len(sys.argv) > 4 and sys.argv[4] else None
    if not os.path.exists(model):
        print("SKIPPED: no model %s (../shared missing)" % model)
        return
    os.makedirs(out, exist_ok=True)
    html_path = os.path.join(out, "report.html")
    png_path = os.path.join(out, "report.png")
    r = subprocess.run([tinymlc, "report", model, "-o", html_path], capture_output=True, text=True)
    if r.returncode != 0:
        fail("tinymlc report: " + r.stderr)
    print(r.stdout.strip())
    facts = json.loads(subprocess.run([tinymlc, "inspect", "--json", model], capture_output=True,
                                      text=True, check=True).stdout)
    html = open(html_path, encoding="ascii").read()

    for pattern in (r"<script", r"\bsrc\s*=", r"\bhref\s*=", r"url\(", r"@import", r"https?:"):
        if re.search(pattern, html, re.I):
            fail("the page is not self-contained: it matches %r" % pattern)
    svg = re.search(r'<svg id="memory-plan".*?</svg>', html, re.S)
    if not svg:
        fail("no memory-plan SVG")
    rects = re.findall(r'<rect class="buffer[^"]*"[^>]*><title>', svg.group(0))
    buffers = facts["memory_plan"]["buffers"]
    if len(rects) != len(buffers):
        fail("%d buffer rectangles for %d planned buffers" % (len(rects), len(buffers)))
    print("memory plan: %d rectangles, one per planned buffer" % len(rects))
    rows = re.findall(r"<tr(?: class=\"nocode\")?><td class=\"n\">", html)
    if len(rows) != len(facts["operators"]):
        fail("%d layer rows for %d operators" % (len(rows), len(facts["operators"])))
    if str(facts["totals"]["est_m4_cycles"]) not in html.replace("&#8201;", ""):
        fail("the page's cycle total is not inspect --json's")

    if chromium is None:
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        print("SKIPPED: chromium not found (Debian: apt-get install chromium; "
              "scripts/install_deps.sh installs it); the page was checked, not rendered")
        return
    if os.path.exists(png_path):
        os.remove(png_path)
    cmd = [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
           "--no-first-run", "--user-data-dir=" + os.path.join(out, "chromium-profile"),
           "--window-size=1280,1600", "--screenshot=" + png_path, "file://" + os.path.abspath(html_path)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if not os.path.exists(png_path):
        fail("chromium wrote no screenshot (status %d):\n%s" % (r.returncode, r.stderr[-2000:]))
    width, height, colours = png_colours(png_path)
    print("screenshot %s: %dx%d, %d distinct colours" % (png_path, width, height, len(colours)))
    if len(colours) <= MIN_COLOURS:
        fail("the screenshot looks blank (%d colours)" % len(colours))
    print("report ok")


if __name__ == "__main__":
    main()
