#!/usr/bin/env python3
"""The library's folders depend only down the data flow (docs/ARCHITECTURE.md, "Dependencies point down
the flow"): every `#include "sinforge/<folder>/..."` in lib/ names its own folder or one the folder may use.

  check_layers.py SOURCE_DIR      exit 0 when every include is allowed, else 1 with each offending line
  check_layers.py --self-test     checks that the rule refuses an include that goes back up
"""
import pathlib
import re
import sys

# Each folder and the folders it may include (besides its own). The order is the flow:
# core <- weights, image <- plan <- model <- output <- records <- pipeline, derive <- tools.
BELOW = {
    "core": set(),
    "weights": {"core"},
    "image": {"core"},
    "plan": {"core", "weights", "image"},
    "model": {"core", "weights", "image", "plan"},
    "output": {"core", "weights", "image", "plan", "model"},
    "records": {"core", "weights", "image", "plan", "model", "output"},
    "pipeline": {"core", "weights", "image", "plan", "model", "output", "records"},
    "derive": {"core", "weights", "image", "plan", "output", "records"},  # no network
    "shape_bias": {"core", "image"},
    "tools": {"core", "weights", "image", "plan", "model", "output", "records", "pipeline", "derive",
              "shape_bias"},
}
INCLUDE = re.compile(r'^\s*#\s*include\s+"sinforge/(\w+)/', re.M)


def offences(folder, text):
    """The folders `text` (a file of `folder`) includes but may not."""
    return [m.group(1) for m in INCLUDE.finditer(text)
            if m.group(1) != folder and m.group(1) not in BELOW.get(folder, set())]


def check(source_dir):
    lib = pathlib.Path(source_dir) / "lib"
    problems = []
    for root in (lib / "include" / "sinforge", lib / "src"):
        for path in sorted(root.rglob("*")):
            if path.suffix not in (".h", ".cpp", ".cu", ".in") or not path.is_file():
                continue
            folder = path.relative_to(root).parts[0]
            if folder not in BELOW:
                problems.append(f"{path}: folder {folder} is not in the layer table (tests/layering)")
                continue
            for bad in offences(folder, path.read_text(errors="replace")):
                problems.append(f"{path}: {folder}/ includes sinforge/{bad}/, a later stage")
    return problems


def self_test():
    assert offences("plan", '#include "sinforge/pipeline/run.h"\n') == ["pipeline"]
    assert offences("output", '#include "sinforge/records/records.h"\n#include "sinforge/core/log.h"\n') == ["records"]
    assert offences("derive", '#include "sinforge/model/network.h"\n') == ["model"]
    assert offences("pipeline", '#include "sinforge/records/records.h"\n#include "sinforge/pipeline/run.h"\n') == []
    assert offences("image", '// #include "sinforge/plan/scan.h" in a comment is no include\n') == []


if __name__ == "__main__":
    if sys.argv[1:] == ["--self-test"]:
        self_test()
        print("ok")
        sys.exit(0)
    found = check(sys.argv[1])
    print("\n".join(found) if found else "every include points down the flow")
    sys.exit(1 if found else 0)
