# backends.vcl for real hosts: copy it beside nadsite.vcl (or anywhere on
# Varnish's vcl_path) as backends.vcl and name your app servers. nadsite.vcl
# needs three things from it: the backends, a round-robin director called
# `app`, and the `purgers` ACL of the addresses allowed to purge (the app
# servers, which send the purges, and loopback).

probe app_health {
    .request = "GET /robots.txt HTTP/1.1"
               "Host: health.example.org"
               "Connection: close"
               "User-Agent: varnish-probe";
    .interval = 2s;
    .timeout = 2s;
    .window = 5;
    .threshold = 3;
    .initial = 3;
}

backend app1 {
    .host = "10.0.0.11";
    .port = "8000";
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
    .probe = app_health;
}

backend app2 {
    .host = "10.0.0.12";
    .port = "8000";
    .connect_timeout = 1s;
    .first_byte_timeout = 30s;
    .between_bytes_timeout = 10s;
    .probe = app_health;
}

acl purgers {
    "localhost";
    "10.0.0.11";
    "10.0.0.12";
}

sub vcl_init {
    new app = directors.round_robin();
    app.add_backend(app1);
    app.add_backend(app2);
}
