"""README.md: short, and its configuration table complete."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SETTINGS = (ROOT / "nadsite" / "settings.py").read_text(encoding="utf-8")

# os.environ.get("X"), os.environ["X"], env_flag("X"), env_list("X"),
# env_int("X"); and DATABASE_URL, which dj_database_url.config() reads.
READ = re.compile(
    r"""(?:environ(?:\.get)?[(\[]|env_(?:flag|list|int)\()\s*["']([A-Z0-9_]+)["']"""
)


def settings_variables() -> set[str]:
    found = set(READ.findall(SETTINGS))
    if "dj_database_url.config(" in SETTINGS:
        found.add("DATABASE_URL")
    return found


def configuration_table() -> str:
    section = README.split("\n## Configuration\n", 1)[1].split("\n## ", 1)[0]
    return "\n".join(line for line in section.splitlines() if line.startswith("|"))


def test_readme_is_short():
    assert len(README.splitlines()) < 150


def test_every_variable_the_settings_read_is_in_the_configuration_table():
    variables = settings_variables()
    assert {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= variables
    table = configuration_table()
    missing = sorted(v for v in variables if f"`{v}`" not in table)
    assert not missing, f"README's configuration table lacks {missing}"


def test_the_table_names_no_variable_the_settings_do_not_read():
    first_cells = [row.split("|")[1] for row in configuration_table().splitlines()]
    named = {name for cell in first_cells for name in re.findall(r"`(\w+)`", cell)}
    assert named and named <= settings_variables()


def test_every_link_in_the_readme_leads_to_a_file():
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README):
        if not target.startswith(("http://", "https://")):
            assert (ROOT / target).exists(), target
