"""Template context: the staff navigation (导航)."""

from django.conf import settings
from django.urls import NoReverseMatch, reverse


def navigation(request):
    """Navigation entries of the staff modules; a module without pages yet is shown disabled."""
    if not request.path.startswith("/gongshi/") and getattr(request, "user", None) and request.user.is_authenticated:
        items = []
        for name, label in settings.SANXIANG_NAV:
            try:
                url = reverse(name)
            except NoReverseMatch:
                url = None
            items.append({"label": label, "url": url, "active": url is not None and request.path == url})
        return {"nav_items": items}
    return {}
