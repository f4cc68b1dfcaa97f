"""Reads a webdataset output folder the way training code would, independently of sinforge: every *.tar at
its top with Python's tarfile (and with the `webdataset` package when it is installed), samples grouped by
key as webdataset groups them (the member name up to the first dot of its last component). With a folder
tree as well, numbers its classes as torchvision's ImageFolder does (sorted sub-folder names) and hashes
its files, so that the caller can compare the two layouts.
usage: read_webdataset.py OUT_DIR [FOLDER_TREE]
prints JSON: {"samples": {key: {"tar", "ext", "cls", "json", "sha256", "members"}}, "repeated": [keys seen
twice], "classes": [classes.txt], "folder": {relative path: {"sha256", "cls"}}, "webdataset": count or null}"""
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

result = {'samples': samples, 'repeated': repeated, 'webdataset': None, 'folder': {}}
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
