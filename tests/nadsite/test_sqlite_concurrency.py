"""The embedded SQLite default survives several writers at once.

Runs the site's own settings (no DATABASE_URL, so the SQLite file the demo
uses) in a separate process, where eight threads each run transactions that
read a row and then write it back, as saving a draft does. Without WAL and
transactions that take the write lock when they begin, SQLite answers some
of them "database is locked" at once, whatever the busy timeout.
"""

import json
import os
import subprocess
import sys
import textwrap

from django.conf import settings

SCRIPT = textwrap.dedent(
    """
    import json, threading, time
    import django

    django.setup()
    from django.db import connection, connections, transaction

    WRITERS, ROUNDS = 8, 15
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE counter (n integer)")
        cursor.execute("INSERT INTO counter VALUES (0)")
        cursor.execute("PRAGMA journal_mode")
        journal = cursor.fetchone()[0]
    connection.close()
    errors = []
    start = threading.Barrier(WRITERS)

    def write():
        try:
            start.wait()
            for _ in range(ROUNDS):
                with transaction.atomic(), connection.cursor() as cursor:
                    cursor.execute("SELECT n FROM counter")
                    n = cursor.fetchone()[0]
                    time.sleep(0.002)
                    cursor.execute("UPDATE counter SET n = %s", [n + 1])
        except Exception as error:
            errors.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with connection.cursor() as cursor:
        cursor.execute("SELECT n FROM counter")
        count = cursor.fetchone()[0]
    print(json.dumps({"errors": errors, "count": count, "journal": journal}))
    """
)


def test_several_writers_on_the_embedded_sqlite_all_succeed(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="nadsite.settings",
        DEBUG="1",
        NADSITE_VAR_DIR=str(tmp_path),
    )
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["errors"] == []
    assert outcome["count"] == 8 * 15
    assert outcome["journal"] == "wal"
