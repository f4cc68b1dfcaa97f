"""Checks the built CUDA kernels against LibTorch's own architecture list.

    python check_kernel_architectures.py <libsinforge_kernels.a> <sinforge binary>

Reads the objects with cuobjdump (the CUDA toolkit's on PATH, else the copy inside the triton wheel that comes
with torch) and fails when one of LibTorch's architectures (torch._C._cuda_getArchFlags()) has no cubin in
every kernel object, when the newest has no PTX, or when `sinforge info --json` reports another list than the
objects hold. Run by CTest (kernel_architectures) whenever the kernels are built.
"""

import json
import os
import re
import shutil
import subprocess
import sys


def cuobjdump() -> str:
    found = shutil.which("cuobjdump")
    if found:
        return found
    try:
        import triton  # noqa: F401  (torch's dependency; carries NVIDIA's cuobjdump)

        candidate = os.path.join(os.path.dirname(triton.__file__), "backends", "nvidia", "bin", "cuobjdump")
        if os.access(candidate, os.X_OK):
            return candidate
    except ImportError:
        pass
    sys.exit("FAIL: no cuobjdump: neither the CUDA toolkit's on PATH nor triton's in this Python")


def libtorch_architectures() -> list[int]:
    import torch

    flags = torch._C._cuda_getArchFlags()
    return sorted({int(m) for m in re.findall(r"\bsm_(\d+)\b", flags)})


def per_object(tool: str, archive: str, flag: str, suffix: str) -> dict[str, set[int]]:
    """{kernel object: {architecture, ...}} from cuobjdump --list-elf / --list-ptx of the archive, whose
    listing names each member ("member ...a:adain.cu.o:") before that member's files ("... .sm_75.cubin")."""
    out = subprocess.run([tool, flag, archive], check=True, capture_output=True, text=True).stdout
    found: dict[str, set[int]] = {}
    member = os.path.basename(archive)
    for line in out.splitlines():
        m = re.match(r"member .*:([^:/]+)\.o:$", line.strip())
        if m:
            member = m.group(1)
            continue
        m = re.search(r"\.sm_(\d+)\." + suffix + r"$", line.strip())
        if m:
            found.setdefault(member, set()).add(int(m.group(1)))
    return found


def main() -> None:
    archive, cli = sys.argv[1], sys.argv[2]
    tool = cuobjdump()
    wanted = libtorch_architectures()
    cubins = per_object(tool, archive, "--list-elf", "cubin")
    ptx = per_object(tool, archive, "--list-ptx", "ptx")
    failures = []
    if not cubins:
        failures.append(f"no cubin at all in {archive}")
    for obj, archs in sorted(cubins.items()):
        missing = [a for a in wanted if a not in archs]
        if missing:
            failures.append(f"{obj} has no cubin for " + ", ".join(f"sm_{a}" for a in missing) +
                            f" (LibTorch supports sm_{wanted}; built: {sorted(archs)})")
        if max(wanted) not in ptx.get(obj, set()):
            failures.append(f"{obj} has no PTX for compute_{max(wanted)} (PTX: {sorted(ptx.get(obj, set()))})")
    info = json.loads(subprocess.run([cli, "info", "--json"], check=True, capture_output=True, text=True).stdout)
    reported = sorted(int(a[3:]) for a in info["kernel_architectures"])
    held = sorted(set.intersection(*cubins.values())) if cubins else []
    if reported != held:
        failures.append(f"sinforge info reports sm_{reported}, the objects hold sm_{held}")
    print(f"cuobjdump: {tool}")
    print(f"LibTorch: sm_{wanted}; cubins per object: " +
          "; ".join(f"{o}: {sorted(a)}" for o, a in sorted(cubins.items())) +
          "; PTX: " + "; ".join(f"{o}: {sorted(a)}" for o, a in sorted(ptx.items())))
    if failures:
        print("FAIL:\n  " + "\n  ".join(failures))
        sys.exit(1)
    print("ok: every LibTorch architecture has a cubin in every kernel object, the newest its PTX")


if __name__ == "__main__":
    main()
