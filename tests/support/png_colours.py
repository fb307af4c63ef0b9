#!/usr/bin/env python3
"""What a PNG shows, roughly: its size, how many colours, the share of the
most common one. Tells a picture of the board from a blank one (a GL back
buffer read after the present is all zeros). Standard library only.

  png_colours.py FILE   prints: WIDTH HEIGHT COLOURS TOP_SHARE TOP_RRGGBB
"""
import struct
import sys
import zlib
from collections import Counter


def pixels(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat, head = 8, b"", None
    while pos + 8 <= len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            head = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    if not head:
        raise ValueError("no IHDR")
    w, h, depth, colour, _, _, interlace = head
    channels = {2: 3, 6: 4}.get(colour)
    if depth != 8 or not channels or interlace:
        raise ValueError(f"only 8-bit RGB/RGBA, not interlaced (depth {depth}, type {colour})")
    raw, stride = zlib.decompress(idat), w * channels
    prev, rows = bytearray(stride), []
    for y in range(h):
        f, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if f == 1:
                line[i] = (line[i] + a) & 255
            elif f == 2:
                line[i] = (line[i] + b) & 255
            elif f == 3:
                line[i] = (line[i] + (a + b) // 2) & 255
            elif f == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        prev = line
    return w, h, Counter(bytes(r[i:i + 3]) for r in rows for i in range(0, stride, channels))


if __name__ == "__main__":
    w, h, colours = pixels(open(sys.argv[1], "rb").read())
    top, n = colours.most_common(1)[0]
    print(w, h, len(colours), f"{n / (w * h):.3f}", top.hex())
