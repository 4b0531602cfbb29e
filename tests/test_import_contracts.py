"""Packages depend one way: the import contracts in pyproject.toml hold (import-linter)."""

from __future__ import annotations

import itertools
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
ROOT_CONTRACT = (
    "the shared modules at the root of registration are plumbing: they import no package"
)


def _root_modules() -> list[str]:
    """The modules registration/*.py but the app factory."""
    found = (ROOT / "registration").glob("*.py")
    return sorted(f"registration.{path.stem}" for path in found if path.stem != "__init__")


def test_the_import_contracts_hold() -> None:
    command = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    assert command, "import-linter is a dev dependency: pip install -e '.[dev]'"
    result = subprocess.run(
        [command, "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_root_contract_names_every_root_module_and_every_package() -> None:
    """A module added at the root of registration/, or a package added under it, is covered."""
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    contract = next(c for c in contracts["contracts"] if c["name"] == ROOT_CONTRACT)
    found = (ROOT / "registration").glob("*/__init__.py")
    packages = {f"registration.{path.parent.name}" for path in found}
    assert set(contract["source_modules"]) == set(_root_modules())
    assert set(contract["forbidden_modules"]) == packages | {"workers"}


def test_no_two_root_modules_import_each_other() -> None:
    graph = grimp.build_graph("registration")
    both_ways = [
        (a, b)
        for a, b in itertools.combinations(_root_modules(), 2)
        if graph.chain_exists(importer=a, imported=b) and graph.chain_exists(importer=b, imported=a)
    ]
    assert both_ways == []
