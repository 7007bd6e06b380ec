from django.apps import AppConfig


class CalendarConfig(AppConfig):
    """Working-day calendar (工作日历)."""

    name = "sanxiang.calendar"
    label = "calendar"
    verbose_name = "工作日历"
    default_auto_field = "django.db.models.BigAutoField"
