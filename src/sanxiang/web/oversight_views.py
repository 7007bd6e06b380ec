"""Staff pages (see the module's urlpatterns)."""

urlpatterns: list = []
