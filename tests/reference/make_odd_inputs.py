"""Writes a content tree and a styles tree of odd but legal inputs, and of broken ones, for the CLI tests
(tests/test_odd_input.cpp): colour modes, a mislabelled format, EXIF rotation, extensions in any case,
awkward names, a deep tree, symlinks (one a cycle), a folder named like an image, bad files.
usage: make_odd_inputs.py DIR   (writes DIR/content, DIR/styles and DIR/outside)"""
import os
import sys

from PIL import Image

root = sys.argv[1]
content = os.path.join(root, 'content')
styles = os.path.join(root, 'styles')
outside = os.path.join(root, 'outside')


def picture(w, h, mode='RGB', seed=0):
    """A smooth gradient with some structure, so every output is a real image."""
    im = Image.new('RGB', (w, h))
    im.putdata([((x * 7 + seed) % 256, (y * 11 + seed * 3) % 256, ((x + y) * 5) % 256)
                for y in range(h) for x in range(w)])
    return im.convert(mode)


def save(im, *parts, **kwargs):
    path = os.path.join(*parts)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    im.save(path, **kwargs)


save(picture(48, 40, 'CMYK'), content, 'cmyk.jpg', format='JPEG')
save(picture(40, 32, 'L'), content, 'gray.jpg', format='JPEG')
save(picture(36, 30), content, 'png_named.JPEG', format='PNG')
exif = Image.Exif()
exif[0x0112] = 6  # orientation: rotate 90 to display; the stored image is 64x40
save(picture(64, 40), content, 'exif_rotated.jpg', format='JPEG', exif=exif)
save(picture(30, 34, 'RGBA'), content, 'rgba.png', format='PNG')
save(picture(52, 44), content, 'progressive.jpg', format='JPEG', progressive=True)
save(picture(32, 32, seed=1), content, 'UPPER.JPG', format='JPEG')
save(picture(32, 32, seed=2), content, 'Mixed.JpEg', format='JPEG')
save(picture(32, 32, seed=3), content, 'with space.jpg', format='JPEG')
save(picture(32, 32, seed=4), content, 'ünïcödé 猫.jpg', format='JPEG')
save(picture(32, 32, seed=5), content, *[f'd{i:02d}' for i in range(1, 31)], 'leaf.jpg', format='JPEG')
save(picture(32, 32, seed=6), content, 'real', 'inside.jpg', format='JPEG')
save(picture(32, 32, seed=7), content, 'folder.jpg', 'inner.jpg', format='JPEG')
save(picture(32, 32, seed=8), outside, 'far.jpg', format='JPEG')
save(picture(5, 5), content, 'tiny.jpg', format='JPEG')
os.symlink('real', os.path.join(content, 'alias'))  # the same folder twice: its files once
os.symlink(os.path.join('..', 'outside'), os.path.join(content, 'linked'))  # a folder outside the tree
os.makedirs(os.path.join(content, 'loop'))
os.symlink('..', os.path.join(content, 'loop', 'back'))  # a cycle: back to the content root
with open(os.path.join(content, 'empty.jpg'), 'wb'):
    pass
with open(os.path.join(content, 'garbage.png'), 'wb') as f:
    f.write(b'this is not a PNG at all\n' * 10)
good = os.path.join(root, 'good.jpg')
picture(40, 40).save(good, format='JPEG')
with open(good, 'rb') as f:
    data = f.read()
with open(os.path.join(content, 'truncated.jpg'), 'wb') as f:
    f.write(data[:len(data) // 3])
os.remove(good)

save(picture(40, 40, seed=9), styles, 'paint_a.jpg', format='JPEG')
save(picture(44, 40, 'CMYK', seed=10), styles, 'paint_b.jpg', format='JPEG')
with open(os.path.join(styles, 'unreadable.jpg'), 'wb') as f:
    f.write(b'\xff\xd8\xff not really a JPEG')
