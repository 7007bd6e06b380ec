from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    """Publicity of enforcement decisions (行政执法公示): the publication queue and public log."""

    name = "sanxiang.disclosure"
    label = "disclosure"
    verbose_name = "执法公示"
