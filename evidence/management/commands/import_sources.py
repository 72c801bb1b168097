"""``manage.py import_sources``: add papers to the source library.

    manage.py import_sources --doi 10.1038/s41467-018-03421-7 --pmid 29599478
    manage.py import_sources zotero-export.bib endnote.ris --dry-run

DOIs are looked up at Crossref, PMIDs at PubMed; files may be BibTeX, RIS or
CSL-JSON. Papers already in the library are updated, never added twice. The
whole run is one batch: if any lookup or record fails, nothing is written and
the command exits with status 1 after listing every failure.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from evidence.library import importing
from evidence.management.progress import Progress


class Command(BaseCommand):
    help = (
        "Import sources by DOI (Crossref), PMID (PubMed) or from BibTeX, RIS "
        "or CSL-JSON files, without duplicates; all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="BibTeX, RIS or CSL-JSON files.")
        parser.add_argument(
            "--doi", action="append", default=[], help="A DOI; repeat for more."
        )
        parser.add_argument(
            "--pmid", action="append", default=[], help="A PMID; repeat for more."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be created or updated; write nothing.",
        )

    def handle(self, *args, **options):
        if not (options["files"] or options["doi"] or options["pmid"]):
            raise CommandError("Give at least one --doi, --pmid or file to import.")
        progress = Progress(self.stderr._out, verb="fetching")
        fetched = importing.fetch_records(
            options["doi"], options["pmid"], progress=progress
        )
        progress.done()
        for name in options["files"]:
            path = Path(name)
            try:
                data = path.read_bytes()
            except OSError as exc:
                fetched.failures.append((name, f"Cannot read {name}: {exc.strerror}."))
                continue
            from_file = importing.read_file(path.name, data)
            fetched.records += from_file.records
            fetched.failures += from_file.failures
        progress = Progress(self.stderr._out, verb="saving")
        summary = importing.import_records(
            fetched.records,
            failures=fetched.failures,
            dry_run=options["dry_run"],
            progress=progress,
        )
        progress.done()
        self.report(summary)
        if summary.failed:
            raise CommandError(summary.headline(), returncode=1)

    def report(self, summary):
        for outcome in summary.outcomes:
            if outcome.action == importing.FAILED:
                self.stdout.write(
                    self.style.ERROR(f"failed     {outcome.label}: {outcome.reason}")
                )
                continue
            line = f"{outcome.action:<10} {outcome.title}"
            if outcome.action == importing.UPDATED:
                line += f" ({', '.join(outcome.changes)})"
            self.stdout.write(line)
            for note in outcome.notes:
                self.stdout.write(f"           note: {note}")
        if not summary.failed:
            style = self.style.WARNING if summary.dry_run else self.style.SUCCESS
            self.stdout.write(style(summary.headline()))
