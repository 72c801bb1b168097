"""Normalising and validating the identifiers a Source may carry.

A DOI is case-insensitive (the DOI Handbook, section 2.4), so it is stored in
lower case without any resolver prefix; two spellings of one DOI must compare
equal or the library fills with duplicates. A PMID is a positive integer.
"""

import re

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
_DOI_PREFIXES = re.compile(
    r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*|info:doi/)", re.IGNORECASE
)


def normalize_doi(value: str) -> str:
    """The DOI in its stored form: no resolver prefix, trimmed, lower case."""
    value = (value or "").strip()
    value = _DOI_PREFIXES.sub("", value).strip()
    return value.lower()


def is_valid_doi(value: str) -> bool:
    """True for a normalised DOI of the form 10.<registrant>/<suffix>."""
    return bool(DOI_PATTERN.match(value or ""))


def normalize_pmid(value) -> str:
    """The PMID as a string of digits, without a "PMID:" label."""
    value = str(value or "").strip()
    return re.sub(r"^pmid:\s*", "", value, flags=re.IGNORECASE)


def is_valid_pmid(value: str) -> bool:
    """True for a PMID: digits only, not starting with zero, at most 9."""
    return bool(re.fullmatch(r"[1-9]\d{0,8}", value or ""))


def normalize_title(value: str) -> str:
    """A title reduced for duplicate matching: lower case, letters and digits."""
    value = re.sub(r"^\s*retracted(?: article)?\s*:\s*", "", value or "", flags=re.I)
    return " ".join(re.findall(r"[a-z0-9]+", value.lower()))
