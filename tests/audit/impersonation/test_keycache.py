"""The impersonation index is built once per registry version and loaded by later audits."""

from __future__ import annotations

from pathlib import Path

from audit.impersonation.keycache import cache_dir_for, matcher_for, registry_version
from audit.impersonation.keyindex import DiskIndex, MemoryIndex
from core.models import RegistryEntry
from tests.audit.open_files import open_files

ENTRIES = [RegistryEntry(name="无锡发布", platform="wechat", owner="无锡市人民政府"),
           RegistryEntry(name="永州人社", platform="weibo", owner="永州市人力资源和社会保障局", account_id="123")]
QUERIES = [("无锡发布", "wechat"), ("旡锡发布", "wechat"), ("無錫發布", "wechat"), ("永州人社官方", "weibo"),
           ("上海美食", None)]


def verdicts(matcher) -> list[str]:
    return [matcher.check(name, platform).verdict for name, platform in QUERIES]


def test_saved_index_is_loaded_and_answers_the_same(tmp_path: Path) -> None:
    built = matcher_for(ENTRIES, tmp_path)
    assert isinstance(built.index, MemoryIndex) and len(list(tmp_path.glob("*.sqlite"))) == 1
    loaded = matcher_for(ENTRIES, tmp_path)
    assert isinstance(loaded.index, DiskIndex)
    for key in built.index.postings:
        assert list(loaded.index.get(key[0], key[1:])) == built.index.postings[key]
    assert loaded.index.keys("永州人社") == built.index.keys("永州人社")
    assert verdicts(loaded) == verdicts(built) == ["registered", "impersonation", "impersonation",
                                                   "impersonation", "clear"]


def test_a_new_registry_version_replaces_the_old_file(tmp_path: Path) -> None:
    matcher_for(ENTRIES, tmp_path)
    changed = [*ENTRIES, RegistryEntry(name="宜兴发布", platform="weibo")]
    assert registry_version(changed) != registry_version(ENTRIES)
    assert matcher_for(changed, tmp_path).check("宜兴发布", "weibo").verdict == "registered"
    assert [p.stem for p in tmp_path.glob("*.sqlite")] == [registry_version(changed)]


def test_an_unreadable_file_is_rebuilt(tmp_path: Path) -> None:
    (tmp_path / f"{registry_version(ENTRIES)}.sqlite").write_bytes(b"not an index")
    assert verdicts(matcher_for(ENTRIES, tmp_path))[0] == "registered"
    assert isinstance(matcher_for(ENTRIES, tmp_path).index, DiskIndex)  # rebuilt and saved again


def test_in_memory_store_has_no_cache_folder(tmp_path: Path) -> None:
    assert cache_dir_for(":memory:") is None
    assert cache_dir_for(str(tmp_path / "store.db")) == tmp_path.resolve() / "impersonation-index"


def test_closing_a_matcher_closes_its_saved_index_file(tmp_path: Path) -> None:
    matcher_for(ENTRIES, tmp_path).close()  # built in memory: nothing to close, the file is saved
    loaded = matcher_for(ENTRIES, tmp_path)
    [path] = tmp_path.glob("*.sqlite")
    assert isinstance(loaded.index, DiskIndex) and str(path.resolve()) in open_files()
    loaded.close()
    assert str(path.resolve()) not in open_files()
