"""A deterministic synthetic corpus of implementation plans, for benchmarks and tests.

Each document is written in the genre's text format, the way the Gaoqing plan is: a notice
head (文号, issuing office, date, release note), 一、指导思想, 二、工作目标 with stages
（一）第一阶段（YYYY—YYYY年）： and their goals, 三、…措施 with pilot tasks （一）…（牵头单位：…）,
numbered work tasks ``1.`` and measures closed by （责任单位：…，各镇办）, 四、保障措施, and an
annexed task-division table of tab-separated rows with a header repeated per pilot task and
merged (empty) cells. The whole pipeline, parser included, runs on these documents.

Documents come from many counties, so units are scoped by jurisdiction; unit names come from
realistic county department lists, so most units are not in the registry (pinyin slugs).

Every document is made from its own random generator seeded with ``(seed, index)``, so the same
seed gives the same bytes on every machine and Python hash seed, and document *i* is the same in
a corpus of 10 and of 1,000. Alongside the text the generator returns what it wrote
(:class:`IntendedPlan`), so tests can check the parser against the generator's own intent.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

# Counties (all 县, so documents say 县公安局 and so on). 高青县 is in the registry: its
# documents resolve most units to registered ones; every other county's units are unregistered.
COUNTIES = (
    "高青县", "桓台县", "沂源县", "临朐县", "昌乐县", "沂水县", "平邑县", "蒙阴县", "临沭县", "郯城县",
    "宁阳县", "东平县", "汶上县", "泗水县", "梁山县", "鱼台县", "金乡县", "嘉祥县", "微山县", "阳谷县",
    "东阿县", "高唐县", "惠民县", "阳信县", "无棣县", "博兴县", "利津县", "广饶县", "庆云县", "临邑县",
    "齐河县", "平原县", "夏津县", "武城县", "宁津县", "郓城县", "鄄城县", "成武县", "巨野县", "东明县",
)

# County departments and institutions as implementation plans name them.
DEPARTMENTS = (
    "县发展改革局", "县教育和体育局", "县科技局", "县工业和信息化局", "县公安局", "县民政局", "县司法局",
    "县财政局", "县人力资源社会保障局", "县自然资源局", "县住房城乡建设局", "县交通运输局", "县水利局",
    "县农业农村局", "县商务局", "县文化和旅游局", "县卫生健康局", "县退役军人事务局", "县应急管理局",
    "县审计局", "县市场监督管理局", "县统计局", "县医疗保障局", "县行政审批服务局", "县大数据中心",
    "县供销社", "县委组织部", "县委宣传部", "县委政法委", "县委编办", "县税务局", "县融媒体中心",
    "县金融服务中心", "县乡村振兴局", "县综合行政执法局", "县林业发展中心", "县信访局", "县住房公积金管理中心",
)
COLLECTIVES = ("各镇办", "各乡镇人民政府", "各镇（街道）")

TOPICS = (
    "城乡融合发展试验区建设", "乡村振兴示范区建设", "数字乡村建设", "农村人居环境整治提升", "县域商业体系建设",
    "营商环境优化提升", "新型城镇化建设", "现代农业产业园建设", "公共文化服务体系建设", "义务教育优质均衡发展",
    "医养结合示范县创建", "农村集体产权制度改革", "黄河流域生态保护", "社会信用体系建设", "全域旅游示范区创建",
)
PLAN_KINDS = ("实施方案", "工作方案", "行动方案")
SECTION_MEASURES = ("主要措施", "重点任务", "试验措施", "工作措施")
SECTION_GOALS = ("工作目标", "试验目标", "主要目标")

VERBS = ("建立", "健全", "完善", "推进", "推动", "实施", "加强", "创新", "打造", "构建", "深化", "优化",
         "提升", "拓展", "规范", "培育", "落实", "开展", "强化", "探索")
OBJECTS = (
    "城乡统一的要素市场", "农村产权交易平台", "乡村人才培育机制", "基本公共服务供给体系", "农村基础设施管护机制",
    "集体经营性建设用地入市制度", "宅基地自愿有偿退出机制", "农业社会化服务体系", "县域商业网点布局",
    "农产品冷链物流体系", "农村电商服务站点", "数字化治理平台", "网格化社会治理体系", "乡村公共文化阵地",
    "城乡学校共同体", "县域医共体", "农村养老服务网络", "生态产品价值实现机制", "河湖长效管护机制",
    "农村生活污水治理设施", "农村厕所改造后续管护", "特色产业集群", "农业绿色发展先行区", "新型农业经营主体",
    "普惠金融服务体系", "涉农信用信息平台", "政务服务一网通办机制", "企业开办全程网办", "重点项目帮办代办制度",
    "城乡公交一体化网络", "农村供水保障体系", "防汛抗旱应急体系", "安全生产风险排查机制", "乡村振兴人才驿站",
    "返乡入乡创业园区", "科技特派员服务机制", "高标准农田建设", "耕地保护责任制度", "村庄规划编制",
    "农村承包地流转服务", "集体经济组织运行机制", "文化旅游融合项目", "市场主体信用监管", "食品安全追溯体系",
)
EFFECTS = (
    "形成可复制可推广的经验", "提高资源配置效率", "保障农民合法权益", "促进城乡要素双向流动", "增强发展内生动力",
    "补齐公共服务短板", "提升群众满意度", "推动县域经济高质量发展", "实现年度目标任务", "健全长效运行机制",
    "扩大有效投资", "带动农民持续增收", "守住安全发展底线", "提升治理效能", "优化空间布局",
    "激发市场主体活力", "改善农村人居环境", "促进产业融合发展", "夯实基层工作基础", "提高服务便利化水平",
)
DETAILS = (
    "明确责任分工和时间节点", "建立工作台账", "按季度调度推进情况", "加大财政资金支持力度", "引导社会资本参与",
    "完善配套政策措施", "开展试点示范", "强化督导检查", "加强部门协同联动", "推行清单化管理",
    "健全考核评价办法", "做好宣传引导", "及时总结推广经验", "落实属地管理责任", "加强数据共享",
)
GOAL_PHRASES = (
    "体制机制基本建立", "制度框架初步形成", "重点任务取得阶段性成效", "试点经验得到推广", "服务水平明显提升",
    "短板弱项有效补齐", "发展质量稳步提高", "运行机制更加完善", "群众获得感显著增强", "示范作用充分发挥",
)


@dataclass(frozen=True)
class IntendedMeasure:
    text: str  # without the 落实措施： label and the annotation
    units: tuple[str, ...]  # departments first, then a collective if any


@dataclass(frozen=True)
class IntendedWorkTask:
    number: int
    title: str
    measures: tuple[IntendedMeasure, ...]


@dataclass(frozen=True)
class IntendedPilotTask:
    number: int
    title: str
    leads: tuple[str, ...]
    work_tasks: tuple[IntendedWorkTask, ...]


@dataclass(frozen=True)
class IntendedStage:
    number: int
    start_year: int
    end_year: int
    goals: tuple[str, ...]


@dataclass(frozen=True)
class IntendedAnnexRow:
    pilot_task: str
    leads: tuple[str, ...]
    work_task: str
    text: str
    units: tuple[str, ...]


@dataclass
class IntendedPlan:
    """What the generator wrote into one document."""

    file_name: str
    county: str
    doc_number: str
    issuer: str
    issued: date
    title: str
    stages: tuple[IntendedStage, ...]
    pilot_tasks: tuple[IntendedPilotTask, ...]
    safeguard_titles: tuple[str, ...]
    safeguard_bodies: tuple[tuple[str, ...], ...]
    annex: tuple[IntendedAnnexRow, ...]
    # ("responsible-units", measure id) where the annex leaves out a unit the body names.
    discrepancies: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def measures(self) -> list[IntendedMeasure]:
        return [m for pt in self.pilot_tasks for wt in pt.work_tasks for m in wt.measures]


def _rng(seed: int, index: int) -> random.Random:
    # Seeding with a str hashes it with SHA-512: the same on every run and hash seed.
    return random.Random(f"policykg-synthetic:{seed}:{index}")


class _Phrases:
    """Distinct phrases within one document, so no measure's text is inside another's."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used: set[tuple[str, str]] = set()

    def action(self) -> str:
        while True:
            pair = (self.rng.choice(VERBS), self.rng.choice(OBJECTS))
            if pair not in self.used:
                self.used.add(pair)
                return "".join(pair)


def generate_plan(index: int, seed: int = 0) -> tuple[str, IntendedPlan]:
    """The text of synthetic document ``index`` and what it says."""
    rng = _rng(seed, index)
    phrases = _Phrases(rng)
    county = rng.choice(COUNTIES)
    short = county[:-1] if len(county) > 2 else county
    topic = rng.choice(TOPICS)
    title = f"{county}{topic}{rng.choice(PLAN_KINDS)}"
    year = rng.randint(2018, 2024)
    issued = date(year, rng.randint(1, 12), rng.randint(1, 28))
    doc_number = f"{short[0]}政办字〔{year}〕{rng.randint(1, 60)}号"
    issuer = f"{county}人民政府办公室"
    departments = list(DEPARTMENTS) + [f"市生态环境局{short}分局"]
    pool = rng.sample(departments, rng.randint(12, 18))  # the units this plan names
    collective = rng.choice(COLLECTIVES)

    out: list[str] = []

    def par(text: str) -> None:
        out.append(text)
        out.append("")

    par(doc_number)
    out.append(issuer)
    par(f"关于印发《{title}》的通知")
    par("各镇人民政府，各街道办事处，县政府各部门，各有关单位：")
    par(f"《{title}》已经县政府同意，现印发给你们，请认真组织实施。")
    par(issuer)
    par(f"{issued.year}年{issued.month}月{issued.day}日")
    par("（此件公开发布）")
    par(title)
    par(f"为深入推进{topic}工作，{rng.choice(EFFECTS)}，结合我县实际，制定本方案。")

    par("一、指导思想")
    par(f"以习近平新时代中国特色社会主义思想为指导，全面贯彻党的二十大精神，坚持稳中求进工作总基调，"
        f"以{phrases.action()}为抓手，{rng.choice(EFFECTS)}，为全县高质量发展提供有力支撑。")

    par(f"二、{rng.choice(SECTION_GOALS)}")
    stages = []
    start = year
    for number in range(1, rng.choice((2, 2, 3)) + 1):
        end = start + rng.randint(1, 2)
        name = "第" + "一二三"[number - 1] + "阶段"
        par(f"（{'一二三'[number - 1]}）{name}（{start}—{end}年）：")
        par(f"到{end}年，{rng.choice(GOAL_PHRASES)}。")
        goals = tuple(f"{phrases.action()}{rng.choice(GOAL_PHRASES)}。" for _ in range(rng.randint(2, 3)))
        par("具体内容为：" + "".join(goals))
        stages.append(IntendedStage(number, start, end, goals))
        start = end + 1

    par(f"三、{rng.choice(SECTION_MEASURES)}")
    pilot_tasks = []
    work_number = 0
    for pt_number in range(1, rng.randint(2, 3) + 1):
        pt_title = phrases.action()
        leads = tuple(rng.sample(pool, rng.choice((1, 1, 2))))
        par(f"（{'一二三四'[pt_number - 1]}）{pt_title}（牵头单位：{'、'.join(leads)}）")
        work_tasks = []
        for _ in range(rng.randint(1, 2)):
            work_number += 1
            wt_title = f"{phrases.action()}，{rng.choice(EFFECTS)}"
            par(f"{work_number}. {wt_title}。")
            measures = []
            for k in range(rng.randint(1, 2)):
                text = f"{phrases.action()}，{rng.choice(DETAILS)}，{rng.choice(EFFECTS)}"
                units = tuple(rng.sample(pool, rng.randint(1, 4)))
                if rng.random() < 0.7:
                    units += (collective,)
                depts = [u for u in units if u not in COLLECTIVES]
                annotation = "、".join(depts) + ("，" + collective if collective in units else "")
                par(("落实措施：" if k == 0 else "") + f"{text}。（责任单位：{annotation}）")
                measures.append(IntendedMeasure(text + "。", units))
            work_tasks.append(IntendedWorkTask(work_number, wt_title, tuple(measures)))
        pilot_tasks.append(IntendedPilotTask(pt_number, pt_title, leads, tuple(work_tasks)))

    par("四、保障措施")
    group = f"{county}{topic}工作领导小组"
    safeguards = (
        ("加强组织领导", f"成立{group}，统筹推进各项工作，协调解决重大问题。", (group,)),
        ("强化督导考核", "将重点任务纳入年度综合考核，定期通报工作进展情况。", ()),
        ("营造良好氛围", "加大宣传力度，及时总结推广典型经验做法。", ()),
    )
    for k, (heading, text, _) in enumerate(safeguards):
        par(f"（{'一二三'[k]}）{heading}。{text}")

    annex_title = f"{county}{topic}重点任务分工表"
    par(f"附件：{annex_title}")
    par("附件")
    par(annex_title)
    header = "重点任务\t牵头单位\t工作任务\t具体措施\t责任单位"
    rows: list[IntendedAnnexRow] = []
    discrepancies: list[tuple[str, str]] = []
    short_measure = None
    if rng.random() < 0.3:  # the annex leaves one unit out of one measure's list
        candidates = [(wt.number, k) for pt in pilot_tasks for wt in pt.work_tasks
                      for k, m in enumerate(wt.measures, start=1)
                      if len([u for u in m.units if u not in COLLECTIVES]) >= 2]
        if candidates:
            short_measure = rng.choice(candidates)
            discrepancies.append(("responsible-units", f"{short_measure[0]}.{short_measure[1]}"))
    for pt in pilot_tasks:
        out.append(header)
        first_of_pilot = True
        for wt in pt.work_tasks:
            first_of_work = True
            previous_units: tuple[str, ...] | None = None
            for k, m in enumerate(wt.measures, start=1):
                units = m.units
                if short_measure == (wt.number, k):
                    depts = [u for u in units if u not in COLLECTIVES]
                    units = tuple(u for u in units if u != depts[-1])
                depts = [u for u in units if u not in COLLECTIVES]
                cell = "、".join(depts) + ("，" + collective if collective in units else "")
                cells = [
                    pt.title if first_of_pilot else "",
                    "、".join(pt.leads) if first_of_pilot else "",
                    wt.title + "。" if first_of_work else "",
                    m.text,
                    "" if units == previous_units else cell,  # merged with the cell above
                ]
                out.append("\t".join(cells))
                rows.append(IntendedAnnexRow(pt.title, pt.leads, wt.title + "。", m.text, units))
                first_of_pilot = first_of_work = False
                previous_units = units
        out.append("")

    plan = IntendedPlan(
        file_name=f"synthetic-{index:05d}.txt",
        county=county, doc_number=doc_number, issuer=issuer, issued=issued, title=title,
        stages=tuple(stages), pilot_tasks=tuple(pilot_tasks),
        safeguard_titles=tuple(s[0] for s in safeguards),
        safeguard_bodies=tuple(s[2] for s in safeguards),
        annex=tuple(rows), discrepancies=tuple(discrepancies),
    )
    return "\n".join(out), plan


def generate_corpus(n: int, out: str | Path, seed: int = 0) -> list[IntendedPlan]:
    """Write ``n`` synthetic documents into ``out`` (created if missing); return what they say."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    plans = []
    for index in range(1, n + 1):
        text, plan = generate_plan(index, seed)
        (folder / plan.file_name).write_bytes(text.encode("utf-8"))
        plans.append(plan)
    return plans
