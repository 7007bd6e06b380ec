"""Portal pages of open data and statistics (开放数据、统计)."""

urlpatterns: list = []
