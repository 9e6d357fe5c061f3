"""Prepared fonts for the renderer.

WeasyPrint copies and subsets every face a document uses from its full font
file (the Song face is 5 MB) on every render. The Song face prints nothing
but the page numbers ("— 1 —", GB/T 9704 7.5), so the renderer uses a copy of
that face cut down to the page numbers' characters, prepared once per
machine under DOCUMENT_FONT_CACHE_DIR (var/fonts) at the first render. The
page numbers list that copy first and the installed face after it, so any
character it lacks still comes from the installed face; when the copy cannot
be made (no fontconfig, an unreadable font), the installed face alone is
used, as before.

The other faces (FangSong body, Hei and Kai headings, the title's bold Song)
have document copies: each cut down to GB 2312's symbols and first-level
characters (the 3,755 characters of nearly any official text) plus the
characters the documents' own wording and the catalogues use, those ordered
first by how often they occur. Reading the face (WeasyPrint copies the whole
file into memory) and subsetting it (HarfBuzz keeps glyph ids, so its cost
grows with the highest id a document uses as well as with the glyphs it
uses) then cost a fraction: the headings' fixed wording has ids under a few
hundred instead of about 4,600. Making the four copies takes about 40 s of
CPU (fontTools), so they are never made while rendering: `manage.py
prepare_document_fonts` makes them (the benchmark too), and a machine without
them renders from the installed faces, the same to 1/1000 em, only slower.
As for the page numbers, each copy is listed before its installed face, so a
character outside it (a rare name) still prints.

The document copies hold TrueType outlines, converted from the CFF ones of
the Fandol faces within 1/1000 em (invisible at any size a document uses):
WeasyPrint has every face subset with CFF subroutines expanded, and
subsetting TrueType glyphs is copying bytes. The PDF writing of the filing
notice took about an eighth less time and its fonts a fifth fewer bytes."""

import hashlib
import logging
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

# "— 12 —": the em dash, the space, the digits; the hyphen and en dash for
# any other style of page number.
PAGE_NUMBER_CHARACTERS = " 0123456789—–-"
# Bump when the way the copy is made changes: a new file name, made afresh.
PREPARED_FORMAT = 1
DOCUMENT_FACE_FORMAT = 2
# The largest distance, in font units (1/1000 em), between a curve of the
# installed face and its quadratic copy: 0.016 pt at the body's 16 pt.
QUADRATIC_TOLERANCE = 1.0
# Punctuation and signs of Chinese text that Python's GB 2312 table maps
# elsewhere or lacks (its A1AA is U+2015, not the em dash U+2014 texts use).
EXTRA_CHARACTERS = "—–‐·•…‥‘’“”〈〉《》「」『』【】〔〕〖〗～×÷±≤≥％‰℃№￥"
# The characters and punctuation of the documents' own wording
# (templates/documents, documents/) and of the catalogues (exemptions/catalogs),
# most frequent first, then the most common surnames: the document copies give
# them the lowest glyph ids, then printable ASCII (dates, numbers).
FREQUENT_CHARACTERS = (
    "法行，、的执定政或人责不监查者依。管为职规理关事未对员检（）发在履过任部督因证已"
    "市门件决出当案究现时有经错违本场情认据意无正；等相报及：其成告实一处后追中审调影"
    "响生于书作能机明见程公改果记以制予应性级合照议体单和问致按动文形办故他内但存备良"
    "况害造上号面材料施专组请到题权进系可开失原论家评由提限危自除集序移确主二务轻位免"
    "第十研条表式章误要导涉拒律会登受重民复送三是《》具接取通容“”纪申同范强承外度验"
    "观变使印录与大用间方尚客配反字索活设损利属结期批计放新核项尽超措隐知将益缺线试难"
    "交下消统供围安非划令采象营院并了共避干…策向领四泰分效质举服革产被如子全所义罚许"
    "名护班目日察假年之严测鉴保从社化虽清局建版席手没图片须得解型层瞒展节纠仅偏差且此"
    "段给参考款签加先素〔〕工微减判擅教育织够映维引适负预数弃代需虚独直诺量诉而省担收"
    "否五前则符优函格只辖补碍启府志说争．六连个置识示常克救妨技术构随患逃封扣押品舆励"
    "特入头七持立更次列最多称嫌谋私积极断推创双身遇起讼裁命国澄述基根簿云港犯标整抗力"
    "留恶劣完杂疑答绝叉遗漏求阻止激华山东该介小包传召档何附获足态选拔升月署排类高各科"
    "准商环境慎然愿终越瑕疵幅销续写江苏步障八业般抄阶逐回编插长似晋党罪透近信样票着眼"
    "率达探飞装学转物毁灭突张撤继显坚九投遭辱侵协广你域联再例背景边至像空坏含析×队室"
    "演较页密暂奖必真综凿离访诬诽谤侮沟委区切凡夹值电又援来源概修每均末少卷带道遮挡声"
    "脚尺寸闭败状息份宽→沿钥读口仍拆落促伍际指授玩忽守滥遵循充尊陈辩刑虑做楚恰谈话醒"
    "诫勉岗资辞退亲恐吓威胁滋骚扰尾跟踪攻击骂财偿另心防风险央厅括食药医疗器械妆种群众"
    "竞费听誉王李刘杨黄赵吴周徐孙马朱胡郭林罗郑梁谢宋唐韩冯邓曹彭曾肖田董袁潘蒋蔡余杜"
    "叶魏吕丁沈姚卢姜崔钟谭陆汪金石廖贾夏韦付白邹孟熊秦邱尹薛闫雷侯龙史陶黎贺顾毛郝龚"
    "邵万钱覃武戴莫孔汤某"
)


@dataclass(frozen=True)
class PreparedFace:
    family: str  # the CSS family name of the prepared copy
    path: Path
    bold: bool = False  # a copy of the bold face (its @font-face says so)


def prepared_family(family: str) -> str:
    """The CSS family name of the page-number copy of `family`; WeasyPrint
    names the embedded font after it (ABCDEF+FandolSong-PageNumbers)."""
    return f"{family} PageNumbers"


def document_family(family: str) -> str:
    """The CSS family name of the document copies of `family`, regular and
    bold (ABCDEF+FandolFang-Documents, ABCDEF+FandolSong-Documents-Bold in the
    PDF)."""
    return f"{family} Documents"


def document_characters() -> str:
    """What a document copy holds, in the order of its glyph ids: the frequent
    characters, printable ASCII and EXTRA_CHARACTERS, then the rest of GB
    2312's symbols (rows 1-9) and first level (rows 16-55)."""
    table = []
    for row in (*range(0xA1, 0xAA), *range(0xB0, 0xD8)):
        for cell in range(0xA1, 0xFF):
            try:
                table.append(bytes((row, cell)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    ascii_ = [chr(code) for code in range(0x20, 0x7F)]
    return "".join(dict.fromkeys([*FREQUENT_CHARACTERS, *ascii_, *EXTRA_CHARACTERS, *table]))


def _font_file(family: str, pattern: str = ":style=Regular") -> tuple[Path, int] | None:
    """The face of `family` fontconfig resolves with `pattern` (the regular
    face by default), or None when fontconfig would substitute another family."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    output = subprocess.run(  # noqa: S603 - fixed arguments, the configured family
        [fc_match, "--format=%{file}|%{index}|%{family}", f"{family}{pattern}"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    path, _, rest = output.partition("|")
    index, _, families = rest.partition("|")
    if not path or family not in {name.strip() for name in families.split(",")}:
        return None
    return Path(path), int(index or 0)


def _make_copy(
    source: Path,
    index: int,
    target: Path,
    text: str = PAGE_NUMBER_CHARACTERS,
    first: str = "",
    truetype: bool = False,
) -> None:
    """Write the face at `source` cut down to `text`, keeping its metrics (the
    position of the page numbers and the lines depend on them), with the
    glyphs of `first` given the lowest glyph ids, in its order; with
    `truetype`, its outlines as TrueType's (documents.fonts, module notes)."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.layout_features = ["*"]
    font = TTFont(source, fontNumber=index)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=text)
    subsetter.subset(font)
    if first:
        order = font.getGlyphOrder()
        cmap = font.getBestCmap()
        leading = dict.fromkeys(cmap[ord(c)] for c in first if ord(c) in cmap)
        leading.pop(order[0], None)
        font.reorderGlyphs([order[0], *leading, *(g for g in order[1:] if g not in leading)])
    if truetype and "CFF " in font:
        _to_truetype(font)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written aside and renamed: another process may be preparing it too.
    handle, temporary = tempfile.mkstemp(dir=target.parent, suffix=".tmp")
    os.close(handle)
    try:
        font.save(temporary)
        os.chmod(temporary, 0o644)  # noqa: S103 - a font, read by every worker
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def _to_truetype(font) -> None:
    """Replace the CFF outlines of `font` by TrueType ones, each cubic curve
    by quadratic ones within QUADRATIC_TOLERANCE. WeasyPrint has HarfBuzz
    subset every face with its subroutines expanded: for CFF that means
    interpreting each glyph's charstring, for TrueType copying its bytes (a
    third of the time of the PDF writing went to the four CFF copies). The
    widths, the vertical metrics and the character map are kept."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    order = font.getGlyphOrder()
    outlines = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        # TrueType contours run clockwise, CFF's counter-clockwise.
        outlines[name].draw(Cu2QuPen(pen, QUADRATIC_TOLERANCE, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    del font["CFF "]
    if "VORG" in font:  # vertical origins, a CFF-only table
        del font["VORG"]
    # maxp 1.0, TrueType's: no hinting programs; the point and contour counts
    # are computed from the glyphs when the font is saved.
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    maxp.maxZones = 1
    for field in [
        "maxPoints",
        "maxContours",
        "maxCompositePoints",
        "maxCompositeContours",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxComponentDepth",
    ]:
        setattr(maxp, field, 0)
    font["post"].formatType = 3.0  # no glyph names: PDFs address glyphs by id
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def page_number_face(family: str) -> PreparedFace | None:
    """The page-number copy of the installed `family`, made when missing;
    None when it cannot be made (the renderer then uses the family itself)."""
    found = _font_file(family)
    if found is None:
        return None
    return _prepared(
        found,
        prepared_family(family),
        "page-numbers",
        (PREPARED_FORMAT, PAGE_NUMBER_CHARACTERS),
        make=lambda source, index, target: _make_copy(source, index, target),
    )


def document_face(family: str, bold: bool = False, make: bool = False) -> PreparedFace | None:
    """The document copy of the installed `family` (its bold face with `bold`):
    the face fontconfig gives WeasyPrint for that weight, so the copy prints
    the same glyphs. None when it is not prepared and `make` is false (making
    one takes 10-20 s), or when it cannot be made."""
    # The weight WeasyPrint asks fontconfig for: 200 is bold, 80 regular.
    found = _font_file(family, f":weight={200 if bold else 80}")
    if found is None:
        return None
    text = document_characters()
    return _prepared(
        found,
        document_family(family),
        "document",
        (DOCUMENT_FACE_FORMAT, hashlib.sha256(text.encode()).hexdigest()),
        make=(
            (
                lambda source, index, target: _make_copy(
                    source, index, target, text, text, truetype=True
                )
            )
            if make
            else None
        ),
        bold=bold,
        suffix=".ttf",
    )


def _prepared(
    found: tuple[Path, int],
    family: str,
    prefix: str,
    recipe: tuple,
    make,
    bold: bool = False,
    suffix: str = "",
):
    """The prepared copy of the face `found` by `recipe` (format, characters),
    found in a cache folder or made there by `make` (None: only found); its
    file ends in `suffix`, or in the source's kind of outlines."""
    source, index = found
    stat = source.stat()
    version, characters = recipe
    key = f"{version}|{source}|{index}|{stat.st_size}|{stat.st_mtime_ns}|{characters}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    suffix = suffix or (".ttf" if source.suffix.lower() in {".ttf", ".ttc"} else ".otf")
    name = f"{prefix}-{digest}{suffix}"
    folders = _cache_folders()
    for folder in folders:
        if (folder / name).is_file() and _trusted(folder):
            return PreparedFace(family=family, path=folder / name, bold=bold)
    if make is None:
        return None
    for folder in folders:
        try:
            folder.mkdir(mode=0o755, parents=True, exist_ok=True)
            if not _trusted(folder):
                raise PermissionError(f"{folder} may be written by other users")
            make(source, index, folder / name)
        except Exception:  # noqa: BLE001 - any failure: the next folder, or the installed face
            logger.warning("could not prepare the font %s in %s", family, folder, exc_info=True)
            continue
        return PreparedFace(family=family, path=folder / name, bold=bold)
    return None


def _cache_folders() -> list[Path]:
    """DOCUMENT_FONT_CACHE_DIR, then the system's temporary folder for a
    deployment whose application folder is read-only."""
    return [
        Path(settings.DOCUMENT_FONT_CACHE_DIR),
        Path(tempfile.gettempdir()) / "jinzhi-fonts",
    ]


def _trusted(folder: Path) -> bool:
    """Whether a font found in `folder` can only have been put there by us
    (or root): the temporary folder is shared, and a font planted under the
    expected name would print whatever its glyphs draw."""
    status = folder.stat()
    return status.st_uid in (os.getuid(), 0) and not status.st_mode & 0o022
