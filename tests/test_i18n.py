"""Two languages: --lang zh|en, CSCTL_LANG, the policy's language, the locale; the catalogue.

Every message, header and printed label a person reads is in English or in Chinese (traditional
characters, the rulebook's words); --json, CSV headers and rule ids are the same in both.
"""

from __future__ import annotations

import gettext
import re

import pytest

import catalogue
from csctl import i18n
from csctl.errors import ExitStatus


def _policy(dept, tmp_path, language: str, month: str = "2026-10") -> None:
    policy = tmp_path / f"{language}.toml"
    policy.write_text(f'language = "{language}"\n', encoding="utf-8")
    dept("policy", "set", str(policy), "--from", month, by="M01")


# ----------------------------------------------------------------------------- the done-when


@pytest.mark.parametrize("lang, header, error, label, department", [
    ("en", "Name", "is not on the staff list", "Pay statement", "Customer service"),
    ("zh", "姓名", "不在員工名單上", "工資單", "客服部"),
])
def test_lang_switches_a_header_an_error_and_a_printed_label(dept, tmp_path, lang, header, error, label,
                                                             department):
    listing = dept("--lang", lang, "staff", "list")
    assert re.search(rf"┃ {header}\s", listing.out)
    refused = dept("log", "late", "S99", "--minutes", "5", "--lang", lang, by="L01", code=ExitStatus.BAD_INPUT)
    assert error in refused.err and refused.err.count("\n") == 1
    out = tmp_path / lang
    dept("--lang", lang, "month", "statement", "2026-10", "--out", str(out), "--staff", "S01")
    [page] = out.iterdir()
    text = page.read_text(encoding="utf-8")
    assert f"<h1>{label} 2026-10</h1>" in text and department in text
    other = {"en": ("工資單", "客服部"), "zh": ("Pay statement", "Base salary")}[lang]
    assert not any(word in text for word in other)


def test_a_refusal_keeps_its_rule_id_in_chinese(dept):
    refused = dept("--lang", "zh", "log", "leave", "S01", "--at", "2026-10-05", by="L01", code=ExitStatus.REFUSED)
    assert refused.err.startswith("refused (D5): ") and re.search(r"[\u4e00-\u9fff]", refused.err)


def test_a_refusal_for_rank_names_the_ranks_in_the_language_in_use(dept):
    zh = dept("--lang", "zh", "month", "close", "2026-10", by="S01", code=ExitStatus.REFUSED)
    assert zh.err.startswith("refused (L6): ") and "主管" in zh.err and "員工" in zh.err
    assert "supervisor" not in zh.err and "a staff" not in zh.err
    en = dept("--lang", "en", "month", "close", "2026-10", by="S01", code=ExitStatus.REFUSED)
    assert "needs a supervisor or above; S01 is a staff" in en.err


def test_a_stock_refusal_names_the_draw_in_chinese(dept):
    dept("hazmat", "add", "alcohol", "--unit", "ml", by="P01")
    dept("hazmat", "stock-in", "alcohol", "--qty", "10", by="L01")
    zh = dept("--lang", "zh", "hazmat", "draw", "alcohol", "--qty", "20", "--staff", "S01", "--approved-by", "L01",
              "--purpose", "x", by="L01", code=ExitStatus.REFUSED)
    assert zh.err.startswith("refused (Z3): 領用 20.000 ml") and "本次領用" in zh.err
    assert "drawing" not in zh.err and "this draw" not in zh.err


def test_the_roles_in_a_refusal_are_said_in_the_language_in_use(dept):
    zh = dept("--lang", "zh", "log", "late", "L01", "--minutes", "3", by="L01", code=ExitStatus.REFUSED)
    assert zh.err.startswith("refused (D1): 任何人不得記錄考勤紀律事件給自己(L01)"), zh.err
    en = dept("log", "late", "L01", "--minutes", "3", by="L01", code=ExitStatus.REFUSED)
    assert en.err.startswith("refused (D1): nobody records a discipline event against themselves (L01)"), en.err
    store = dept("--lang", "zh", "hazmat", "add", "acetone", "--unit", "ml", by="S01", code=ExitStatus.REFUSED)
    assert store.err.startswith("refused (Z2): 登記危險品 需要 領班 或以上職級"), store.err


def test_a_date_hint_and_a_row_kind_are_whole_in_chinese(dept):
    day = dept("--lang", "zh", "staff", "leave", "S03", "--on", "03/04/2026", by="P01", code=ExitStatus.BAD_INPUT)
    assert day.err.startswith("on: '03/04/2026' 不是日期;日和月可有兩種讀法;應為 YYYY-MM-DD"), day.err
    row = dept("--lang", "zh", "handover", "resolve", "0", by="L01", code=ExitStatus.BAD_INPUT)
    assert row.err.startswith("request: '0' 不是移交事項編號"), row.err


def test_a_hazmat_return_and_the_draws_table_in_chinese(dept):
    dept("hazmat", "add", "alcohol", "--unit", "ml", by="P01")
    dept("hazmat", "stock-in", "alcohol", "--qty", "100", by="L01")
    draw = dept("hazmat", "draw", "alcohol", "--qty", "20", "--staff", "S01", "--approved-by", "L01",
                "--purpose", "x", "--json", by="L01").json()["id"]
    back = dept("--lang", "zh", "hazmat", "return", str(draw), "--qty", "5", "--staff", "S01", by="L01")
    assert "尚有 15.000 ml 未還" in back.out and "still out" not in back.out
    table = dept("--lang", "zh", "hazmat", "draws").out
    assert "未結" in table and "open" not in table


def test_a_confirmation_and_a_caption_in_chinese(dept):
    done = dept("--lang", "zh", "log", "late", "S01", "--minutes", "5", "--at", "2026-10-05 09:05", by="L01")
    assert done.out.startswith("已記錄 #")
    report = dept("--lang", "zh", "month", "report", "2026-10")
    assert "考勤紀律 2026-10" in report.out and "未結算:臨時數字" in report.out
    # a place in the month's order is 排名; a job's rank (staff list) is 職級
    assert "┃ 排名 ┃" in report.out and "┃ 職級 " in dept("--lang", "zh", "staff", "list").out
    # a sale's product is 商品; the product department on paper is 產品部 (tests/test_printable.py)
    assert "┃ 商品 " in dept("--lang", "zh", "sales", "list").out


def test_a_warning_letter_in_chinese_names_the_rule_and_the_event_in_the_rulebooks_words(dept, tmp_path):
    dept("log", "awol", "S02", "--at", "2026-10-06", "--reason", "no leave", by="P01")
    dept("month", "close", "2026-10", by="P01")
    dept("--lang", "zh", "month", "letters", "2026-10", "--out", str(tmp_path / "zh"))
    [page] = (tmp_path / "zh").iterdir()
    text = page.read_text(encoding="utf-8")
    assert "考核通知" in text and "口頭警告(O1)" in text and "<td>D4 曠工:" in text and "<td>曠工</td>" in text
    assert "員工簽名" in text and "Employee" not in text


def test_department_rank_and_level_on_paper_in_chinese(dept, tmp_path):
    from csctl import printable

    assert [printable._name("zh", k) for k in ("product", "shift_lead", "senior", "awol")] == \
        ["產品部", "領班", "高級", "曠工"]
    assert [printable._name("en", k) for k in ("product", "shift_lead", "senior", "awol")] == \
        ["Product", "Shift lead", "Senior", "absent without leave"]


@pytest.mark.parametrize("args", [
    ("month", "report", "2026-10", "--json"),
    ("month", "statement", "2026-10", "--json"),
    ("month", "pools", "2026-10", "--json"),
    ("staff", "list", "--csv"),
    ("log", "list", "--month", "2026-10", "--csv"),
])
def test_json_and_csv_are_the_same_in_both_languages(dept, args):
    dept("month", "costs", "2026-10", "--product-cost", "100", "--marketing", "0", "--shipping-loss", "0",
         "--other", "0", by="M01")
    assert dept("--lang", "zh", *args).out == dept("--lang", "en", *args).out


# ----------------------------------------------------------------------------- which language


@pytest.mark.parametrize("args, env", [
    (("--lang", "fr"), {}),
    ((), {"CSCTL_LANG": "fr"}),
])
def test_a_language_csctl_does_not_speak_is_bad_input_naming_where_it_came_from(dept, args, env):
    run = dept(*args, "staff", "list", env=env, code=ExitStatus.BAD_INPUT)
    name = "--lang" if args else "CSCTL_LANG"
    assert run.err.startswith(f"{name}: ") and "fr" in run.err and run.err.count("\n") == 1 and not run.out


def test_the_locale_speaks_when_the_policy_says_auto(dept):
    assert "姓名" in dept("staff", "list", env={"LANG": "zh_TW.UTF-8"}).out
    assert "姓名" in dept("staff", "list", env={"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}).out
    assert "Name" in dept("staff", "list", env={"LANG": "de_DE.UTF-8"}).out
    assert "Name" in dept("staff", "list").out  # no locale at all: English


def test_the_policys_language_comes_before_the_locale_and_after_lang(dept, tmp_path):
    _policy(dept, tmp_path, "zh")
    assert "姓名" in dept("staff", "list", env={"LANG": "en_US.UTF-8"}).out
    assert "Name" in dept("staff", "list", "--lang", "en").out
    assert "Name" in dept("staff", "list", env={"CSCTL_LANG": "en"}).out
    _policy(dept, tmp_path, "en")
    assert "Name" in dept("staff", "list", env={"LANG": "zh_TW.UTF-8"}).out


def test_pages_of_a_closed_month_keep_its_policys_language_unless_lang_says(dept, tmp_path):
    _policy(dept, tmp_path, "zh")
    dept("month", "close", "2026-10", by="P01")
    _policy(dept, tmp_path, "en", "2026-11")  # a later version: the close was in Chinese
    dept("month", "statement", "2026-10", "--out", str(tmp_path / "a"), "--staff", "S01")
    assert "工資單" in next((tmp_path / "a").iterdir()).read_text(encoding="utf-8")
    dept("--lang", "en", "month", "statement", "2026-10", "--out", str(tmp_path / "b"), "--staff", "S01")
    assert "Pay statement" in next((tmp_path / "b").iterdir()).read_text(encoding="utf-8")


def test_from_locale_reads_lc_all_then_lc_messages_then_lang():
    assert i18n.from_locale({"LC_ALL": "zh_HK.UTF-8", "LANG": "en_GB"}) == "zh"
    assert i18n.from_locale({"LC_MESSAGES": "en_GB", "LANG": "zh_TW"}) == "en"
    assert i18n.from_locale({"LC_ALL": "", "LANG": "zh_TW"}) == "zh"
    assert i18n.from_locale({}) == "en"


def test_english_hands_the_message_back_untouched():
    i18n.use("en")
    message = "a message not in the catalogue"
    assert i18n._(message) is message


# ----------------------------------------------------------------------------- the catalogue


def test_every_marked_message_has_a_chinese_translation_and_nothing_stale():
    marked = catalogue.marked()
    po = {(m.id, m.context): m.string for m in catalogue.read_po() if m.id}
    untranslated = sorted(m for m in marked if not po.get(m))
    assert not untranslated, (f"{len(untranslated)} message(s) have no Chinese; `python tests/catalogue.py` "
                              f"adds them to csctl.po, then translate: {untranslated[:5]}")
    stale = sorted(set(po) - set(marked))
    assert not stale, f"csctl.po holds messages no longer in the code (`python tests/catalogue.py`): {stale[:5]}"


def test_every_translation_keeps_the_placeholders_of_its_message():
    wrong = [(m.id, m.string) for m in catalogue.read_po()
             if m.id and catalogue.placeholders(m.id) != catalogue.placeholders(m.string)]
    assert not wrong


def test_every_marked_message_is_one_plain_string():
    assert catalogue.not_literal() == []


def test_the_mo_is_the_po_compiled():
    assert catalogue.MO.read_bytes() == catalogue.compiled(catalogue.read_po()), \
        "csctl.mo is not csctl.po compiled; `python tests/catalogue.py` compiles it"
    with catalogue.MO.open("rb") as handle:
        assert gettext.GNUTranslations(handle).gettext("Pay statement") == "工資單"


def test_the_chinese_is_in_traditional_characters():
    simplified = "们这说时还对员门处钥项资设删认记录书账单钟级"
    found = [(m.id, m.string) for m in catalogue.read_po() if m.id and any(c in m.string for c in simplified)]
    assert not found


def test_an_import_names_line_and_column_in_chinese_from_the_reading_process(dept, tmp_path):
    path = tmp_path / "clock.csv"
    path.write_text("date,staff,kind,minutes,approved_by,points,source,note\n2026-10-08,S01,late,abc,,,,\n",
                    encoding="utf-8")
    run = dept("--lang", "zh", "log", "import", str(path), by="P01", code=ExitStatus.BAD_INPUT)
    assert run.err.startswith("file: clock.csv 第 2 行,minutes 欄:'abc' 不是分鐘數"), run.err


# ----------------------------------------------------------------------------- help, Click's words, table values


@pytest.mark.parametrize("args, env", [
    (("--lang", "zh", "log", "late", "--help"), {}),
    (("log", "late", "--help", "--lang", "zh"), {}),
    (("log", "late", "--help"), {"CSCTL_LANG": "zh"}),
    (("log", "late", "--help"), {"LANG": "zh_TW.UTF-8"}),
])
def test_help_speaks_the_language_chosen_before_the_ledger_opens(cli, args, env):
    shown = cli(*args, env=env).out
    for words in ("用法: csctl log late", "記錄遲到", "例:csctl log late S07 --minutes 12", "選項",
                  "遲到多少分鐘", "[必填]", "顯示此說明並退出"):
        assert words in shown, words
    assert "How many minutes late" not in shown and "Show this message" not in shown


def test_english_help_is_what_it_was_after_chinese_help_in_the_same_process(cli):
    before = cli("log", "late", "--help").out
    noun = cli("log", "--help").out
    assert "遲到" in cli("--lang", "zh", "log", "--help").out
    assert "遲到多少分鐘" in cli("--lang", "zh", "log", "late", "--help").out
    assert cli("log", "late", "--help").out == before and cli("log", "--help").out == noun
    assert "Usage: csctl log late" in before and "How many minutes late (1-1440)." in before


def test_the_root_help_lists_each_noun_in_chinese(cli):
    shown = cli("--lang", "zh", "--help").out
    assert "命令" in shown and "記錄考勤紀律事件" in shown and "印出版本" in shown


@pytest.mark.parametrize("args, chinese, english", [
    (("log", "late", "S01", "--minuts", "3"), "沒有此選項:--minuts(可能的選項:--minutes)", "No such option"),
    (("log", "late"), "缺少參數 'staff'。", "Missing argument"),
    (("log", "lat"), "沒有命令 'lat'。您是要 'late' 嗎?", "No such command"),
    (("log", "late", "S01", "--minutes"), "選項 '--minutes' 需要一個值。", "requires an argument"),
    (("log", "late", "S01", "S02", "--minutes", "3"), "多出了意外的參數(S02)", "unexpected extra"),
    (("month", "report", "2026-10", "--close", "x"), "'--close' 的值無效:'x' 不是整數。", "Invalid value"),
])
def test_clicks_usage_errors_in_chinese(cli, args, chinese, english):
    zh = cli("--lang", "zh", *args, code=ExitStatus.BAD_INPUT)
    assert chinese in zh.err and "錯誤" in zh.err and english not in zh.err
    en = cli(*args, code=ExitStatus.BAD_INPUT)
    assert english in en.err and "Error" in en.err
    assert ("Usage: csctl " in en.err) == ("用法: csctl " in zh.err)  # when Click names the command


@pytest.fixture(scope="module")
def demo(every_table_template, tmp_path_factory):
    from conftest import Cli, copy_ledger_file

    return Cli(copy_ledger_file(every_table_template, tmp_path_factory.mktemp("i18n") / "demo.db"))


def test_a_chinese_report_names_outcomes_in_the_rulebooks_words_and_its_json_does_not(demo):
    zh = demo("--lang", "zh", "month", "report", "2026-10", env={"COLUMNS": "200"}).out
    en = demo("--lang", "en", "month", "report", "2026-10", env={"COLUMNS": "200"}).out
    assert re.search(r"│ 警告\s+│", zh) and re.search(r"│ 處罰\s+│", zh)
    assert re.search(r"│ warning\s+│", en) and re.search(r"│ punishment\s+│", en)
    assert not re.search(r"│ (warning|punishment|none)\s+│", zh)
    outcomes = {line["outcome"] for line in demo("--lang", "zh", "month", "report", "2026-10", "--json").json()}
    assert {"warning", "punishment"} <= outcomes
    assert demo("--lang", "zh", "month", "report", "2026-10", "--json").out == \
        demo("--lang", "en", "month", "report", "2026-10", "--json").out


@pytest.mark.parametrize("args, chinese", [
    (("staff", "list"), ["客服部", "領班", "高級"]),
    (("keys", "list"), ["設備間", "在鑰匙板上"]),
    (("handover", "list"), ["已接受"]),
    (("month", "status"), ["已結算"]),
    (("month", "history", "2026-10"), ["│ 結算 │", "│ 重開 │", ";政策 ", "已重開"]),
    (("log", "list", "--month", "2026-10"), ["遲到", "超過 30 分鐘:按缺勤計"]),
    (("review", "--as-of", "2026-09"), ["稱號", "需要", "降級觀察"]),
    (("handover", "list", "--open"), ["│ 交接班 ", "未被接受", "尚未簽核(H3)"]),
    (("keys", "history", "EQ-01"), ["│ 登記 │", "│ 借出 │", "│ 歸還 │"]),
    (("duty", "list"), ["│ 值班 │", "│ 記錄 │"]),
    (("staff", "show", "S06"), ["│ 部門 ", "客服部", "調休 2"]),
])
def test_chinese_tables_show_codes_in_words_while_json_and_csv_keep_the_codes(demo, args, chinese):
    zh = demo("--lang", "zh", *args, env={"COLUMNS": "250"}).out
    for words in chinese:
        assert words in zh, words
    for output in ("--json",) if args[:2] == ("staff", "show") else ("--json", "--csv"):
        assert demo("--lang", "zh", *args, output).out == demo("--lang", "en", *args, output).out


def test_said_prints_english_for_scripts_and_the_catalogues_sentence_when_spoken():
    import json

    points = i18n.Said(i18n.N_("{points} points"), points="2")
    said = i18n.Said(i18n.N_("over {minutes} minutes: counts as an absence, {points}"), minutes=30, points=points)
    assert json.dumps([said]) == '["over 30 minutes: counts as an absence, 2 points"]'
    assert i18n.spoken(said) == said
    i18n.use("zh")
    try:
        assert i18n.spoken(said) == "超過 30 分鐘:按缺勤計,2 分"
        assert i18n.spoken(i18n.Joined([i18n.code("outcome", "warning"), "x"])) == "警告, x"
        assert str(said) == "over 30 minutes: counts as an absence, 2 points"
    finally:
        i18n.use("en")


def test_a_refusal_in_a_closed_month_names_the_event_in_one_sentence(demo):
    refused = demo("--lang", "zh", "log", "late", "S01", "--minutes", "5", "--at", "2026-09-10 09:05", by="L01",
                   code=ExitStatus.REFUSED)
    assert "此遲到記錄" in refused.err and "late" not in refused.err.split(":", 1)[1]


def test_every_code_csctl_knows_has_its_words():
    from csctl import models, words
    from csctl.rules import keys

    known = {words.DEPARTMENT: models.DEPARTMENTS, words.RANK: models.RANKS, words.LEVEL: models.LEVELS,
             words.EVENT_KIND: models.EVENT_KINDS, words.KEY_CATEGORY: keys.CATEGORIES}
    for context, codes in known.items():
        assert set(codes) <= set(words.CODES[context]), context
    po = catalogue.read_po()
    for context, codes in words.CODES.items():
        for code in codes:
            entry = po.get(code, context)
            assert entry is not None and entry.string and entry.string != code, (context, code)


def test_the_catalogue_holds_every_command_help_paragraph():
    found = dict(catalogue.helps())
    assert "Record a late arrival (D1: 0.5; over 30 minutes counts as an absence, D2)." in found
    assert "How many minutes late (1-1440)." in found
    assert not any(p.startswith("Example: ") for p in found)


def test_a_confirmation_names_department_rank_and_level_in_words_not_spliced_codes(dept):
    done = dept("--lang", "zh", "staff", "add", "S50", "--name", "Ma Li", "--dept", "customer_service",
                "--rank", "staff", "--level", "junior", "--hired", "2026-10-01", by="G01")
    assert done.out.startswith("已新增 #") and "(客服部,員工,初級)" in done.out
    same = dept("staff", "add", "S51", "--name", "Ma Li", "--dept", "security", "--rank", "staff",
                "--hired", "2026-10-01", by="G01")
    assert "(security, staff)" in same.out


def test_a_quantity_with_too_many_places_is_one_sentence_in_chinese():
    from csctl import parse
    from csctl.errors import InputError

    i18n.use("zh")
    try:
        with pytest.raises(InputError) as raised:
            parse.quantity("1.2345", unit="g")
        assert raised.value.line() == "qty: '1.2345' 有 4 位小數;g 只接受最多 3 位小數(Z1)"
    finally:
        i18n.use("en")
    with pytest.raises(InputError) as raised:
        parse.quantity("1.2345", unit="g")
    assert "has 4 decimal places; g takes at most 3 decimal places (Z1)" in raised.value.line()


def test_a_chinese_statement_table_totals_under_its_own_word(demo):
    assert re.search(r"│ 合計\s", demo("--lang", "zh", "month", "statement", "2026-10", env={"COLUMNS": "250"}).out)
