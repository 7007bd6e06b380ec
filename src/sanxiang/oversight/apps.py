from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OversightConfig(AppConfig):
    """Oversight (考核监督): metrics, case-file evaluation, complaints, supervision notices."""

    name = "sanxiang.oversight"
    verbose_name = _("Oversight")
