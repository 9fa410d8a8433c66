"""Matching accounts to registry entries: id first, then normalised name on the same platform; ambiguity reported."""

from __future__ import annotations

from audit.registry.matching import RegistryIndex
from core.models import Account
from tests.audit.factory import entry


def test_id_match_wins_even_when_the_name_changed() -> None:
    index = RegistryIndex([entry("永州公安", "3397217201")])
    match = index.match("weibo", "3397217201", "平安永州")
    assert match.how == "id" and match.entry is not None and match.entry.name == "永州公安"


def test_an_entry_without_id_matches_the_normalised_name_on_the_same_platform_only() -> None:
    index = RegistryIndex([entry("永州发布", platform="wechat")])
    assert index.match("wechat", "gh_1", "永州 發佈\u200b").how == "name"  # spaces, traditional, zero-width
    assert index.match("weibo", "1", "永州发布").how == "none"


def test_another_account_carrying_a_registered_name_is_not_that_entry() -> None:
    index = RegistryIndex([entry("永州发布", "111")])
    assert index.match("weibo", "999", "永州发布").how == "none"  # the impersonation check judges it


def test_a_name_fitting_two_entries_is_ambiguous_with_both_candidates() -> None:
    index = RegistryIndex([entry("永州发布", registry_no="A1"), entry("永州·发布", registry_no="A2")])
    match = index.match("weibo", "1", "永州发布")
    assert match.how == "ambiguous" and not match.registered and match.entry is None
    assert sorted(e.registry_no for e in match.candidates) == ["A1", "A2"]


def test_one_entry_fitted_by_two_accounts_is_ambiguous_for_both() -> None:
    index = RegistryIndex([entry("永州发布")])
    accounts = [Account("weibo", "1", "永州发布"), Account("weibo", "2", "永州发布"), Account("weibo", "3", "别的")]
    matches = index.match_all(accounts)
    assert [matches[k].how for k in ("weibo:1", "weibo:2", "weibo:3")] == ["ambiguous", "ambiguous", "none"]


def test_a_subject_known_only_by_name_matches_entries_with_ids_too() -> None:
    index = RegistryIndex([entry("永州公安", "3397217201")])
    assert index.match("weibo", "name:永州公安", "永州公安").how == "name"
