from django.apps import AppConfig


class CasesConfig(AppConfig):
    """Enforcement cases (执法案件): penalty, coercion, inspection, permit."""

    name = "sanxiang.cases"
    label = "cases"
    verbose_name = "执法案件"

    def ready(self) -> None:
        from sanxiang.cases import archiving

        archiving.register()  # `sanxiang archive export CASE_NUMBER DIR`
