"""What can go wrong in accounts, sign-in and administration, as the user is
told it.

The refusals and validation messages of the accounts app are named here;
tests assert through the name. The text is the msgid in
locale/*/django.po. Messages with parameters are formatted where raised."""

from django.utils.translation import gettext_lazy as _

# --- administration -------------------------------------------------------------------
MAY_NOT_ADMINISTER = _("您无权进行此项管理操作。")
ONLY_SECURITY_ADMIN_UNLOCKS = _("只有安全管理员可以解除登录锁定。")
ONLY_SECURITY_ADMIN_RESETS_TOTP = _("只有安全管理员可以重置动态口令。")

# --- passwords and the second factor ----------------------------------------------------
PASSWORD_TOO_SIMPLE = _("密码须包含大写字母、小写字母、数字、符号中的至少 %(n)d 类。")
TOTP_WRONG = _("动态口令不正确或已过期，请查看验证器应用中的最新口令后重新输入。")
TOTP_FORMAT = _("请输入验证器应用显示的 6 位数字动态口令。")
TOTP_ALREADY_ENROLLED = _("该账号已绑定动态口令，如需更换请联系安全管理员重置。")
