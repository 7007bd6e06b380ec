from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarConfig(AppConfig):
    """Working-day calendar (工作日历)."""

    name = "sanxiang.calendar"
    label = "calendar"
    verbose_name = _("Working-day calendar")  # 工作日历
    default_auto_field = "django.db.models.BigAutoField"
