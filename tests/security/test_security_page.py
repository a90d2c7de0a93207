"""docs/security.md names, for each guarantee, the test that proves it: those tests exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[2]
PAGE = ROOT / "docs" / "security.md"
NAMED = re.compile(r"`(tests/[\w/]+\.py)(?:::(\w+))?`((?:, `::\w+`)*)")


def test_every_test_the_security_page_names_exists() -> None:
    text = PAGE.read_text()
    named = 0
    for match in NAMED.finditer(text):
        path = ROOT / match.group(1)
        assert path.exists(), match.group(1)
        names = [match.group(2)] if match.group(2) else []
        names += re.findall(r"::(\w+)", match.group(3))
        source = path.read_text()
        for name in names:
            assert re.search(rf"^def {name}\(", source, re.MULTILINE), f"{path}::{name}"
            named += 1
    for folder in re.findall(r"`(tests/[\w/]+/)`", text):
        assert (ROOT / folder).is_dir(), folder
    assert named >= 30
