"""Writes a folder tree of class folders as WebDataset tar shards with Python's tarfile (an independent
writer), in the imagenet-1k-wds layout: per image the members <key>.<ext> (the file's bytes), <key>.cls (the
class index: sorted class folders, as ImageFolder numbers them) and <key>.json; the key is <class>_<stem>.
Images go round-robin over the shards in sorted order. Also writes OUT/classes.txt and OUT/extracted/, the
shards' images extracted as a user would, to <class name>/<key>.<ext>.
usage: write_tar_shards.py TREE OUT SHARDS [--corrupt KEY] [--bad-cls KEY] [--truncate-last]
  --corrupt KEY    adds to shard 0 a sample KEY whose image member is not an image
  --bad-cls KEY    adds to shard 0 a sample KEY (a copy of the first image) whose .cls is not a number
  --truncate-last  cuts the last shard inside its last image's data"""
import io
import json
import os
import sys
import tarfile

tree, out, shards = sys.argv[1], sys.argv[2], int(sys.argv[3])
args = sys.argv[4:]
classes = sorted(d for d in os.listdir(tree) if os.path.isdir(os.path.join(tree, d)))
files = []
for c in classes:
    for name in sorted(os.listdir(os.path.join(tree, c))):
        files.append((c, name))
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, 'classes.txt'), 'w') as f:
    f.write(''.join(c + '\n' for c in classes))


def add(tar, name, data):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


os.makedirs(os.path.join(out, 'tars'), exist_ok=True)
paths = [os.path.join(out, 'tars', 'part-%d.tar' % i) for i in range(shards)]
tars = [tarfile.open(p, 'w', format=tarfile.USTAR_FORMAT) for p in paths]
last_image = {}
for i, (c, name) in enumerate(files):
    stem, ext = os.path.splitext(name)
    with open(os.path.join(tree, c, name), 'rb') as f:
        data = f.read()
    key = c + '_' + stem
    t = tars[i % shards]
    add(t, key + ext, data)
    last_image[i % shards] = (key + ext, len(data))
    add(t, key + '.cls', str(classes.index(c)).encode())
    add(t, key + '.json', json.dumps({'class': c}).encode())
    os.makedirs(os.path.join(out, 'extracted', c), exist_ok=True)
    with open(os.path.join(out, 'extracted', c, key + ext), 'wb') as f:
        f.write(data)
if '--corrupt' in args:
    key = args[args.index('--corrupt') + 1]
    add(tars[0], key + '.jpg', b'this is not a JPEG')
    add(tars[0], key + '.cls', b'0')
if '--bad-cls' in args:
    key = args[args.index('--bad-cls') + 1]
    c, name = files[0]
    with open(os.path.join(tree, c, name), 'rb') as f:
        add(tars[0], key + '.jpg', f.read())
    add(tars[0], key + '.cls', b'zero')
for t in tars:
    t.close()
if '--truncate-last' in args:
    path = paths[-1]
    member, size = last_image[shards - 1]
    with tarfile.open(path) as t:
        offset = t.getmember(member).offset_data
    with open(path, 'r+b') as f:
        f.truncate(offset + size // 2)
print(json.dumps({'tars': paths, 'classes': classes}))
