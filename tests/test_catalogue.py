"""Meta-tests over the rule catalogue: the contract of DOMAIN.md, documented, exercised."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from rak_xl.model import Rak, Source
from rak_xl.rules import CATALOGUE, SEVERITIES, catalogue_markdown, rule_for
from rak_xl.rules.base import Context, Rule

HERE = Path(__file__).parent
ROOT = HERE.parent

# The rule table of DOMAIN.md (code -> severity): the contract, copied on purpose.
DOMAIN = {
    "struct.header-not-found": "error",
    "struct.orphan-row": "error",
    "struct.row-overflow": "error",
    "struct.row-shifted": "warning",
    "struct.duplicate": "warning",
    "number.not-a-number": "error",
    "number.negative": "error",
    "cash.program-total-mismatch": "error",
    "cash.empty": "warning",
    "cash.without-target": "warning",
    "target.missing": "warning",
    "target.unparseable": "warning",
    "target.additive-sum-mismatch": "error",
    "target.final-mismatch": "error",
    "target.decreasing": "warning",
    "target.percent-over-100": "error",
    "target.without-cash": "warning",
    "cash.dpa-mismatch": "error",
    "sign.nip-invalid": "warning",
}
# Codes added beyond DOMAIN.md (allowed: "you may add rules with new codes"); the 4-level
# form's (docs/SUB_KEGIATAN.md) after cash.dpa-unmatched.
ADDED = {
    "cash.dpa-unmatched": "info",
    "struct.extra-value": "error",
    "struct.code-invalid": "warning",
    "struct.code-mismatch": "warning",
    "struct.code-duplicate": "warning",
    "struct.code-old-format": "info",
    "struct.no-sub-kegiatan": "warning",
    "struct.form-outdated": "info",
    "cash.kegiatan-total-mismatch": "error",
    "cash.subkegiatan-total-mismatch": "error",
    "cash.kegiatan-sum-mismatch": "error",
    "struct.name-missing": "error",
    "struct.cell-error": "error",
}


def test_codes_unique_and_well_formed() -> None:
    codes = [r.code for r in CATALOGUE]
    assert len(codes) == len(set(codes))
    for code in codes:
        assert re.fullmatch(r"[a-z]+\.[a-z0-9-]+", code), code


def test_catalogue_is_the_domain_contract() -> None:
    assert {r.code: r.severity for r in CATALOGUE} == DOMAIN | ADDED
    assert [r.code for r in CATALOGUE][: len(DOMAIN)] == list(DOMAIN)  # the DOMAIN order
    assert [r.code for r in CATALOGUE][len(DOMAIN) :] == list(ADDED)  # new codes come last


def test_catalogue_matches_domain_md_when_shared_is_beside_the_clone() -> None:
    domain_md = ROOT.parent / "shared" / "DOMAIN.md"
    if not domain_md.exists():
        pytest.skip("../shared/DOMAIN.md not beside this clone")
    table = dict(
        re.findall(
            r"^\| `([a-z]+\.[a-z0-9-]+)` \| (error|warning|info) \|",
            domain_md.read_text(encoding="utf-8"),
            re.M,
        )
    )
    assert table == DOMAIN


@pytest.mark.parametrize("rule", CATALOGUE, ids=lambda r: r.code)
def test_rule_data_complete(rule: type[Rule]) -> None:
    assert rule.severity in SEVERITIES
    assert rule.title and rule.title[0].isupper()
    assert rule.template.strip().endswith(".")
    assert rule_for(rule.code) is rule
    # The template renders with its own placeholders, and only with them.
    ctx = Context(rak=Rak(src=Source("RAK")))
    f = rule.finding(ctx, Source("RAK", 7), "B7", "S > P", **dict.fromkeys(rule.fields(), "X"))
    assert (f.code, f.row, f.cell, f.sheet) == (rule.code, 7, "B7", "RAK")
    with pytest.raises(ValueError):
        rule.finding(ctx, Source("RAK"), None, "", unexpected="x")


def test_every_code_is_produced(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every code comes out of the engine: each model rule from its fault injected into
    a clean model (the cases of tests/test_rules_inject.py), struct.header-not-found from
    ``rak-xl validate`` on a workbook without the table."""
    from openpyxl import Workbook
    from rules_model import clean_rak, clean_rak4
    from test_rules_inject import INJECTIONS
    from test_rules_inject4 import INJECTIONS4

    from rak_xl.cli import main
    from rak_xl.rules import check

    produced: set[str] = set()
    for clean, injections in ((clean_rak, INJECTIONS), (clean_rak4, INJECTIONS4)):
        for inject in (fn for fns in injections.values() for fn in fns):
            rak = clean()
            _, kwargs = inject(rak)
            produced |= {f.code for f in check(rak, **kwargs).findings}  # type: ignore[arg-type]
    path = tmp_path / "bukan.xlsx"
    wb = Workbook()
    wb.active["A1"] = "Daftar hadir"
    wb.save(path)
    assert main(["validate", str(path), "--json"]) == 2
    produced |= {f["code"] for f in json.loads(capsys.readouterr().out)["findings"]}
    assert produced == {rule.code for rule in CATALOGUE}


def test_markdown_table_lists_every_code_once() -> None:
    md = catalogue_markdown()
    assert md.startswith("| kode | tingkat | arti |")
    for rule in CATALOGUE:
        assert md.count(f"`{rule.code}`") == 1


def test_readme_documents_every_code() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for rule in CATALOGUE:
        assert f"`{rule.code}`" in text, f"README.md does not document {rule.code}"
