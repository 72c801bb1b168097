from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evidence"
    verbose_name = "Evidence"

    def ready(self):
        from evidence import checks  # noqa: F401 (registers the system checks)
        from evidence.gate import signals
        from evidence.page import gated_page_models

        signals.connect(gated_page_models(), app_config=self)

        from evidence.audit import signals as audit_signals

        audit_signals.connect(gated_page_models())

        from evidence.library import safeguards

        safeguards.connect()

        from evidence.living import signals as living_signals

        living_signals.connect()

        from evidence.admin import notifications

        notifications.connect()
