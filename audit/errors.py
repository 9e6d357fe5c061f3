"""What the audit chain's verification can find wrong, and what its command
refuses, as the user is told it.

Each finding names the first broken event; the messages are named here so
that a reader sees every way the chain can be found broken, and tests assert
through the name. The text is the msgid in locale/*/django.po. Messages with
parameters are formatted where raised."""

from django.utils.translation import gettext_lazy as _

# --- an event's own hash ----------------------------------------------------------------
HASH_MISMATCH = _("该事件的内容与其哈希不符（记录被改动）。")
NOT_KEYED = _("该事件没有以密钥签名（可能是未持有密钥者改写的记录）。")
UNKNOWN_KEY = _("该事件所用的密钥 %(key)s 不在当前配置的密钥中。")

# --- the chain's links and its head -----------------------------------------------------
EVENT_MISSING = _("第 %(expected)d 条事件缺失（下一条事件的序号为 %(found)d）。")
LINK_BROKEN = _("该事件记录的前一哈希与链上前一条事件不符（链接断开或顺序被改动）。")
HEAD_MISSING = _("审计链头记录缺失，无法确认链尾是否完整。")
TAIL_MISSING = _("链尾事件缺失：链头记录共 %(head)d 条事件，实际只找到 %(found)d 条。")
HEAD_HASH_MISMATCH = _("链头记录的哈希与最后一条事件不符。")

# --- anchors kept outside the database --------------------------------------------------
ANCHOR_FILE_UNREADABLE = _("无法读取锚点文件：%(error)s")
ANCHOR_LINE_INVALID = _("锚点文件第 %(line)d 行不是有效的锚点记录。")
ANCHORED_TAIL_DELETED = _(
    "锚点记录了第 %(sequence)d 条事件，但链上只有 %(found)d 条：链尾被删除，链头被重置。"
)
ANCHORED_EVENT_CHANGED = _("第 %(sequence)d 条事件的哈希与锚点记录不符（链被改写）。")

# --- manage.py verify_audit -------------------------------------------------------------
BATCH_SIZE_INVALID = _("--batch-size 必须是正整数。")
CHAIN_BROKEN = _(
    "审计链在第 %(sequence)d 条事件处断裂（此前 %(checked)d 条事件完好）。原因：%(reason)s"
)
