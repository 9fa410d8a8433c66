"""How official a text reads: the share of its Han characters in words of administrative prose.

Official writing (通知, 意见, 办法 …) is where slips are looked for hardest, and where the words
around a slip are the set vocabulary below; a novel, a celebrity page or classical prose has
almost none of them, and its rare words and foreign names are what a typo check mistakes for
slips. The typo check lowers its bar a little (at most `audit.content.typo_bars.REGISTER_SHIFT`) as
this share grows. The words are this project's own list of common administrative vocabulary.
"""

from __future__ import annotations

import re
from functools import lru_cache

import ahocorasick

OFFICIAL_WORDS = """
工作 推进 落实 加强 建设 部门 有关 管理 制度 规定 单位 政府 组织 开展 实施 要求 推动 完善 提高 发展 服务 监督 检查 机制
领导 责任 政策 措施 依法 保障 体系 职责 按照 根据 相关 进一步 切实 深入 全面 统筹 协调 指导 负责 审批 办理 申请 事项 规范 标准
贯彻 部署 通知 意见 办法 条例 法律 法规 行政 机关 人民 委员会 党委 党组 干部 改革 创新 经济 社会 安全 环境 资源 项目 资金
财政 监管 执法 考核 评估 任务 目标 重点 重大 强化 健全 构建 提升 促进 支持 鼓励 确保 做好 各级 各地 有序 机构 主体 企业 市场
""".split()
_HAN = re.compile(r"[\u4e00-\u9fff]")


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in OFFICIAL_WORDS:
        automaton.add_word(word, len(word))
    automaton.make_automaton()
    return automaton


def officialness(text: str) -> float:
    """Share of the Han characters of `text` inside administrative words (leftmost-longest, no overlaps)."""
    han = len(_HAN.findall(text))
    if not han:
        return 0.0
    return sum(size for _, size in _automaton().iter_long(text)) / han
