"""Reads a webdataset output folder the way training code would, independently of sinforge: every *.tar at
its top with Python's tarfile (and with the `webdataset` package when it is installed), samples grouped by
key as webdataset groups them (the member name up to the first dot of its last component). With a folder
tree as well, numbers its classes as torchvision's ImageFolder does (sorted sub-folder names) and hashes
its files, so that the caller can compare the two layouts.
usage: read_webdataset.py OUT_DIR [FOLDER_TREE]
prints JSON: {"samples": {key: {"tar", "ext", "cls", "json", "sha256", "members"}}, "repeated": [keys seen
twice], "classes": [classes.txt], "folder": {relative path: {"sha256", "cls"}}, "webdataset": count or null,
"dali_index": {tar: true, or why its .idx differs from what DALI's wds2idx writes}}"""
import hashlib
import json
import os
import sys
import tarfile

out = sys.argv[1]
samples, repeated = {}, []
for name in sorted(os.listdir(out)):
    if not name.endswith('.tar') or name.startswith('.'):
        continue
    seen_here = set()
    with tarfile.open(os.path.join(out, name)) as tar:
        for member in tar:
            base = member.name.rsplit('/', 1)[-1]
            key, ext = member.name[:len(member.name) - len(base)] + base.split('.', 1)[0], base.split('.', 1)[1]
            data = tar.extractfile(member).read()
            if key in samples and key not in seen_here:
                repeated.append(key)
                continue
            seen_here.add(key)
            s = samples.setdefault(key, {'tar': name, 'members': 0})
            s['members'] += 1
            if ext in ('jpg', 'png'):
                s['ext'], s['sha256'] = ext, hashlib.sha256(data).hexdigest()
            elif ext == 'cls':
                s['cls'] = int(data.decode())
            elif ext == 'json':
                s['json'] = json.loads(data)



def wds2idx(path):
    """DALI's index of a tar as its tools/wds2idx.py writes it (v1.2, the tarfile path: the data offset of
    every regular member, members grouped into samples by consecutive basename)."""
    samples_, last = [], None
    with tarfile.open(path) as tar:
        for member in tar:
            if member.type != tarfile.REGTYPE:
                continue
            dot = member.name.find('.', member.name.rfind('/') + 1)
            base, ext = member.name[:dot], member.name[dot + 1:]
            component = (ext, member.offset_data, member.size, member.name)
            if base != last:
                samples_.append([component])
                last = base
            else:
                samples_[-1].append(component)
    lines = [f'v1.2 {len(samples_)}'] + [' '.join(' '.join(map(str, c)) for c in s) for s in samples_]
    return '\n'.join(lines) + '\n'


# Per tar: whether its .idx is what wds2idx would write (or why not).
dali = {}
for name in sorted(os.listdir(out)):
    if name.endswith('.tar') and not name.startswith('.'):
        idx = os.path.join(out, name[:-4] + '.idx')
        if not os.path.exists(idx):
            dali[name] = 'no index'
            continue
        with open(idx) as f:
            written = f.read()
        expected = wds2idx(os.path.join(out, name))
        dali[name] = True if written == expected else f'written {written!r}, wds2idx {expected!r}'

result = {'samples': samples, 'repeated': repeated, 'webdataset': None, 'folder': {}, 'dali_index': dali}
with open(os.path.join(out, 'classes.txt')) as f:
    result['classes'] = f.read().splitlines()

try:
    import webdataset as wds
    urls = [os.path.join(out, n) for n in sorted(os.listdir(out)) if n.endswith('.tar') and not n.startswith('.')]
    result['webdataset'] = sum(1 for s in wds.WebDataset(urls, shardshuffle=False) if 'cls' in s and 'json' in s)
except ImportError:
    pass

if len(sys.argv) > 2:
    tree = sys.argv[2]
    # torchvision.datasets.folder.find_classes, without importing torchvision.
    classes = sorted(entry.name for entry in os.scandir(tree) if entry.is_dir())
    for index, cls in enumerate(classes):
        for root, _, files in os.walk(os.path.join(tree, cls)):
            for f in files:
                path = os.path.join(root, f)
                with open(path, 'rb') as fh:
                    digest = hashlib.sha256(fh.read()).hexdigest()
                result['folder'][os.path.relpath(path, tree)] = {'sha256': digest, 'cls': index}
print(json.dumps(result))
