"""Where a benchmark ran: CPU model, vector extensions, cores, load, and numba's code target.

Every benchmark table prints :func:`describe` above it, so a figure never travels without the
machine it was taken on. A figure that holds only with AVX-512 misleads a reader on an AVX2 machine,
so numba can be told to compile for an AVX2-only CPU on an AVX-512 host:

    eval "$(uv run python benchmarks/_machine.py --avx2-env)"   # then run any benchmark

sets ``NUMBA_CPU_NAME`` (Zen 3, the last AMD core without AVX-512) and ``NUMBA_CPU_FEATURES`` (the
host's features with every AVX-512 extension turned off). numpy's own kernels still use what the
host has (its dispatch is at run time), so the numpy peer is, if anything, favoured.

Run ``uv run python benchmarks/_machine.py`` to print the description line alone.
"""

from __future__ import annotations

import os
import platform
import sys

AVX2_CPU_NAME = "znver3"
_WIDE_PREFIXES = ("avx512", "avx10", "amx-avx512")


def cpu_model() -> str:
    """``/proc/cpuinfo``'s model name, with family and model (a hypervisor may hide the rest)."""
    fields: dict[str, str] = {}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    break  # the first processor is enough
                key, _, value = line.partition(":")
                fields[key.strip()] = value.strip()
    except OSError:
        pass
    name = fields.get("model name") or platform.processor() or platform.machine()
    if "cpu family" in fields and "model" in fields:
        name += f" (family {fields['cpu family']}, model {fields['model']})"
    return name


def cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def vector_extensions(flags: set[str] | None = None) -> str:
    """``AVX2, FMA, AVX-512F`` style, from the kernel's view of the CPU."""
    flags = cpu_flags() if flags is None else flags
    names = [("avx2", "AVX2"), ("fma", "FMA"), ("avx512f", "AVX-512F")]
    present = [label for flag, label in names if flag in flags]
    return ", ".join(present) if present else "no AVX2"


def numba_target() -> str:
    """The CPU numba compiles for, and whether AVX-512 is in its feature set."""
    import llvmlite.binding as ll

    name = os.environ.get("NUMBA_CPU_NAME") or ll.get_host_cpu_name()
    features = os.environ.get("NUMBA_CPU_FEATURES") or ll.get_host_cpu_features().flatten()
    wide = "+avx512f" in features.split(",")
    emulated = " (emulated via NUMBA_CPU_NAME/FEATURES)" if "NUMBA_CPU_NAME" in os.environ else ""
    return f"{name}, {'AVX-512' if wide else 'AVX2 only'}{emulated}"


def is_avx2_emulation() -> bool:
    return "-avx512f" in os.environ.get("NUMBA_CPU_FEATURES", "").split(",")


def describe() -> str:
    """One line: CPU, extensions, cores, load average now, numba's target."""
    load1, load5, _ = os.getloadavg()
    return (
        f"CPU: {cpu_model()} ({vector_extensions()}), {os.cpu_count()} cores, "
        f"load average {load1:.1f} (5 min {load5:.1f}); numba target: {numba_target()}"
    )


def avx2_environment() -> dict[str, str]:
    """Environment variables that make numba compile for an AVX2-only CPU on this host."""
    import llvmlite.binding as ll

    features = []
    for feature in ll.get_host_cpu_features().flatten().split(","):
        if feature[1:].startswith(_WIDE_PREFIXES):
            feature = "-" + feature[1:]
        features.append(feature)
    return {"NUMBA_CPU_NAME": AVX2_CPU_NAME, "NUMBA_CPU_FEATURES": ",".join(features)}


def main(argv: list[str]) -> None:
    if "--avx2-env" in argv:
        for name, value in avx2_environment().items():
            print(f"export {name}='{value}'")
        return
    print(describe())


if __name__ == "__main__":
    main(sys.argv[1:])
