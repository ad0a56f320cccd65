"""Made-up command lines and files for every command of csctl's tree (issue 15, scope 3), a
small sample in the suite: bench/stress.py runs thousands (tests/fuzzing.py says what holds)."""

from __future__ import annotations

from conftest import copy_ledger_file
from fuzzing import Fuzz, commands, noun_of


def test_every_noun_is_fuzzed():
    nouns = {noun_of(words) for words, _ in commands()}
    assert {"staff", "log", "sales", "keys", "handover", "duty", "hazmat", "levels", "month", "policy", "ledger",
            "rules"} <= nouns


def test_made_up_command_lines_exit_0_1_or_2_and_a_refusal_writes_nothing(every_table_template, tmp_path):
    fuzz = Fuzz(copy_ledger_file(every_table_template, tmp_path / "fuzz.db"), tmp_path)
    fuzz.run(per_command=2, derandomize=True)
    assert not fuzz.problems, "\n".join(fuzz.problems[:10])
    assert sum(fuzz.examples.values()) >= 2 * len(commands())
    seen = {code for codes in fuzz.codes.values() for code in codes}
    assert {1, 2} <= seen  # refusals and bad input both met
