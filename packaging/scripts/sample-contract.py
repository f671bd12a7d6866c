#!/usr/bin/env python3
"""Writes a one-page A4 contract as a PDF (text, a signature line), for the Sign pane's screenshot.

Usage: packaging/scripts/sample-contract.py OUT.pdf   (Python 3 alone: the PDF is written by hand, Helvetica text)
"""
import sys

lines = [
    (72, 770, 18, "Service Agreement"),
    (72, 740, 10, "Between Northwind Letterpress Ltd. (the Client) and Ada Lovelace (the Contractor)."),
]
body = [
    "1. The Contractor will restore and digitise the Client's archive of 1,200 engraved plates,",
    "   delivering cleaned scans at 600 dpi in PNG format, one file per plate.",
    "2. Work begins on 4 January 2027 and ends no later than 30 April 2027.",
    "3. The Client pays 18 EUR per plate, invoiced monthly for the plates delivered.",
    "4. Either party may end this agreement with 30 days' notice in writing.",
    "5. Scans, notes and the plates themselves remain the property of the Client.",
    "6. This agreement is governed by the law of the place where the Client is registered.",
]
y = 700
for t in body:
    lines.append((72, y, 10, t))
    y -= 18
lines += [
    (72, 470, 10, "Signed on behalf of the Client"),
    (320, 470, 10, "Signed by the Contractor"),
    (72, 380, 9, "Name: M. Northwind, Director"),
    (320, 380, 9, "Name: Ada Lovelace"),
    (72, 366, 9, "Date: 2 December 2026"),
    (320, 366, 9, "Date:"),
]


def esc(s):
    return s.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


content = "".join(f"BT /F1 {size} Tf {x} {yy} Td ({esc(t)}) Tj ET\n" for x, yy, size, t in lines)
content += "0.5 w 72 395 m 272 395 l S 320 395 m 520 395 l S\n"  # the two signature lines
objs = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Contents 4 0 R "
    "/Resources << /Font << /F1 5 0 R >> >> >>",
    f"<< /Length {len(content.encode('latin-1'))} >>\nstream\n{content}endstream",
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
]
out = bytearray(b"%PDF-1.4\n")
offsets = []
for i, o in enumerate(objs, 1):
    offsets.append(len(out))
    out += f"{i} 0 obj\n{o}\nendobj\n".encode("latin-1")
xref = len(out)
out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
for off in offsets:
    out += f"{off:010d} 00000 n \n".encode()
out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
with open(sys.argv[1], "wb") as f:
    f.write(out)
