"""`make stack` on an empty database: migrate and load the demo before
Varnish starts, without queueing purges that would empty its cache later.
"""

import sqlite3

from tests.stack_fixtures import load_runner


def test_preparing_an_empty_database_queues_no_purge_retries(tmp_path):
    """Varnish is started after `prepare` with an empty cache: a purge sent
    while the demo loads can only fail, and each one queued for a retry
    would reach Varnish in its first minutes of serving and empty the cache
    it had just filled (the stack benchmark saw misses mid-round)."""
    runner = load_runner()
    database = tmp_path / "stack.sqlite3"
    stack = runner.Stack(
        database_url=f"sqlite:///{database}",
        redis_url="",
        port=runner.free_port(),  # nothing listens there: a purge fails
        var_dir=tmp_path / "var",
    )
    stack.var_dir.mkdir()

    stack.prepare()

    with sqlite3.connect(database) as conn:
        live = conn.execute(
            "SELECT count(*) FROM wagtailcore_page WHERE live AND depth > 1"
        ).fetchone()[0]
        queued = conn.execute(
            "SELECT task_path FROM django_tasks_database_dbtaskresult"
        ).fetchall()
    assert live >= 3  # the home page, the index and the demo articles
    assert [path for (path,) in queued if "purg" in path] == []
