"""Text of the sample world: post titles and bodies, government news articles."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

TOPICS = ("安全生产", "优化营商环境", "乡村振兴", "城乡医保参保缴费", "秋冬季森林防火", "就业创业补贴",
          "义务教育招生", "文明城市创建", "防汛抗旱", "食品安全", "老旧小区改造", "消费券发放",
          "退役军人优待", "农村人居环境整治", "疫苗接种", "社保卡换发", "公积金提取", "交通安全")
TITLES = ("关于做好{t}工作的通知", "{p}召开{t}工作推进会", "{t}政策问答", "一图读懂{t}",
          "{p}{t}取得阶段性成效", "提醒！{t}最新指南来了", "{p}部署{t}专项行动", "{t}，这些变化要知道")
BODY = ("为深入贯彻落实上级部署，进一步做好{t}工作，{p}近日召开专题会议，研究部署下一阶段重点任务。",
        "会议强调，要坚持以人民为中心的发展思想，压实工作责任，确保各项措施落地见效。",
        "市民如有疑问，可拨打12345政务服务便民热线咨询。",
        "下一步，{p}将持续跟踪问效，及时回应群众关切，不断提升群众满意度。",
        "各县区、各有关单位要加强统筹协调，形成工作合力，按时报送工作进展。")
REPOST_SOURCES = ("人民日报", "新华社", "央视新闻", "中国政府网", "湖南发布", "江苏发布")
COLUMNS = ("政务动态", "部门动态", "通知公告", "县区动态")


def post_text(rng: random.Random, place: str) -> tuple[str, str]:
    """A (title, body) pair for one post of an account based in `place`."""
    topic = rng.choice(TOPICS)
    title = rng.choice(TITLES).format(t=topic, p=place)
    body = "".join(s.format(t=topic, p=place) for s in rng.sample(BODY, rng.randint(2, 4)))
    return title, body


def post_time(rng: random.Random, now: datetime, days_ago: int) -> datetime:
    """A publication time `days_ago` calendar days before `now` (today: minutes to hours ago)."""
    if days_ago == 0:
        minutes = rng.choice((0, rng.randint(3, 59), rng.randint(60, 360)))
        return now - timedelta(minutes=minutes, seconds=rng.randint(5, 50))
    day = now.date() - timedelta(days=days_ago)
    return datetime.combine(day, time(rng.randint(7, 21), rng.randint(0, 59), rng.randint(0, 59)))


@dataclass
class Article:
    """One news article of a government portal."""

    site: str
    n: int
    published_at: datetime
    title: str
    column: str
    source: str
    paragraphs: list[str]
    mentions: list[tuple[str, str]] = field(default_factory=list)  # (account name, platform)

    @property
    def path(self) -> str:
        d = self.published_at
        return f"/gov/{self.site}/news/{d:%Y%m}/t{d:%Y%m%d}_{self.n}.html"


def articles_for(rng: random.Random, site: str, place: str, owners: list[str],
                 accounts: list[tuple[str, str]], now: datetime, count: int) -> list[Article]:
    """`count` news articles of one portal, newest first, some mentioning the site's accounts."""
    out = []
    day = 0
    for i in range(count):
        day += rng.randint(0, 3)
        published = datetime.combine(now.date() - timedelta(days=day + 1), time(rng.randint(8, 18), 30))
        title, body = post_text(rng, place)
        mentions = [rng.choice(accounts)] if accounts and i % 3 == 0 else []
        out.append(Article(site, 1000 + count - i, published, title, rng.choice(COLUMNS),
                           rng.choice(owners), [body], mentions))
    return out
