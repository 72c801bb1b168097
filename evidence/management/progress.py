"""A progress display for long-running commands.

On a terminal it redraws one line on stderr (``\\r``); otherwise, as under
cron or in a log, it writes one line per item so the log says how far a run
got.
"""

import sys


class Progress:
    def __init__(self, stream=None, *, verb: str = ""):
        self.stream = stream or sys.stderr
        self.verb = verb
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())
        self._drawn = False

    def __call__(self, step: int, total: int, label: str) -> None:
        width = 24
        filled = int(width * step / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        line = f"[{bar}] {step}/{total} {self.verb} {label}".rstrip()
        if self.tty:
            self.stream.write("\r" + line[:120].ljust(120))
            self._drawn = True
        else:
            self.stream.write(f"{step}/{total} {self.verb} {label}\n")
        self.stream.flush()

    def done(self) -> None:
        if self._drawn:
            self.stream.write("\n")
            self.stream.flush()
            self._drawn = False
