"""Check an audit bundle: recompute its chain and report the first event
that does not match.

    manage.py verify_audit article-42-audit.json
    manage.py verify_audit article-42-audit.json --head 3f9c…   # a head noted earlier
    manage.py verify_audit article-42-audit.json --against-database
    manage.py verify_audit --article 42     # the trail stored by this site

Exits with status 0 and "verified" when every event, published text,
Source and FHIR resource matches; otherwise with status 1, naming the
first event that does not match and why. `--against-database` also
compares the bundle with the chain stored by this site (an export whose
every hash was recomputed after editing passes alone, but not this).
`--article` checks the trail this site stores for an article (page id),
as its export would be checked: an event or published text edited in the
database shows.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from evidence.audit.bundle import build_bundle, verify_bundle
from evidence.audit.chain import Mismatch, stored_chain


def compare_with_stored(events: list[dict], article_id) -> Mismatch | None:
    """The first event of `events` that differs from the stored chain."""
    stored = stored_chain(article_id)
    for position, event in enumerate(events):
        if position >= len(stored) or stored[position] != event:
            return Mismatch(
                event.get("seq"), event.get("kind", ""), "differs from the stored chain"
            )
    # Events appended since the export are fine: the bundle is a prefix.
    return None


class Command(BaseCommand):
    help = _("Verify an audit bundle written by export_audit.")

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help=_("The bundle (JSON)."))
        parser.add_argument(
            "--article",
            type=int,
            help=_("Check the trail this site stores for this page id instead."),
        )
        parser.add_argument("--head", help=_("The head hash the bundle must end with."))
        parser.add_argument(
            "--against-database",
            action="store_true",
            help=_("Also compare the events with the chain stored by this site."),
        )

    def handle(self, *args, **options):
        if options["article"] is not None:
            bundle = build_bundle(options["article"])
            self._report(verify_bundle(bundle), bundle)
            return
        if not options["file"]:
            raise CommandError(_("Give a bundle file, or --article PAGE_ID."))
        try:
            with open(options["file"], encoding="utf-8") as bundle_file:
                bundle = json.load(bundle_file)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s")
                % {"file": options["file"], "error": error.strerror or error}
            ) from error
        except (UnicodeDecodeError, ValueError) as error:
            raise CommandError(
                _("%(file)s is not JSON: %(error)s")
                % {"file": options["file"], "error": error}
            ) from error
        mismatch = verify_bundle(bundle)
        if (
            mismatch is None
            and options["head"]
            and bundle.get("head") != options["head"]
        ):
            events = bundle["events"]
            mismatch = Mismatch(
                len(events),
                events[-1]["kind"] if events else "",
                _("the chain does not end with the head you gave"),
            )
        if mismatch is None and options["against_database"]:
            mismatch = compare_with_stored(bundle["events"], bundle["article"]["id"])
        self._report(mismatch, bundle)

    def _report(self, mismatch, bundle):
        if mismatch is not None:
            raise CommandError(_("Does not match. %(what)s") % {"what": mismatch})
        self.stdout.write(
            _(
                "Verified: %(events)d events, %(versions)d published versions, "
                "%(sources)d Sources; head %(head)s."
            )
            % {
                "events": len(bundle["events"]),
                "versions": len(bundle["versions"]),
                "sources": len(bundle["sources"]),
                "head": bundle.get("head") or "-",
            }
        )
