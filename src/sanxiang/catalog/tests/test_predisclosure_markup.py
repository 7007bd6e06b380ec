"""Rendering the text of pre-disclosure documents: paragraphs, lists, headings, bold — and
every character escaped first, so a body can never inject markup or script."""

from __future__ import annotations

import re

import pytest

from sanxiang.catalog.rules.predisclosure_markup import render


@pytest.mark.parametrize("text, html", [
    pytest.param("", "", id="empty"),
    pytest.param("一段\n同段第二行\n\n第二段", "<p>一段<br>同段第二行</p>\n<p>第二段</p>", id="paragraphs"),
    pytest.param("- 甲\n* 乙\n• 丙", "<ul><li>甲</li><li>乙</li><li>丙</li></ul>", id="bullets"),
    pytest.param("1. 立案\n2、调查\n（3）审查\n(4) 告知",
                 '<ol><li value="1">立案</li><li value="2">调查</li><li value="3">审查</li>'
                 '<li value="4">告知</li></ol>', id="numbered-keeps-numbers"),
    pytest.param("- 项目\n  续行", "<ul><li>项目<br>续行</li></ul>", id="continuation"),
    pytest.param("## 标题\n正文", "<h3>标题</h3>\n<p>正文</p>", id="heading"),
    pytest.param("### 小标题", "<h4>小标题</h4>", id="subheading"),
    pytest.param("**重要**提示", "<p><strong>重要</strong>提示</p>", id="bold"),
    pytest.param("3.5万元以上", "<p>3.5万元以上</p>", id="decimal-is-not-a-list"),
    pytest.param("12345热线", "<p>12345热线</p>", id="number-is-not-a-list"),
    pytest.param("# 一级", "<p># 一级</p>", id="h1-is-text"),
])
def test_render(text, html):
    assert render(text) == html


@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>",
    "- <img src=x onerror=alert(1)>",
    "## <a href='javascript:alert(1)'>x</a>",
    '**<b onclick="x">y</b>**',
    "1. \"><svg onload=alert(1)>",
])
def test_markup_in_the_body_is_shown_as_text(text):
    html = render(text)
    only_own_tags = re.sub(r'</?(p|br|ul|ol|h3|h4|strong)>|<li( value="\d+")?>|</li>', "", html)
    assert "<" not in only_own_tags and ">" not in only_own_tags
    assert "&lt;" in html
