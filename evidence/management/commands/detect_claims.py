"""``manage.py detect_claims PATH|-``: which sentences of a text make claims.

Writers and reviewers can run it on a draft before it goes into the editor to
see which sentences the publish gate will treat as claims needing a source.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evidence.analysis.claims import detect_paragraphs, format_report_text


class Command(BaseCommand):
    stealth_options = ("stdin",)
    help = (
        "Report the factual health claims in a plain-text file (or stdin with "
        '"-"), paragraph by paragraph, as JSON or readable text.'
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help='A UTF-8 text file, or "-" for stdin.')
        parser.add_argument(
            "--format",
            choices=["json", "text"],
            default="json",
            help="json (default) for tools, text for people.",
        )

    def handle(self, *args, path, format, **options):
        text = self.read(path, options.get("stdin") or sys.stdin)
        report = detect_paragraphs(text)
        if format == "text":
            self.stdout.write(format_report_text(report))
        else:
            self.stdout.write(json.dumps(report, ensure_ascii=False, indent=2))

    def read(self, path, stdin):
        try:
            if path == "-":
                data = getattr(stdin, "buffer", stdin).read()
                return data.decode("utf-8") if isinstance(data, bytes) else data
            return Path(path).read_text(encoding="utf-8")
        except FileNotFoundError as error:
            raise CommandError(f"No such file: {path}") from error
        except IsADirectoryError as error:
            raise CommandError(f"{path} is a directory, not a text file") from error
        except UnicodeDecodeError as error:
            name = "stdin" if path == "-" else path
            raise CommandError(
                f"{name} is not UTF-8 text; save it as UTF-8 and try again"
            ) from error
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from error
