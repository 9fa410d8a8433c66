"""Real place names, so that a homophone or look-alike that is itself a real place is not an imitation.

Tone-insensitive pinyin makes 福州/抚州, 泰州/台州, 苏州/宿州 and 宜春/伊春
homophones; they are different cities whose own accounts (抚州发布 …) are
not impersonations of each other. The list holds the provinces, the
prefecture-level divisions and the county-level places whose names collide
with them; an office adds its own counties through Matcher(extra_places=…).
"""

from __future__ import annotations

from collections.abc import Iterable

PLACES_TEXT = """
北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川
贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门
石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水 太原 大同 阳泉 长治 晋城 朔州 晋中 运城 忻州
临汾 吕梁 呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔 乌兰察布 沈阳 大连 鞍山 抚顺 本溪 丹东
锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛 长春 四平 辽源 通化 白山 松原 白城 延边 哈尔滨 齐齐哈尔 鸡西
鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江 黑河 绥化 南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州
镇江 泰州 宿迁 杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 合肥 芜湖 蚌埠 淮南 马鞍山 淮北 铜陵
安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城 福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德 南昌 景德镇 萍乡
九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶 济南 青岛 淄博 枣庄 东营 烟台 潍坊 济宁 泰安 威海 日照 临沂 德州
聊城 滨州 菏泽 郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌 漯河 三门峡 南阳 商丘 信阳 周口 驻马店
济源 武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈 咸宁 随州 恩施 仙桃 潜江 天门 长沙 株洲 湘潭 衡阳
邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底 湘西 广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州
梅州 汕尾 河源 阳江 清远 东莞 中山 潮州 揭阳 云浮 南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州
河池 来宾 崇左 海口 三亚 三沙 儋州 成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安
达州 雅安 巴中 资阳 阿坝 甘孜 凉山 贵阳 六盘水 遵义 安顺 毕节 铜仁 黔东南 黔南 黔西南 昆明 曲靖 玉溪 保山
昭通 丽江 普洱 临沧 楚雄 红河 文山 西双版纳 大理 德宏 怒江 迪庆 拉萨 日喀则 昌都 林芝 山南 那曲 阿里 西安
铜川 宝鸡 咸阳 渭南 延安 汉中 榆林 安康 商洛 兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南
临夏 甘南 西宁 海东 海北 黄南 果洛 玉树 海西 银川 石嘴山 吴忠 固原 中卫 乌鲁木齐 克拉玛依 吐鲁番 哈密 昌吉
博尔塔拉 巴音郭楞 阿克苏 克孜勒苏 喀什 和田 伊犁 塔城 阿勒泰 石河子
宜兴 江阴 昆山 常熟 张家港 太仓 义乌 慈溪 余姚 诸暨 零陵 冷水滩 祁阳 东安 道县 宁远 江华 江永 蓝山 新田
双牌 浏阳 宁乡 醴陵 韶山 弋阳 宜阳 怀安 全州 甘州 彬州 邳州 兖州 楚州 辰州 梁溪 滨湖 惠山 锡山 新吴 浦东
黄浦 徐汇 静安 长宁 普陀 虹口 杨浦 闵行 宝山 嘉定 松江 青浦 奉贤 崇明 金山 海淀 东城 西城 丰台 石景山 通州
顺义 昌平 大兴 怀柔 平谷 密云 延庆 天河 越秀 海珠 荔湾 白云 黄埔 番禺 花都 南沙 增城 从化 福田 罗湖 南山
宝安 龙岗 盐田 鼓楼 玄武 秦淮 建邺 栖霞 雨花台 江宁 浦口 六合 溧水 高淳 武侯 锦江 青羊 金牛 成华 洪山
江汉 江岸 硚口 汉阳 武昌 青山 岳麓 开福 芙蓉 天心 雨花 望城 姑苏 吴中 相城 吴江 西湖 上城 拱墅 滨江 萧山
余杭 富阳 临安 建德 桐庐 淳安 鹿城 龙湾 瓯海 瑞安 乐清 永嘉 文成 苍南 平阳 泰顺 洞头
"""
PLACES: frozenset[str] = frozenset(PLACES_TEXT.split())
LEADING_KEPT = 200_000  # names whose leading place a Gazetteer remembers


class Gazetteer:
    """Longest known place at the start of a name."""

    def __init__(self, extra: Iterable[str] = ()):
        self.places = PLACES | frozenset(extra)
        self._lengths = sorted({len(p) for p in self.places}, reverse=True)
        self._leading: dict[str, str] = {}  # core -> its leading place: a check asks once per candidate

    def leading_place(self, core: str) -> str:
        """The known place `core` starts with (suffix such as 市/县 not included), or ""."""
        found = self._leading.get(core)
        if found is None:
            if len(self._leading) >= LEADING_KEPT:
                self._leading.clear()
            found = self._leading[core] = next(
                (core[:n] for n in self._lengths if len(core) > n and core[:n] in self.places), "")
        return found

    def different_places(self, a: str, b: str) -> tuple[str, str] | None:
        """(place of a, place of b) when both names start with known, different places."""
        pa, pb = self.leading_place(a), self.leading_place(b)
        if pa and pb and pa != pb:
            return pa, pb
        return None

