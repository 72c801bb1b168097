"""Instruction counts under callgrind, for `gate_bench.py` and `render_bench.py`.

A bench re-runs itself under `valgrind --tool=callgrind --instr-atstart=no`
(`counted_totals`) with `--counted-inside DIR`; inside, `switch(DIR)` gives
the functions that zero the counts, switch the instrumentation on and off
and dump what was counted under a name (a small helper built with gcc from
valgrind's `callgrind.h`, called through ctypes; no-ops outside valgrind).
Instruction counts do not move with the machine's load, so they compare
code where wall and CPU times on a shared machine cannot.
"""

import ctypes
import os
import re
import subprocess
import sys
from pathlib import Path

_SWITCH_C = """
#include <valgrind/callgrind.h>
void counted_zero(void) { CALLGRIND_ZERO_STATS; }
void counted_on(void) { CALLGRIND_START_INSTRUMENTATION; }
void counted_off(void) { CALLGRIND_STOP_INSTRUMENTATION; }
void counted_dump(const char *name) { CALLGRIND_DUMP_STATS_AT(name); }
"""


def switch(directory):
    """(zero, on, off, dump): `dump(b"name")` writes what was counted since
    the last zero under that name."""
    source, library = Path(directory) / "switch.c", Path(directory) / "switch.so"
    source.write_text(_SWITCH_C)
    subprocess.run(
        ["gcc", "-O1", "-shared", "-fPIC", "-o", str(library), str(source)], check=True
    )
    lib = ctypes.CDLL(str(library))
    return lib.counted_zero, lib.counted_on, lib.counted_off, lib.counted_dump


def counted_totals(script: str, directory, *args: str) -> dict[str, int]:
    """Run `script --counted-inside directory *args` under callgrind and
    return the instructions of each named dump ({name: total})."""
    out = Path(directory) / "callgrind.out"
    subprocess.run(
        [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={out}",
            sys.executable,
            script,
            "--counted-inside",
            str(directory),
            *args,
        ],
        env={**os.environ, "PYTHONHASHSEED": "0"},
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    found = {}
    for dump in Path(directory).glob("callgrind.out*"):
        text = dump.read_text(errors="replace")
        name = re.search(r"^desc: Trigger: Client Request: (\w+)", text, re.M)
        total = re.search(r"^totals: (\d+)", text, re.M)
        if name and total:
            found[name.group(1)] = int(total.group(1))
    return found
