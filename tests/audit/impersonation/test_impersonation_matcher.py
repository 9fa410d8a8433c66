"""Pins the Matcher's verdict rules, ranking, account facts and indexed (non-scanning) candidate search."""

from __future__ import annotations

from datetime import datetime

import pytest

from audit.impersonation import Matcher
from audit.impersonation import matcher as matcher_module
from audit.impersonation.facts import owner_named
from audit.impersonation.signals import describe_normalisation
from core.errors import BadInputError
from core.models import Account, RegistryEntry
from core.names.confusables import looks_alike, shape_key
from core.names.forms import claims_government, name_forms, suffix_conflict

NOW = datetime(2026, 11, 23, 10, 0)
REGISTRY = [
    RegistryEntry("永州人社", "wechat", "gh_yzrs", owner="永州市人力资源和社会保障局"),
    RegistryEntry("永州人社", "weibo", "", owner="永州市人力资源和社会保障局"),
    RegistryEntry("广州公安", "weibo", "2000", owner="广州市公安局"),
    RegistryEntry("上海发布", "weibo", "3000", owner="上海市人民政府新闻办公室"),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(REGISTRY)


def test_same_platform_and_account_id_is_registered_even_after_a_rename(matcher: Matcher) -> None:
    """platform + account_id identifies the registered account whatever its current name."""
    acc = Account("weibo", "2000", "广州公安2026")
    result = matcher.check(acc.name, "weibo", acc)
    assert result.verdict == "registered"
    assert result.candidates[0].name == "广州公安"


def test_registered_name_with_another_account_id_is_impersonation(matcher: Matcher) -> None:
    """The registered name on the same platform but under another id is not that entry: impersonation."""
    acc = Account("wechat", "gh_fake", "永州人社")
    result = matcher.check(acc.name, "wechat", acc)
    assert result.verdict == "impersonation"
    assert any("differs from the registered id gh_yzrs" in r for r in result.candidates[0].reasons)


def test_entry_without_account_id_matches_any_account_by_name(matcher: Matcher) -> None:
    """An entry with no recorded id is matched by normalised name on its platform, as in registry matching."""
    acc = Account("weibo", "9999", "永州人社")
    assert matcher.check(acc.name, "weibo", acc).verdict == "registered"


def test_without_platform_an_identical_name_on_any_platform_is_registered(matcher: Matcher) -> None:
    """No platform given: the name is judged against every platform."""
    assert matcher.check("上海发布").verdict == "registered"


def test_identical_name_on_an_unregistered_platform_names_both_platforms(matcher: Matcher) -> None:
    """Cross-platform: the reason says where the name is registered and where it is not."""
    result = matcher.check("广州公安", "douyin")
    assert result.verdict == "impersonation"
    assert "this name is registered on weibo, not on douyin" in result.candidates[0].reasons


def test_same_platform_candidate_ranks_first(matcher: Matcher) -> None:
    """Among equally good entries the one on the query's platform comes first."""
    result = matcher.check("永州人社官微", "weibo")
    assert [c.platform for c in result.candidates[:2]] == ["weibo", "wechat"]
    assert result.candidates[0].score > result.candidates[1].score


def test_clear_result_still_explains_near_names(matcher: Matcher) -> None:
    """A clear verdict lists near entries with the reason they do not count."""
    result = matcher.check("长沙县人社", "wechat")
    assert result.verdict == "clear"
    big = Matcher([RegistryEntry("长沙人社", "wechat", owner="长沙市人力资源和社会保障局")])
    near = big.check("长沙县人社", "wechat")
    assert near.verdict == "clear"
    assert near.candidates[0].reasons == ["another administrative level of 长沙"]


def test_name_of_decorations_only_is_bad_input(matcher: Matcher) -> None:
    """A name with no letter or digit after normalisation raises BadInputError naming the field."""
    with pytest.raises(BadInputError, match="name"):
        matcher.check("【🔥】")


def test_result_json_shape(matcher: Matcher) -> None:
    """as_dict has exactly the DESIGN.md keys, scores within 0..1."""
    data = matcher.check("永洲人社", "wechat").as_dict()
    assert set(data) == {"query", "verdict", "candidates"}
    cand = data["candidates"][0]  # type: ignore[index]
    assert set(cand) == {"name", "platform", "owner", "score", "reasons"}
    assert 0 <= cand["score"] <= 1


def test_account_facts_are_reasons(matcher: Matcher) -> None:
    """Unverified, young accounts with shop links get those facts as reasons on the candidate."""
    acc = Account("douyin", "d1", "永洲人社", verified=False, created_at=datetime(2026, 11, 1))
    result = matcher.check(acc.name, "douyin", acc, now=NOW, links=["https://shop.example.com/x", "https://item.taobao.com/1"])
    reasons = result.candidates[0].reasons
    assert "account not verified" in reasons
    assert "account created recently: 2026-11-01 (22 days before the check)" in reasons
    assert any(r.startswith("commercial links: ") and "taobao" in r for r in reasons)


def test_verification_naming_or_not_naming_the_owner(matcher: Matcher) -> None:
    """A verification text is checked against the owner, in full or abbreviated form; a company is called out."""
    def verified(reason: str) -> Account:
        return Account("douyin", "d2", "广州公安", verified=True, verified_type="organisation", verified_reason=reason)

    own = matcher.check("广州公安", "douyin", verified("广州市公安局"))
    other = matcher.check("广州公安", "douyin", verified("某某文化传媒"))
    shop = matcher.check("广州公安", "douyin", verified("广州某商贸有限公司"))
    assert own.verdict == other.verdict == shop.verdict == "impersonation"  # the name decides
    assert any("verification names the registered owner" in r for r in own.candidates[0].reasons)
    assert any("does not name the registered owner 广州市公安局" in r for r in other.candidates[0].reasons)
    assert any(r.startswith("verification names a business") for r in shop.candidates[0].reasons)
    assert owner_named("永州市人社局官方账号", "永州市人力资源和社会保障局")


def test_candidates_come_from_the_index_not_a_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """On a registry of 9,000 entries a check scores a bounded short list, not the whole registry."""
    places = [a + b for a in "安宁平和兴华昌盛泰福康乐永新城山江河湖海" for b in "川林峰岭阳明光德仁义信东南西北"]
    words = ("发布", "公安", "人社", "文旅", "教育", "医保", "交警", "应急", "融媒", "税务")
    entries = [RegistryEntry(p + w, plat, owner=f"{p}市") for p in places for w in words for plat in ("wechat", "weibo", "douyin")]
    big = Matcher(entries)
    scored: list[int] = []
    original = matcher_module.assess

    def counting(*args, **kwargs):  # type: ignore[no-untyped-def]
        scored.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(matcher_module, "assess", counting)
    for name in ("安川法布", "平林公按官方", "兴华发布局", "上海美食地图"):
        scored.clear()
        big.check(name, "wechat")
        assert len(scored) <= 60, (name, len(scored))
    assert len(entries) == 9000


@pytest.mark.parametrize(
    ("a", "b", "alike"),
    [("土", "上", True), ("夬", "央", True), ("水", "永", True), ("杜", "社", True), ("上", "上", False),
     ("州", "安", False)],
)
def test_look_alike_table(a: str, b: str, alike: bool) -> None:
    """The confusion table pairs look-alike characters and nothing else."""
    assert looks_alike(a, b) is alike
    assert (shape_key(a) == shape_key(b)) is (alike or a == b)


@pytest.mark.parametrize(
    ("name", "forms"),
    [
        ("永州市人力资源和社会保障局", ("永州人社",)),
        ("广州市公安局", ("广州公安",)),
        ("湖南省文化和旅游厅", ("湖南文旅",)),
        ("永州市市场监督管理局", ("永州市场监管",)),
        ("永州市公安局零陵分局", ("永州零陵公安", "零陵公安")),
        ("中国共产主义青年团中央委员会", ("共青团中央",)),
        ("上海美食地图", ("上海美食地图",)),
    ],
)
def test_abbreviated_forms(name: str, forms: tuple[str, ...]) -> None:
    """Owner names abbreviate by the common rules (市/省 dropped, 人力资源和社会保障→人社, 公安局→公安 …)."""
    assert name_forms(name).forms == forms


def test_region_level_conflict_and_government_claim() -> None:
    """长沙县 vs 长沙市 is a conflict; 发布 claims a government identity, 美食地图 does not."""
    assert suffix_conflict(name_forms("长沙县人社").places, name_forms("长沙市人社局").places) == "长沙"
    assert suffix_conflict(name_forms("长沙人社").places, name_forms("长沙市人社局").places) == ""
    assert claims_government("上海发布") and not claims_government("上海美食地图")


def test_describe_normalisation_names_the_trick() -> None:
    """The reasons say which trick normalisation undid."""
    assert describe_normalisation("廣州\u200b公安【官方】") == [
        "zero-width or invisible characters", "traditional characters",
        "decorative brackets, punctuation or symbols (【】, ★ …)",
    ]
    assert describe_normalisation("ＹＯＮＧＺＨＯＵ") == ["full-width or compatibility characters", "letter case"]
    assert describe_normalisation("永州 发布") == ["inserted spaces"]
