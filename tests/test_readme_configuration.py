"""Every setting `registration/config.py` reads from the environment is in the README's
configuration table."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_in_the_readme_table() -> None:
    source = (ROOT / "registration" / "config.py").read_text()
    names = set(
        re.findall(r"""(?:_int|_flag|_list|_zone|environ\.get)\(\s*"([A-Z0-9_]+)\"""", source)
    )
    table = "\n".join(
        line for line in (ROOT / "README.md").read_text().splitlines() if line.startswith("| `")
    )
    missing = {name for name in names if f"`{name}`" not in table}
    assert len(names) > 25
    assert missing == set()
