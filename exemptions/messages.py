"""The loader's messages in the reader's language.

The engine stays free of Django and writes its validation messages in
English, each naming the file and the place (`CatalogError.source`,
`.where`, `.message`). The catalogue upload page shows them in the reader's
language: each message form the engine writes has a pattern here and a
translatable template; a message no pattern knows is shown as written."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from exemptions import engine

# (pattern over engine message, template with the pattern's named groups)
MESSAGES = [
    (r"cannot read the file \((?P<detail>.*)\)", gettext_lazy("无法读取文件（%(detail)s）")),
    (r"invalid YAML: (?P<detail>.*)", gettext_lazy("YAML 格式错误：%(detail)s")),
    (r"expected a mapping, got (?P<detail>.*)", gettext_lazy("应为键值映射，实为 %(detail)s")),
    (r"unknown key '(?P<key>.*)'", gettext_lazy("未知的键“%(key)s”")),
    (r"missing key '(?P<key>.*)'", gettext_lazy("缺少键“%(key)s”")),
    (r"'(?P<key>.*)' must be a non-empty string", gettext_lazy("“%(key)s”须为非空文字")),
    (
        r"bad date for '(?P<key>.*)': (?P<value>.*) \(expected YYYY-MM-DD\)",
        gettext_lazy("“%(key)s”的日期 %(value)s 有误（应为 YYYY-MM-DD）"),
    ),
    (r"bad slug (?P<value>.*)", gettext_lazy("标识 %(value)s 有误（小写字母、数字和连字符）")),
    (
        r"slug '(?P<value>.*)' does not match the file name",
        gettext_lazy("标识“%(value)s”与文件名不一致"),
    ),
    (r"'articles' must be a non-empty list", gettext_lazy("“articles”须为非空列表")),
    (r"the catalogue has no clauses", gettext_lazy("目录中没有任何条款")),
    (r"bad article number (?P<value>.*)", gettext_lazy("条文编号 %(value)s 有误")),
    (
        r"articles must be in increasing order \(after (?P<value>.*)\)",
        gettext_lazy("条文须按编号递增排列（应在第 %(value)s 条之后）"),
    ),
    (r"'clauses' must be a list", gettext_lazy("“clauses”须为列表")),
    (
        r"bad effect (?P<value>.*) \(expected one of (?P<detail>.*)\)",
        gettext_lazy("法律效果 %(value)s 有误（应为 %(detail)s 之一）"),
    ),
    (
        r"ref must be a quoted string, got (?P<value>.*)",
        gettext_lazy("条款编号须为带引号的文字，实为 %(value)s"),
    ),
    (
        r"duplicate ref \(already in article (?P<value>.*)\)",
        gettext_lazy("条款编号重复（第 %(value)s 条已有）"),
    ),
    (
        r"text is not a verbatim part of the article text",
        gettext_lazy("条款原文不是所在条文的原文片段"),
    ),
    (
        r"effect '(?P<value>.*)' does not fit a (?P<detail>.*) clause",
        gettext_lazy("法律效果“%(value)s”不适用于 %(detail)s 类条款"),
    ),
    (r"empty list in requires", gettext_lazy("requires 中有空列表")),
    (
        r"'excluded_if' must be a non-empty list \(omit it if none\)",
        gettext_lazy("“excluded_if”须为非空列表（没有除外情形时省略）"),
    ),
    (r"malformed ref: expected (?P<detail>.*)", gettext_lazy("条款编号格式有误：应为 %(detail)s")),
    (
        r"ref does not start with its article number (?P<value>.*)",
        gettext_lazy("条款编号应以所在条文编号 %(value)s 开头"),
    ),
    (
        r"unknown fact key '(?P<key>.*)' in (?P<detail>.*)",
        gettext_lazy("%(detail)s 中的事实要素“%(key)s”不在事实词表中"),
    ),
    (
        r"(?P<value>\w+) fact '(?P<key>.*)' used as a condition in (?P<detail>.*)",
        gettext_lazy("%(detail)s 中把 %(value)s 类事实要素“%(key)s”用作条件"),
    ),
    (
        r"malformed expression (?P<value>.*) in (?P<detail>.*)",
        gettext_lazy("%(detail)s 中的表达式 %(value)s 格式有误"),
    ),
    (
        r"an expression needs exactly one operator in (?P<detail>.*)",
        gettext_lazy("%(detail)s 中的表达式须且仅须有一个运算符"),
    ),
    (
        r"'(?P<key>.*)' needs a list in (?P<detail>.*)",
        gettext_lazy("%(detail)s 中的“%(key)s”须为列表"),
    ),
    (r"empty '(?P<key>.*)' in (?P<detail>.*)", gettext_lazy("%(detail)s 中的“%(key)s”为空")),
    (
        r"unknown operator '(?P<key>.*)' in (?P<detail>.*)",
        gettext_lazy("%(detail)s 中有未知运算符“%(key)s”"),
    ),
    (
        r"'(?P<key>.*)' is not an enum fact of the vocabulary",
        gettext_lazy("“%(key)s”不是事实词表中的等级类要素"),
    ),
    (
        r"bad consequence level (?P<value>.*) in (?P<detail>[^(]*) \(.*\)",
        gettext_lazy("%(detail)s 中的后果等级 %(value)s 有误"),
    ),
    (
        r"'(?P<key>.*)' cites article (?P<value>.*), not in the catalogue",
        gettext_lazy("“%(key)s”引用的第 %(value)s 条不在目录中"),
    ),
    (r"bad value (?P<value>.*) for '(?P<key>.*)'", gettext_lazy("“%(key)s”的取值 %(value)s 有误")),
    (
        r"'facts' must be a non-empty mapping of fact keys",
        gettext_lazy("“facts”须为以事实要素键为键的非空映射"),
    ),
    (
        r"fact '(?P<key>.*)' is in the vocabulary already with another type or values",
        gettext_lazy("事实要素“%(key)s”已在事实词表中，类型或取值不同"),
    ),
    (
        r"fact '(?P<key>.*)': label_zh and description are required",
        gettext_lazy("事实要素“%(key)s”须有 label_zh 和 description"),
    ),
]
_COMPILED = [(re.compile(f"^{pattern}$"), template) for pattern, template in MESSAGES]

_PLACES = [
    (re.compile(r"^article #(?P<n>\d+)$"), gettext_lazy("第 %(n)s 个条文")),
    (re.compile(r"^article (?P<n>\d+)$"), gettext_lazy("第 %(n)s 条")),
    (
        re.compile(r"^article (?P<n>\d+), clause #(?P<m>\d+)$"),
        gettext_lazy("第 %(n)s 条第 %(m)s 个条款"),
    ),
    (re.compile(r"^clause (?P<ref>.+)$"), gettext_lazy("条款 %(ref)s")),
    (re.compile(r"^procedure(?P<key>\..+)?$"), gettext_lazy("程序规则%(key)s")),
    (re.compile(r"^line (?P<n>\d+)$"), gettext_lazy("第 %(n)s 行")),
    (re.compile(r"^facts$"), gettext_lazy("自带的事实要素（facts）")),
]


def _translated(text: str, table) -> str:
    for pattern, template in table:
        match = pattern.match(text)
        if match:
            groups = {key: value or "" for key, value in match.groupdict().items()}
            return str(template) % groups
    return text


def catalog_error_message(error: engine.CatalogError) -> str:
    """ "文件 taian-2020.yaml，条款 6.4：条款原文不是所在条文的原文片段" in
    Chinese, the same in English; the file and the place as the engine
    named them."""
    message = _translated(error.message, _COMPILED)
    if error.where:
        return _("文件 %(file)s，%(place)s：%(message)s") % {
            "file": error.source,
            "place": _translated(error.where, _PLACES),
            "message": message,
        }
    return _("文件 %(file)s：%(message)s") % {"file": error.source, "message": message}
