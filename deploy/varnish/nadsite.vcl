vcl 4.1;

# nadsite behind Varnish 7 (Debian's `varnish` + `varnish-modules` for xkey).
#
# Caches whole public pages for anonymous readers, only when the app says a
# response is public (`Cache-Control: public, s-maxage=...`), tagged with the
# app's `xkey` header (the page, every Source it cites, the listings it
# shows). The app purges on publish, unpublish, move, slug change, delete and
# Source changes: a `PURGE` of a URL, or a `PURGE` with an `xkey-purge` header
# naming tags (one request for every page citing a Source). Purges are
# honoured only from the `purgers` ACL.
#
# Readers get text compressed: a public page is kept in two copies under its
# URL, gzipped once when fetched for readers that accept gzip, and as the app
# sent it for those that do not, so no hit pays a gzip or a gunzip. The copies
# differ by the `x-gzip` request header (set below, named in Vary inside this
# cache only); both carry the page's URL and tags, so every purge removes both.
#
# The backends, their health probe, the round-robin director `app` and the
# `purgers` ACL live in backends.vcl beside this file: deploy/stack.py
# writes one for the loopback stack, backends.example.vcl shows one for
# real hosts.

import directors;
import std;
import xkey;

include "backends.vcl";

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Purge not allowed from this address"));
        }
        if (req.http.xkey-purge) {
            set req.http.x-purged = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Purged " + req.http.x-purged));
        }
        return (purge);
    }
    if (req.method == "BAN" || req.method == "REFRESH") {
        return (synth(405, "Method not allowed"));
    }

    set req.backend_hint = app.backend();
    # Serve an expired copy for a few seconds while a fresh one is fetched;
    # much longer only when every app server is down (see vcl_backend_response).
    if (std.healthy(req.backend_hint)) {
        set req.grace = 10s;
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The admin, Django's admin and the API are never cached.
    if (req.url ~ "^/(admin|django-admin|api)(/|\?|$)") {
        return (pass);
    }
    # Signed-in users and API clients: their responses are their own.
    if (req.http.Authorization) {
        return (pass);
    }
    if (req.http.Cookie ~ "(^|;\s*)(sessionid|messages)=") {
        return (pass);
    }
    # Which of the two copies this reader gets (Varnish's own gzip support
    # would serve one gzipped copy to everyone, gunzipping it per hit).
    if (req.http.Accept-Encoding ~ "(?i)\bgzip\b(?!\s*;\s*q=0(\.0*)?\s*(,|$))") {
        set req.http.x-gzip = "1";
    } else {
        set req.http.x-gzip = "0";
    }
    # Anonymous readers: cookies (analytics, a stale csrftoken) play no part
    # in a public page, so they must not split or bypass the cache.
    unset req.http.Cookie;
    return (hash);
}

sub vcl_hash {
    # One site per Varnish: the path and query name the page whatever host
    # name the reader used, so Wagtail's URL purges (sent with the Site's
    # host name) reach every copy. Behind TLS the scheme is part of the key.
    hash_data(req.url);
    hash_data(req.http.X-Forwarded-Proto);
    return (lookup);
}

sub vcl_backend_fetch {
    # The plain copy is fetched plain (Varnish asks every backend for gzip).
    if (bereq.http.x-gzip == "0") {
        unset bereq.http.Accept-Encoding;
    }
}

sub vcl_backend_response {
    # A failed background refresh keeps the stale copy rather than replace it.
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Only what the app marks public is stored: never a response that sets a
    # cookie, says private/no-store, or says nothing (the API, forms, errors).
    if (bereq.uncacheable) {
        return (deliver);
    }
    if (beresp.http.Set-Cookie
        || !beresp.http.Cache-Control
        || beresp.http.Cache-Control !~ "(?i)\bpublic\b"
        || beresp.http.Cache-Control ~ "(?i)\b(private|no-store|no-cache)\b") {
        set beresp.ttl = 30s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # Text is stored gzipped for readers that accept gzip, plain for the
    # others; the copy a reader gets depends on x-gzip.
    if (bereq.http.x-gzip) {
        if (bereq.http.x-gzip == "1" && beresp.http.Content-Type ~ "(?i)^(text/|application/(json|xml|javascript|ld\+json|rss\+xml|atom\+xml)|image/svg\+xml)") {
            set beresp.do_gzip = true;
        }
        # Readers and caches further on are told the page varies on
        # Accept-Encoding (vcl_deliver); this cache keys the copy on x-gzip.
        if (!beresp.http.Vary) {
            set beresp.http.x-vary = "Accept-Encoding";
        } elsif (beresp.http.Vary ~ "(?i)\baccept-encoding\b") {
            set beresp.http.x-vary = beresp.http.Vary;
        } else {
            set beresp.http.x-vary = beresp.http.Vary + ", Accept-Encoding";
        }
        if (beresp.http.Vary) {
            set beresp.http.Vary = beresp.http.Vary + ", x-gzip";
        } else {
            set beresp.http.Vary = "x-gzip";
        }
    }
    # Up to an hour past its time when the app servers cannot answer.
    set beresp.grace = 1h;
    return (deliver);
}

sub vcl_backend_error {
    # An app server that cannot be reached (stopped, not yet marked sick by
    # its probe): a read is tried once more, on the next one.
    if (bereq.retries < 1 && (bereq.method == "GET" || bereq.method == "HEAD")) {
        return (retry);
    }
}

sub vcl_deliver {
    if (obj.uncacheable) {
        set resp.http.X-Cache = "pass";
    } elsif (obj.hits > 0) {
        set resp.http.X-Cache = "hit";
    } else {
        set resp.http.X-Cache = "miss";
    }
    # Tags and the copy's name are for this cache only; a cache further on
    # keys on Accept-Encoding.
    unset resp.http.xkey;
    if (resp.http.x-vary) {
        set resp.http.Vary = resp.http.x-vary;
        unset resp.http.x-vary;
    }
    unset resp.http.Via;
    unset resp.http.X-Varnish;
}

sub vcl_synth {
    set resp.http.Content-Type = "text/plain; charset=utf-8";
    set resp.http.Cache-Control = "no-store";
    set resp.body = resp.reason + {"
"};
    return (deliver);
}
