"""The notice head and the signature: a plan's 文号, issuer, date, titles, recipients and place.

Read from the lines before the first section, from a signature after the body (on lines of its
own, or run on after the last sentence of a text without line breaks), and from what a web page
declares (its title) where the text shows none.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date

from ..errors import DocumentError
from .annotations import split_names
from .decode import Line, SourceText
from .lines import Paragraph
from .model import Metadata

DOC_NUMBER = re.compile(r"\S+?[〔\[［(（]\d{4}[〕\]］)）]\s*\d+\s*号")
NUMBER_AFTER_TITLE = re.compile(r"(?:通知|意见|决定|批复|方案|计划|要点|办法|措施|细则)(?=[^〔\[［(（]{1,8}[〔\[［(（]\d{4})")
SIGNED_AT_END = re.compile(
    r"(?<=[。；])([\u4e00-\u9fff]{2,30})(\d{4})年(\d{1,2})月(\d{1,2})日(?:[（(]此件[^)）]*[)）])?$")
DATE_LINE = re.compile(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$")
RELEASE_NOTE = re.compile(r"^[（(](此件[^)）]*)[)）]$")
DB_HEADER = re.compile(r"(?:索引号|发布机构|发文字号|成文日期|主题分类|文件名称|文件编号|文档类型|发布日期)\s*[：:]")
ISSUER_SUFFIX = re.compile(r"(?:办公室|办公厅|人民政府|政府|委员会|联合会|联席会议|领导小组|指挥部|委|厅|局|部|院|中心|公司)$")
ISSUER_IN_LINE = re.compile(r"(?:办公室|办公厅|人民政府|委员会|联合会|局|厅|中心|公司)")
# the mark of a seal after a signing body, or on the line below it: 省…厅际联席会议（代章） (51),
# 重庆市减轻企业负担联席会议办公室 / （代章） (61)
SEAL = re.compile(r"\s*[（(](?:代章|盖章|印章)[)）]$")
SIGNER_START = re.compile(r"(?:中共|国家|国网|共青团)?[\u4e00-\u9fff]{1,6}?(?:省|市|自治区)")
# what the genre's documents are called: 实施方案, 行动计划, 工作要点, 实施意见, 考评办法, 若干措施,
# 实施细则, 任务分工
TITLE_ENDINGS = ("方案", "计划", "要点", "意见", "办法", "措施", "举措", "细则", "分工", "若干政策")
QUALIFIER = re.compile(r"[（(][^（()）]{1,12}[)）]")  # （试行）, （征求意见稿）, （2023-2025年）
NOTICE_END = re.compile(r"(?:通知|意见|决定|批复|函|方案|计划|要点|办法|措施|举措|细则|分工)$")
NATIONAL_ISSUERS = ("国务院", "中共中央", "国家")
JURISDICTION = re.compile(r"^([\u4e00-\u9fff]{1,12}?(?:自治县|自治州|县|市|区|旗|州|省))(?:人民政府|政府|委员会|党委|办公室)")
# 湖北省农业农村厅, 安徽省推进…领导小组办公室: a department or body of the place its name opens with
PLACE_PREFIX = re.compile(r"^(?![全本我各该])([\u4e00-\u9fff]{1,7}?(?:自治区|省|市(?!场)|自治县|县|区|旗))(?=[\u4e00-\u9fff“])")
# an issuer that names its level and not its place (省完善促进消费体制机制厅际联席会议), and the
# endings of a place of that level
LEVEL_OF_ISSUER = re.compile("^(?:省|市(?!场)|县|区)")
LEVELS = {"省": ("省", "自治区"), "市": ("市",), "县": ("县", "自治县", "旗"), "区": ("区",)}
SELECTION_WORDS = ("入选", "确定为", "列为", "批准", "获批")


def is_sentence(text: str) -> bool:
    return bool(re.search("[，。；]", text))


def read_metadata(source: SourceText, head: list[Line], tail: list[Line],
                  notice: Metadata | None = None) -> Metadata:
    """A document's metadata: from its ``head`` (the lines before its first section), the ``tail``
    after its body (a signature), what the file declares (a page's title), and, for the second
    document a notice 印发, the ``notice``'s own."""
    metadata = read_head(source, head, tail)
    if notice is not None:
        metadata = dataclasses.replace(notice, title=metadata.title, context=metadata.context)
    if notice_of_page(source, metadata):
        # the notice title a page declares (its <title>, ArticleTitle) where the text it shows has none
        # of its own: the page starts at the addressees (40), or only repeats the plan's title (43)
        metadata.notice_title = source.title
        metadata.issuer = metadata.issuer or issuer_of(source.title)
        metadata.jurisdiction = metadata.jurisdiction or jurisdiction(
            metadata.issuer, metadata.notice_title, metadata.title)
    declared = getattr(source, "declared", {})
    if metadata.doc_number is None and "doc_number" in declared:
        metadata.doc_number = declared["doc_number"]  # a page's information table (70, 72)
    metadata.issued = metadata.issued or _declared_date(declared, "written")
    metadata.published = _declared_date(declared, "published")
    if metadata.title is None and getattr(source, "title", None):
        # the title the file declares (a page's ArticleTitle): the notice's, or the plan's own
        metadata.notice_title, metadata.title = (title_from_notice(source.title, [])
                                                 or (None, source.title))
        metadata.issuer = metadata.issuer or issuer_of(metadata.notice_title)
        metadata.jurisdiction = metadata.jurisdiction or jurisdiction(
            metadata.issuer, metadata.notice_title, metadata.title)
    if metadata.jurisdiction is None and "site" in declared:
        metadata.jurisdiction = site_jurisdiction(declared["site"], metadata.issuer)
    return metadata


def _declared_date(declared: dict, key: str) -> date | None:
    """The date a page declares under ``key`` (its 成文日期 or 发布日期), None if it gives none or
    one that is no date."""
    try:
        return date.fromisoformat(declared[key]) if key in declared else None
    except ValueError:
        return None


def site_jurisdiction(site: str, issuer: str | None) -> str | None:
    """The place of the site that published a document whose text names none (90: 宿州市房产管理服务中心
    publishes 我市出台《…若干措施》), unless the issuer says another level (51: 省…联席会议 on a 市 site
    would be a province's plan reposted)."""
    place = next(filter(None, (jurisdiction(part) for part in site.split("_"))), None)
    level = LEVEL_OF_ISSUER.match(issuer or "")
    if place is None or place == "全国" or (level and not place.endswith(LEVELS[level.group(0)])):
        return None
    return place


def sign_from_closing(metadata: Metadata, source: SourceText, closing: Paragraph | None) -> None:
    """A signature at the end of the text that closes the plan, where it ran on after the last
    sentence of a text without line breaks (22: …落地见效。国务院办公厅2020年7月15日)."""
    if metadata.issued is not None or closing is None:
        return
    signed = signature(source, [(Line(closing.line, closing.span().start, closing.text), closing.text.strip())])
    if signed:
        issuers, metadata.issued = signed
        if metadata.issuer is None and issuers:
            metadata.issuer, metadata.co_issuers = issuers[0], issuers[1:]


def read_head(source: SourceText, lines: list[Line], tail: list[Line]) -> Metadata:
    """The notice head before the first section, and a signature and date after the body."""
    meta = Metadata()
    texts = [(line, line.text.strip().replace("**", "").strip()) for line in lines]
    texts = [(line, text) for line, text in texts if text]
    recipients_at = None
    for k, (_line, text) in enumerate(texts):
        if meta.doc_number is None and (number := _doc_number(text)):
            meta.doc_number = number
        elif meta.release_note is None and (m := RELEASE_NOTE.match(text)):
            meta.release_note = m.group(1)
        elif recipients_at is None and text.endswith(("：", ":")) and not is_title(text) and len(text) > 2:
            meta.recipients = split_names(text.rstrip("：:"))
            recipients_at = k

    closing = [(line, line.text.strip()) for line in tail if line.text.strip()]
    signed = signature(source, texts) or signature(source, closing)
    if meta.release_note is None and (m := next(filter(None, (RELEASE_NOTE.match(t) for _, t in closing)), None)):
        meta.release_note = m.group(1)
    if signed:
        issuers, meta.issued = signed
        meta.issuer, meta.co_issuers = (issuers[0], issuers[1:]) if issuers else (None, [])

    notice_at = next((k for k, (_, text) in enumerate(texts)
                      if ("关于" in re.sub("《[^》]*》", "", text) or PRINTING_LINE.search(text))
                      and not DB_HEADER.search(text)
                      and not re.search("[。，]", text.split("关于", 1)[0])), None)  # not 75's 10月13日，…发布了关于…
    if notice_at is not None:
        start = notice_at
        if start > 0 and _signs(texts[start - 1][1]) and not (start > 1 and _signs(texts[start - 2][1])):
            start -= 1  # the issuing body on its own line above 关于… (not the last of several: 39)
        end = notice_at
        while end < len(texts) - 1 and not is_sentence(texts[end + 1][1]) and (
                _open_quote("".join(text for _, text in texts[notice_at:end + 1]))
                or not (NOTICE_END.search(_before_number(texts[end][1])) or PRINTING_LINE.search(texts[end][1]))):
            # a title broken over lines, not the preamble after it (74), nor where a line ends with
            # what could end a title inside the 《》 of the document it prints (91: …限制性举措 / …》的通知)
            end += 1
        meta.notice_title = "".join(text for _, text in texts[start:end]) + _before_number(texts[end][1])
        meta.issuer = meta.issuer or issuer_of(meta.notice_title)

    # the document a notice prints (关于印发《X》的通知), not one a title names (80: 关于贯彻执行《X》的实施细则)
    quoted = re.search("《(.+?)》", meta.notice_title or "") if not is_title(meta.notice_title or "") else None
    standalone = [k for k, (_, text) in enumerate(texts)  # not a database's 文件名称：X line (89)
                  if is_title(text) and not DB_HEADER.search(text) and (notice_at is None or k > notice_at)]
    if quoted:
        meta.title = quoted.group(1)
    elif meta.notice_title and is_title(meta.notice_title):
        meta.title = meta.notice_title
    elif standalone:
        k = standalone[0]
        meta.title = texts[k][1]
        if k > 0 and _title_fragment(texts[k - 1][1]) and len(texts[k - 1][1] + meta.title) <= 60:
            meta.title = texts[k - 1][1] + meta.title  # a title broken over two lines
        for _, text in texts[k + 1:]:  # 75: …的若干措施 / （试行） on the line below
            if not QUALIFIER.fullmatch(text):
                break
            meta.title += text
    if meta.title is None:
        meta.notice_title, meta.title = title_from_notice(meta.notice_title, texts) or (meta.notice_title, None)
    if standalone:
        preface = texts[standalone[-1] + 1:]
    else:
        preface = texts[(recipients_at if recipients_at is not None else len(texts)) + 1:]
    sentences = [s + "。" for _, text in preface if not DATE_LINE.match(text) and not RELEASE_NOTE.match(text)
                 for s in text.split("。") if s.strip()]
    if sentences:
        chosen = [s for s in sentences if any(w in s for w in SELECTION_WORDS)]
        meta.context = (chosen or sentences)[0]
    meta.jurisdiction = jurisdiction(meta.issuer, meta.notice_title, meta.title)
    return meta


# 国家税务总局重庆市税务局: a national body's local branch belongs to its place
LOCAL_BRANCH = re.compile(r"^国家[\u4e00-\u9fff]{1,8}?总局([\u4e00-\u9fff]{1,7}?(?:自治区|省|市))")


def jurisdiction(*names: str | None) -> str | None:
    """The place of the first of ``names`` (issuer, notice title, title) that names one: 湖北省农业农村厅 →
    湖北省; an issuer that says only its level (省政府办公厅) leaves the place to the titles."""
    for name in names:
        if not name:
            continue
        if m := LOCAL_BRANCH.match(name):
            return m.group(1)
        if name.startswith(NATIONAL_ISSUERS):
            return "全国"
        if m := JURISDICTION.match(name) or PLACE_PREFIX.match(name):
            if len(m.group(1)) > 1 and m.group(1) not in ("省", "市", "县", "区"):
                return m.group(1)
    return None


def notice_of_page(source: SourceText, metadata: Metadata) -> bool:
    """Whether the page declares the notice that prints the plan while the text gives none."""
    page = getattr(source, "title", None)
    if not page or not metadata.title or not page.endswith("通知") or "印发" not in page:
        return False
    notice = metadata.notice_title
    if notice and notice != metadata.title and "关于" in notice and NOTICE_END.search(notice) and len(notice) <= 100:
        return False
    def bare(text: str) -> str:  # 70 prints 关于…发展的若干措施 as 印发关于…发展若干措施的通知
        return re.sub("[《》的]|关于", "", text)

    return bare(metadata.title) in bare(page)


def issuer_of(notice_title: str | None) -> str | None:
    """北京市人民政府办公厅 of 北京市人民政府办公厅关于…的通知."""
    before = re.sub("(?:印发|转发)$", "", (notice_title or "").split("关于", 1)[0])
    if "关于" in (notice_title or "") and ISSUER_SUFFIX.search(before) and not re.search(r"[，。；：:、]", before):
        return before
    return None


def _title_fragment(text: str) -> bool:
    """西宁市关于支持刚性和改善性住房需求 above 的若干措施: the first line of a title broken in two."""
    return (len(text) <= 40 and not re.search(r"[，。；：:、（()）]", text) and not DOC_NUMBER.search(text)
            and not DATE_LINE.match(text) and not NOTICE_END.search(text)
            and not ATTACHMENT_LABEL.fullmatch(text))  # 附件 / 附件2 above the attached plan's title (89)


ATTACHMENT_LABEL = re.compile(r"附\s*件\s*[0-9０-９一二三四五六七八九十]*")


NOTICE_TITLE = re.compile(
    r"[^\s，。；：:、“”《》]{0,40}关于[^，。；：:\s]{2,100}?"
    r"(?:的通知|实施方案|工作方案|行动方案|行动计划|实施意见|指导意见|若干措施|若干意见|意见|办法|要点)"
)
PRINTING_NOTICE = re.compile(r"[^\s，。；：:、“”《》]{0,40}关于印发([^，。；：:\s]{2,100}?)的通知")
# 北京市商务局等9部门印发《关于…若干措施》的通知: a notice title without 关于 of its own; Shanghai's
# 上海市人民政府办公厅印发《关于…若干意见》 has no 的通知 either
PRINTING_LINE = re.compile(r"^[^，。；：:]{2,40}印发《[^》]+》(?:的通知)?$")


def title_from_notice(notice: str | None, texts) -> tuple[str, str] | None:
    """``(notice title, plan title)`` where no line is a title: the text names itself in a
    关于… clause (a notice that runs on into its text, or a PKULaw head). A notice that
    印发 a plan gives the plan's title; any other 关于… document is its own title."""
    candidates = ([notice] if notice else []) + [t for _, t in texts]
    for pattern in (PRINTING_NOTICE, NOTICE_TITLE):
        for text in candidates:
            for m in pattern.finditer(text):
                if text[:m.start()].count("《") > text[:m.start()].count("》"):
                    continue  # a document the text cites, not its own title
                found = m.group(0)
                printed = PRINTING_NOTICE.fullmatch(found)
                return found, printed.group(1) if printed else found
    return None


def _doc_number(text: str) -> str | None:
    """The 文号 a head line gives: 皖政办秘〔2021〕82号 alone or in brackets under the title, after a
    page's label (发文字号：), or after the notice's title on its line (21: …的通知国办发〔2020〕43号;
    05: …的意见渝府发〔2019〕17号各区县…)."""
    bare = text.strip("（()）")
    if not (m := DOC_NUMBER.search(bare)):
        return None
    number = re.sub(r"\s", "", re.split("[：:]", m.group(0))[-1])
    title = _before_number(number)
    if title != number:
        return None if title.startswith(("根据", "按照", "依据")) else number[len(title):]
    return number if DOC_NUMBER.fullmatch(bare) or DB_HEADER.search(text) else None


def _before_number(text: str) -> str:
    """A notice's title without the 文号 that follows it on its line (21: …的通知国办发〔2020〕43号)."""
    after_title = next(reversed(list(NUMBER_AFTER_TITLE.finditer(text))), None)
    return text[:after_title.end()] if after_title and "关于" in text[:after_title.end()] else text


def signature(source: SourceText, texts) -> tuple[list[str], date] | None:
    """``(issuers, date)`` from a date line and the bodies signing above it, the first (who signs
    for all) first; no issuer where only the date stands."""
    for k, (line, text) in enumerate(texts):
        if m := DATE_LINE.match(text):
            try:
                issued = date(*map(int, m.groups()))
            except ValueError:
                raise DocumentError(source.path, line.number, f"not a valid date: {text}") from None
            # the bodies signing above it, one a line or several on a line (沈阳市房产局  沈阳市自然资源局)
            top = k
            while top > 0 and _signs(texts[top - 1][1]):
                top -= 1
            issuers = [name for _, signing in texts[top:k] for name in _signers(signing)]
            return list(dict.fromkeys(issuers)), issued
    for line, text in texts:  # a text without line breaks (21, 22): …落地见效。国务院办公厅2020年7月15日（此件公开发布）
        if (m := SIGNED_AT_END.search(text)) and ISSUER_SUFFIX.search(m.group(1)):
            try:
                return [m.group(1)], date(*map(int, m.groups()[1:]))
            except ValueError:
                raise DocumentError(source.path, line.number, f"not a valid date: {m.group(0)}") from None
    return None


def _signers(line: str) -> list[str]:
    """The bodies one signing line names: apart (沈阳市房产局  沈阳市自然资源局), or run together
    where a page lost the breaks (39: 重庆市经济和信息化委员会重庆市发展和改革委员会), cut where a
    name ends and the next opens with a place (not 重庆市…工作委员会办公室)."""
    names = []
    for piece in re.split(r"\s{2,}|\s*\u00a0\s*", SEAL.sub("", line.strip())):
        start = 0
        for m in ISSUER_IN_LINE.finditer(piece):
            # not after 国家税务总局 in 国家税务总局重庆市税务局, a national bureau's local branch
            if m.end() < len(piece) and SIGNER_START.match(piece, m.end()) and piece[m.start() - 1:m.end()] != "总局":
                names.append(piece[start:m.end()])
                start = m.end()
        if piece[start:].strip():
            names.append(piece[start:].strip())
    return names


def tail_start(lines: list[Line], after: int, end: int) -> int:
    """Where the closing signature begins: at the first line after the body's last section
    heading ``after`` that holds a date alone (2023年11月13日), or at the bodies signing on the
    lines above it; else ``end``. What follows it (（此件公开发布）, a page's links) is not the
    body either."""
    for i in range(after + 1, end):
        if DATE_LINE.match(lines[i].text.strip()):
            top = i
            while top - 1 > after and _signs(lines[top - 1].text.strip()):
                top -= 1
            return top
    return end


def _signs(text: str) -> bool:
    """A line that is a body's name, as signed above a date (not 责任单位：X局), or only the mark
    of its seal (（代章）)."""
    unsealed = SEAL.sub("", text)
    return not unsealed or (bool(ISSUER_SUFFIX.search(unsealed)) and not is_sentence(unsealed)
                            and not re.search("[：:]", unsealed))


def _open_quote(text: str) -> bool:
    """A 《 not yet closed: the line is the first part of a title that runs on."""
    return text.count("《") > text.count("》")


def is_title(text: str) -> bool:
    return (
        len(text) <= 60
        and not is_sentence(text)
        and not _open_quote(text)
        # …实施方案（2023-2025年）: a period in brackets after the name
        and re.sub(r"[（(][^（()）]{0,20}[)）]$", "", text).endswith(TITLE_ENDINGS)
    )
