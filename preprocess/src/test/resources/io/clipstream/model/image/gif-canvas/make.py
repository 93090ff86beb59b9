# Makes the GIFs of GifCanvasTest and Pillow 9.4's Image.open(f).convert("RGB") of each (raw RGB bytes, row-major):
#   /usr/bin/python3 make.py   (in this folder)
# A 6x4 frame at (3, 2) on an 11x9 logical screen whose background index is 2. Pillow fills the rest of the canvas
# with palette index 0, or with the transparency index when the frame has one; it ignores the background index.
import io
import struct

from PIL import Image


def frame_gif(transparency=None):
    im = Image.new("P", (6, 4))
    im.putpalette([200, 10, 10, 10, 200, 10, 10, 10, 200, 250, 250, 0] + [0] * (252 * 3))
    for y in range(4):
        for x in range(6):
            im.putpixel((x, y), (x + y) % 4)
    b = io.BytesIO()
    im.save(b, "GIF", optimize=False, **({} if transparency is None else {"transparency": transparency}))
    return bytearray(b.getvalue())


def on_screen(d, screen_width, screen_height, left, top, background):
    d[6:10] = struct.pack("<HH", screen_width, screen_height)
    d[11] = background
    p = 13 + (3 * (2 << (d[10] & 7)) if d[10] & 0x80 else 0)
    while d[p] == 0x21:  # extensions before the image descriptor
        p += 2
        while d[p]:
            p += d[p] + 1
        p += 1
    d[p + 1:p + 5] = struct.pack("<HH", left, top)
    return bytes(d)


for name, transparency in [("opaque", None), ("transparent", 3)]:
    gif = on_screen(frame_gif(transparency), 11, 9, 3, 2, 2)
    open(name + ".gif", "wb").write(gif)
    open(name + ".rgb", "wb").write(Image.open(io.BytesIO(gif)).convert("RGB").tobytes())
