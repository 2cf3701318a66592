"""Publish the seed plan as a government would: a Word file and a web page, made from the .txt.

    python scripts/publish_seed.py [--source sources/gaoqing-urban-rural-pilot-2022.txt] --out DIR

writes DIR/<name>.docx (python-docx; the annexed task-division table is one Word table with a
repeating header row and vertically merged cells where the text leaves a cell empty) and
DIR/<name>.html (GB2312-declared page: site navigation, a breadcrumb, the document's metadata
table, the article, a sidebar and a footer; the annex a <table> with rowspan). Text between ``**``
is bold. Both files carry the plan's text exactly; only the layout is the publisher's.
"""

from __future__ import annotations

import argparse
import html
import re
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SOURCE = Path(__file__).resolve().parent.parent / "sources" / "gaoqing-urban-rural-pilot-2022.txt"


@dataclass
class Plan:
    paragraphs: list[str]  # before the table, without the ** marks' pairing across lines
    header: list[str]
    rows: list[list[str]]  # data rows, "" where the cell continues the one above
    after: list[str]  # paragraphs after the table


def read_plan(path: Path) -> Plan:
    """The paragraphs and the annex table of the .txt (its header repeats once per printed page)."""
    paragraphs, after, header, rows = [], [], None, []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if "\t" in line:
            cells = line.split("\t")
            if header is None:
                header = cells
            elif cells != header:
                rows.append(cells)
        elif line.strip():
            (after if header else paragraphs).append(line.strip())
    if header is None:
        raise SystemExit(f"{path}: no tab-separated table found")
    return Plan(paragraphs, header, rows, after)


def _runs(text: str, bold: bool) -> tuple[list[tuple[str, bool]], bool]:
    """Split at ** marks: (text, bold) runs and whether bold is still open at the end."""
    runs = []
    for i, piece in enumerate(text.split("**")):
        if i:
            bold = not bold
        if piece:
            runs.append((piece, bold))
    return runs, bold


def _spans(rows: list[list[str]], column: int) -> dict[int, int]:
    """For each row starting a cell in ``column``, how many rows the cell covers."""
    spans, start = {}, None
    for r, row in enumerate(rows):
        if row[column] or start is None:
            start = r
            spans[r] = 1
        else:
            spans[start] += 1
    return spans


def write_docx(plan: Plan, out: Path) -> None:
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    document = docx.Document()
    bold = False
    for text in plan.paragraphs + ["__TABLE__"] + plan.after:
        if text == "__TABLE__":
            table = document.add_table(rows=1 + len(plan.rows), cols=len(plan.header))
            table.style = "Table Grid"
            header_row = table.rows[0]
            props = header_row._tr.get_or_add_trPr()
            repeat = OxmlElement("w:tblHeader")  # Word repeats this row at the top of every page
            repeat.set(qn("w:val"), "true")
            props.append(repeat)
            for c, name in enumerate(plan.header):
                header_row.cells[c].text = name
            for c in range(len(plan.header)):
                for start, span in _spans(plan.rows, c).items():
                    top = table.cell(1 + start, c)
                    top.text = plan.rows[start][c]
                    if span > 1:
                        top.merge(table.cell(start + span, c))
            continue
        paragraph = document.add_paragraph()
        runs, bold = _runs(text, bold)
        for piece, is_bold in runs:
            paragraph.add_run(piece).bold = is_bold
    document.core_properties.title = plan.paragraphs[0] if plan.paragraphs else ""
    document.save(out)


PAGE = """<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gb2312">
<title>{title}_高青县人民政府</title>
<script>var _hmt = _hmt || []; document.write("<div>统计代码</div>");</script>
<style>.nav li {{ display: inline; }}</style>
</head>
<body>
<div class="top">
  <div class="logo"><a href="/"><img src="/images/logo.png" alt="高青县人民政府"></a></div>
  <ul class="nav">
    <li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/zwfw/">政务服务</a></li>
    <li><a href="/hdjl/">互动交流</a></li><li><a href="/zjgq/">走进高青</a></li>
  </ul>
  <form class="search" action="/search"><input name="q" value="请输入关键字"><button>搜索</button></form>
</div>
<div class="main">
  <div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; <a href="/zwgk/zfwj/">政府文件</a></div>
  <div class="content">
    <table class="meta">
      <tr><td>索引号：</td><td>11370322004218437K/2022-00021</td><td>发布机构：</td><td>高青县人民政府办公室</td></tr>
      <tr><td>发文字号：</td><td>高政办发〔2022〕21号</td><td>成文日期：</td><td>2022年06月08日</td></tr>
    </table>
    <div class="article">
      <div class="TRS_Editor">
{article}
      </div>
    </div>
    <div class="tools">【<a href="javascript:print()">打印本页</a>】【<a href="javascript:close()">关闭窗口</a>】</div>
  </div>
  <div class="side">
    <h3>相关文件</h3>
    <ul><li><a href="/a.html">高青县人民政府办公室关于印发高青县2022年重点工作任务的通知</a></li>
    <li><a href="/b.html">高青县人民政府关于进一步优化营商环境的实施意见</a></li></ul>
  </div>
</div>
<div class="footer">
  <p><a href="/about">关于我们</a> | <a href="/map">网站地图</a> | <a href="/contact">联系我们</a></p>
  <p>主办：高青县人民政府办公室</p>
  <p>网站标识码：3703220001 鲁ICP备05000000号</p>
</div>
<script src="/js/stat.js"></script>
</body>
</html>
"""


def _html_paragraph(text: str, bold: bool) -> tuple[str, bool]:
    runs, bold = _runs(text, bold)
    inner = "".join(f"<strong>{html.escape(t)}</strong>" if b else html.escape(t) for t, b in runs)
    return f'<p style="text-indent: 2em;">{inner}</p>', bold


def write_html(plan: Plan, out: Path) -> None:
    lines, bold = [], False
    for text in plan.paragraphs:
        line, bold = _html_paragraph(text, bold)
        lines.append(line)
    lines.append('<table border="1" cellspacing="0" cellpadding="4">')
    lines.append("<thead><tr>" + "".join(f"<th>{html.escape(h)}</th>" for h in plan.header) + "</tr></thead>")
    lines.append("<tbody>")
    spans = [_spans(plan.rows, c) for c in range(len(plan.header))]
    for r, row in enumerate(plan.rows):
        cells = []
        for c, text in enumerate(row):
            if r in spans[c]:
                rowspan = f' rowspan="{spans[c][r]}"' if spans[c][r] > 1 else ""
                cells.append(f"<td{rowspan}>{html.escape(text)}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</tbody></table>")
    for text in plan.after:
        line, bold = _html_paragraph(text, bold)
        lines.append(line)
    title = re.sub(r"\*\*", "", plan.paragraphs[1] if len(plan.paragraphs) > 1 else "")
    page = PAGE.format(title=html.escape(title), article="\n".join("        " + line for line in lines))
    out.write_bytes(page.encode("gb18030"))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE, help="the plan as .txt")
    parser.add_argument("--out", type=Path, required=True, help="folder to write the .docx and .html to")
    args = parser.parse_args(argv)
    plan = read_plan(args.source)
    args.out.mkdir(parents=True, exist_ok=True)
    write_docx(plan, args.out / f"{args.source.stem}.docx")
    write_html(plan, args.out / f"{args.source.stem}.html")
    print(f"wrote {args.out / args.source.stem}.docx and .html")


if __name__ == "__main__":
    main()
