"""Plans as they are published: web pages, Word files and PDFs read into the same model as text.

The seed plan is published as a Word file and a web page by scripts/publish_seed.py; both must give
the catalog's answers the .txt gives. Bad files get one error line, exit 2 and nothing written.
"""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import zipfile
from pathlib import Path

import lxml.html
import pytest
from conftest import GAOQING, ROOT

from policykg.errors import DocumentError
from policykg.published import origin_of, read_document, sniff
from policykg.published.text import PublishedText
from policykg.rdf.build import build, collect_sources
from policykg.sparql.catalog import load_catalog
from policykg.sparql.engines import load_engine
from policykg.text.decode import read_source
from policykg.text.parse import parse_source

QUERIES = ("responsibility", "lead-units", "discrepancies")
CLI = [sys.executable, "-m", "policykg"]


def _publisher():
    spec = importlib.util.spec_from_file_location("publish_seed", ROOT / "scripts" / "publish_seed.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["publish_seed"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    out = tmp_path_factory.mktemp("published")
    _publisher().main(["--source", str(GAOQING), "--out", str(out)])
    return {"docx": out / f"{GAOQING.stem}.docx", "html": out / f"{GAOQING.stem}.html"}


def _answers(source, out):
    build([source], out=out)
    engine = load_engine([out], "oxigraph")
    catalog = load_catalog()
    return {q: engine.run(catalog.get(q).bind({}), trusted=True).dicts() for q in QUERIES}


@pytest.fixture(scope="module")
def text_answers(tmp_path_factory):
    return _answers(GAOQING, tmp_path_factory.mktemp("txt-graph"))


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_published_seed_plan_gives_the_answers_of_the_text(published, text_answers, tmp_path, fmt):
    answers = _answers(published[fmt], tmp_path / "graph")
    for query in QUERIES:
        assert answers[query] == text_answers[query], (fmt, query)
    # and those answers are the plan's: the annex names only 县自然资源局 as lead of pilot task 4
    assert {r["unit"] for r in answers["lead-units"] if r["pilot_task"] == "4" and r["source"] == "annex"} \
        == {"县自然资源局"}


def test_word_annex_is_one_table_with_merged_cells_and_a_repeating_header(published):
    with zipfile.ZipFile(published["docx"]) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    assert xml.count("<w:tbl>") == 1 and "<w:tblHeader" in xml
    assert xml.count('<w:vMerge w:val="restart"/>') >= 10
    rows = [line.text.split("\t") for line in read_document(published["docx"]).lines if "\t" in line.text]
    assert rows[0] == ["试验任务", "牵头单位", "工作任务", "具体措施", "责任单位"]  # the header, once
    assert len(rows) == 29  # and the 28 rows of the four printed pages of the .txt
    # a merged cell's continuation is empty: the second measure of work task 1 shares its pilot
    # task, lead unit, work task and responsible units with the row above
    assert rows[2][:3] == ["", "", ""] and rows[2][3].startswith("树立城乡平等") and rows[2][4] == ""


def test_web_page_reads_the_article_not_the_site(published):
    source = read_document(published["html"])
    text = source.text
    assert "高青县城乡融合发展试验区实施方案" in text
    for chrome in ("首页", "政务服务", "统计代码", "相关文件", "网站标识码", "当前位置", "请输入关键字"):
        assert chrome not in text, chrome
    rows = [line.text.split("\t") for line in source.lines if "\t" in line.text]
    header = rows.index(["试验任务", "牵头单位", "工作任务", "具体措施", "责任单位"])
    assert rows[header + 1][:2] == ["建立城乡有序流动的人口迁移制度", "县公安局"]
    assert rows[header + 2][:3] == ["", "", ""]  # rowspan continued


def test_spans_point_back_into_the_original(published):
    docx_source = read_document(published["docx"])
    at = docx_source.text.index("县公安局\t建立城乡统一要素市场")
    assert origin_of(docx_source, at, at + 4) == "table 1, row 2, cell 2, characters 1–4"
    heading = docx_source.text.index("一、指导思想")
    assert origin_of(docx_source, heading, heading + 6).startswith("paragraph ")

    page = read_document(published["html"])
    at = page.text.index("县公安局\t建立城乡统一要素市场")
    where = origin_of(page, at, at + 4)
    path = where.split(",")[0]
    original = lxml.html.document_fromstring(published["html"].read_bytes().decode("gb18030"))
    (cell,) = original.getroottree().xpath(path)
    assert cell.tag == "td" and cell.text_content() == "县公安局"
    assert origin_of(read_source(GAOQING), 0, 4) is None  # a text file's offsets are the original


def test_a_pages_information_table_gives_the_number_and_date_the_text_lacks(tmp_path):
    from policykg.text.parse import parse_documents

    body = "".join(f"<p>（{n}）第{n}项措施。（责任单位：县财政局）</p>" for n in "一二三")
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><meta charset='utf-8'><title>示例县推进某项工作实施方案</title></head><body>"
        "<table><tr><td><b>索 引 号:</b> 0001/2024-1</td><td><b>文\u3000\u3000号:</b> 示政发〔2024〕3号</td></tr>"
        "<tr><td><b>成文日期:</b></td><td>2024年5月6日</td></tr></table>"
        "<div><p>示例县推进某项工作实施方案</p><p>一、重点任务</p>" + body + "</div></body></html>",
        encoding="utf-8")
    source = read_document(page)
    assert source.declared == {"doc_number": "示政发〔2024〕3号", "written": "2024-05-06"}
    [doc] = parse_documents(source)
    assert (doc.metadata.doc_number, str(doc.metadata.issued)) == ("示政发〔2024〕3号", "2024-05-06")
    # a label with no number after it, or a date that is not one, declares nothing
    page.write_text(page.read_text(encoding="utf-8").replace("示政发〔2024〕3号", "无")
                    .replace("2024年5月6日", "2024年13月6日"), encoding="utf-8")
    [doc] = parse_documents(read_document(page))
    assert (doc.metadata.doc_number, doc.metadata.issued) == (None, None)


def test_the_site_that_published_a_page_gives_the_place_its_text_does_not(tmp_path):
    from policykg.text.parse import parse_documents

    body = "".join(f"<p>（{n}）做好第{n}项工作，加强统筹协调，落实资金保障。（责任单位：市财政局）</p>" for n in "一二三四五")

    def page(head: str, signed: str = "") -> Path:
        path = tmp_path / "page.html"
        path.write_text(f"<html><head><meta charset='utf-8'>{head}</head><body><div>"
                        "<p>关于做好某项工作的若干措施</p><p>一、重点任务</p>" + body + signed + "</div></body></html>",
                        encoding="utf-8")
        return path

    # 标题_栏目_网站, as 90's site writes it: the text names no place and no issuer
    source = read_document(page("<title>我市出台《关于做好某项工作的若干措施》_信息发布_示例市住房服务中心</title>"))
    assert source.declared["site"] == "示例市住房服务中心"
    [doc] = parse_documents(source)
    assert doc.metadata.issuer is None and doc.metadata.jurisdiction == "示例市"
    # the SiteName meta government sites carry comes first
    [doc] = parse_documents(read_document(page('<meta name="SiteName" content="首都之窗_示例省人民政府门户网站">'
                                               "<title>若干措施_示例市住房服务中心</title>")))
    assert doc.metadata.jurisdiction == "示例省"
    # an issuer that names only its level: the site's place if it is of that level (51), else none
    signed = "<p>省某项工作联席会议</p><p>2024年5月6日</p>"
    [doc] = parse_documents(read_document(page('<meta name="SiteName" content="示例省发展和改革委员会">', signed)))
    assert doc.metadata.issuer == "省某项工作联席会议" and doc.metadata.jurisdiction == "示例省"
    [doc] = parse_documents(read_document(page('<meta name="SiteName" content="示例市人民政府">', signed)))
    assert doc.metadata.jurisdiction is None  # a province's document reposted by a city
    # the site's own name first, on a page of its own (48: 邯郸市成安县人民政府-政府信息公开指南)
    [doc] = parse_documents(read_document(page("<title>示例市示例县人民政府-政府信息公开指南</title>")))
    assert doc.metadata.jurisdiction == "示例市示例县"
    # a site whose name gives no place gives none
    [doc] = parse_documents(read_document(page("<title>若干措施_政务服务网</title>")))
    assert doc.metadata.jurisdiction is None


def test_the_day_a_page_was_published_is_kept_beside_the_day_its_plan_was_signed(tmp_path):
    from policykg.text.parse import parse_documents

    body = "".join(f"<p>（{n}）做好第{n}项工作，加强统筹协调，落实资金保障。（责任单位：县财政局）</p>" for n in "一二三四五")
    page = tmp_path / "page.html"

    def read(head: str, table: str = ""):
        page.write_text(f"<html><head><meta charset='utf-8'>{head}</head><body>{table}<div>"
                        "<p>示例县推进某项工作实施方案</p><p>一、重点任务</p>" + body +
                        "<p>示例县人民政府</p><p>2024年5月6日</p></div></body></html>", encoding="utf-8")
        source = read_document(page)
        [doc] = parse_documents(source)
        return source.declared.get("published"), doc.metadata

    # the PubDate meta government sites carry; the signature's date stays the plan's
    published, meta = read('<meta name="PubDate" content="2024-05-08 16:17">')
    assert published == "2024-05-08" and str(meta.published) == "2024-05-08" and str(meta.issued) == "2024-05-06"
    # else the page's 发布日期 label; the meta first where both are there
    assert read("", "<table><tr><td>发布日期：2024年5月9日</td></tr></table>")[0] == "2024-05-09"
    assert read('<meta name="PubDate" content="2024-05-08">',
                "<table><tr><td>发布日期：2024年5月9日</td></tr></table>")[0] == "2024-05-08"
    # a date that is not one is no date
    assert read('<meta name="PubDate" content="2024-13-08">')[1].published is None
    assert read("")[1].published is None


def test_page_encodings(tmp_path):
    body = "<p>一、总体要求</p><p>高青县人民政府办公室关于推进城乡融合发展的实施方案，全文共计若干条款。" * 4 + "</p>"
    pages = {
        "declared-gb2312.html": ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
                                 f"</head><body>{body}</body></html>").encode("gb18030"),
        "declared-gbk.html": f'<html><head><meta charset="GBK"></head><body>{body}</body></html>'.encode("gbk"),
        "declared-utf8.html": f'<html><head><meta charset="utf-8"></head><body>{body}</body></html>'.encode(),
        "undeclared-gb18030.html": f"<html><body>{body}</body></html>".encode("gb18030"),
    }
    for name, data in pages.items():
        (tmp_path / name).write_bytes(data)
        assert "高青县人民政府办公室关于推进城乡融合发展" in read_document(tmp_path / name).text, name
    # A page that declares UTF-8 but is GBK throughout is read as what its bytes are, as a text file is
    lying = tmp_path / "lying.html"
    lying.write_bytes(pages["declared-gbk.html"].replace(b"GBK", b"utf-8"))
    assert "高青县人民政府办公室关于推进城乡融合发展" in read_document(lying).text
    # while UTF-8 with a broken byte is refused with the byte, not garbled
    broken = tmp_path / "broken.html"
    broken.write_bytes(pages["declared-utf8.html"].replace("推进".encode(), b"\xe6\x8e"))
    with pytest.raises(DocumentError, match="undecodable bytes at byte"):
        read_document(broken)


def test_layout_tables_are_read_as_blocks_and_colspan_rows_as_lines(tmp_path):
    page = tmp_path / "layout.html"
    paragraphs = "".join(f"<p>（{n}）第{n}项任务的内容写在这里，共有若干句话。（责任单位：县财政局）</p>" for n in "一二三四五六七八九十")
    page.write_text(
        "<html><body><table><tr><td>" + paragraphs +
        "<table><tr><td colspan='3'>附件：任务分工表</td></tr>"
        "<tr><th>任务</th><th>牵头单位</th><th>责任单位</th></tr>"
        "<tr><td rowspan='2'>任务一</td><td colspan='2'>县财政局</td></tr>"
        "<tr><td>县公安局</td><td>县民政局<br>各镇办</td></tr></table></td></tr></table></body></html>",
        encoding="utf-8")
    lines = [line.text for line in read_document(page).lines]
    assert lines[0].startswith("（一）第一项任务") and "\t" not in lines[0]
    assert lines[10:] == ["附件：任务分工表", "任务\t牵头单位\t责任单位", "任务一\t县财政局\t县财政局",
                          "\t县公安局\t县民政局 各镇办"]


def _docx_with(tmp_path, build):
    import docx

    document = docx.Document()
    build(document)
    path = tmp_path / "made.docx"
    document.save(path)
    return path


def test_word_nested_tables_text_boxes_and_list_numbers(tmp_path):
    from docx.oxml import parse_xml

    def make(document):
        document.add_paragraph("总体要求")
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text, table.cell(0, 1).text = "任务", "责任单位"
        table.cell(1, 0).text = "建设平台"
        table.cell(1, 1).add_table(rows=1, cols=2)
        inner = table.cell(1, 1).tables[0]
        inner.cell(0, 0).text, inner.cell(0, 1).text = "县财政局", "县公安局"
        p = document.add_paragraph("正文前")
        p._p.append(parse_xml(
            '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
            'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
            'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
            '<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><a:graphic><a:graphicData>'
            '<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>文本框里的话</w:t></w:r></w:p></w:txbxContent>'
            '</wps:txbx></wps:wsp></a:graphicData></a:graphic></w:drawing></mc:Choice>'
            '<mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>文本框里的话</w:t></w:r></w:p></w:txbxContent>'
            '</w:pict></mc:Fallback></mc:AlternateContent></w:r>'))
        numbering = document.part.numbering_part.element
        numbering.append(parse_xml(
            '<w:abstractNum xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'w:abstractNumId="90"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/>'
            '<w:lvlText w:val="%1、"/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/>'
            '<w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl></w:abstractNum>'))
        numbering.append(parse_xml(
            '<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" w:numId="90">'
            '<w:abstractNumId w:val="90"/></w:num>'))
        for level, text in ((0, "指导思想"), (1, "坚持原则"), (1, "稳步推进"), (0, "主要任务"), (1, "建设平台")):
            q = document.add_paragraph(text)
            q._p.get_or_add_pPr().append(parse_xml(
                '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
                f'<w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))

    lines = [line.text for line in read_document(_docx_with(tmp_path, make)).lines]
    assert lines == ["总体要求", "任务\t责任单位", "建设平台\t县财政局 县公安局", "正文前", "文本框里的话",
                     "一、指导思想", "（一）坚持原则", "（二）稳步推进", "二、主要任务", "（一）建设平台"]


def _pdf(path, draw, encrypt=None):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4, encrypt=encrypt, invariant=1)
    c.setFont("STSong-Light", 11)
    draw(c)
    c.save()
    return path


def _plan_page(c):
    y = 780
    for line in ("某县推进试点工作实施方案", "一、主要任务", "（一）建设平台。建设县级平台。（责任单位：县财政局）", "- 1 -"):
        c.drawString(72, y, line)
        y -= 24
    rows = [("任务", "牵头单位", "责任单位"), ("建设平台", "县财政局", "县公安局、县民政局"), ("", "", "各镇办")]
    top, height, xs = 640, 24, (72, 200, 330, 520)
    for r, row in enumerate(rows):
        for k, text in enumerate(row):
            c.drawString(xs[k] + 4, top - r * height - 16, text)
    for r in range(len(rows) + 1):
        c.line(xs[0], top - r * height, xs[-1], top - r * height)
    for x in xs:
        c.line(x, top, x, top - len(rows) * height)


def test_pdf_text_and_ruled_table(tmp_path):
    source = read_document(_pdf(tmp_path / "plan.pdf", _plan_page))
    lines = [line.text for line in source.lines]
    assert lines[:3] == ["某县推进试点工作实施方案", "一、主要任务", "（一）建设平台。建设县级平台。（责任单位：县财政局）"]
    assert "- 1 -" not in lines  # a page number is not text of the plan
    assert lines[3:] == ["任务\t牵头单位\t责任单位", "建设平台\t县财政局\t县公安局、县民政局", "\t\t各镇办"]
    at = source.text.index("县公安局")
    assert origin_of(source, at, at + 4).startswith("page 1, table at y ")


def _pages_with_running_lines(pages: int, body: list[list[str]]):
    """A PDF of ``pages`` pages, each with the same header and footer and the page's ``body`` lines."""
    def draw(c):
        for number in range(1, pages + 1):
            c.setFont("STSong-Light", 11)
            c.drawString(72, 800, "某县人民政府办公室行政规范性文件")
            y = 760
            for line in body[number - 1]:
                c.drawString(72, y, line)
                y -= 24
            c.drawString(260, 60, f"- {number} -")
            c.drawString(72, 40, "某县人民政府办公室发布")
            c.showPage()
    return draw


def test_running_headers_and_footers_of_a_pdf_are_left_out(tmp_path):
    body = [["某县推进试点工作实施方案", "一、主要任务", "（一）建设平台。建设县级"],
            ["平台。（责任单位：县财政局）", "（二）完善制度。"], ["（三）强化保障。"]]
    source = read_document(_pdf(tmp_path / "plan.pdf", _pages_with_running_lines(3, body)))
    lines = [line.text for line in source.lines]
    # the paragraph that crosses the page break reads on, with nothing of the page frame inside it
    assert lines == ["某县推进试点工作实施方案", "一、主要任务", "（一）建设平台。建设县级平台。（责任单位：县财政局）",
                     "（二）完善制度。", "（三）强化保障。"]


def test_a_line_repeated_on_two_pages_only_is_kept(tmp_path):
    body = [["某县推进试点工作实施方案", "一、主要任务"], ["（一）建设平台。"]]
    lines = [line.text for line in read_document(_pdf(tmp_path / "plan.pdf", _pages_with_running_lines(2, body))).lines]
    assert lines.count("某县人民政府办公室行政规范性文件") == 2 and lines.count("某县人民政府办公室发布") == 2


def _scan(c):
    from PIL import Image

    image = tmp_image = Image.new("RGB", (200, 100), "white")
    c.drawInlineImage(image, 72, 600)
    del tmp_image


def _zip_of(files):
    import io

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


BAD = {
    "page without article": ("page.html", lambda d: (
        b'<html><head><title>x</title></head><body><nav><a href="/">\xe9\xa6\x96\xe9\xa1\xb5</a></nav>'
        b'<div><a href="/a">\xe6\x94\xbf\xe5\x8a\xa1\xe5\x85\xac\xe5\xbc\x80</a></div></body></html>'),
        "no article found in the web page"),
    "Word file that is a PDF": ("plan.docx", lambda d: d["pdf"], "named .docx but it is a PDF file"),
    "Word file that is text": ("plan.docx", lambda d: GAOQING.read_bytes(), "named .docx but it is a text file"),
    "old binary Word file": ("plan.docx", lambda d: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
                             "old binary Word file (.doc)"),
    "truncated zip": ("plan.docx", lambda d: d["docx"][: len(d["docx"]) // 2], "zip archive is broken or truncated"),
    "zip that is not Word": ("plan.docx", lambda d: _zip_of({"a.txt": "hello"}), "no word/document.xml"),
    "encrypted PDF": ("plan.pdf", lambda d: d["encrypted"], "encrypted and needs a password"),
    "image-only PDF": ("plan.pdf", lambda d: d["scan"], "no text layer"),
    "truncated PDF": ("plan.pdf", lambda d: d["pdf"][:300], "PDF"),
    "PDF that is a web page": ("plan.pdf", lambda d: b"<html><body><p>hello</p></body></html>",
                               "named .pdf but it is a web page"),
}


@pytest.fixture(scope="module")
def bad_material(tmp_path_factory, published):
    folder = tmp_path_factory.mktemp("material")
    return {
        "pdf": _pdf(folder / "a.pdf", _plan_page).read_bytes(),
        "encrypted": _pdf(folder / "b.pdf", _plan_page, encrypt="secret").read_bytes(),
        "scan": _pdf(folder / "c.pdf", _scan).read_bytes(),
        "docx": published["docx"].read_bytes(),
    }


@pytest.mark.parametrize("case", list(BAD))
def test_bad_published_file_is_refused_and_leaves_the_graph(tmp_path, bad_material, case):
    name, make, problem = BAD[case]
    out = tmp_path / "graph"
    first = subprocess.run([*CLI, "build", str(GAOQING), "--out", str(out), "-q"], capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    before = {p.name: (p.read_bytes() if p.is_file() else (p / "manifest.json").read_bytes()) for p in out.iterdir()}
    bad = tmp_path / name
    bad.write_bytes(make(bad_material))
    result = subprocess.run([*CLI, "build", str(bad), "--out", str(out), "-q"], capture_output=True, text=True)
    assert result.returncode == 2
    lines = result.stderr.strip().split("\n")
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad}: ") and problem in lines[0], result.stderr
    assert {p.name: (p.read_bytes() if p.is_file() else (p / "manifest.json").read_bytes()) for p in out.iterdir()} == before


def test_folders_are_searched_for_every_format(tmp_path, published):
    (tmp_path / "a").mkdir()
    for fmt, path in published.items():
        (tmp_path / "a" / f"plan.{fmt}").write_bytes(path.read_bytes())
    (tmp_path / "a" / "NOTES.md").write_text("what the folder holds", encoding="utf-8")
    (tmp_path / "a" / "notes.odt").write_text("not a format policykg reads", encoding="utf-8")
    (tmp_path / "a" / "PAGE.HTM").write_bytes(published["html"].read_bytes())
    found = [p.name for p in collect_sources([tmp_path / "a"])]
    assert found == ["PAGE.HTM", "plan.docx", "plan.html"]


def test_sniffing():
    assert sniff(b"%PDF-1.7\n") == "pdf"
    assert sniff(b"PK\x03\x04rest") == "zip"
    assert sniff(b"\xef\xbb\xbf<!DOCTYPE html><html>") == "html"
    assert sniff("高青县".encode("gb18030")) == "text"


def test_published_text_parses_like_text(published):
    source = read_document(published["docx"])
    assert isinstance(source, PublishedText) and source.format == "docx"
    doc = parse_source(source)
    assert doc.slug == "gaoqing-urban-rural-pilot-2022"
    assert len(doc.annex) == 28 and len(doc.measures()) == 20


# --- Markdown, as crawlers keep government pages ------------------------------------------------

MARKDOWN = """# 上海市人民政府办公厅印发《关于加快某某发展的若干意见》

**发布日期**: 2025-05-27

---

沪府办发〔2025〕11号

　**一、提升服务供给质量**

**（一）推动资源开放**

　　加大大型科学仪器开放力度，
保障企业用户的机时比例。（责任单位：市科委、市发展改革委）

| 序号 | 任务 | 责任单位 |
| --- | --- | --- |
| 1 | 建设 **平台** | 市科委 |
"""


def test_markdown_is_read_as_its_text_without_the_markup(tmp_path):
    path = tmp_path / "plan.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    source = read_document(path)
    lines = source.text.split("\n")
    # the bold heading is a numbered heading again; the metadata keeps its words, not its stars
    assert "一、提升服务供给质量" in lines and "（一）推动资源开放" in lines
    assert "发布日期: 2025-05-27" in lines and not any("**" in line or line == "---" for line in lines)
    # a paragraph wrapped over two lines of the file is one line, with no space between Chinese characters
    assert "加大大型科学仪器开放力度，保障企业用户的机时比例。（责任单位：市科委、市发展改革委）" in lines
    # a pipe table is rows of tab-separated cells
    assert "1\t建设 平台\t市科委" in lines
    # every line says where it was in the file
    start = source.text.index("加大")
    assert origin_of(source, start, start + 2).startswith("line 13")  # the 13th line of MARKDOWN


def test_a_folders_notes_in_markdown_are_not_documents(tmp_path):
    # corpus/real keeps SOURCES.md beside its documents; a crawler's folder has README.md
    (tmp_path / "SOURCES.md").write_text("## where each file came from\n", encoding="utf-8")
    (tmp_path / "README.md").write_text("# notes\n", encoding="utf-8")
    (tmp_path / "plan.md").write_text(MARKDOWN, encoding="utf-8")
    assert [p.name for p in collect_sources([tmp_path])] == ["plan.md"]
