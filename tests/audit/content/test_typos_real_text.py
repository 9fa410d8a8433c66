"""Typo checks on real text: names, numbered articles and government abbreviations are never flagged,
the classes inspectors need still are, and `check page` reads the article, not the page around it."""

from __future__ import annotations

import json

import pytest

from audit.content.protect import protected_spans
from audit.content.typos import TypoDetector
from govwatch.cli import main


@pytest.fixture(scope="module")
def detector() -> TypoDetector:
    return TypoDetector()


@pytest.mark.parametrize(
    ("text", "name"),
    [("主持人： 逄锦聚（南开大学副校长）", "逄锦聚"), ("本报讯（记者 张明超）昨日", "张明超"),
     ("李稻葵教授指出，要稳增长。", "李稻葵"), ("郝梦麟、阿部规秀等人物", "郝梦麟"),
     ("根据国办发〔2024〕5号文件", "国办发〔2024〕5号"), ("依照本法第十二条规定", "第十二条"),
     ("省政办函〔2023〕12号", "省政办函"), ("市府办转发", "市府办")],
)
def test_protected_spans_cover_names_articles_and_document_numbers(text: str, name: str) -> None:
    spans = [text[a:b] for a, b in protected_spans(text)]
    assert any(name in span for span in spans), spans


@pytest.mark.parametrize(
    "text",
    ["本报讯（记者 张明超 樊亮）13岁的李某昨日生下一名女婴。", "主持人：逄锦聚（南开大学副校长）",
     "评论人：蒋殿春（南开大学国际经济研究所）", "根据国办发〔2024〕5号和省政办函〔2023〕12号文件精神，依照第十二条执行。",
     "李稻葵指出，当前经济运行总体平稳。"],
)
def test_no_alarm_on_names_and_official_numbering(detector: TypoDetector, text: str) -> None:
    assert detector.check(text) == []


@pytest.mark.parametrize(
    ("text", "written"),
    [("希望大家再接再励，取得更好成绩。", "再接再励"), ("计划于2O2X年完成。", "2O2X"), ("2O19年以来", "2O19")],
)
def test_fixed_collocations_and_letters_in_numbers_are_still_flagged(detector: TypoDetector, text: str,
                                                                      written: str) -> None:
    assert written in [t.text for t in detector.check(text)]


def test_check_page_reads_the_article_not_the_menu(tmp_path, capsys) -> None:
    """A wrong form in the footer is not the article's; the same form in the article is reported."""
    article = "<p>" + "市政府召开常务会议，研究部署当前重点工作，会议要求各部门抓好落实。" * 6 + "</p>"
    footer = "<div class='footer'>版权所有 各部门要想法设法解决群众困难 网站标识码</div>"
    path = tmp_path / "page.html"
    path.write_text(f"<html><head><title>通知</title></head><body><h1>通知</h1>{article}{footer}</body></html>",
                    encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["check", "page", str(path), "--json"])
    assert json.loads(capsys.readouterr().out)["typos"] == []
    path.write_text(f"<html><head><title>通知</title></head><body><h1>通知</h1>{article}"
                    "<p>各部门要想法设法解决群众困难。</p></body></html>", encoding="utf-8")
    with pytest.raises(SystemExit):
        main(["check", "page", str(path), "--json"])
    found = json.loads(capsys.readouterr().out)["typos"]
    assert [t["text"] for t in found] == ["想法设法"]
    assert path.read_text(encoding="utf-8")[found[0]["offset"]:].startswith("想法设法")
