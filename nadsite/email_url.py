"""Email settings from one URL (`EMAIL_URL`), the way DATABASE_URL works.

    smtp://user:password@mail.example.org:587?tls=1   SMTP with STARTTLS
    smtps://user:password@mail.example.org            SMTP over TLS (port 465)
    console://                                        print each message
    file:///var/mail/nadsite                          one file per message
    locmem://  dummy://                               keep in memory / drop

User name and password are percent-decoded ("%40" for "@"). Query options:
`tls=1`, `ssl=1`, `timeout=SECONDS`. Anything else is refused with a
message that names the problem, so a typo fails at start-up rather than
when the first notification is due.
"""

from urllib.parse import parse_qs, unquote, urlsplit

BACKENDS = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "smtps": "django.core.mail.backends.smtp.EmailBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
    "file": "django.core.mail.backends.filebased.EmailBackend",
    "locmem": "django.core.mail.backends.locmem.EmailBackend",
    "dummy": "django.core.mail.backends.dummy.EmailBackend",
}
OPTIONS = {"tls", "ssl", "timeout"}
TRUE = {"1", "true", "yes", "on"}


class EmailURLError(ValueError):
    pass


def parse_email_url(url: str) -> dict:
    """The Django EMAIL_* settings that `url` describes."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in BACKENDS:
        raise EmailURLError(
            f"EMAIL_URL: unknown scheme {scheme or '(none)'!r}; use one of "
            + ", ".join(sorted(BACKENDS))
        )
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    if unknown := set(query) - OPTIONS:
        raise EmailURLError(
            f"EMAIL_URL: unknown option(s) {', '.join(sorted(unknown))}; "
            f"known: {', '.join(sorted(OPTIONS))}"
        )
    settings = {"EMAIL_BACKEND": BACKENDS[scheme]}
    if scheme == "file":
        path = unquote(parts.path)
        if not path:
            raise EmailURLError(
                "EMAIL_URL: file:// needs a directory, e.g. file:///var/mail"
            )
        settings["EMAIL_FILE_PATH"] = path
    if scheme in {"smtp", "smtps"}:
        use_ssl = scheme == "smtps" or query.get("ssl", "").lower() in TRUE
        use_tls = query.get("tls", "").lower() in TRUE
        if use_ssl and use_tls:
            raise EmailURLError("EMAIL_URL: choose tls=1 (STARTTLS) or ssl, not both")
        try:
            port = parts.port
        except ValueError as error:
            raise EmailURLError(f"EMAIL_URL: {error}") from None
        settings.update(
            EMAIL_HOST=parts.hostname or "localhost",
            EMAIL_PORT=port or (465 if use_ssl else 587 if use_tls else 25),
            EMAIL_HOST_USER=unquote(parts.username or ""),
            EMAIL_HOST_PASSWORD=unquote(parts.password or ""),
            EMAIL_USE_TLS=use_tls,
            EMAIL_USE_SSL=use_ssl,
        )
    if "timeout" in query:
        try:
            settings["EMAIL_TIMEOUT"] = float(query["timeout"])
        except ValueError:
            raise EmailURLError(
                "EMAIL_URL: timeout must be a number of seconds"
            ) from None
    return settings
