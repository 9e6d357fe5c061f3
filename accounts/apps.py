from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in

        from accounts.signals import record_lockout, start_session_clock

        user_locked_out.connect(record_lockout, dispatch_uid="accounts.record_lockout")
        user_logged_in.connect(start_session_clock, dispatch_uid="accounts.start_session_clock")
